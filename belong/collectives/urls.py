from django.urls import path

from belong.collectives import views

app_name = "collectives"

urlpatterns = [
    path("", views.collective_list, name="list"),
    path("<slug:slug>/", views.collective_detail, name="detail"),
]

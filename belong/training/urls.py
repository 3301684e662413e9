from django.urls import path

from belong.training import views

app_name = "training"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("<slug:slug>/", views.course_detail, name="course"),
]

from django.urls import path

from belong.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggest/", views.suggest, name="suggest"),
    path("curate/", views.curate, name="curate"),
    path("files/<id:pk>/", views.resource_file, name="resource_file"),
    path("policies/<slug:slug>/", views.policy_detail, name="policy"),
    path("policies/<slug:slug>/review/", views.policy_review, name="policy_review"),
]

from django.urls import path, re_path

from belong.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    re_path(
        r"^(?P<slug>[-\w]+)/(?P<figure>[-\w]+)\.(?P<fmt>csv|xlsx)$",
        views.download,
        name="download",
    ),
]

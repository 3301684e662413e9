from django.urls import path, re_path

from belong.insights import initiative_views, views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("releases/cut/", views.cut, name="cut"),
    path("initiatives/", initiative_views.index, name="initiatives"),
    path("initiatives/new/", initiative_views.new, name="initiative_new"),
    path("initiatives/<slug:slug>/", initiative_views.detail, name="initiative"),
    path("initiatives/<slug:slug>/edit/", initiative_views.edit, name="initiative_edit"),
    path("initiatives/<slug:slug>/metrics/", initiative_views.add_metric, name="metric_add"),
    path("initiatives/<slug:slug>/values/", initiative_views.observe, name="observe"),
    path("initiatives/<slug:slug>/import/", initiative_views.import_csv, name="import"),
    re_path(
        r"^initiatives/(?P<slug>[-\w]+)/metrics/(?P<metric_id>[0-9]{1,18})\.(?P<fmt>csv|xlsx)$",
        initiative_views.metric_download,
        name="metric_download",
    ),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    re_path(
        r"^(?P<slug>[-\w]+)/(?P<figure>[-\w]+)\.(?P<fmt>csv|xlsx)$",
        views.download,
        name="download",
    ),
]

from django.urls import path

from belong.mentorship import manage_views, views

app_name = "mentorship"

urlpatterns = [
    path("", views.program, name="program"),
    path("enrol/<str:role>/", views.enrol, name="enrol"),
    path("enrol/<str:role>/withdraw/", views.withdraw, name="withdraw"),
    path("manage/", manage_views.cycles, name="manage"),
    path("manage/cycles/new/", manage_views.cycle_new, name="manage_cycle_new"),
    path("manage/cycles/<int:pk>/", manage_views.cycle_detail, name="manage_cycle"),
    path("manage/cycles/<int:pk>/edit/", manage_views.cycle_edit, name="manage_cycle_edit"),
    path("manage/cycles/<int:pk>/kickoff/", manage_views.kickoff, name="manage_kickoff"),
]

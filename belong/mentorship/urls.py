from django.urls import path

from belong.mentorship import connection_views, manage_views, pair_views, views

app_name = "mentorship"

urlpatterns = [
    path("", views.program, name="program"),
    path("enrol/<str:role>/", views.enrol, name="enrol"),
    path("enrol/<str:role>/withdraw/", views.withdraw, name="withdraw"),
    path("matches/<id:pk>/", pair_views.pair, name="pair"),
    path("matches/<id:pk>/meetings/", pair_views.log_meeting, name="pair_meeting"),
    path("matches/<id:pk>/goals/", pair_views.add_goal, name="pair_goal"),
    path("matches/<id:pk>/goals/<id:goal_pk>/", pair_views.goal_state, name="pair_goal_state"),
    path("matches/<id:pk>/check-in/<str:stage>/", pair_views.check_in, name="pair_check_in"),
    path("matches/<id:pk>/ask/", pair_views.ask, name="pair_ask"),
    path("connect/", connection_views.connect, name="connect"),
    path("connect/verify/<str:token>/", connection_views.connect_verify, name="connect_verify"),
    path("ambassador/", connection_views.ambassador, name="ambassador"),
    path(
        "ambassador/requests/<id:pk>/",
        connection_views.ambassador_answer,
        name="ambassador_answer",
    ),
    path("manage/connections/", connection_views.manage_connections, name="manage_connections"),
    path(
        "manage/connections/<id:pk>/route/",
        connection_views.manage_route,
        name="manage_route",
    ),
    path("manage/", manage_views.cycles, name="manage"),
    path("manage/cycles/new/", manage_views.cycle_new, name="manage_cycle_new"),
    path("manage/cycles/<id:pk>/", manage_views.cycle_detail, name="manage_cycle"),
    path("manage/cycles/<id:pk>/edit/", manage_views.cycle_edit, name="manage_cycle_edit"),
    path("manage/cycles/<id:pk>/kickoff/", manage_views.kickoff, name="manage_kickoff"),
    path("manage/cycles/<id:pk>/matching/", manage_views.matching_review, name="matching"),
    path("manage/cycles/<id:pk>/matching/run/", manage_views.matching_run, name="matching_run"),
    path("manage/cycles/<id:pk>/matching/rule/", manage_views.matching_rule, name="matching_rule"),
    path("manage/cycles/<id:pk>/matches/", manage_views.matches, name="manage_matches"),
    path(
        "manage/cycles/<id:pk>/matches/requests/<id:concern_pk>/",
        manage_views.answer_concern,
        name="manage_concern",
    ),
    path("manage/cycles/<id:pk>/matches/new/", manage_views.rematch, name="manage_rematch"),
    path(
        "manage/cycles/<id:pk>/matching/publish/",
        manage_views.matching_publish,
        name="matching_publish",
    ),
]

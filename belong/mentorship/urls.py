from django.urls import path

from belong.mentorship.views import connections, enrolment, manage, pairs

app_name = "mentorship"

urlpatterns = [
    path("", enrolment.program, name="program"),
    path("enrol/<str:role>/", enrolment.enrol, name="enrol"),
    path("enrol/<str:role>/withdraw/", enrolment.withdraw, name="withdraw"),
    path("matches/<id:pk>/", pairs.pair, name="pair"),
    path("matches/<id:pk>/meetings/", pairs.log_meeting, name="pair_meeting"),
    path("matches/<id:pk>/goals/", pairs.add_goal, name="pair_goal"),
    path("matches/<id:pk>/goals/<id:goal_pk>/", pairs.goal_state, name="pair_goal_state"),
    path("matches/<id:pk>/check-in/<str:stage>/", pairs.check_in, name="pair_check_in"),
    path("matches/<id:pk>/ask/", pairs.ask, name="pair_ask"),
    path("connect/", connections.connect, name="connect"),
    path("connect/verify/<str:token>/", connections.connect_verify, name="connect_verify"),
    path("ambassador/", connections.ambassador, name="ambassador"),
    path(
        "ambassador/requests/<id:pk>/",
        connections.ambassador_answer,
        name="ambassador_answer",
    ),
    path("manage/connections/", connections.manage_connections, name="manage_connections"),
    path(
        "manage/connections/<id:pk>/route/",
        connections.manage_route,
        name="manage_route",
    ),
    path("manage/", manage.cycles, name="manage"),
    path("manage/cycles/new/", manage.cycle_new, name="manage_cycle_new"),
    path("manage/cycles/<id:pk>/", manage.cycle_detail, name="manage_cycle"),
    path("manage/cycles/<id:pk>/edit/", manage.cycle_edit, name="manage_cycle_edit"),
    path("manage/cycles/<id:pk>/kickoff/", manage.kickoff, name="manage_kickoff"),
    path("manage/cycles/<id:pk>/matching/", manage.matching_review, name="matching"),
    path("manage/cycles/<id:pk>/matching/run/", manage.matching_run, name="matching_run"),
    path("manage/cycles/<id:pk>/matching/rule/", manage.matching_rule, name="matching_rule"),
    path("manage/cycles/<id:pk>/matches/", manage.matches, name="manage_matches"),
    path(
        "manage/cycles/<id:pk>/matches/requests/<id:concern_pk>/",
        manage.answer_concern,
        name="manage_concern",
    ),
    path("manage/cycles/<id:pk>/matches/new/", manage.rematch, name="manage_rematch"),
    path(
        "manage/cycles/<id:pk>/matching/publish/",
        manage.matching_publish,
        name="matching_publish",
    ),
]

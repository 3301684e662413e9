from django.urls import path

from belong.training import (
    certificate_views,
    evaluation_views,
    lecture_views,
    manage_views,
    request_views,
    views,
)

app_name = "training"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("certificates/verify/", certificate_views.verify, name="certificate_verify"),
    path("prework/<id:pk>/", views.prework_file, name="prework_file"),
    # group training requests (request_views)
    path("request/", request_views.new_request, name="request"),
    path("requests/", request_views.my_requests, name="my_requests"),
    path("requests/<id:pk>/", request_views.my_request, name="my_request"),
    path("manage/requests/", request_views.queue, name="manage_requests"),
    path("manage/requests/<id:pk>/", request_views.manage_request, name="manage_request"),
    path("manage/requests/<id:pk>/review/", request_views.review, name="manage_request_review"),
    path("manage/requests/<id:pk>/decline/", request_views.decline, name="manage_request_decline"),
    path(
        "manage/requests/<id:pk>/schedule/",
        request_views.schedule,
        name="manage_request_schedule",
    ),
    path("evaluate/thanks/", evaluation_views.evaluation_thanks, name="evaluation_thanks"),
    path("evaluate/<slug:token>/", evaluation_views.evaluate, name="evaluate"),
    path(
        "manage/sessions/<id:event_id>/evaluations/",
        evaluation_views.session_evaluations,
        name="session_evaluations",
    ),
    path(
        "manage/courses/<slug:slug>/evaluations/",
        evaluation_views.course_evaluations,
        name="course_evaluations",
    ),
    # coordinators and facilitators: courses, sessions, rosters (manage_views)
    path("manage/", manage_views.overview, name="manage"),
    path("manage/courses/new/", manage_views.course_new, name="manage_course_new"),
    path("manage/courses/<id:pk>/edit/", manage_views.course_edit, name="manage_course"),
    path(
        "manage/courses/<id:pk>/prework/",
        manage_views.course_prework_upload,
        name="manage_course_prework",
    ),
    path(
        "manage/courses/<id:pk>/sessions/new/",
        manage_views.sessions_new,
        name="manage_sessions_new",
    ),
    path("manage/sessions/<id:pk>/", manage_views.roster, name="manage_roster"),
    path("manage/sessions/<id:pk>/roster.csv", manage_views.roster_csv, name="manage_roster_csv"),
    path(
        "manage/sessions/<id:pk>/attendance/",
        manage_views.attendance,
        name="manage_attendance",
    ),
    path("manage/sessions/<id:pk>/edit/", manage_views.session_edit, name="manage_session_edit"),
    path(
        "manage/sessions/<id:pk>/prework/",
        manage_views.session_prework_upload,
        name="manage_session_prework",
    ),
    path(
        "manage/sessions/<id:pk>/cancel/",
        manage_views.session_cancel,
        name="manage_session_cancel",
    ),
    path("manage/sessions/<id:pk>/keep/", manage_views.session_keep, name="manage_session_keep"),
    path(
        "manage/prework/<id:pk>/delete/", manage_views.prework_delete, name="manage_prework_delete"
    ),
    # coordinators: the Dean's Lecture Series (lecture_views)
    path("manage/lectures/", lecture_views.lecture_list, name="manage_lectures"),
    path("manage/lectures/new/", lecture_views.lecture_new, name="manage_lecture_new"),
    path("manage/lectures/<id:pk>/edit/", lecture_views.lecture_edit, name="manage_lecture_edit"),
    path(
        "manage/lectures/<id:pk>/cancel/",
        lecture_views.lecture_cancel,
        name="manage_lecture_cancel",
    ),
    path("<slug:slug>/", views.course_detail, name="course"),
]

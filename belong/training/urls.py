from django.urls import path

from belong.training.views import (
    catalog,
    certificates,
    evaluations,
    lectures,
    manage,
    requests,
)

app_name = "training"

urlpatterns = [
    path("", catalog.catalog, name="catalog"),
    path("certificates/verify/", certificates.verify, name="certificate_verify"),
    path("prework/<id:pk>/", catalog.prework_file, name="prework_file"),
    # group training requests (views/requests.py)
    path("request/", requests.new_request, name="request"),
    path("requests/", requests.my_requests, name="my_requests"),
    path("requests/<id:pk>/", requests.my_request, name="my_request"),
    path("manage/requests/", requests.queue, name="manage_requests"),
    path("manage/requests/<id:pk>/", requests.manage_request, name="manage_request"),
    path("manage/requests/<id:pk>/review/", requests.review, name="manage_request_review"),
    path("manage/requests/<id:pk>/decline/", requests.decline, name="manage_request_decline"),
    path(
        "manage/requests/<id:pk>/schedule/",
        requests.schedule,
        name="manage_request_schedule",
    ),
    path("evaluate/thanks/", evaluations.evaluation_thanks, name="evaluation_thanks"),
    path("evaluate/<slug:token>/", evaluations.evaluate, name="evaluate"),
    path(
        "manage/sessions/<id:event_id>/evaluations/",
        evaluations.session_evaluations,
        name="session_evaluations",
    ),
    path(
        "manage/courses/<slug:slug>/evaluations/",
        evaluations.course_evaluations,
        name="course_evaluations",
    ),
    # coordinators and facilitators: courses, sessions, rosters (views/manage.py)
    path("manage/", manage.overview, name="manage"),
    path("manage/courses/new/", manage.course_new, name="manage_course_new"),
    path("manage/courses/<id:pk>/edit/", manage.course_edit, name="manage_course"),
    path(
        "manage/courses/<id:pk>/prework/",
        manage.course_prework_upload,
        name="manage_course_prework",
    ),
    path(
        "manage/courses/<id:pk>/sessions/new/",
        manage.sessions_new,
        name="manage_sessions_new",
    ),
    path("manage/sessions/<id:pk>/", manage.roster, name="manage_roster"),
    path("manage/sessions/<id:pk>/roster.csv", manage.roster_csv, name="manage_roster_csv"),
    path(
        "manage/sessions/<id:pk>/attendance/",
        manage.attendance,
        name="manage_attendance",
    ),
    path("manage/sessions/<id:pk>/edit/", manage.session_edit, name="manage_session_edit"),
    path(
        "manage/sessions/<id:pk>/prework/",
        manage.session_prework_upload,
        name="manage_session_prework",
    ),
    path(
        "manage/sessions/<id:pk>/cancel/",
        manage.session_cancel,
        name="manage_session_cancel",
    ),
    path("manage/sessions/<id:pk>/keep/", manage.session_keep, name="manage_session_keep"),
    path("manage/prework/<id:pk>/delete/", manage.prework_delete, name="manage_prework_delete"),
    # coordinators: the Dean's Lecture Series (views/lectures.py)
    path("manage/lectures/", lectures.lecture_list, name="manage_lectures"),
    path("manage/lectures/new/", lectures.lecture_new, name="manage_lecture_new"),
    path("manage/lectures/<id:pk>/edit/", lectures.lecture_edit, name="manage_lecture_edit"),
    path(
        "manage/lectures/<id:pk>/cancel/",
        lectures.lecture_cancel,
        name="manage_lecture_cancel",
    ),
    path("<slug:slug>/", catalog.course_detail, name="course"),
]

from django.urls import path

from belong.collectives.views import (
    announcements,
    collectives,
    directories,
    events,
    experiences,
    focus,
    leaders,
    recommendations,
)

app_name = "collectives"

# Fixed prefixes come before "<slug:slug>/": a collective's slug cannot take their place.
urlpatterns = [
    path("", collectives.collective_list, name="list"),
    # -- areas of focus (views/focus.py) --
    path("focus/<slug:slug>/", focus.focus_area, name="focus_area"),
    # -- recommendations tracker and answers (views/recommendations.py) --
    path("recommendations/", recommendations.tracker, name="recommendations"),
    path(
        "recommendations/<id:pk>/",
        recommendations.recommendation_detail,
        name="recommendation",
    ),
    path(
        "recommendations/<id:pk>/answer/",
        recommendations.answer,
        name="recommendation_answer",
    ),
    # -- directories of businesses and partners (views/directories.py) --
    path("directory/review/", directories.review_queue, name="directory_review"),
    path(
        "directory/<str:kind_slug>/<id:pk>/review/",
        directories.review,
        name="directory_decide",
    ),
    path("businesses/", directories.directory, {"kind_slug": "businesses"}, name="businesses"),
    path("partners/", directories.directory, {"kind_slug": "partners"}, name="partners"),
    path(
        "businesses.csv",
        directories.export,
        {"kind_slug": "businesses"},
        name="business_export",
    ),
    path("partners.csv", directories.export, {"kind_slug": "partners"}, name="partner_export"),
    path(
        "businesses/suggest/",
        directories.suggest,
        {"kind_slug": "businesses"},
        name="business_suggest",
    ),
    path(
        "partners/suggest/",
        directories.suggest,
        {"kind_slug": "partners"},
        name="partner_suggest",
    ),
    path(
        "businesses/import/",
        directories.import_file,
        {"kind_slug": "businesses"},
        name="business_import",
    ),
    path(
        "partners/import/",
        directories.import_file,
        {"kind_slug": "partners"},
        name="partner_import",
    ),
    path(
        "businesses/<id:pk>/edit/",
        directories.edit,
        {"kind_slug": "businesses"},
        name="business_edit",
    ),
    path(
        "partners/<id:pk>/edit/",
        directories.edit,
        {"kind_slug": "partners"},
        name="partner_edit",
    ),
    path("<slug:slug>/", collectives.collective_detail, name="detail"),
    # -- joining, changing, leaving (views) --
    path("<slug:slug>/join/", collectives.join, name="join"),
    path("<slug:slug>/membership/", collectives.change_membership, name="membership"),
    path("<slug:slug>/leave/", collectives.leave, name="leave"),
    # -- leaders: overview, page, members, leader roles (views/leaders.py) --
    path("<slug:slug>/manage/", leaders.overview, name="manage"),
    path("<slug:slug>/manage/page/", leaders.page, name="manage_page"),
    path("<slug:slug>/manage/members/", leaders.members, name="manage_members"),
    path("<slug:slug>/manage/members.csv", leaders.members_csv, name="manage_members_csv"),
    path("<slug:slug>/manage/leaders/", leaders.leaders, name="manage_leaders"),
    path(
        "<slug:slug>/manage/leaders/<id:pk>/end/",
        leaders.leader_end,
        name="manage_leader_end",
    ),
    # -- leaders: events and announcements (views/events.py, views/announcements.py) --
    path("<slug:slug>/manage/events/", events.event_list, name="events"),
    path("<slug:slug>/manage/events/new/", events.event_new, name="event_new"),
    path("<slug:slug>/manage/events/<id:pk>/edit/", events.event_edit, name="event_edit"),
    path("<slug:slug>/manage/events/<id:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("<slug:slug>/manage/events/<id:pk>/roster/", events.event_roster, name="event_roster"),
    path(
        "<slug:slug>/manage/announcements/new/",
        announcements.announcement_new,
        name="announcement_new",
    ),
    path(
        "<slug:slug>/announcements/<id:pk>/",
        announcements.announcement_detail,
        name="announcement",
    ),
    # -- leaders: recommendations (views/recommendations.py) --
    path(
        "<slug:slug>/manage/recommendations/",
        recommendations.drafts,
        name="recommendation_drafts",
    ),
    path(
        "<slug:slug>/manage/recommendations/new/",
        recommendations.new,
        name="recommendation_new",
    ),
    path(
        "<slug:slug>/manage/recommendations/<id:pk>/edit/",
        recommendations.edit,
        name="recommendation_edit",
    ),
    path(
        "<slug:slug>/manage/recommendations/<id:pk>/submit/",
        recommendations.submit,
        name="recommendation_submit",
    ),
    path(
        "<slug:slug>/manage/recommendations/<id:pk>/delete/",
        recommendations.delete,
        name="recommendation_delete",
    ),
    # -- sharing an experience, moderation (views/experiences.py) --
    path("<slug:slug>/share/", experiences.share, name="share"),
    path("<slug:slug>/share/thanks/", experiences.share_thanks, name="share_thanks"),
    path(
        "<slug:slug>/manage/experiences/",
        experiences.experience_list,
        name="experiences",
    ),
    path(
        # A random id (a UUID), never a number that tells the order of sharing.
        "<slug:slug>/manage/experiences/<uuid:pk>/",
        experiences.experience_detail,
        name="experience",
    ),
]

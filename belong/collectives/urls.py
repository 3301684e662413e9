from django.urls import path

from belong.collectives import (
    announcement_views,
    directory_views,
    event_views,
    experience_views,
    focus_views,
    leader_views,
    recommendation_views,
    views,
)

app_name = "collectives"

# Fixed prefixes come before "<slug:slug>/": a collective's slug cannot take their place.
urlpatterns = [
    path("", views.collective_list, name="list"),
    # -- areas of focus (focus_views) --
    path("focus/<slug:slug>/", focus_views.focus_area, name="focus_area"),
    # -- recommendations tracker and answers (recommendation_views) --
    path("recommendations/", recommendation_views.tracker, name="recommendations"),
    path(
        "recommendations/<id:pk>/",
        recommendation_views.recommendation_detail,
        name="recommendation",
    ),
    path(
        "recommendations/<id:pk>/answer/",
        recommendation_views.answer,
        name="recommendation_answer",
    ),
    # -- directories of businesses and partners (directory_views) --
    path("directory/review/", directory_views.review_queue, name="directory_review"),
    path(
        "directory/<str:kind_slug>/<id:pk>/review/",
        directory_views.review,
        name="directory_decide",
    ),
    path("businesses/", directory_views.directory, {"kind_slug": "businesses"}, name="businesses"),
    path("partners/", directory_views.directory, {"kind_slug": "partners"}, name="partners"),
    path(
        "businesses.csv",
        directory_views.export,
        {"kind_slug": "businesses"},
        name="business_export",
    ),
    path("partners.csv", directory_views.export, {"kind_slug": "partners"}, name="partner_export"),
    path(
        "businesses/suggest/",
        directory_views.suggest,
        {"kind_slug": "businesses"},
        name="business_suggest",
    ),
    path(
        "partners/suggest/",
        directory_views.suggest,
        {"kind_slug": "partners"},
        name="partner_suggest",
    ),
    path(
        "businesses/import/",
        directory_views.import_file,
        {"kind_slug": "businesses"},
        name="business_import",
    ),
    path(
        "partners/import/",
        directory_views.import_file,
        {"kind_slug": "partners"},
        name="partner_import",
    ),
    path(
        "businesses/<id:pk>/edit/",
        directory_views.edit,
        {"kind_slug": "businesses"},
        name="business_edit",
    ),
    path(
        "partners/<id:pk>/edit/",
        directory_views.edit,
        {"kind_slug": "partners"},
        name="partner_edit",
    ),
    path("<slug:slug>/", views.collective_detail, name="detail"),
    # -- joining, changing, leaving (views) --
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/membership/", views.change_membership, name="membership"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    # -- leaders: overview, page, members, leader roles (leader_views) --
    path("<slug:slug>/manage/", leader_views.overview, name="manage"),
    path("<slug:slug>/manage/page/", leader_views.page, name="manage_page"),
    path("<slug:slug>/manage/members/", leader_views.members, name="manage_members"),
    path("<slug:slug>/manage/members.csv", leader_views.members_csv, name="manage_members_csv"),
    path("<slug:slug>/manage/leaders/", leader_views.leaders, name="manage_leaders"),
    path(
        "<slug:slug>/manage/leaders/<id:pk>/end/",
        leader_views.leader_end,
        name="manage_leader_end",
    ),
    # -- leaders: events and announcements (event_views, announcement_views) --
    path("<slug:slug>/manage/events/", event_views.event_list, name="events"),
    path("<slug:slug>/manage/events/new/", event_views.event_new, name="event_new"),
    path("<slug:slug>/manage/events/<id:pk>/edit/", event_views.event_edit, name="event_edit"),
    path(
        "<slug:slug>/manage/events/<id:pk>/cancel/", event_views.event_cancel, name="event_cancel"
    ),
    path(
        "<slug:slug>/manage/events/<id:pk>/roster/", event_views.event_roster, name="event_roster"
    ),
    path(
        "<slug:slug>/manage/announcements/new/",
        announcement_views.announcement_new,
        name="announcement_new",
    ),
    path(
        "<slug:slug>/announcements/<id:pk>/",
        announcement_views.announcement_detail,
        name="announcement",
    ),
    # -- leaders: recommendations (recommendation_views) --
    path(
        "<slug:slug>/manage/recommendations/",
        recommendation_views.drafts,
        name="recommendation_drafts",
    ),
    path(
        "<slug:slug>/manage/recommendations/new/",
        recommendation_views.new,
        name="recommendation_new",
    ),
    path(
        "<slug:slug>/manage/recommendations/<id:pk>/edit/",
        recommendation_views.edit,
        name="recommendation_edit",
    ),
    path(
        "<slug:slug>/manage/recommendations/<id:pk>/submit/",
        recommendation_views.submit,
        name="recommendation_submit",
    ),
    path(
        "<slug:slug>/manage/recommendations/<id:pk>/delete/",
        recommendation_views.delete,
        name="recommendation_delete",
    ),
    # -- sharing an experience, moderation (experience_views) --
    path("<slug:slug>/share/", experience_views.share, name="share"),
    path("<slug:slug>/share/thanks/", experience_views.share_thanks, name="share_thanks"),
    path(
        "<slug:slug>/manage/experiences/",
        experience_views.experience_list,
        name="experiences",
    ),
    path(
        # A random id (a UUID), never a number that tells the order of sharing.
        "<slug:slug>/manage/experiences/<uuid:pk>/",
        experience_views.experience_detail,
        name="experience",
    ),
]

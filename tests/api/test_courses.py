"""GET /api/v1/courses and /api/v1/courses/{slug}: the catalog with objectives and the
upcoming sessions the caller may see."""

import datetime

import pytest
from django.utils import timezone

from belong.events.models import Event, Registration
from tests.builders import bearer, event_row, make_course, make_registration, token_for

pytestmark = pytest.mark.django_db


def test_list_is_public_and_paginated(client):
    make_course("a", order=1)
    make_course("b", order=2)
    make_course("c", order=3)
    body = client.get("/api/v1/courses?limit=2&offset=1").json()
    assert body["count"] == 3
    assert [item["slug"] for item in body["items"]] == ["b", "c"]


def test_detail_has_objectives_flags_and_upcoming_sessions(client):
    course = make_course(
        "implicit-bias",
        title="Implicit Bias",
        objectives=["Define implicit bias", "Name three strategies"],
        foundational=True,
        recorded=False,
        duration_minutes=90,
        formats="Virtual",
    )
    soon = event_row(host=course, days=2, kind=Event.Kind.SESSION, capacity=10, minimum=6)
    event_row(host=course, days=-2, kind=Event.Kind.SESSION)  # past
    event_row(host=course, days=4, status=Event.Status.CANCELLED)
    event_row(host=course, days=5, visibility=Event.Visibility.ORGANIZATION)
    event_row(days=2)  # another host's

    response = client.get("/api/v1/courses/implicit-bias")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Implicit Bias"
    assert body["objectives"] == ["Define implicit bias", "Name three strategies"]
    assert body["foundational"] is True
    assert body["recorded"] is False
    assert body["duration_minutes"] == 90
    assert [s["id"] for s in body["upcoming_sessions"]] == [soon.pk]
    session = body["upcoming_sessions"][0]
    assert session["capacity"] == 10
    assert session["seats_left"] == 10
    assert session["minimum"] == 6
    assert session["online_join_details"] is None


def test_signed_in_callers_also_see_organization_sessions(client, alice):
    course = make_course("c")
    event_row(host=course, days=2, visibility=Event.Visibility.ORGANIZATION)
    assert client.get("/api/v1/courses/c").json()["upcoming_sessions"] == []
    body = client.get("/api/v1/courses/c", **bearer(token_for(alice))).json()
    assert len(body["upcoming_sessions"]) == 1


def test_unknown_slug_is_404(client, db):
    response = client.get("/api/v1/courses/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "No course with the slug “nope”.", "errors": {}}


def test_session_times_carry_the_installation_offset(client):
    course = make_course("c")
    event = event_row(host=course, days=2)
    start = client.get("/api/v1/courses/c").json()["upcoming_sessions"][0]["start"]
    parsed = datetime.datetime.fromisoformat(start)
    assert parsed.utcoffset() == timezone.localtime(event.start).utcoffset()
    assert abs(parsed - event.start) < datetime.timedelta(milliseconds=1)  # JSON keeps ms


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_query_budget(client, alice, signed_in, django_assert_max_num_queries):
    for i in range(10):
        make_course(f"course-{i}", objectives=["one", "two"], sessions=3)
    headers = bearer(token_for(alice)) if signed_in else {}
    # (token, last-used write,) count, courses, objectives, sessions
    with django_assert_max_num_queries(6 if signed_in else 4):
        response = client.get("/api/v1/courses", **headers)
    body = response.json()
    assert body["count"] == 10
    assert all(len(item["upcoming_sessions"]) == 3 for item in body["items"])


def test_retired_courses_are_neither_listed_nor_found(client):
    make_course("offered")
    make_course("retired", is_active=False)
    body = client.get("/api/v1/courses").json()
    assert [item["slug"] for item in body["items"]] == ["offered"]
    assert body["count"] == 1
    assert client.get("/api/v1/courses/retired").status_code == 404


def test_upcoming_sessions_show_seats_left_and_what_the_caller_may_see(client, alice, bob):
    course = make_course("c")
    open_session = event_row(host=course, days=2, kind=Event.Kind.SESSION, capacity=3)
    make_registration(open_session, bob)
    make_registration(open_session, alice, Registration.State.WAITLISTED)
    private = event_row(
        host=course,
        days=3,
        kind=Event.Kind.SESSION,
        visibility=Event.Visibility.INVITATION,
        invitation_code="abc",
    )
    visitor = client.get("/api/v1/courses/c").json()["upcoming_sessions"]
    assert [(s["id"], s["seats_left"], s["waitlist_count"]) for s in visitor] == [
        (open_session.pk, 2, 1)
    ]
    # Invited (registered), bob sees the private session too; alice does not.
    make_registration(private, bob)
    bobs = client.get("/api/v1/courses/c", **bearer(token_for(bob))).json()["upcoming_sessions"]
    assert [s["id"] for s in bobs] == [open_session.pk, private.pk]
    assert bobs[0]["registration_state"] == "registered"
    alices = client.get("/api/v1/courses/c", **bearer(token_for(alice))).json()
    assert [s["id"] for s in alices["upcoming_sessions"]] == [open_session.pk]

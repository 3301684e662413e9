"""GET /api/v1/me and /api/v1/me/registrations: the caller's own, and only theirs."""

import datetime

import pytest

from belong.events.models import Event, Registration
from belong.people.models import OrgUnit
from tests.api.factories import bearer, make_course, make_event, register, token_for

pytestmark = pytest.mark.django_db


def test_me_is_my_profile(client, alice):
    institution = OrgUnit.objects.create(name="U", slug="u", kind=OrgUnit.Kind.INSTITUTION)
    campus = OrgUnit.objects.create(
        name="Twin Cities", slug="twin-cities", kind=OrgUnit.Kind.CAMPUS, parent=institution
    )
    alice.preferred_name = "Ali"
    alice.pronouns = "she/her"
    alice.credentials = "MEd"
    alice.campus = campus
    alice.save()
    body = client.get("/api/v1/me", **bearer(token_for(alice))).json()
    assert body["email"] == "alice@example.org"
    assert body["full_name"] == "Alice Member"
    assert body["preferred_name"] == "Ali"
    assert body["display_name"] == "Ali, MEd"
    assert body["pronouns"] == "she/her"
    assert body["campus"] == {"slug": "twin-cities", "name": "Twin Cities"}
    assert body["org_unit"] is None
    assert body["kind"] == "staff"
    assert body["language"] == "en"
    datetime.datetime.fromisoformat(body["date_joined"])
    assert "password" not in body and "is_staff" not in body


def test_me_anonymous_is_401(client, db):
    for path in ("/api/v1/me", "/api/v1/me/registrations"):
        response = client.get(path)
        assert response.status_code == 401
        assert set(response.json()) == {"detail", "errors"}


def test_my_registrations_are_mine_only(client, alice, bob):
    course = make_course("c")
    first = make_event(days=2, host=course, online_join_details="https://meet.example.org/1")
    second = make_event(days=5)
    register(first, alice)
    register(second, alice, Registration.State.CANCELLED)
    register(first, bob)
    body = client.get("/api/v1/me/registrations", **bearer(token_for(alice))).json()
    assert body["count"] == 2
    first_item, second_item = body["items"]
    assert first_item["event"]["id"] == first.pk
    assert first_item["state"] == "registered"
    assert first_item["waitlist_position"] is None
    assert first_item["event"]["online_join_details"] == "https://meet.example.org/1"
    assert first_item["event"]["host"]["slug"] == "c"
    assert second_item["event"]["id"] == second.pk
    assert second_item["state"] == "cancelled"
    datetime.datetime.fromisoformat(first_item["registered_at"])


def test_waitlist_position(client, alice, bob, carol, dave):
    event = make_event(capacity=1)
    register(event, dave)
    register(event, bob, Registration.State.WAITLISTED)
    register(event, carol, Registration.State.WAITLISTED)
    register(event, alice, Registration.State.WAITLISTED)
    item = client.get("/api/v1/me/registrations", **bearer(token_for(alice))).json()["items"][0]
    assert item["state"] == "waitlisted"
    assert item["waitlist_position"] == 3
    assert item["event"]["waitlist_count"] == 3
    assert item["event"]["seats_left"] == 0
    assert item["event"]["online_join_details"] is None


def test_my_registrations_include_events_no_longer_listed(client, alice):
    """My own registration to an invitation-only or past event is still mine to see."""
    event = make_event(days=-10, visibility=Event.Visibility.INVITATION)
    register(event, alice, Registration.State.ATTENDED)
    body = client.get("/api/v1/me/registrations", **bearer(token_for(alice))).json()
    assert [item["event"]["id"] for item in body["items"]] == [event.pk]


def test_my_registrations_pagination(client, alice):
    for days in range(1, 8):
        register(make_event(days=days), alice)
    headers = bearer(token_for(alice))
    body = client.get("/api/v1/me/registrations?limit=3&offset=3", **headers).json()
    assert body["count"] == 7
    assert len(body["items"]) == 3
    response = client.get("/api/v1/me/registrations?limit=1000", **headers)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]


def test_my_registrations_query_budget(client, alice, bob, django_assert_max_num_queries):
    course = make_course("c")
    for days in range(1, 13):
        event = make_event(days=days, host=course if days % 2 else None, capacity=5)
        register(event, bob)
        register(event, alice, Registration.State.WAITLISTED if days % 3 else "registered")
    headers = bearer(token_for(alice))
    # token, last-used write, count, registrations, events, courses (+ content types, once)
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/me/registrations", **headers).json()
    assert body["count"] == 12

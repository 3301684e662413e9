"""GET /api/v1/me and /api/v1/me/registrations: the caller's own, and only theirs."""

import datetime

import pytest
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.people.models import OrgUnit
from tests.builders import bearer, event_row, make_course, make_registration, token_for

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
    first = event_row(days=2, host=course, online_join_details="https://meet.example.org/1")
    second = event_row(days=5)
    make_registration(first, alice)
    make_registration(second, alice, Registration.State.CANCELLED)
    make_registration(first, bob)
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
    event = event_row(capacity=1, kind=Event.Kind.SESSION)
    make_registration(event, dave)
    make_registration(event, bob, Registration.State.WAITLISTED)
    make_registration(event, carol, Registration.State.WAITLISTED)
    make_registration(event, alice, Registration.State.WAITLISTED)
    item = client.get("/api/v1/me/registrations", **bearer(token_for(alice))).json()["items"][0]
    assert item["state"] == "waitlisted"
    assert item["waitlist_position"] == 3
    assert item["event"]["waitlist_count"] == 3
    assert item["event"]["seats_left"] == 0
    assert item["event"]["online_join_details"] is None


def test_my_registrations_include_events_no_longer_listed(client, alice):
    """My own registration to an invitation-only or past event is still mine to see."""
    event = event_row(days=-10, visibility=Event.Visibility.INVITATION)
    make_registration(event, alice, Registration.State.ATTENDED)
    body = client.get("/api/v1/me/registrations", **bearer(token_for(alice))).json()
    assert [item["event"]["id"] for item in body["items"]] == [event.pk]


def test_my_registrations_pagination(client, alice):
    for days in range(1, 8):
        make_registration(event_row(days=days), alice)
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
        event = event_row(days=days, host=course if days % 2 else None, capacity=5)
        make_registration(event, bob)
        make_registration(event, alice, Registration.State.WAITLISTED if days % 3 else "registered")
    headers = bearer(token_for(alice))
    # token, last-used write, count, registrations, events, courses (+ content types, once)
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/me/registrations", **headers).json()
    assert body["count"] == 12


def test_my_registrations_show_prework_done_and_the_event_summary(client, alice):
    course = make_course("c")
    event = event_row(days=4, host=course, capacity=8, minimum=6, kind=Event.Kind.SESSION)
    registration = make_registration(event, alice)
    done = timezone.now() - datetime.timedelta(hours=1)
    Registration.objects.filter(pk=registration.pk).update(prework_done_at=done)
    item = client.get("/api/v1/me/registrations", **bearer(token_for(alice))).json()["items"][0]
    shown = datetime.datetime.fromisoformat(item["prework_done_at"])
    assert abs(shown - done) < datetime.timedelta(milliseconds=1)
    summary = item["event"]
    assert (summary["id"], summary["title"], summary["kind"]) == (event.pk, event.title, "session")
    assert (summary["capacity"], summary["seats_left"], summary["minimum"]) == (8, 7, 6)
    assert summary["status"] == "scheduled"
    assert summary["registration_state"] == "registered"
    assert summary["host"] == {"type": "course", "slug": "c", "name": "C"}


def test_waitlist_position_follows_when_the_seat_was_asked_for(client, alice, bob, carol):
    """Cancelling and asking again puts a person at the back of the waitlist, even though the
    registration row is older than the others (as belong.events.actions orders it)."""
    event = event_row(capacity=1, kind=Event.Kind.SESSION)
    make_registration(event, carol)
    headers = bearer(token_for(alice))
    path = f"/api/v1/events/{event.pk}/registration"
    client.put(path, **headers)  # waitlisted first
    client.put(path, **bearer(token_for(bob)))  # second
    assert client.delete(path, **headers).status_code == 204
    assert client.put(path, **headers).json()["waitlist_position"] == 2
    item = client.get("/api/v1/me/registrations", **headers).json()["items"][0]
    assert (item["state"], item["waitlist_position"]) == ("waitlisted", 2)
    bobs = client.get("/api/v1/me/registrations", **bearer(token_for(bob))).json()["items"][0]
    assert bobs["waitlist_position"] == 1

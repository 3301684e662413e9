"""GET /api/v1/events/{id}/roster: for the people who run the event only (403 for anyone else
who can see it, 404 for who cannot), with names, emails, states, waitlist positions and
pre-work, at a cost that does not grow with the roster."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.people.models import Person
from tests.builders import bearer, event_row, make_registration, session_row, token_for

pytestmark = pytest.mark.django_db

State = Registration.State


def roster(client, event, person=None, query=""):
    headers = bearer(token_for(person)) if person is not None else {}
    return client.get(f"/api/v1/events/{getattr(event, 'pk', event)}/roster{query}", **headers)


def people(n, start=0):
    return [
        Person.objects.create_user(email=f"p{i}@example.org", full_name=f"Person {i}")
        for i in range(start, start + n)
    ]


def test_the_coordinator_sees_the_roster(client, alice, bob, carol, dave):
    event = session_row(capacity=2)
    done = timezone.now() - datetime.timedelta(hours=2)
    mine = make_registration(event, alice)
    Registration.objects.filter(pk=mine.pk).update(prework_done_at=done)
    make_registration(event, bob)
    waiting = make_registration(event, dave, State.WAITLISTED)
    make_registration(
        event, Person.objects.create_user(email="x@example.org", full_name="X"), "cancelled"
    )
    alice.preferred_name, alice.credentials = "Ali", "MEd"
    alice.save()
    response = roster(client, event, carol)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3  # not the cancelled one
    first, second, third = body["items"]
    assert first["id"] == mine.pk
    assert first["person"] == {"name": "Ali, MEd", "email": "alice@example.org"}
    assert first["state"] == "registered"
    assert first["waitlist_position"] is None
    shown = datetime.datetime.fromisoformat(first["prework_done_at"])
    assert abs(shown - done) < datetime.timedelta(milliseconds=1)  # JSON keeps milliseconds
    assert second["person"]["email"] == "bob@example.org"
    assert second["prework_done_at"] is None
    assert third["id"] == waiting.pk
    assert (third["state"], third["waitlist_position"]) == ("waitlisted", 1)
    assert set(first) == {
        "id",
        "person",
        "state",
        "waitlist_position",
        "requested_at",
        "prework_done_at",
        "attendance_marked_at",
    }


def test_seat_holders_first_then_the_waitlist_in_its_order(client, carol):
    event = session_row(capacity=1)
    a, b, c, d = people(4)
    now = timezone.now()
    # Requested in the order d, c, b: the waitlist follows requested_at, not creation.
    make_registration(event, a)
    for minutes, person in ((3, b), (2, c), (1, d)):
        Registration.objects.create(
            event=event,
            person=person,
            state=State.WAITLISTED,
            requested_at=now - datetime.timedelta(minutes=minutes),
        )
    items = roster(client, event, carol).json()["items"]
    assert [(i["person"]["email"], i["waitlist_position"]) for i in items] == [
        ("p0@example.org", None),
        ("p1@example.org", 1),
        ("p2@example.org", 2),
        ("p3@example.org", 3),
    ]


def test_filter_by_state(client, alice, bob, carol):
    event = session_row()
    make_registration(event, alice)
    make_registration(event, bob, State.CANCELLED)
    body = roster(client, event, carol, "?state=cancelled").json()
    assert [item["person"]["email"] for item in body["items"]] == ["bob@example.org"]
    assert roster(client, event, carol, "?state=waitlisted").json() == {"items": [], "count": 0}
    response = roster(client, event, carol, "?state=everyone")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["state"]


def test_pagination(client, carol):
    event = session_row()
    for person in people(5):
        make_registration(event, person)
    body = roster(client, event, carol, "?limit=2&offset=4").json()
    assert body["count"] == 5
    assert len(body["items"]) == 1


@pytest.mark.parametrize("who", ["frank", "facilitator"])
def test_administrators_and_the_events_facilitators_see_it(client, frank, bob, alice, who):
    event = event_row(kind=Event.Kind.COLLECTIVE)
    make_registration(event, alice)
    if who == "facilitator":
        event.facilitators.add(bob)
    person = frank if who == "frank" else bob
    assert roster(client, event, person).json()["count"] == 1


def test_someone_who_can_see_the_event_but_not_run_it_gets_403(client, alice, bob, carol):
    event = session_row()
    make_registration(event, alice)
    for person in (alice, bob):  # a registrant, and someone else signed in
        response = roster(client, event, person)
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Only the people who run this event may do this.",
            "errors": {},
        }
    # A training coordinator runs sessions and lectures, not a collective's events.
    collective_event = event_row(kind=Event.Kind.COLLECTIVE)
    assert roster(client, collective_event, carol).status_code == 403


def test_an_invitation_only_event_is_404_for_outsiders_and_there_for_its_coordinator(
    client, alice, bob, carol
):
    event = session_row(visibility=Event.Visibility.INVITATION, invitation_code="abc")
    make_registration(event, bob)
    response = roster(client, event, alice)
    assert response.status_code == 404
    assert response.json() == {"detail": f"No event with the id {event.pk}.", "errors": {}}
    # Bob is registered and sees the event: too low a role.
    assert roster(client, event, bob).status_code == 403
    assert roster(client, event, carol).json()["count"] == 1


def test_a_visitor_is_401(client, db):
    event = session_row()
    assert roster(client, event).status_code == 401


def test_the_session_works_too(client, carol):
    event = session_row()
    client.force_login(carol)
    assert client.get(f"/api/v1/events/{event.pk}/roster").status_code == 200


@pytest.mark.parametrize(("value", "status"), [("424242", 404), ("0", 404), ("abc", 422)])
def test_unknown_or_invalid_ids(client, carol, value, status):
    assert roster(client, value, carol).status_code == status


def test_post_is_405(client, carol):
    event = session_row()
    response = client.post(f"/api/v1/events/{event.pk}/roster", **bearer(token_for(carol)))
    assert response.status_code == 405


def count_queries(client, path, headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_query_budget_is_constant_in_rows(client, carol, bob, who, django_assert_max_num_queries):
    event = session_row(capacity=5)
    event.facilitators.add(bob)
    manager = carol if who == "coordinator" else bob
    headers = bearer(token_for(manager))
    path = f"/api/v1/events/{event.pk}/roster"
    for person in people(2):
        make_registration(event, person)
    client.get(path, **headers)  # the token's first use writes last_used_at
    few = count_queries(client, path, headers)
    for i, person in enumerate(people(30, start=100)):
        make_registration(event, person, State.WAITLISTED if i % 2 else State.REGISTERED)
    many = count_queries(client, path, headers)
    assert many == few
    # token, event, roles (, facilitators), count, registrations with people
    with django_assert_max_num_queries(6):
        assert client.get(path, **headers).json()["count"] == 32

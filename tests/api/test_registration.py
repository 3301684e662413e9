"""PUT and DELETE /api/v1/events/{id}/registration: register me, cancel; the actions' rules and
refusals, answered in the API's shapes."""

import datetime

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from belong.events.models import Event, Registration
from tests.builders import bearer, make_registration, session_row, token_for

pytestmark = pytest.mark.django_db

State = Registration.State


def path(event):
    return f"/api/v1/events/{getattr(event, 'pk', event)}/registration"


def put(client, event, person, body=None, **extra):
    headers = bearer(token_for(person)) if person is not None else {}
    if body is None:
        return client.put(path(event), **headers, **extra)
    return client.put(path(event), data=body, content_type="application/json", **headers, **extra)


def delete(client, event, person):
    headers = bearer(token_for(person)) if person is not None else {}
    return client.delete(path(event), **headers)


def assert_refused(response, status, field, message):
    assert response.status_code == status, response.content
    assert response.json() == {"detail": message, "errors": {field: [message]}}


# --- registering ---------------------------------------------------------------------------------


def test_register_gives_a_seat_201(client, alice):
    event = session_row(capacity=10, online_join_details="https://meet.example.org/room")
    response = put(client, event, alice)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True
    assert body["state"] == "registered"
    assert body["waitlist_position"] is None
    assert body["prework_done_at"] is None
    assert body["event"]["id"] == event.pk
    assert body["event"]["seats_left"] == 9
    assert body["event"]["registration_state"] == "registered"
    assert body["event"]["online_join_details"] == "https://meet.example.org/room"
    datetime.datetime.fromisoformat(body["registered_at"])
    assert Registration.objects.get(event=event, person=alice).state == State.REGISTERED


def test_register_twice_is_harmless(client, alice):
    event = session_row(capacity=10)
    assert put(client, event, alice).status_code == 201
    again = put(client, event, alice)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["state"] == "registered"
    assert Registration.objects.filter(event=event, person=alice).count() == 1
    assert again.json()["event"]["seats_left"] == 9


def test_a_full_event_puts_me_on_the_waitlist_with_my_position(client, alice, bob, carol, dave):
    event = session_row(capacity=1)
    assert put(client, event, dave).json()["state"] == "registered"
    first = put(client, event, bob).json()
    second = put(client, event, alice).json()
    assert (first["state"], first["waitlist_position"]) == ("waitlisted", 1)
    assert (second["state"], second["waitlist_position"]) == ("waitlisted", 2)
    assert second["event"]["waitlist_count"] == 2
    assert second["event"]["online_join_details"] is None
    # Asking again tells the same position and changes nothing.
    again = put(client, event, alice)
    assert again.status_code == 200
    assert (again.json()["waitlist_position"], again.json()["created"]) == (2, False)


def test_registering_again_after_cancelling_goes_to_the_back_of_the_waitlist(
    client, alice, bob, carol
):
    event = session_row(capacity=1)
    put(client, event, carol)
    put(client, event, alice)
    put(client, event, bob)
    assert delete(client, event, alice).status_code == 204
    response = put(client, event, alice)
    assert response.status_code == 201
    assert response.json()["created"] is True
    assert response.json()["waitlist_position"] == 2  # behind bob now


def test_an_empty_json_body_or_null_is_fine(client, alice):
    event = session_row()
    assert put(client, event, alice, body={}).status_code == 201
    other = session_row()
    assert put(client, other, alice, body="null").status_code == 201


def test_registering_queues_the_confirmation_mail(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    event = session_row(title="Allyship in practice")
    with django_capture_on_commit_callbacks(execute=True):
        assert put(client, event, alice).status_code == 201
    assert [message.to for message in mailoutbox] == [["alice@example.org"]]
    assert "Allyship in practice" in mailoutbox[0].subject + mailoutbox[0].body


# --- refusals: the action's message, its field and status, nothing changed ---------------------


def test_a_cancelled_event_is_409(client, alice):
    event = session_row(status=Event.Status.CANCELLED)
    assert_refused(put(client, event, alice), 409, "event", "This session has been cancelled.")
    assert not Registration.objects.exists()


def test_a_started_event_is_409(client, alice):
    event = session_row(days=-1, hours=48)  # started yesterday, still running
    assert_refused(put(client, event, alice), 409, "event", "This session has already started.")
    assert not Registration.objects.exists()


def test_a_closed_registration_window_is_409(client, alice):
    closed = timezone.now() - datetime.timedelta(hours=1)
    event = session_row(registration_closes_at=closed)
    response = put(client, event, alice)
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Registration closed on ")
    assert body["errors"] == {"event": [body["detail"]]}
    assert not Registration.objects.exists()


def test_a_window_not_open_yet_is_409(client, alice):
    event = session_row(registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    response = put(client, event, alice)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Registration opens on ")
    assert not Registration.objects.exists()


def test_invitation_only_needs_the_code(client, alice):
    event = session_row(visibility=Event.Visibility.INVITATION, invitation_code="the-Right_code1")
    # Without the code, or with a wrong one, the event is not there for this caller.
    for body in (None, {"invitation_code": ""}, {"invitation_code": "wrong-code"}):
        response = put(client, event, alice, body=body)
        assert response.status_code == 404, body
        assert response.json() == {"detail": f"No event with the id {event.pk}.", "errors": {}}
    assert not Registration.objects.exists()
    response = put(client, event, alice, body={"invitation_code": "the-Right_code1"})
    assert response.status_code == 201
    assert response.json()["event"]["visibility"] == "invitation"
    # Registered, the caller sees the event and may ask again without the code.
    headers = bearer(token_for(alice))
    assert client.get(f"/api/v1/events/{event.pk}", **headers).status_code == 200
    assert put(client, event, alice).status_code == 200


def test_the_actions_invitation_refusal_is_a_403_naming_the_code(client, carol):
    """Someone who may see an invitation-only session without an invitation (its coordinator)
    still needs the code to register: the action refuses, 403 with the field ``code``."""
    event = session_row(visibility=Event.Visibility.INVITATION, invitation_code="abc")
    assert_refused(
        put(client, event, carol),
        403,
        "code",
        "This session is by invitation only. Use the link in your invitation.",
    )
    assert not Registration.objects.exists()


def test_visibility_is_decided_under_the_lock_with_the_seat(client, alice, monkeypatch):
    """No look-up before the action: what the caller may see is decided under the event's lock,
    from the rows the decision reads, so a registration cancelled meanwhile cannot slip between
    a check and the decision. If the rule says the caller may see it, the action's own
    invitation refusal answers."""
    event = session_row(visibility=Event.Visibility.INVITATION, invitation_code="abc")
    seen = []

    def can_see(person, event, **kwargs):
        seen.append((person, event.pk, kwargs))
        return True

    monkeypatch.setattr("belong.events.access.can_see", can_see)
    assert_refused(
        put(client, event, alice),
        403,
        "code",
        "This session is by invitation only. Use the link in your invitation.",
    )
    assert seen == [(alice, event.pk, {"registration": None, "invitation_code": ""})]
    assert not Registration.objects.exists()


def test_a_cancelled_registration_does_not_open_an_invitation_only_event(client, alice):
    event = session_row(visibility=Event.Visibility.INVITATION, invitation_code="abc")
    make_registration(event, alice, State.CANCELLED)
    response = put(client, event, alice)
    assert response.status_code == 404
    assert response.json() == {"detail": f"No event with the id {event.pk}.", "errors": {}}
    assert Registration.objects.get().state == State.CANCELLED
    # With the code it may register again.
    response = put(client, event, alice, body={"invitation_code": "abc"})
    assert response.status_code == 201
    assert Registration.objects.get().state == State.REGISTERED


def test_a_refusal_on_an_invitation_only_event_is_404_for_outsiders(client, alice):
    """A cancelled (or started) invitation-only event is not revealed by its refusal."""
    event = session_row(
        visibility=Event.Visibility.INVITATION,
        invitation_code="abc",
        status=Event.Status.CANCELLED,
    )
    assert put(client, event, alice).status_code == 404
    assert_refused(
        put(client, event, alice, body={"invitation_code": "abc"}),
        409,
        "event",
        "This session has been cancelled.",
    )


@pytest.mark.parametrize("code", ["has space", "semi;colon", "x" * 65, "ü"], ids=repr)
def test_an_invitation_code_that_cannot_be_one_is_422(client, alice, code):
    event = session_row()
    response = put(client, event, alice, body={"invitation_code": code})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["invitation_code"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2", '{"invitation_code": 5}', "[]", '"x"'])
def test_a_body_that_is_not_valid_is_4xx_in_the_shape(client, alice, body):
    event = session_row()
    response = put(client, event, alice, body=body)
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"detail", "errors"}
    assert not Registration.objects.exists()


def test_busy_is_503_with_retry_after(client, alice, monkeypatch):
    event = session_row()

    def locked(event_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr("belong.events.actions._lock", locked)
    response = put(client, event, alice)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {
        "detail": "This session is very busy right now. Nothing was changed: please try again.",
        "errors": {},
    }
    assert not Registration.objects.exists()


# --- who may call --------------------------------------------------------------------------------


def test_a_visitor_is_401(client, db):
    event = session_row()
    for response in (put(client, event, None), delete(client, event, None)):
        assert response.status_code == 401
        assert response.json()["detail"] == (
            "Authentication required: send a bearer token or sign in."
        )
    assert not Registration.objects.exists()


def test_an_unknown_token_is_401(client, db):
    event = session_row()
    response = client.put(path(event), **bearer("blg_nope"))
    assert response.status_code == 401


@pytest.mark.parametrize("unknown", ["0", "-3", "424242"])
def test_an_unknown_event_is_404(client, alice, unknown):
    assert put(client, unknown, alice).status_code == 404
    assert delete(client, unknown, alice).status_code == 404


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999999"])
def test_an_id_that_cannot_be_one_is_422(client, alice, bad):
    response = put(client, bad, alice)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["id"]


def test_an_organization_event_is_for_signed_in_people(client, dave):
    event = session_row(visibility=Event.Visibility.ORGANIZATION)
    assert put(client, event, dave).status_code == 201


def test_the_session_needs_the_csrf_token(alice):
    event = session_row(capacity=5)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    for method in (browser.put, browser.delete):
        response = method(path(event))
        assert response.status_code == 403
        assert response.json() == {
            "detail": "CSRF check failed: send the X-CSRFToken header with a session.",
            "errors": {},
        }
    assert not Registration.objects.exists()
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    assert browser.put(path(event), HTTP_X_CSRFTOKEN=secret).status_code == 201
    assert browser.delete(path(event), HTTP_X_CSRFTOKEN=secret).status_code == 204


def test_a_bearer_token_needs_no_csrf_token(alice):
    event = session_row()
    browser = Client(enforce_csrf_checks=True)
    assert browser.put(path(event), **bearer(token_for(alice))).status_code == 201
    assert browser.delete(path(event), **bearer(token_for(alice))).status_code == 204


def test_get_and_post_are_405(client, alice):
    event = session_row()
    headers = bearer(token_for(alice))
    for method in (client.get, client.post, client.patch):
        response = method(path(event), **headers)
        assert response.status_code == 405
        assert set(response["Allow"].replace(" ", "").split(",")) == {"PUT", "DELETE"}


# --- cancelling ----------------------------------------------------------------------------------


def test_cancel_is_204_and_promotes_the_first_on_the_waitlist(client, alice, bob, carol):
    event = session_row(capacity=1)
    put(client, event, alice)
    put(client, event, bob)
    put(client, event, carol)
    response = delete(client, event, alice)
    assert response.status_code == 204
    assert response.content == b""
    states = dict(Registration.objects.filter(event=event).values_list("person__email", "state"))
    assert states == {
        "alice@example.org": State.CANCELLED,
        "bob@example.org": State.REGISTERED,
        "carol@example.org": State.WAITLISTED,
    }
    mine = client.get("/api/v1/me/registrations", **bearer(token_for(carol))).json()
    assert mine["items"][0]["waitlist_position"] == 1


def test_cancel_without_a_registration_is_404(client, alice, bob):
    event = session_row()
    make_registration(event, bob)
    response = delete(client, event, alice)
    assert response.status_code == 404
    assert response.json() == {"detail": "You have no registration for this event.", "errors": {}}
    assert Registration.objects.get().state == State.REGISTERED  # bob's, untouched


def test_cancelling_twice_is_404_the_second_time(client, alice):
    event = session_row()
    put(client, event, alice)
    assert delete(client, event, alice).status_code == 204
    assert delete(client, event, alice).status_code == 404


def test_cancel_after_the_start_is_409(client, alice):
    event = session_row(days=-1, hours=48)
    make_registration(event, alice)
    assert_refused(
        delete(client, event, alice),
        409,
        "event",
        "This session has already started. Please tell the facilitator instead.",
    )
    assert Registration.objects.get().state == State.REGISTERED


def test_cancel_after_attendance_is_409(client, alice):
    event = session_row(days=-2)
    make_registration(event, alice, State.ATTENDED)
    assert_refused(
        delete(client, event, alice),
        409,
        "event",
        "Attendance has been recorded for this session: it cannot be cancelled.",
    )


def test_cancel_on_an_invitation_only_event_i_am_registered_for(client, alice, bob):
    event = session_row(visibility=Event.Visibility.INVITATION, invitation_code="abc")
    make_registration(event, alice)
    assert delete(client, event, bob).status_code == 404  # bob cannot see it
    assert delete(client, event, alice).status_code == 204


# --- what a registration costs ------------------------------------------------------------------

# The token (and, at its first use in a minute, its last use), the savepoint, the event lock,
# one count of the event's registrations (with the caller's own), the row, its audit entry, the
# course and its pre-work files for the mail, the outbox row, the release; the answer needs no
# query of its own. (The delivery task's row is written after the commit, which tests do not
# reach.) On PostgreSQL the lock also sets its timeout: one more.
REGISTER_QUERIES = 11


def register_queries():
    from django.db import connection

    return REGISTER_QUERIES + (connection.vendor == "postgresql")


def test_registering_costs_a_fixed_number_of_queries(
    client, alice, bob, carol, dave, django_assert_max_num_queries
):
    event = session_row(capacity=2, place="Room 1", campus=None)
    secret = {person: token_for(person) for person in (alice, bob, carol, dave)}
    for person in (alice, bob, carol):  # a seat, a seat, the waitlist
        with django_assert_max_num_queries(register_queries()):
            response = client.put(path(event), **bearer(secret[person]))
        assert response.status_code == 201
    with django_assert_max_num_queries(register_queries()):  # asking again
        assert client.put(path(event), **bearer(secret[alice])).status_code == 200


def test_the_cost_of_registering_does_not_grow_with_the_registrations(client, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import new_people

    few, many = session_row(capacity=3), session_row(capacity=3)
    for person in new_people(40):
        make_registration(many, person, State.REGISTERED if person.pk % 2 else State.WAITLISTED)
    counts = []
    for event, person in ((few, alice), (many, bob)):
        secret = token_for(person)
        client.put(path(session_row(capacity=1)), **bearer(secret))  # the token's first use
        with CaptureQueriesContext(connection) as queries:
            assert client.put(path(event), **bearer(secret)).status_code == 201
        counts.append(len(queries))
    assert counts[0] == counts[1]

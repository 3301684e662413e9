"""POST /api/v1/events/{id}/attendance: the people who run an event mark who came, once it has
started; the action's refusals come back with its message."""

import pytest
from django.db import OperationalError
from django.test import Client

from belong.events.models import Event, Registration
from tests.builders import bearer, event_row, make_registration, session_row, token_for

pytestmark = pytest.mark.django_db

State = Registration.State


def mark(client, event, person, body, **extra):
    headers = bearer(token_for(person)) if person is not None else {}
    return client.post(
        f"/api/v1/events/{getattr(event, 'pk', event)}/attendance",
        data=body,
        content_type="application/json",
        **headers,
        **extra,
    )


def states(event):
    return dict(event.registrations.values_list("person__email", "state"))


def assert_refused(response, status, field, message):
    assert response.status_code == status, response.content
    assert response.json() == {"detail": message, "errors": {field: [message]}}


# Sessions are yesterday's (days=-1) unless a test says otherwise: attendance can be taken.


def test_the_coordinator_marks_attendance(client, alice, bob, carol, dave):
    event = session_row(days=-1)
    came = make_registration(event, alice)
    missed = make_registration(event, bob)
    make_registration(event, dave, State.WAITLISTED)
    response = mark(client, event, carol, {"attended": [came.pk], "no_show": [missed.pk]})
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 2}
    assert states(event) == {
        "alice@example.org": State.ATTENDED,
        "bob@example.org": State.NO_SHOW,
        "dave@example.org": State.WAITLISTED,
    }
    event.refresh_from_db()
    assert event.status == Event.Status.COMPLETED  # it has ended
    # The same again changes nothing; correcting one changes one.
    assert mark(client, event, carol, {"attended": [came.pk]}).json() == {"changed": 0}
    assert mark(client, event, carol, {"attended": [missed.pk]}).json() == {"changed": 1}
    roster = client.get(f"/api/v1/events/{event.pk}/roster", **bearer(token_for(carol))).json()
    assert {item["state"] for item in roster["items"]} == {"attended", "waitlisted"}


def test_an_empty_body_object_changes_nothing(client, carol):
    event = session_row(days=-1)
    assert mark(client, event, carol, {}).json() == {"changed": 0}


def test_a_facilitator_marks_attendance_for_their_own_event(client, alice, bob):
    event = event_row(kind=Event.Kind.COLLECTIVE, days=-1)
    event.facilitators.add(bob)
    came = make_registration(event, alice)
    assert mark(client, event, bob, {"attended": [came.pk]}).json() == {"changed": 1}


def test_before_the_start_is_409(client, alice, carol):
    event = session_row(days=2)
    came = make_registration(event, alice)
    assert_refused(
        mark(client, event, carol, {"attended": [came.pk]}),
        409,
        "event",
        "Attendance can be recorded once the session has started.",
    )
    assert states(event) == {"alice@example.org": State.REGISTERED}


def test_a_cancelled_event_is_409(client, alice, carol):
    event = session_row(days=-1, status=Event.Status.CANCELLED)
    came = make_registration(event, alice)
    assert_refused(
        mark(client, event, carol, {"attended": [came.pk]}),
        409,
        "event",
        "This session has been cancelled.",
    )


def test_present_and_absent_at_once_is_400(client, alice, carol):
    event = session_row(days=-1)
    came = make_registration(event, alice)
    assert_refused(
        mark(client, event, carol, {"attended": [came.pk], "no_show": [came.pk]}),
        400,
        "attendance",
        "A person cannot be both present and absent.",
    )
    assert states(event) == {"alice@example.org": State.REGISTERED}


def test_only_seat_holders_of_this_event_can_be_marked(client, alice, bob, dave, carol):
    event = session_row(days=-1)
    other = session_row(days=-1)
    make_registration(event, alice)
    waiting = make_registration(event, bob, State.WAITLISTED)
    elsewhere = make_registration(other, dave)
    for ids in ([waiting.pk], [elsewhere.pk], [987654]):
        assert_refused(
            mark(client, event, carol, {"attended": ids}),
            400,
            "attendance",
            "Only people registered for this session can be marked.",
        )
    assert states(event)["bob@example.org"] == State.WAITLISTED
    assert states(other) == {"dave@example.org": State.REGISTERED}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"attended": "all"}, "attended"),
        ({"attended": [0]}, "attended.0"),
        ({"no_show": [-1]}, "no_show.0"),
        ({"attended": [2**63]}, "attended.0"),
        ({"attended": [1.5]}, "attended.0"),
        ({"attended": [None]}, "attended.0"),
        ({"attended": list(range(1, 1002))}, "attended"),
        ([1, 2], "payload"),
        ("null", "payload"),
    ],
    ids=str,
)
def test_a_body_that_is_not_valid_is_422_naming_the_field(client, carol, alice, body, field):
    event = session_row(days=-1)
    make_registration(event, alice)
    response = mark(client, event, carol, body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(name == field or name.startswith(field) for name in errors), errors


def test_a_missing_or_unreadable_body_is_4xx(client, carol):
    event = session_row(days=-1)
    path = f"/api/v1/events/{event.pk}/attendance"
    headers = bearer(token_for(carol))
    empty = client.generic("POST", path, b"", content_type="application/json", **headers)
    assert empty.status_code == 422
    assert set(empty.json()) == {"detail", "errors"}
    form = client.post(path, data={"attended": "1"}, **headers)  # a form, not JSON
    assert form.status_code == 400
    assert set(form.json()) == {"detail", "errors"}


def test_busy_is_503(client, alice, carol, monkeypatch):
    event = session_row(days=-1)
    came = make_registration(event, alice)

    def locked(event_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr("belong.events.actions._lock", locked)
    response = mark(client, event, carol, {"attended": [came.pk]})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert states(event) == {"alice@example.org": State.REGISTERED}


def test_a_member_who_sees_the_event_gets_403(client, alice, bob):
    event = session_row(days=-1)
    came = make_registration(event, alice)
    for person in (alice, bob):
        response = mark(client, event, person, {"attended": [came.pk]})
        assert response.status_code == 403
    assert states(event) == {"alice@example.org": State.REGISTERED}


def test_an_outsider_to_an_invitation_only_event_gets_404(client, alice, dave, carol):
    event = session_row(days=-1, visibility=Event.Visibility.INVITATION, invitation_code="abc")
    came = make_registration(event, alice)
    assert mark(client, event, dave, {"attended": [came.pk]}).status_code == 404
    assert mark(client, event, carol, {"attended": [came.pk]}).json() == {"changed": 1}


def test_a_visitor_is_401(client, alice):
    event = session_row(days=-1)
    came = make_registration(event, alice)
    assert mark(client, event, None, {"attended": [came.pk]}).status_code == 401


def test_an_unknown_event_is_404(client, carol):
    assert mark(client, 424242, carol, {"attended": [1]}).status_code == 404


def test_the_session_needs_the_csrf_token(alice, carol):
    event = session_row(days=-1)
    came = make_registration(event, alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(carol)
    path = f"/api/v1/events/{event.pk}/attendance"
    body = {"attended": [came.pk]}
    response = browser.post(path, data=body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF check failed")
    assert states(event) == {"alice@example.org": State.REGISTERED}
    browser.cookies["csrftoken"] = "b" * 32
    response = browser.post(
        path, data=body, content_type="application/json", HTTP_X_CSRFTOKEN="b" * 32
    )
    assert response.json() == {"changed": 1}


def test_get_is_405(client, carol):
    event = session_row(days=-1)
    response = client.get(f"/api/v1/events/{event.pk}/attendance", **bearer(token_for(carol)))
    assert response.status_code == 405
    assert response["Allow"] == "POST"

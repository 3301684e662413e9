"""POST /events/<pk>/register, /cancel and /prework: each outcome, each refusal through the
page (its message, its status, nothing changed), busy, wrong method, visitors and outsiders."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.notifications.models import OutboundMessage
from tests.builders import event_page, make_event, new_people, text

pytestmark = pytest.mark.django_db
State = Registration.State


def register_url(pk):
    return f"/events/{pk}/register"


def cancel_url(pk):
    return f"/events/{pk}/cancel"


def prework_url(pk):
    return f"/events/{pk}/prework"


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def error_summary(body):
    start = body.index('class="error-summary"')
    return body[start : body.index("</div>", start)]


# --- registering --------------------------------------------------------------------------------


def test_registering_takes_a_seat_and_comes_back_to_the_page(client, alice):
    session = make_event(capacity=3)
    client.force_login(alice)
    response = client.post(register_url(session.pk))
    assert response.status_code == 302
    assert response["Location"] == event_page(session.pk)
    assert flashed(response) == [
        "You are registered. A calendar invitation is on its way by email."
    ]
    assert session.registrations.get().state == State.REGISTERED
    assert "You are registered." in text(client.get(response["Location"]))


def test_a_full_session_puts_the_person_on_the_waitlist_with_the_number(client, alice):
    session = make_event(capacity=1, minimum=0)
    for person in new_people(3):
        actions.register(session.pk, person=person)
    client.force_login(alice)
    response = client.post(register_url(session.pk))
    assert response.status_code == 302
    assert flashed(response) == ["This session is full. You are on the waitlist, number 3."]
    assert session.registrations.get(person=alice).state == State.WAITLISTED


def test_registering_twice_is_harmless_and_says_so(client, alice):
    session = make_event(capacity=3)
    client.force_login(alice)
    client.post(register_url(session.pk))
    response = client.post(register_url(session.pk))
    assert response.status_code == 302
    assert flashed(response)[-1] == "You are already registered for this session."
    assert session.registrations.count() == 1
    assert OutboundMessage.objects.filter(person=alice).count() == 1


def test_asking_twice_on_the_waitlist_keeps_the_place(client, alice, bob):
    session = make_event(capacity=1, minimum=0)
    actions.register(session.pk, person=bob)
    client.force_login(alice)
    client.post(register_url(session.pk))
    response = client.post(register_url(session.pk))
    assert flashed(response)[-1] == "You are already on the waitlist, number 1."


def refused_cases():
    now = timezone.now()
    return {
        "cancelled": ({}, "This session has been cancelled.", 409),
        "started": (
            {"start": now - datetime.timedelta(minutes=5)},
            "This session has already started.",
            409,
        ),
        "not open": (
            {"registration_opens_at": now + datetime.timedelta(days=1)},
            "Registration opens on",
            409,
        ),
        "closed": (
            {"registration_closes_at": now - datetime.timedelta(hours=1)},
            "Registration closed on",
            409,
        ),
    }


@pytest.mark.parametrize("case", ["cancelled", "started", "not open", "closed"])
def test_each_refusal_shows_its_message_with_its_status_and_changes_nothing(
    client, alice, carol, case
):
    fields, message, status = refused_cases()[case]
    session = make_event(**fields)
    if case == "cancelled":
        actions.cancel_event(session.pk, actor=carol, reason="Snow")
    before = OutboundMessage.objects.count()
    client.force_login(alice)

    response = client.post(register_url(session.pk))

    assert response.status_code == status
    body = text(response)
    assert "There is a problem" in body
    assert message in error_summary(body)
    assert "<title>Error:" in body
    assert not session.registrations.exists()
    assert OutboundMessage.objects.count() == before


def test_without_the_invitation_a_coordinator_is_refused_with_403(client, carol):
    """Coordinators see an invitation-only session without its code, but registering still
    needs the invitation."""
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(carol)
    response = client.post(register_url(private.pk))
    assert response.status_code == 403
    assert "This session is by invitation only." in error_summary(text(response))
    assert not private.registrations.exists()


def test_the_invitation_code_travels_in_the_form(client, alice):
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(alice)
    response = client.post(register_url(private.pk), {"code": private.invitation_code})
    assert response.status_code == 302
    assert response["Location"] == event_page(private.pk, private.invitation_code)
    assert private.registrations.get(person=alice).state == State.REGISTERED


def test_an_outsider_without_the_invitation_gets_404_and_nothing_changes(client, dave):
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(dave)
    for code in ("", "not-the-code"):
        assert client.post(register_url(private.pk), {"code": code}).status_code == 404
    assert not private.registrations.exists()


def test_busy_is_503_with_retry_after_and_nothing_changes(client, alice, monkeypatch):
    session = make_event()

    def busy(*args, **kwargs):
        raise actions.Busy()

    monkeypatch.setattr(actions, "register", busy)
    client.force_login(alice)
    response = client.post(register_url(session.pk))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "This session is very busy right now." in error_summary(text(response))
    assert not session.registrations.exists()


@pytest.mark.parametrize("url", [register_url, cancel_url, prework_url])
def test_get_is_not_allowed(client, alice, url):
    session = make_event()
    client.force_login(alice)
    assert client.get(url(session.pk)).status_code == 405
    client.logout()
    assert client.get(url(session.pk)).status_code == 405


@pytest.mark.parametrize("url", [register_url, cancel_url, prework_url])
def test_a_visitor_is_sent_to_sign_in_and_back_to_the_event(client, url):
    session = make_event()
    response = client.post(url(session.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next=/events/{session.pk}/"
    assert not Registration.objects.exists()


def test_a_visitor_with_an_invitation_returns_to_it_after_signing_in(client):
    private = make_event(visibility=Event.Visibility.INVITATION)
    response = client.post(register_url(private.pk), {"code": private.invitation_code})
    assert response["Location"] == (
        f"/sign-in/?next=/events/{private.pk}/%3Fcode%3D{private.invitation_code}"
    )


def test_an_unknown_event_is_404(client, alice):
    client.force_login(alice)
    for pk in (424242, 2**64):
        assert client.post(register_url(pk)).status_code == 404
        assert client.post(cancel_url(pk), {"confirm": "yes"}).status_code == 404


# --- cancelling ---------------------------------------------------------------------------------


def test_cancel_asks_first_and_changes_nothing(client, alice):
    session = make_event()
    actions.register(session.pk, person=alice)
    client.force_login(alice)
    response = client.post(cancel_url(session.pk))
    assert response.status_code == 200
    body = text(response)
    assert "Cancel your registration?" in body
    assert '<input type="hidden" name="confirm" value="yes">' in body
    assert "No, keep it" in body
    assert session.registrations.get().state == State.REGISTERED


def test_confirmed_cancel_frees_the_seat_for_the_waitlist(client, alice, bob):
    session = make_event(capacity=1, minimum=0)
    actions.register(session.pk, person=alice)
    actions.register(session.pk, person=bob)
    client.force_login(alice)
    response = client.post(cancel_url(session.pk), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == event_page(session.pk)
    assert flashed(response) == ["Your registration is cancelled."]
    assert session.registrations.get(person=alice).state == State.CANCELLED
    assert session.registrations.get(person=bob).state == State.REGISTERED


def test_leaving_the_waitlist_asks_in_its_own_words(client, alice, bob):
    session = make_event(capacity=1, minimum=0)
    actions.register(session.pk, person=bob)
    actions.register(session.pk, person=alice)
    client.force_login(alice)
    assert "Leave the waitlist?" in text(client.post(cancel_url(session.pk)))


def test_cancelling_without_a_registration_says_so(client, alice):
    session = make_event()
    client.force_login(alice)
    response = client.post(cancel_url(session.pk), {"confirm": "yes"})
    assert response.status_code == 302
    assert flashed(response) == ["You are not registered for this session."]


def test_cancelling_after_the_start_is_refused_with_409(client, alice):
    session = make_event(start=timezone.now() + datetime.timedelta(hours=1))
    actions.register(session.pk, person=alice)
    Event.objects.filter(pk=session.pk).update(start=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(alice)
    response = client.post(cancel_url(session.pk), {"confirm": "yes"})
    assert response.status_code == 409
    assert "This session has already started." in error_summary(text(response))
    assert session.registrations.get().state == State.REGISTERED


def test_cancelling_after_attendance_is_refused_with_409(client, alice, carol):
    session = make_event(start=timezone.now() + datetime.timedelta(minutes=5))
    registration = actions.register(session.pk, person=alice).registration
    later = timezone.now() + datetime.timedelta(hours=3)
    actions.mark_attendance(session.pk, actor=carol, attended=[registration.pk], now=later)
    Event.objects.filter(pk=session.pk).update(
        start=timezone.now() + datetime.timedelta(days=1),
        end=timezone.now() + datetime.timedelta(days=1, hours=1),
    )
    client.force_login(alice)
    response = client.post(cancel_url(session.pk), {"confirm": "yes"})
    assert response.status_code == 409
    assert "Attendance has been recorded" in error_summary(text(response))
    assert session.registrations.get().state == State.ATTENDED


def test_cancelling_an_invitation_only_session_without_the_code_goes_to_my_page(client, alice):
    private = make_event(visibility=Event.Visibility.INVITATION)
    actions.register(private.pk, person=alice, invitation_code=private.invitation_code)
    client.force_login(alice)
    response = client.post(cancel_url(private.pk), {"confirm": "yes"})
    assert response["Location"] == "/me/"
    assert private.registrations.get().state == State.CANCELLED

    actions.register(private.pk, person=alice, invitation_code=private.invitation_code)
    response = client.post(
        cancel_url(private.pk), {"confirm": "yes", "code": private.invitation_code}
    )
    assert response["Location"] == event_page(private.pk, private.invitation_code)


def test_busy_cancel_is_503(client, alice, monkeypatch):
    session = make_event()
    actions.register(session.pk, person=alice)

    def busy(*args, **kwargs):
        raise actions.Busy()

    monkeypatch.setattr(actions, "cancel_registration", busy)
    client.force_login(alice)
    response = client.post(cancel_url(session.pk), {"confirm": "yes"})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert session.registrations.get().state == State.REGISTERED


# --- pre-work -----------------------------------------------------------------------------------


def test_prework_is_marked_done_and_not_done(client, alice):
    session = make_event(prework="Read the article.")
    actions.register(session.pk, person=alice)
    client.force_login(alice)

    response = client.post(prework_url(session.pk), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == event_page(session.pk) + "#prework-title"
    assert session.registrations.get().prework_done_at is not None

    client.post(prework_url(session.pk), {"done": "0"})
    assert session.registrations.get().prework_done_at is None


@pytest.mark.parametrize("value", ["", "yes", "2", "1; DROP"])
def test_prework_with_a_bad_value_is_400_and_changes_nothing(client, alice, value):
    session = make_event(prework="Read the article.")
    actions.register(session.pk, person=alice)
    client.force_login(alice)
    response = client.post(prework_url(session.pk), {"done": value})
    assert response.status_code == 400
    assert "Pre-work: choose done" in error_summary(text(response))
    assert session.registrations.get().prework_done_at is None


def test_prework_without_a_registration_is_refused(client, dave):
    session = make_event(prework="Read the article.")
    client.force_login(dave)
    response = client.post(prework_url(session.pk), {"done": "1"})
    assert response.status_code == 404
    assert "You are not registered for this session." in error_summary(text(response))
    assert not session.registrations.exists()

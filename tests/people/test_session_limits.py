"""How long a sign-in lasts (issue 16 part 7), on a pinned clock: 30 minutes without a request
for someone with a staff role (a collective's leader included), 8 hours for everyone else, 12
hours at most however active; "sign out everywhere" ends every session of the person, and a new
password every other one. The API answers a session that has ended with a 401."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from belong.people import sessions
from belong.people.models import AuditEvent
from tests.builders import appoint, bearer, make_collective, token_for

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
ME = reverse("people:me")


class Clock:
    def __init__(self, monkeypatch):
        self.moment = START
        monkeypatch.setattr(sessions, "now", lambda: self.moment)

    def advance(self, **delta):
        self.moment += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES_STAFF = 30
    settings.SESSION_IDLE_MINUTES = 8 * 60
    settings.SESSION_MAX_HOURS = 12
    return Clock(monkeypatch)


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def is_in(client):
    return client.get(ME).status_code == 200


@pytest.mark.parametrize("who", ["carol", "frank", "grace", "erin"])
def test_a_staff_role_is_signed_out_after_30_idle_minutes(request, clock, who):
    client = signed_in(request.getfixturevalue(who))
    clock.advance(minutes=29)
    assert is_in(client)
    clock.advance(minutes=29)  # 29 minutes since the last request: still in
    assert is_in(client)
    clock.advance(minutes=30)
    response = client.get(ME)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page
    assert not is_in(client)  # and it stays ended


def test_a_collectives_leader_holds_a_staff_role(clock, frank, bob):
    appoint(make_collective("rainbow"), actor=frank, person=bob)
    client = signed_in(bob)
    clock.advance(minutes=31)
    assert not is_in(client)


def test_everyone_else_has_8_idle_hours(clock, alice):
    client = signed_in(alice)
    clock.advance(minutes=31)
    assert is_in(client)
    clock.advance(hours=7, minutes=59)
    assert is_in(client)
    clock.advance(hours=8)
    assert not is_in(client)


def test_12_hours_at_most_however_active(clock, alice):
    client = signed_in(alice)
    for _hour in range(11):
        clock.advance(hours=1)
        assert is_in(client)
    clock.advance(minutes=59)
    assert is_in(client)
    clock.advance(minutes=1)
    response = client.get(ME)
    assert response.status_code == 302
    assert "a sign-in lasts 12 hours at most" in client.get(response["Location"]).content.decode()


def test_the_api_answers_an_ended_session_with_a_401(clock, carol):
    client = signed_in(carol)
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(minutes=31)
    assert client.get("/api/v1/me").status_code == 401


def test_sign_out_everywhere_ends_every_session_and_keeps_tokens(clock, alice, bob):
    here, there, bobs = signed_in(alice), signed_in(alice), signed_in(bob)
    secret = token_for(alice)
    assert is_in(here) and is_in(there)
    url = reverse("people:sign_out_everywhere")
    assert here.get(url).status_code == 200
    response = here.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("people:login")
    assert not is_in(here) and not is_in(there)
    assert is_in(bobs)  # someone else's sessions stay
    assert here.get("/api/v1/me", **bearer(secret)).status_code == 200
    assert AuditEvent.objects.filter(verb="sessions.ended", actor=alice).count() == 1
    # Signing in again works (as a sign-in does, with the account as it is now).
    alice.refresh_from_db()
    again = signed_in(alice)
    assert is_in(again)


def test_a_new_password_ends_the_other_sessions(clock, alice):
    here = signed_in(alice)
    alice.set_password("a brand new passphrase 42")
    alice.save()
    assert not is_in(here)


def test_sign_out_everywhere_needs_a_post_with_its_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("people:sign_out_everywhere")).status_code == 403
    alice.refresh_from_db()
    assert alice.session_epoch == 0 and is_in(client)

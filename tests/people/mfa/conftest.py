"""What the two-step sign-in tests share: people enrolled in it, a code from their
authenticator computed from its key (django_otp.oath, as the app does), a sign-in through the
real sign-in page, and every staff role (each one an attacker in the reset tests)."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.people import roles
from belong.people.mfa import OUTSIDE_REQUEST_KEY
from tests.builders import PASSWORD, appoint, make_collective, make_person
from tests.clock import PINNED

# Every kind of staff role (belong.people.sessions.holds_staff_role): organisation roles,
# admin access, a collective's leader. Operators are staff too, and the only ones who reset.
STAFF = ["carol", "erin", "frank", "grace", "fay", "leader", "admin_access", "operator"]
STAFF_BUT_OPERATORS = [who for who in STAFF if who != "operator"]


@pytest.fixture
def fay(db):
    return make_person("fay@example.org", "Fay Facilitator", roles.FACILITATOR)


@pytest.fixture
def leader(db, frank):
    person = make_person("lee@example.org", "Lee Leader")
    appoint(make_collective("rainbow"), actor=frank, person=person)
    return person


@pytest.fixture
def admin_access(db):
    return make_person("ada@example.org", "Ada Admin", is_staff=True)


@pytest.fixture
def operator(db):
    return make_person("otto@example.org", "Otto Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def code_for():
    """The code `device` shows now (or `steps` time steps later)."""

    def code_for(device, steps=0):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + steps * device.step
        return f"{totp.token():0{device.digits}d}"

    return code_for


@pytest.fixture
def enrol():
    """Give `person` a confirmed authenticator and recovery codes: (device, codes)."""

    def enrol(person, codes=("aaaa2222", "bbbb3333", "cccc4444")):
        device = TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)
        static = StaticDevice.objects.create(user=person, name="recovery codes", confirmed=True)
        for code in codes:
            StaticToken.objects.create(device=static, token=code)
        return device, list(codes)

    return enrol


@pytest.fixture
def password_sign_in():
    """A new browser signed in through the sign-in page with the person's password; returns
    (client, response)."""

    def password_sign_in(person, next_url=None):
        client = Client()
        url = reverse("people:login") + (f"?next={next_url}" if next_url else "")
        response = client.post(url, {"username": person.email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        return client, response

    return password_sign_in


@pytest.fixture
def unmarked_session():
    """A session with no word on how it signed in (as one that predates these rules, or a
    sign-in path that forgot to say): force_login, then the mark of a sign-in made outside a
    request removed."""

    def unmarked_session(person):
        client = Client()
        client.force_login(person)
        session = client.session
        del session[OUTSIDE_REQUEST_KEY]
        session.save()
        return client

    return unmarked_session


class Clock:
    """django.utils.timezone.now pinned at tests.clock.PINNED (what django-otp's throttling,
    the sessions and the session rules read); the codes themselves follow the real time
    (time.time()), as authenticator apps do."""

    def __init__(self, monkeypatch):
        self.moment = PINNED
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def advance(self, **delta):
        self.moment += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)

"""Leavers (issue 16 part 5): when someone leaves the organisation (an operator in the admin,
or provisioning through `mark_leaver`), they cannot sign in, their sessions and API tokens end
at once, their seats in events to come go to the waitlist (the next person is promoted), their
leader terms end, mail waiting for them is dropped; their records stay. Reactivation restores
access, not what was released. Only operators mark a leaver."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from belong.collectives.access import led_collective_ids
from belong.collectives.models import LeaderRole
from belong.events import actions as events
from belong.events.models import Registration
from belong.notifications.models import OutboundMessage
from belong.people import actions
from belong.people.models import ApiToken, AuditEvent, Person
from tests.builders import (
    appoint,
    bearer,
    event_row,
    make_attended,
    make_collective,
    make_person,
    make_session,
    token_for,
)

pytestmark = pytest.mark.django_db

State = Registration.State


@pytest.fixture
def operator(db):
    return make_person("olive@example.org", "Olive Operator", is_superuser=True, is_staff=True)


@pytest.fixture
def leaving(alice, bob, frank):
    """Alice holds the one seat of a session to come (Bob waits), attended one in the past,
    leads a collective, has a token, a signed-in browser and a message waiting for her."""
    session = make_session(days=5, capacity=1, minimum=0)
    events.register(session.pk, person=alice)
    events.register(session.pk, person=bob)
    past = event_row(days=-10)
    make_attended(past, alice)
    collective = make_collective("rainbow")
    appoint(collective, actor=frank, person=alice)
    # Leading since last month (a term that begins today would be withdrawn, not ended).
    LeaderRole.objects.filter(person=alice).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    secret = token_for(alice)
    browser = Client()
    browser.force_login(alice)
    OutboundMessage.objects.create(
        key="test:waiting-for-alice",
        to_email=alice.email,
        person=alice,
        subject="A reminder",
        body_text="It waits to be sent.",
    )
    return {"session": session, "past": past, "secret": secret, "browser": browser}


def test_a_leaver_loses_access_and_what_they_held_goes_on(leaving, alice, bob, operator):
    assert leaving["browser"].get("/me/").status_code == 200
    actions.mark_leaver(alice.pk, actor=operator)

    alice.refresh_from_db()
    assert not alice.is_active
    # Sessions and tokens end at once.
    assert leaving["browser"].get("/me/").status_code == 302
    assert Client().get("/api/v1/me", **bearer(leaving["secret"])).status_code == 401
    assert not ApiToken.objects.filter(person=alice, revoked_at__isnull=True).exists()
    # The seat to come goes to the waitlist: Bob is promoted.
    session = leaving["session"]
    assert session.registrations.get(person=alice).state == State.CANCELLED
    assert session.registrations.get(person=bob).state == State.REGISTERED
    # The past stays.
    assert leaving["past"].registrations.get(person=alice).state == State.ATTENDED
    # Leader terms end.
    assert not led_collective_ids(Person.objects.get(pk=alice.pk))
    ended = LeaderRole.objects.get(person=alice)  # the record stays, its term ended yesterday
    assert ended.ends_on == timezone.localdate() - datetime.timedelta(days=1)
    # Mail waiting for her is dropped.
    waiting = OutboundMessage.objects.get(key="test:waiting-for-alice")
    assert waiting.status == OutboundMessage.Status.FAILED and "left" in waiting.last_error
    # ...and so is what leaving itself would have sent her (the released seat's notice); Bob,
    # promoted, is told.
    assert not OutboundMessage.objects.filter(
        person=alice, status=OutboundMessage.Status.PENDING
    ).exists()
    assert OutboundMessage.objects.filter(
        person=bob, status=OutboundMessage.Status.PENDING
    ).exists()
    assert AuditEvent.objects.filter(verb="person.left", actor=operator).count() == 1

    # Twice is nothing more.
    actions.mark_leaver(alice.pk, actor=operator)
    assert AuditEvent.objects.filter(verb="person.left").count() == 1


def test_reactivation_restores_access_not_the_released_seat(leaving, alice, bob, operator):
    actions.mark_leaver(alice.pk, actor=operator)
    actions.reactivate(alice.pk, actor=operator)
    alice.refresh_from_db()
    browser = Client()
    browser.force_login(alice)
    assert browser.get("/me/").status_code == 200
    assert Client().get("/api/v1/me", **bearer(token_for(alice))).status_code == 200
    assert leaving["session"].registrations.get(person=alice).state == State.CANCELLED
    assert leaving["session"].registrations.get(person=bob).state == State.REGISTERED


@pytest.mark.parametrize("who", ["frank", "carol", "bob"])
def test_only_operators_mark_leavers(request, alice, who):
    with pytest.raises(PermissionDenied):
        actions.mark_leaver(alice.pk, actor=request.getfixturevalue(who))
    alice.refresh_from_db()
    assert alice.is_active


def test_an_operator_switching_an_account_off_in_the_admin_is_the_same(
    leaving, alice, bob, operator
):
    actions.save_person(actor=operator, person_id=alice.pk, values={"is_active": False})
    assert leaving["browser"].get("/me/").status_code == 302
    assert Client().get("/api/v1/me", **bearer(leaving["secret"])).status_code == 401
    assert leaving["session"].registrations.get(person=bob).state == State.REGISTERED

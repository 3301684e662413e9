"""A leaver's whole path through a roster file: terminated in the file -> cannot sign in, every
session and token ends, the seat to come goes to the waitlist (the next is promoted), leader
terms end, mail waiting is dropped; the records stay. Back as active -> access again, not the
released seat."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.collectives.access import led_collective_ids
from belong.collectives.models import LeaderRole
from belong.events.models import Registration
from belong.notifications.models import OutboundMessage
from belong.people.models import AuditEvent, Person, RosterImport
from tests.builders import PASSWORD, bearer, token_for
from tests.people.roster.conftest import person_row

pytestmark = pytest.mark.django_db

State = Registration.State
APPLIED = RosterImport.Outcome.APPLIED


def alice_row(**cells):
    return person_row(1, email="alice@example.org", full_name="Alice Member", **cells)


def test_terminated_in_the_file_is_a_leaver(leaving, alice, bob, csv_roster, imported):
    assert imported(csv_roster([alice_row()], name="first.csv")).outcome == APPLIED
    assert leaving["browser"].get("/me/").status_code == 200
    signing_in = Client().post(
        reverse("people:login"), {"username": "alice@example.org", "password": PASSWORD}
    )
    assert signing_in.status_code == 302  # she signs in before

    record = imported(
        csv_roster([alice_row(status="terminated", termination_date="2026-11-30")], name="t.csv")
    )

    assert record.outcome == APPLIED, record.report
    assert record.report["counts"]["leavers"] == 1
    alice.refresh_from_db()
    assert not alice.is_active
    assert (alice.hr_status, alice.terminated_on) == ("terminated", datetime.date(2026, 11, 30))
    # Cannot sign in, and what was signed in is out.
    assert leaving["browser"].get("/me/").status_code == 302
    signing_in = Client().post(
        reverse("people:login"), {"username": "alice@example.org", "password": PASSWORD}
    )
    assert signing_in.status_code == 200 and "_auth_user_id" not in signing_in.client.session
    assert Client().get("/api/v1/me", **bearer(leaving["secret"])).status_code == 401
    # The seat to come went to Bob; the past stays.
    session = leaving["session"]
    assert session.registrations.get(person=alice).state == State.CANCELLED
    assert session.registrations.get(person=bob).state == State.REGISTERED
    assert leaving["past"].registrations.get(person=alice).state == State.ATTENDED
    # The leader term ended, its record stays.
    assert not led_collective_ids(Person.objects.get(pk=alice.pk))
    assert LeaderRole.objects.get(
        person=alice
    ).ends_on == timezone.localdate() - datetime.timedelta(days=1)
    waiting = OutboundMessage.objects.get(key="test:waiting-for-alice")
    assert waiting.status == OutboundMessage.Status.FAILED
    # The installation did it (no actor), once.
    left = AuditEvent.objects.get(verb="person.left")
    assert left.actor is None and left.object_id == str(alice.pk)

    # The same file again: nothing more.
    again = imported(
        csv_roster([alice_row(status="terminated", termination_date="2026-11-30")], name="t2.csv")
    )
    assert again.report["counts"]["left"] == 1 and again.report["counts"]["leavers"] == 0
    assert AuditEvent.objects.filter(verb="person.left").count() == 1


def test_terminated_without_a_date_is_dated_the_day_of_the_import(alice, csv_roster, imported):
    imported(csv_roster([alice_row(status="terminated")]))
    alice.refresh_from_db()
    assert alice.terminated_on == timezone.localdate() and not alice.is_active
    imported(csv_roster([alice_row(status="terminated")], name="again.csv"))
    alice.refresh_from_db()
    assert alice.terminated_on == timezone.localdate()


def test_a_leaver_back_as_active_is_reactivated_without_the_seat(
    leaving, alice, bob, csv_roster, imported
):
    imported(csv_roster([alice_row(status="terminated", termination_date="2026-11-30")]))
    record = imported(csv_roster([alice_row(status="active")], name="back.csv"))

    assert record.outcome == APPLIED
    assert record.report["counts"]["reactivated"] == 1
    (entry,) = record.report["changes"]
    assert ["is_active", False, True] in entry["changes"]
    alice.refresh_from_db()
    assert alice.is_active and alice.hr_status == "active"
    browser = Client()
    browser.force_login(alice)
    assert browser.get("/me/").status_code == 200
    assert Client().get("/api/v1/me", **bearer(token_for(alice))).status_code == 200
    assert leaving["session"].registrations.get(person=alice).state == State.CANCELLED
    assert leaving["session"].registrations.get(person=bob).state == State.REGISTERED
    assert AuditEvent.objects.get(verb="person.reactivated").actor is None


def test_on_leave_keeps_access(alice, csv_roster, imported):
    imported(csv_roster([alice_row(status="leave")]))
    alice.refresh_from_db()
    assert alice.is_active and alice.hr_status == "leave"


def test_someone_switched_off_by_an_operator_is_not_switched_on_by_a_roster(
    alice, operator, csv_roster, imported
):
    from belong.people import actions

    actions.mark_leaver(alice.pk, actor=operator)
    imported(csv_roster([alice_row(status="active")]))
    alice.refresh_from_db()
    assert not alice.is_active  # only a termination the roster recorded is undone by it


def test_a_terminated_stranger_is_not_created(csv_roster, imported):
    record = imported(csv_roster([person_row(5, status="terminated")]))
    assert record.outcome == APPLIED
    assert record.report["counts"]["skipped"] == 1
    assert not Person.objects.exists()

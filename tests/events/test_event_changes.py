"""Coordinators change, cancel, keep and close events: who is told, what the invite says."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.notifications.models import OutboundMessage
from tests.builders import make_session, new_people

State = Registration.State
pytestmark = pytest.mark.django_db


def test_a_new_time_raises_the_sequence_and_tells_everyone(carol):
    event = make_session(capacity=1, minimum=0)
    holder, waiting = new_people(2)
    actions.register(event.pk, person=holder)
    actions.register(event.pk, person=waiting)
    later = event.start + datetime.timedelta(days=1)
    event, _ = actions.update_event(
        event.pk, actor=carol, start=later, end=later + datetime.timedelta(hours=2)
    )
    assert event.sequence == 1
    changed = OutboundMessage.objects.filter(key__contains=":changed:")
    assert sorted(changed.values_list("to_email", flat=True)) == sorted(
        [holder.email, waiting.email]
    )
    invite = changed.get(person=holder)
    assert invite.ics_method == "REQUEST"
    vevent = icalendar.Calendar.from_ical(invite.ics).walk("VEVENT")[0]
    assert int(vevent["SEQUENCE"]) == 1 and vevent["UID"] == event.uid
    assert not changed.get(person=waiting).ics  # no seat, no calendar entry


def test_other_changes_do_not_mail_or_raise_the_sequence(carol):
    event = make_session(capacity=5)
    actions.register(event.pk, person=new_people(1)[0])
    before = OutboundMessage.objects.count()
    event, _ = actions.update_event(event.pk, actor=carol, description="New words")
    assert event.sequence == 0 and OutboundMessage.objects.count() == before


def test_cancelling_a_session_tells_registrants_and_waitlist(carol):
    event = make_session(capacity=1, minimum=0)
    holder, waiting = new_people(2)
    actions.register(event.pk, person=holder)
    actions.register(event.pk, person=waiting)
    actions.cancel_event(event.pk, actor=carol, reason="Facilitator ill")
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.sequence == 1
    assert set(event.registrations.values_list("state", flat=True)) == {State.CANCELLED}
    told = OutboundMessage.objects.filter(key__contains=":cancelled:")
    assert told.count() == 2
    cancel = told.get(person=holder)
    assert cancel.ics_method == "CANCEL"
    calendar = icalendar.Calendar.from_ical(cancel.ics)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert "Facilitator ill" in cancel.body_text
    # Twice is harmless.
    actions.cancel_event(event.pk, actor=carol)
    assert OutboundMessage.objects.filter(key__contains=":cancelled:").count() == 2


def test_a_cancelled_event_cannot_be_changed(carol):
    event = make_session()
    actions.cancel_event(event.pk, actor=carol)
    with pytest.raises(actions.Refused, match="cancelled"):
        actions.update_event(event.pk, actor=carol, place="Room 2")


def test_keeping_a_short_session_confirms_it(carol):
    event = make_session(capacity=10, minimum=6)
    actions.register(event.pk, person=new_people(1)[0])
    actions.keep_short_event(event.pk, actor=carol)
    event.refresh_from_db()
    assert event.status == Event.Status.CONFIRMED and event.kept_short_at
    assert not OutboundMessage.objects.filter(key__contains=":confirmed:").exists()
    kept = OutboundMessage.objects.get(key__contains=":kept:")
    assert kept.subject.startswith("It will run as planned")
    assert "Enough people have registered" not in kept.body_text


def test_attendance_only_after_the_start_and_only_for_seat_holders(carol):
    event = make_session(capacity=2, minimum=0)
    first, second, waiting = new_people(3)
    regs = [actions.register(event.pk, person=p).registration for p in (first, second, waiting)]
    with pytest.raises(actions.Refused, match="once the session has started"):
        actions.mark_attendance(event.pk, actor=carol, attended=[regs[0].pk])
    after = event.end + datetime.timedelta(minutes=5)
    with pytest.raises(actions.Refused) as info:
        actions.mark_attendance(event.pk, actor=carol, attended=[regs[2].pk], now=after)
    assert info.value.field == "attendance"
    with pytest.raises(actions.Refused):
        actions.mark_attendance(
            event.pk, actor=carol, attended=[regs[0].pk], no_show=[regs[0].pk], now=after
        )
    changed = actions.mark_attendance(
        event.pk, actor=carol, attended=[regs[0].pk], no_show=[regs[1].pk], now=after
    )
    assert changed == 2
    assert dict(event.registrations.values_list("pk", "state")) == {
        regs[0].pk: State.ATTENDED,
        regs[1].pk: State.NO_SHOW,
        regs[2].pk: State.WAITLISTED,
    }
    event.refresh_from_db()
    assert event.status == Event.Status.COMPLETED
    # Correcting a mark works; marking the same again changes nothing.
    assert actions.mark_attendance(event.pk, actor=carol, attended=[regs[1].pk], now=after) == 1
    assert actions.mark_attendance(event.pk, actor=carol, attended=[regs[1].pk], now=after) == 0


def test_an_attended_registration_cannot_be_cancelled(carol):
    event = make_session(capacity=2, minimum=0)
    person = new_people(1)[0]
    registration = actions.register(event.pk, person=person).registration
    after = event.end + datetime.timedelta(minutes=5)
    actions.mark_attendance(event.pk, actor=carol, attended=[registration.pk], now=after)
    with pytest.raises(actions.Refused, match="Attendance has been recorded"):
        actions.cancel_registration(event.pk, person=person, now=after)


def test_prework_done_and_undone(alice):
    event = make_session()
    actions.register(event.pk, person=alice)
    assert actions.set_prework_done(event.pk, person=alice).prework_done_at
    assert actions.set_prework_done(event.pk, person=alice, done=False).prework_done_at is None


def test_prework_needs_a_registration(dave):
    event = make_session()
    with pytest.raises(actions.Refused) as info:
        actions.set_prework_done(event.pk, person=dave)
    assert info.value.status == 404


def test_times_are_kept_as_aware_utc():
    event = make_session()
    event.refresh_from_db()
    assert timezone.is_aware(event.start) and event.start.utcoffset() == datetime.timedelta(0)


def test_a_new_campus_is_a_change_of_place_however_it_is_given(carol):
    from belong.people.models import OrgUnit

    root = OrgUnit.objects.create(name="Medical School", slug="ms", kind=OrgUnit.Kind.INSTITUTION)
    duluth = OrgUnit.objects.create(
        name="Duluth", slug="duluth", kind=OrgUnit.Kind.CAMPUS, parent=root
    )
    event = make_session(capacity=5)
    actions.register(event.pk, person=new_people(1)[0])
    event, _ = actions.update_event(event.pk, actor=carol, campus=duluth)
    assert event.sequence == 1
    event, _ = actions.update_event(event.pk, actor=carol, campus=duluth)  # the same: no change
    assert event.sequence == 1
    assert OutboundMessage.objects.filter(key__contains=":changed:").count() == 1

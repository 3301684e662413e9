"""Every event mail: its recipient, its text and HTML parts, and the invite read back with
icalendar (UID, SEQUENCE, DTSTART with its zone, METHOD)."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from belong.events import actions
from belong.events.models import Registration
from tests.builders import make_session, new_people

pytestmark = pytest.mark.django_db(transaction=True)  # on-commit delivery runs for real


def delivered(to):
    return [message for message in mail.outbox if message.to == [to.email]]


def invite_of(message):
    attachments = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(attachments) == 1, "one calendar invite attached"
    name, content, mimetype = attachments[0]
    calendar = icalendar.Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")[0], mimetype


def parts(message):
    html = [body for body, kind in message.alternatives if kind == "text/html"]
    assert len(html) == 1
    return message.body, html[0]


def test_confirmation_has_both_parts_and_a_request_invite(alice):
    event = make_session(capacity=3, place="Phillips-Wangensteen 2-540", online_join_details="")
    actions.register(event.pk, person=alice)
    (message,) = delivered(alice)
    assert "You are registered" in message.subject
    text, html = parts(message)
    assert "Phillips-Wangensteen 2-540" in text and "Phillips-Wangensteen 2-540" in html
    assert f"/events/{event.pk}/" in text
    calendar, vevent, mimetype = invite_of(message)
    assert "method=REQUEST" in mimetype
    assert calendar["METHOD"] == "REQUEST"
    assert vevent["UID"] == event.uid and int(vevent["SEQUENCE"]) == 0
    start = vevent["DTSTART"].dt
    assert start.tzinfo is not None and str(start.tzinfo) == "America/Chicago"
    assert vevent["DTSTART"].params["TZID"] == "America/Chicago"
    assert start == event.start.replace(microsecond=0)
    assert calendar.walk("VTIMEZONE"), "the zone is included"
    assert str(vevent["ATTENDEE"]) == f"mailto:{alice.email}"


def test_join_details_go_to_seat_holders_only(alice, dave):
    event = make_session(capacity=1, online_join_details="https://zoom.example/j/123")
    actions.register(event.pk, person=alice)
    actions.register(event.pk, person=dave)
    (to_alice,) = delivered(alice)
    (to_dave,) = delivered(dave)
    assert "zoom.example" in to_alice.body
    assert "zoom.example" not in to_dave.body and "zoom.example" not in parts(to_dave)[1]
    assert "waitlist, number 1" in to_dave.body
    assert not [a for a in to_dave.attachments if a[0] == "invite.ics"]


def test_promotion_sends_the_invite(alice, dave):
    event = make_session(capacity=1, minimum=0)
    actions.register(event.pk, person=alice)
    actions.register(event.pk, person=dave)
    actions.cancel_registration(event.pk, person=alice)
    withdrawn = delivered(alice)[-1]
    assert "Registration cancelled" in withdrawn.subject
    assert invite_of(withdrawn)[0]["METHOD"] == "CANCEL"
    promoted = delivered(dave)[-1]
    assert "A seat opened up" in promoted.subject
    assert invite_of(promoted)[0]["METHOD"] == "REQUEST"


def test_change_and_cancellation_raise_the_sequence(alice, carol):
    event = make_session(capacity=3, minimum=0, place="Room A")
    actions.register(event.pk, person=alice)
    actions.update_event(event.pk, actor=carol, place="Room B")
    changed = delivered(alice)[-1]
    assert "Changed" in changed.subject and "Room B" in changed.body
    _, vevent, _ = invite_of(changed)
    assert int(vevent["SEQUENCE"]) == 1 and vevent["LOCATION"] == "Room B"
    actions.cancel_event(event.pk, actor=carol, reason="Snow storm")
    cancelled = delivered(alice)[-1]
    calendar, vevent, mimetype = invite_of(cancelled)
    assert "method=CANCEL" in mimetype and calendar["METHOD"] == "CANCEL"
    assert int(vevent["SEQUENCE"]) == 2 and vevent["UID"] == event.uid
    assert "Snow storm" in cancelled.body and "Snow storm" in parts(cancelled)[1]


def test_mail_is_in_the_persons_language(carol):
    (person,) = new_people(1)
    person.language = "es"
    person.save(update_fields=["language"])
    event = make_session(capacity=3)
    actions.register(event.pk, person=person)
    (message,) = delivered(person)
    assert message.subject == f"Su inscripción está confirmada: {event.title}"


def test_reminders_seven_and_one_day_before_once_each(alice, settings):
    settings.REMINDER_DAYS = [7, 1]
    start = timezone.now() + datetime.timedelta(days=10)
    event = make_session(start=start, capacity=5, minimum=0)
    event.prework = "Read the article on implicit association."
    event.save(update_fields=["prework"])
    actions.register(event.pk, person=alice)
    mail.outbox.clear()
    assert actions.send_reminders(now=start - datetime.timedelta(days=8)) == 0
    assert actions.send_reminders(now=start - datetime.timedelta(days=6)) == 1
    assert actions.send_reminders(now=start - datetime.timedelta(days=6)) == 0
    assert actions.send_reminders(now=start - datetime.timedelta(hours=20)) == 1
    subjects = [m.subject for m in delivered(alice)]
    assert len(subjects) == 2 and all(s.startswith("Reminder:") for s in subjects)
    day = timezone.localtime(start).strftime("%Y")
    assert all(s.endswith(day) for s in subjects), subjects  # "... on Dec. 3, 2026"
    assert "Read the article on implicit association." in delivered(alice)[0].body
    assert "in 7 days" in delivered(alice)[0].body and "tomorrow" in delivered(alice)[1].body


def test_no_reminder_for_the_waitlisted_or_cancelled(alice, dave, carol, settings):
    settings.REMINDER_DAYS = [1]
    event = make_session(days=2, capacity=1, minimum=0)
    actions.register(event.pk, person=alice)
    actions.register(event.pk, person=dave)
    mail.outbox.clear()
    assert actions.send_reminders(now=event.start - datetime.timedelta(hours=12)) == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]
    other = make_session(days=2, capacity=5)
    actions.register(other.pk, person=dave)
    actions.cancel_event(other.pk, actor=carol)
    assert actions.send_reminders(now=other.start - datetime.timedelta(hours=12)) == 0


def test_short_sessions_are_reported_once_at_the_cutoff(carol, settings):
    settings.MINIMUM_CUTOFF_DAYS = 3
    event = make_session(days=10, capacity=10, minimum=6)
    full = make_session(days=10, capacity=10, minimum=2)
    for person in new_people(2):
        actions.register(event.pk, person=person)
        actions.register(full.pk, person=person)
    mail.outbox.clear()
    assert actions.check_minimums(now=event.start - datetime.timedelta(days=4)) == 0
    assert actions.check_minimums(now=event.start - datetime.timedelta(days=2)) == 1
    assert actions.check_minimums(now=event.start - datetime.timedelta(days=2)) == 0
    (message,) = delivered(carol)
    assert "Short of its minimum" in message.subject
    assert message.subject.endswith(timezone.localtime(event.start).strftime("%Y"))
    assert "needs 6 registrants" in message.body and "2 people have registered" in message.body
    assert "4 more are needed" in message.body
    event.refresh_from_db()
    assert event.short_notice_at and event.status == "scheduled"


def test_registration_rows_and_mail_roll_back_together(alice, monkeypatch):
    """A failure after the outbox row is written leaves neither the seat nor the mail."""
    from belong.events import notify

    event = make_session(capacity=3, minimum=0)

    def boom(registration):
        raise RuntimeError("after the mail was queued")

    original = notify.registered
    monkeypatch.setattr(
        notify, "registered", lambda registration: (original(registration), boom(registration))
    )
    with pytest.raises(RuntimeError):
        actions.register(event.pk, person=alice)
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_times_show_in_the_installation_zone(alice):
    zone = zoneinfo.ZoneInfo("America/Chicago")
    start = datetime.datetime(2027, 3, 2, 9, 0, tzinfo=zone)
    event = make_session(start=start, capacity=3)
    actions.register(event.pk, person=alice)
    (message,) = delivered(alice)
    assert "9 a.m." in message.body and "CST" in message.body


def test_the_invite_part_is_a_well_formed_calendar_part(alice):
    event = make_session(capacity=3)
    actions.register(event.pk, person=alice)
    (message,) = delivered(alice)
    raw = message.message()
    parts = [part for part in raw.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0]["Content-Type"].count("charset") == 1
    assert parts[0].get_filename() == "invite.ics"


def test_the_short_notice_goes_to_those_who_decide_not_to_facilitators(carol, settings):
    from tests.builders import make_person

    settings.MINIMUM_CUTOFF_DAYS = 3
    facilitator = make_person("fac@example.org", "Fac Ilitator", "Facilitator")
    event = make_session(days=10, capacity=10, minimum=6)
    event.facilitators.add(facilitator)
    mail.outbox.clear()
    actions.check_minimums(now=event.start - datetime.timedelta(days=2))
    assert [m.to for m in mail.outbox] == [[carol.email]]


def test_a_confirmed_session_that_falls_short_again_is_reported(carol, settings):
    settings.MINIMUM_CUTOFF_DAYS = 3
    event = make_session(days=10, capacity=10, minimum=2)
    first, second = new_people(2)
    actions.register(event.pk, person=first)
    actions.register(event.pk, person=second)
    event.refresh_from_db()
    assert event.status == "confirmed"
    actions.cancel_registration(event.pk, person=second)
    mail.outbox.clear()
    assert actions.check_minimums(now=event.start - datetime.timedelta(days=2)) == 1
    assert [m.to for m in mail.outbox] == [[carol.email]]

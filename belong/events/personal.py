"""The events' part of a person's download (belong.people.personal_data)."""

from belong.events.models import CalendarFeed, Event, Registration
from belong.people.personal_data import EXPORTED

SECTION = "events"

FIELDS = {
    "events.Registration.person": EXPORTED,
    "events.CalendarFeed.person": EXPORTED + " (that it exists, never its secret address)",
    "events.Event.facilitators": EXPORTED,
}


def export(person) -> dict:
    registrations = Registration.objects.filter(person=person).select_related("event")
    feed = CalendarFeed.objects.filter(person=person).first()
    facilitated = Event.objects.filter(facilitators=person).order_by("start", "pk")
    return {
        "registrations": [
            {
                "event": r.event.title,
                "starts": r.event.start,
                "state": r.state,
                "asked_on": r.requested_at,
                "pre_work_done": r.prework_done_at,
                "cancelled": r.cancelled_at,
            }
            for r in registrations.order_by("event__start", "pk")
        ],
        "calendar_feed": {"created": feed.created_at} if feed is not None else None,
        "events_facilitated": [{"event": e.title, "starts": e.start} for e in facilitated],
    }


def erase(person, *, now) -> None:
    """Seats in events to come are given up (the waitlist moves up); past registrations stay,
    attached to the anonymised account, so that attendance figures stay true without naming
    anyone. The calendar feed goes; facilitation of events to come ends."""
    leave(person, now=now)
    CalendarFeed.objects.filter(person=person).delete()


def leave(person, *, now) -> None:
    """A leaver's seats in events to come go to the waitlist (with the usual promotion), and
    they no longer facilitate events to come; past registrations and attendance stay."""
    from belong.events import actions

    upcoming = Registration.objects.filter(
        person=person,
        event__start__gt=now,
        state__in=[Registration.State.REGISTERED, Registration.State.WAITLISTED],
    ).values_list("event_id", flat=True)
    for event_id in list(upcoming):
        actions.cancel_registration(event_id, person=person, now=now)
    for event in Event.objects.filter(facilitators=person, start__gt=now):
        event.facilitators.remove(person)

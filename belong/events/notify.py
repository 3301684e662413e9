"""The mail that seat changes send: each function writes outbox rows inside the caller's
transaction (they leave after commit). Event mail carries an RFC 5545 invite: a REQUEST for
someone who holds a seat, a CANCEL when they no longer do. Keys make every message idempotent.
"""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from belong.events.models import Event, Registration
from belong.lib import ics
from belong.notifications import outbox
from belong.people import roles

TEMPLATE = "events/email/event"


def _stamp(moment):
    return int(moment.timestamp() * 1_000_000) if moment else 0


def event_url(event) -> str:
    """The event's page. For an invitation-only event the link carries the invitation code:
    mail goes only to people who were invited, and after a cancellation they still need it."""
    from django.conf import settings

    url = settings.SITE_URL + reverse("events:detail", args=[event.pk])
    if event.visibility == Event.Visibility.INVITATION and event.invitation_code:
        url += "?" + urlencode({"code": event.invitation_code})
    return url


def manage_url(event) -> str:
    """Where the people who run an event decide about it: the host's page for that (a course's
    roster) when the host has one, else the event's page."""
    from django.conf import settings

    host = event.host
    if host is not None and hasattr(host, "manage_url_for"):
        return settings.SITE_URL + host.manage_url_for(event)
    return event_url(event)


def prework(event):
    """(text, files) of pre-work for an event: its host's (a course) and its own. A host may
    define `prework_for(event)`; events know nothing of what hosts them."""
    host = event.host
    if host is not None and hasattr(host, "prework_for"):
        return host.prework_for(event)
    return event.prework, []


def calendar_item(event, *, person=None, cancelled=False) -> ics.CalendarItem:
    place = event.place
    if event.campus_id and event.campus and event.campus.name not in place:
        place = ", ".join(part for part in (place, event.campus.name) if part)
    description = event_url(event)
    if person is not None and event.online_join_details and not cancelled:
        description = f"{event.online_join_details}\n\n{description}"
    return ics.CalendarItem(
        uid=event.uid,
        sequence=event.sequence,
        title=event.title,
        start=event.start,
        end=event.end,
        description=description,
        location=place or (gettext("Online") if event.format == Event.Format.VIRTUAL else ""),
        url=event_url(event),
        cancelled=cancelled or event.status == Event.Status.CANCELLED,
        attendee_email=person.email if person is not None else "",
        attendee_name=person.display_name if person is not None else "",
    )


def is_private(event) -> bool:
    """Mail about a collective's event is private (outbox.queue(private=True)): that someone
    registered for it can tell which collective they belong to."""
    return event.kind == Event.Kind.COLLECTIVE


def _send(kind, registration, *, key, invite=None, **extra):
    event, person = registration.event, registration.person
    text, files = prework(event)
    with translation.override(person.language):
        ics_text, method = _invite(event, person, invite)
    return outbox.queue(
        key=key,
        to_email=person.email,
        person=person,
        template=TEMPLATE,
        context={
            "kind": kind,
            "event": event,
            "person": person,
            "registration": registration,
            "start": timezone.localtime(event.start),
            "end": timezone.localtime(event.end),
            "event_url": event_url(event),
            "holds_seat": registration.state in Registration.HOLDS_SEAT and kind != "cancelled",
            "prework_text": text,
            "prework_files": files,
            "show_prework": kind in ("registered", "promoted", "reminder") and bool(text or files),
            **extra,
        },
        ics=ics_text,
        ics_method=method,
        private=is_private(event),
    )


def _invite(event, person, invite):
    """The calendar part of a mail: a REQUEST while the person holds a seat, a CANCEL when they
    no longer do, or none."""
    if invite == "request":
        return ics.calendar([calendar_item(event, person=person)], method="REQUEST"), "REQUEST"
    if invite == "cancel":
        cancel = calendar_item(event, person=person, cancelled=True)
        return ics.calendar([cancel], method="CANCEL"), "CANCEL"
    return "", ""


def registered(registration):
    return _send(
        "registered",
        registration,
        key=f"event:{registration.event_id}:registered:{registration.pk}:{_stamp(registration.requested_at)}",
        invite="request",
    )


def waitlisted(registration, position):
    if registration.event.counts_private:
        position = None  # their place moves as others leave: not told (Event.counts_private)
    return _send(
        "waitlisted",
        registration,
        key=f"event:{registration.event_id}:waitlisted:{registration.pk}:{_stamp(registration.requested_at)}",
        position=position,
    )


def promoted(registration):
    return _send(
        "promoted",
        registration,
        key=f"event:{registration.event_id}:promoted:{registration.pk}:{_stamp(registration.requested_at)}",
        invite="request",
    )


def cancelled_by_person(registration, *, held_seat):
    return _send(
        "withdrawn",
        registration,
        key=f"event:{registration.event_id}:withdrawn:{registration.pk}:{_stamp(registration.cancelled_at)}",
        invite="cancel" if held_seat else None,
    )


def _holders(event, states):
    return list(
        event.registrations.filter(state__in=states).select_related("person", "event__campus")
    )


def confirmed(event, *, skip=None):
    for registration in _holders(event, [Registration.State.REGISTERED]):
        if skip is not None and registration.pk == skip.pk:
            continue
        _send("confirmed", registration, key=f"event:{event.pk}:confirmed:{registration.pk}")


def kept(event):
    """A coordinator runs the session below its minimum: it takes place as planned."""
    for registration in _holders(event, [Registration.State.REGISTERED]):
        _send("kept", registration, key=f"event:{event.pk}:kept:{registration.pk}")


def changed(event, *, fields):
    for registration in _holders(
        event, [Registration.State.REGISTERED, Registration.State.WAITLISTED]
    ):
        holds = registration.state == Registration.State.REGISTERED
        _send(
            "changed",
            registration,
            key=f"event:{event.pk}:changed:{event.sequence}:{registration.pk}",
            invite="request" if holds else None,
            fields=fields,
        )


def event_cancelled(event, registrations):
    for registration in registrations:
        holds = registration.state == Registration.State.REGISTERED
        _send(
            "cancelled",
            registration,
            key=f"event:{event.pk}:cancelled:{registration.pk}",
            invite="cancel" if holds else None,
        )


def reminder(registration, *, days) -> bool:
    key = (
        f"event:{registration.event_id}:reminder{days}:{registration.pk}:"
        f"{_stamp(registration.requested_at)}:{registration.event.sequence}"
    )
    stored = outbox.private_key(key) if is_private(registration.event) else key
    if outbox.OutboundMessage.objects.filter(key=stored).exists():
        return False  # sent by an earlier run: nothing to render
    _send("reminder", registration, key=key, invite="request", days=days)
    return True


def coordinators_of(event):
    """Who decides about a short event (cancel it or keep it): the training coordinators for
    workshop sessions and lectures, else (or when there are none) the DEI administrators.
    Facilitators run sessions but do not make that call, so they are not asked."""
    people = get_user_model().objects.filter(is_active=True)
    if event.kind in (Event.Kind.SESSION, Event.Kind.LECTURE):
        coordinators = list(people.filter(groups__name=roles.TRAINING_COORDINATOR).distinct())
        if coordinators:
            return coordinators
    return list(people.filter(groups__name=roles.DEI_ADMINISTRATOR).distinct())


def short_of_minimum(event, registered_count):
    """Tell whoever decides that the event is short of its minimum: how many registered, except
    for an event whose counts are private (Event.counts_private), whose mail says only that it
    is short."""
    needed = max(event.minimum - registered_count, 0)
    if event.counts_private:
        registered_count = needed = None
    for person in coordinators_of(event):
        outbox.queue(
            key=f"event:{event.pk}:short:{person.pk}",
            to_email=person.email,
            person=person,
            template="events/email/short",
            context={
                "event": event,
                "person": person,
                "start": timezone.localtime(event.start),
                "end": timezone.localtime(event.end),
                "registered_count": registered_count,
                "needed": needed,
                "manage_url": manage_url(event),
            },
        )

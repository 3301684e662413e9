"""A collective's events, through the events engine (belong.events.actions).

A collective holds an event (Event.kind COLLECTIVE, Event.host the collective); other
collectives may co-host it. Every hosting collective, the holder included, is an EventHosting
row: its members and allies are the audience of a members-only event, and its leaders run the
event (roster, attendance: belong.collectives.hosting). The event's areas of focus are
EventFocus rows.

Those who run the holding collective (access.can_run: its current leaders and DEI
administrators) create, change and cancel the event; a co-host's leaders see its roster and
mark attendance but do not change it. Seats, the waitlist, notices, invites (SEQUENCE raised on
a change of time or place, METHOD:CANCEL on cancellation) and promotions from the waitlist stay
the engine's: these functions check what is the collectives' and delegate the rest. The engine's
refusals (belong.events.actions.Refused, Busy) pass through: like the collectives' own `Refused`
they are belong.lib.refusals.Refusal, which pages and the API answer alike.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.collectives import access
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Collective, EventFocus, EventHosting, FocusArea
from belong.events import actions as engine
from belong.events.models import Event
from belong.lib.models import max_length_of
from belong.people.actions import audit

# Who may see and register for a collective's event.
VISIBILITY_CHOICES = [
    (
        Event.Visibility.MEMBERS,
        gettext_lazy("Members only: the members and allies of the hosting collectives"),
    ),
    (Event.Visibility.ORGANIZATION, gettext_lazy("The organization: everyone signed in")),
    (Event.Visibility.PUBLIC, gettext_lazy("Public: everyone, signed in or not")),
]
VISIBILITIES = [value for value, _label in VISIBILITY_CHOICES]

# What a collective's event may set; the rest (kind, host, series, recording, invitation code,
# facilitators) is the engine's or training's.
FIELDS = {*engine.EVENT_FIELDS, "title", "start", "end", "speakers"}
MAX_TITLE = max_length_of(Event, "title")
MAX_DESCRIPTION = 20000
MAX_COHOSTS = 20


def focus_areas_from(values) -> list[FocusArea]:
    """FocusArea objects or primary keys -> FocusArea objects; Refused if any is unknown."""
    ids = set()
    for value in values or ():
        pk = value.pk if isinstance(value, FocusArea) else value
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise Refused(_("Choose areas of focus from the list."), field="focus_areas")
        ids.add(pk)
    areas = list(FocusArea.objects.filter(pk__in=ids)) if ids else []
    if len(areas) != len(ids):
        raise Refused(_("Choose areas of focus from the list."), field="focus_areas")
    return areas


def _cohosts(values, collective) -> list[Collective]:
    """Active collectives other than `collective` (objects or primary keys)."""
    ids = set()
    for value in values or ():
        pk = value.pk if isinstance(value, Collective) else value
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise Refused(_("Choose co-hosts from the list of collectives."), field="cohosts")
        ids.add(pk)
    ids.discard(collective.pk)
    if len(ids) > MAX_COHOSTS:
        raise Refused(
            _("Choose at most %(limit)d co-hosts.") % {"limit": MAX_COHOSTS}, field="cohosts"
        )
    found = list(Collective.objects.filter(pk__in=ids, is_active=True)) if ids else []
    if len(found) != len(ids):
        raise Refused(_("Choose co-hosts from the list of collectives."), field="cohosts")
    return found


def _check_fields(fields):
    unknown = set(fields) - FIELDS
    if unknown:
        raise Refused(
            _("A collective's event cannot set: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    if "visibility" in fields and fields["visibility"] not in VISIBILITIES:
        raise Refused(
            _("Choose who may see the event: “members”, “organization” or “public”."),
            field="visibility",
        )
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise Refused(_("Give the event a title."), field="title")
        if len(title) > MAX_TITLE:
            raise Refused(
                _("Keep the title to %(limit)d characters or fewer.") % {"limit": MAX_TITLE},
                field="title",
            )
        fields["title"] = title
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
        if len(fields["description"]) > MAX_DESCRIPTION:
            raise Refused(
                _("Keep the description to %(limit)d characters or fewer.")
                % {"limit": MAX_DESCRIPTION},
                field="description",
            )
    return fields


def _collective_or_refuse(collective_id) -> Collective:
    collective = Collective.objects.filter(pk=collective_id, is_active=True).first()
    if collective is None:
        raise Refused(_("This collective does not exist."), status=404, code="missing")
    return collective


def _run_or_refuse(actor, collective):
    if not access.can_run(actor, collective):
        raise PermissionDenied(_("Only the collective's leaders may hold its events."))


def holder_of(event) -> Collective | None:
    """The collective that holds the event (its Event.host), or None for any other event."""
    if event.kind != Event.Kind.COLLECTIVE or event.host_id is None:
        return None
    if event.host_type_id != ContentType.objects.get_for_model(Collective).pk:
        return None
    return Collective.objects.filter(pk=event.host_id).first()


def _event_of(event_id) -> tuple[Event, Collective]:
    event = Event.objects.filter(pk=event_id, kind=Event.Kind.COLLECTIVE).first()
    holder = holder_of(event) if event is not None else None
    if event is None or holder is None:
        raise Refused(_("This event does not exist."), field="event", status=404, code="missing")
    return event, holder


def _set_hosts(event, holder, cohosts) -> bool:
    """The hosting rows: the holder and exactly `cohosts`. True when they changed."""
    wanted = {holder.pk, *(c.pk for c in cohosts)}
    current = set(EventHosting.objects.filter(event=event).values_list("collective_id", flat=True))
    if wanted == current:
        return False
    EventHosting.objects.filter(event=event).exclude(collective_id__in=wanted).delete()
    EventHosting.objects.bulk_create(
        [EventHosting(event=event, collective_id=pk) for pk in sorted(wanted - current)]
    )
    return True


def _set_focus(event, areas) -> bool:
    wanted = {area.pk for area in areas}
    current = set(EventFocus.objects.filter(event=event).values_list("focus_area_id", flat=True))
    if wanted == current:
        return False
    EventFocus.objects.filter(event=event).exclude(focus_area_id__in=wanted).delete()
    EventFocus.objects.bulk_create(
        [EventFocus(event=event, focus_area_id=pk) for pk in sorted(wanted - current)]
    )
    return True


def cohosts_of(event) -> list[Collective]:
    """The collectives co-hosting the event (the holder excluded), by name."""
    return list(
        Collective.objects.filter(hostings__event=event)
        .exclude(pk=event.host_id)
        .order_by("name", "pk")
    )


@transaction.atomic
def create_collective_event(
    collective_id, *, actor, cohosts=(), focus_areas=(), **event_fields
) -> Event:
    """A new event held by the collective, co-hosted by `cohosts`, tagged with `focus_areas`.
    Members only unless `visibility` says the organization or public. No minimum unless one is
    given. Bad input raises Refused naming the field (nothing saved); someone who does not run
    the collective, PermissionDenied."""
    collective = _collective_or_refuse(collective_id)
    _run_or_refuse(actor, collective)
    fields = _check_fields(dict(event_fields))
    fields.setdefault("visibility", Event.Visibility.MEMBERS)
    fields.setdefault("minimum", 0)
    if "title" not in fields:
        raise Refused(_("Give the event a title."), field="title")
    partners = _cohosts(cohosts, collective)
    areas = focus_areas_from(focus_areas)
    event = engine.create_event(actor=actor, kind=Event.Kind.COLLECTIVE, host=collective, **fields)
    _set_hosts(event, collective, partners)
    _set_focus(event, areas)
    if partners:
        audit(
            actor=actor,
            verb="event.hosts",
            obj=event,
            collectives=sorted([collective.pk, *(c.pk for c in partners)]),
        )
    return event


@transaction.atomic
def update_collective_event(
    event_id, *, actor, cohosts=None, focus_areas=None, now=None, **changes
) -> tuple[Event, list]:
    """Change a collective's event: its fields through the engine (a change of time or place
    raises the invite's SEQUENCE and tells everyone registered or waiting; more seats promote
    from the waitlist), its co-hosts and areas of focus when given. Returns the event and whoever
    was promoted. Only those who run the holding collective."""
    event, holder = _event_of(event_id)
    _run_or_refuse(actor, holder)
    fields = _check_fields(dict(changes))
    partners = _cohosts(cohosts, holder) if cohosts is not None else None
    areas = focus_areas_from(focus_areas) if focus_areas is not None else None
    event, promoted = engine.update_event(event.pk, actor=actor, now=now, **fields)
    if partners is not None and _set_hosts(event, holder, partners):
        audit(
            actor=actor,
            verb="event.hosts",
            obj=event,
            collectives=sorted([holder.pk, *(c.pk for c in partners)]),
        )
    if areas is not None:
        _set_focus(event, areas)
    return event, promoted


@transaction.atomic
def cancel_collective_event(event_id, *, actor, reason="", now=None) -> Event:
    """Cancel a collective's event through the engine: everyone registered or waiting is told,
    and their calendar invitations are cancelled. Cancelling twice changes nothing."""
    event, holder = _event_of(event_id)
    _run_or_refuse(actor, holder)
    reason = (reason or "").strip()
    if len(reason) > MAX_DESCRIPTION:
        raise Refused(
            _("Keep the reason to %(limit)d characters or fewer.") % {"limit": MAX_DESCRIPTION},
            field="reason",
        )
    return engine.cancel_event(event.pk, actor=actor, reason=reason, now=now)

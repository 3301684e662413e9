"""Events: workshop sessions, lectures, collective and program events, with their seats;
registering and cancelling (me); rosters and attendance (the people who run an event).

A caller sees public events; a signed-in caller also sees organization events, and an
invitation-only event only with a registration of their own (or its invitation code, to
register). The people who run an event (belong.events.access.can_manage) also get it by its
id, as its roster; the list stays what the caller may see as a participant. Online join
details go to registrants holding a seat and to nobody else. A collective's event and a
members-only one count nobody (Event.counts_private): no seats left, waitlist count or place
on it, for anyone; its roster is for the people who run it. Every
change goes through belong.events.actions and every permission through belong.events.access,
as on the pages."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel

from belong.api.auth import PUBLIC, SIGNED_IN, caller
from belong.api.errors import ErrorOut, not_found
from belong.api.pagination import Pagination
from belong.api.schemas import Day, NamedOut, choice
from belong.events import actions
from belong.events.access import managed_event_or_404, visible_event_or_404
from belong.events.models import Event, Registration, ahead_on_waitlist
from belong.lib.converters import MAX_ID

router = Router(tags=["events"], auth=PUBLIC)


class HostOut(Schema):
    type: str = Field(description="What hosts the event: course, collective, ...")
    slug: str | None
    name: str


class EventSummaryOut(Schema):
    id: int
    kind: choice(Event.Kind)
    title: str
    start: datetime.datetime = Field(description="ISO 8601 with the installation's offset.")
    end: datetime.datetime
    format: choice(Event.Format) | None = Field(description="Null when not known yet.")
    place: str
    campus: NamedOut | None
    status: choice(Event.Status)
    visibility: choice(Event.Visibility)
    capacity: int | None = Field(description="Null for no limit.")
    counts_private: bool = Field(
        description=(
            "True for a collective's event and a members-only one: who registered tells who "
            "belongs to its hosts, so `seats_left` and `waitlist_count` are null (and "
            "`waitlist_position` too) whoever asks; the people who run it read its roster."
        )
    )
    seats_left: int | None = Field(
        description="Null for no limit, or when `counts_private` is true."
    )
    waitlist_count: int | None = Field(description="Null when `counts_private` is true.")
    minimum: int = Field(description="Registrants needed for the event to run.")
    registration_opens_at: datetime.datetime | None
    registration_closes_at: datetime.datetime | None
    registration_state: choice(Registration.State) | None = Field(
        description="The caller's own registration, if any."
    )
    online_join_details: str | None = Field(
        description="Only for a caller who holds a seat; null otherwise."
    )

    @staticmethod
    def resolve_format(obj):
        return obj.format or None

    @staticmethod
    def resolve_start(obj):
        return timezone.localtime(obj.start)

    @staticmethod
    def resolve_end(obj):
        return timezone.localtime(obj.end)

    @staticmethod
    def resolve_registration_opens_at(obj):
        return obj.registration_opens_at and timezone.localtime(obj.registration_opens_at)

    @staticmethod
    def resolve_registration_closes_at(obj):
        return obj.registration_closes_at and timezone.localtime(obj.registration_closes_at)

    @staticmethod
    def resolve_campus(obj):
        return obj.campus and {"slug": obj.campus.slug, "name": obj.campus.name}

    @staticmethod
    def resolve_seats_left(obj):
        if obj.counts_private:
            return None
        return obj.seats_left(obj.registered_count)

    @staticmethod
    def resolve_waitlist_count(obj):
        return None if obj.counts_private else obj.waitlist_count

    @staticmethod
    def resolve_registration_state(obj):
        return obj.caller_state

    @staticmethod
    def resolve_online_join_details(obj):
        if obj.caller_state in Registration.HOLDS_SEAT and obj.online_join_details:
            return obj.online_join_details
        return None


class EventOut(EventSummaryOut):
    description: str
    series: NamedOut | None
    host: HostOut | None

    @staticmethod
    def resolve_series(obj):
        return obj.series and {"slug": obj.series.slug, "name": obj.series.name}

    @staticmethod
    def resolve_host(obj):
        host = obj.host
        if host is None:
            return None
        return {
            "type": host._meta.model_name,
            "slug": getattr(host, "slug", None),
            "name": getattr(host, "name", None) or getattr(host, "title", None) or str(host),
        }


def with_caller(events, person):
    """Seat counts, the caller's own registration state, and what the schemas read."""
    if person is None:
        state = Value(None, output_field=CharField())
    else:
        state = Subquery(
            Registration.objects.filter(event=OuterRef("pk"), person=person).values("state")[:1]
        )
    return events.with_counts().annotate(caller_state=state).select_related("campus", "series")


def visible_events(person):
    return with_caller(Event.objects.visible_to(person), person)


class EventFilters(Schema):
    kind: choice(Event.Kind) | None = None
    upcoming: bool | None = Field(
        None,
        description=(
            "Only events still to come and not cancelled. Defaults to true unless `from` or "
            "`to` is given."
        ),
    )
    from_: Day | None = Field(
        None,
        alias="from",
        description=(
            "Events starting on or after this day (the installation's time zone): YYYY-MM-DD, "
            "years 1900 to 2999."
        ),
    )
    to: Day | None = Field(
        None,
        description=(
            "Events starting on or before this day (the installation's time zone): YYYY-MM-DD, "
            "years 1900 to 2999."
        ),
    )


def day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@router.get(
    "/events",
    response={200: list[EventOut], 401: ErrorOut, 422: ErrorOut},
    summary="List events",
)
@paginate(Pagination)
def list_events(request, filters: Query[EventFilters]):
    events = visible_events(caller(request))
    # `to` before `from` is an empty range (no event), like any range with nothing in it: a
    # valid question whose answer is empty, not an error the schema could not describe.
    upcoming = filters.upcoming
    if upcoming is None:
        upcoming = filters.from_ is None and filters.to is None
    if upcoming:
        events = events.upcoming()
    if filters.from_:
        events = events.filter(start__gte=day_start(filters.from_))
    if filters.to:
        events = events.filter(start__lt=day_start(filters.to + datetime.timedelta(days=1)))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return events.prefetch_related("host").order_by("start", "pk")


@router.get(
    "/events/{id}",
    response={200: EventOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One event",
    description=(
        "An event the caller may see (as in the list), or one the caller runs: a training "
        "coordinator, a DEI administrator or one of its facilitators also gets an "
        "invitation-only event without a registration of their own, as its roster answers "
        "them. The list does not add such events: it shows what the caller may register for."
    ),
)
def get_event(request, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    # The people who run an event see it even without an invitation of their own
    # (belong.events.access.visible_event_or_404, as on the event's page and its roster).
    events = with_caller(Event.objects.all(), person).prefetch_related("host")
    return visible_event(person, id, queryset=events)


def no_such_event(id):
    return not_found(_("No event with the id %(id)s.") % {"id": id})


# --- my registration ---------------------------------------------------------------------------

# What belong.events.models.new_code makes (token_urlsafe); anything else cannot match.
INVITATION_CODE = r"^[A-Za-z0-9_-]*$"

State = Registration.State


def waitlist_position(registration):
    if registration.state != State.WAITLISTED:
        return None
    return registration.ahead_on_waitlist + 1


def own_waitlist_position(registration):
    """The caller's own place on the waitlist, or None when the event's counts are private
    (Event.counts_private: the place moves as others ahead leave)."""
    if registration.event.counts_private:
        return None
    return waitlist_position(registration)


def registrations_of(person):
    """A person's registrations with their waitlist positions and events (seat counts, the
    person's own state, host), in a constant number of queries."""
    events = with_caller(Event.objects.all(), person).prefetch_related("host")
    return (
        Registration.objects.filter(person=person)
        .annotate(ahead_on_waitlist=ahead_on_waitlist())
        .prefetch_related(Prefetch("event", queryset=events))
    )


class RegistrationOut(Schema):
    state: choice(Registration.State)
    waitlist_position: int | None = Field(
        description=(
            "1 for the first on the waitlist; null unless waitlisted, and null for an event "
            "whose `counts_private` is true."
        )
    )
    registered_at: datetime.datetime = Field(description="When the seat was last asked for.")
    prework_done_at: datetime.datetime | None = Field(
        description="When the person marked the pre-work done; null until then."
    )
    event: EventOut

    @staticmethod
    def resolve_waitlist_position(obj):
        return own_waitlist_position(obj)

    @staticmethod
    def resolve_registered_at(obj):
        return timezone.localtime(obj.requested_at)

    @staticmethod
    def resolve_prework_done_at(obj):
        return obj.prework_done_at and timezone.localtime(obj.prework_done_at)


class RegistrationResultOut(RegistrationOut):
    created: bool = Field(
        description=(
            "True (and status 201) when this request registered or waitlisted the caller; "
            "false (status 200) when they already were, and nothing changed."
        )
    )


# Request bodies are plain pydantic models: ninja's Schema would read any JSON value (a list,
# a string) attribute by attribute instead of refusing what is not an object.
class RegistrationIn(BaseModel):
    invitation_code: str = Field(
        "",
        max_length=64,
        pattern=INVITATION_CODE,
        description="For an invitation-only event: the code from the invitation link.",
    )


def visible_event(person, id, *, invitation_code="", queryset=None):
    try:
        return visible_event_or_404(person, id, invitation_code=invitation_code, queryset=queryset)
    except Http404:
        raise no_such_event(id) from None


@router.put(
    "/events/{id}/registration",
    auth=SIGNED_IN,
    response={
        200: RegistrationResultOut,
        201: RegistrationResultOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        503: ErrorOut,
    },
    summary="Register me",
    description=(
        "A seat if one is free, else the waitlist (`waitlist_position` says where, except for "
        "an event whose counts are private). Asking "
        "again changes nothing (200, `created` false). Refused with 409 for a cancelled or "
        "started event or outside the registration window, 403 without the invitation to an "
        "invitation-only event, 503 (with Retry-After) when the event is too busy to decide."
    ),
)
def register(request, id: int = Path(..., le=MAX_ID), payload: RegistrationIn | None = None):
    person = caller(request)
    code = payload.invitation_code if payload else ""
    try:
        # The action decides visibility under its lock (an event the caller may not see is
        # DoesNotExist, a 404 that reveals nothing), so there is no look-up beforehand.
        outcome = actions.register(id, person=person, invitation_code=code, require_visible=True)
    except Event.DoesNotExist:
        raise no_such_event(id) from None
    registration = answer(outcome)
    return Status(201 if outcome.changed else 200, registration)


def answer(outcome):
    """The registration as RegistrationOut reads it, from the action's outcome alone: the event
    as locked, with the seat counts as decided under the lock, and its host as the action's mail
    loaded it (campus and series load when the event has them)."""
    registration = outcome.registration
    event = registration.event
    event.registered_count = outcome.registered_count
    event.waitlist_count = outcome.waitlist_count
    event.caller_state = registration.state
    registration.ahead_on_waitlist = (outcome.waitlist_position or 1) - 1
    registration.created = outcome.changed
    return registration


@router.delete(
    "/events/{id}/registration",
    auth=SIGNED_IN,
    response={
        204: None,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        503: ErrorOut,
    },
    summary="Cancel my registration",
    description=(
        "Gives up the caller's seat or place on the waitlist; the first waitlisted person takes "
        "a freed seat at once. 404 when the caller holds no registration (or it is already "
        "cancelled); 409 once the event has started or attendance is recorded."
    ),
)
def cancel_registration(request, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    event = visible_event(person, id)
    try:
        outcome = actions.cancel_registration(event.pk, person=person)
    except Event.DoesNotExist:
        raise no_such_event(id) from None
    if not outcome.changed:
        raise not_found(_("You have no registration for this event."))
    return Status(204, None)


# --- running an event: roster and attendance ---------------------------------------------------


def managed_event(person, id):
    """The event if `person` may run it; 403 if they may only see it, 404 if not even that
    (an invitation-only event is not revealed to outsiders): the pages' rule,
    belong.events.access.managed_event_or_404, in the API's words."""
    try:
        return managed_event_or_404(person, id)
    except Http404:
        raise no_such_event(id) from None
    except PermissionDenied:
        raise PermissionDenied(_("Only the people who run this event may do this.")) from None


class RosterPersonOut(Schema):
    name: str
    email: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class RosterEntryOut(Schema):
    id: int = Field(description="The registration's id, as attendance takes it.")
    person: RosterPersonOut
    state: choice(Registration.State)
    waitlist_position: int | None = Field(
        description="1 for the first on the waitlist; null unless waitlisted."
    )
    requested_at: datetime.datetime = Field(description="When the seat was last asked for.")
    prework_done_at: datetime.datetime | None = Field(
        description="When the person marked the pre-work done; null until then."
    )
    attendance_marked_at: datetime.datetime | None

    @staticmethod
    def resolve_waitlist_position(obj):
        return waitlist_position(obj)

    @staticmethod
    def resolve_requested_at(obj):
        return timezone.localtime(obj.requested_at)

    @staticmethod
    def resolve_prework_done_at(obj):
        return obj.prework_done_at and timezone.localtime(obj.prework_done_at)

    @staticmethod
    def resolve_attendance_marked_at(obj):
        return obj.attendance_marked_at and timezone.localtime(obj.attendance_marked_at)


class RosterFilters(Schema):
    state: choice(Registration.State) | None = Field(
        None, description="Only registrations in this state. By default all but cancelled ones."
    )


@router.get(
    "/events/{id}/roster",
    auth=SIGNED_IN,
    response={
        200: list[RosterEntryOut],
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="The roster of an event",
    description=(
        "For the event's coordinators and facilitators (and DEI administrators): seat holders "
        "first, then the waitlist in its order, then (with `state=cancelled`) cancellations. "
        "403 for anyone else who can see the event; 404 for one they cannot see."
    ),
)
@paginate(Pagination)
def roster(request, filters: Query[RosterFilters], id: int = Path(..., le=MAX_ID)):
    event = managed_event(caller(request), id)
    registrations = Registration.objects.filter(event=event)
    if filters.state:
        registrations = registrations.filter(state=filters.state)
    else:
        registrations = registrations.exclude(state=State.CANCELLED)
    group = Case(
        When(state__in=Registration.HOLDS_SEAT, then=Value(0)),
        When(state=State.WAITLISTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        registrations.select_related("person")
        .annotate(ahead_on_waitlist=ahead_on_waitlist(), group=group)
        .order_by("group", "requested_at", "pk")
    )


RegistrationId = Annotated[int, Field(ge=1, le=MAX_ID)]
# More than any room holds; a bound so a request cannot ask for unbounded work.
MAX_MARKS = 1000


class AttendanceIn(BaseModel):
    attended: list[RegistrationId] = Field(
        default_factory=list, max_length=MAX_MARKS, description="Registration ids who came."
    )
    no_show: list[RegistrationId] = Field(
        default_factory=list, max_length=MAX_MARKS, description="Registration ids who did not."
    )


class AttendanceOut(Schema):
    changed: int = Field(description="How many registrations changed state.")


@router.post(
    "/events/{id}/attendance",
    auth=SIGNED_IN,
    response={
        200: AttendanceOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        503: ErrorOut,
    },
    summary="Mark attendance",
    description=(
        "Marks seat holders (by registration id) as attended or no-show, once the event has "
        "started. 409 for an event not started yet or cancelled; 400 for an id that is not a "
        "seat holder of this event, or one given as both."
    ),
)
def mark_attendance(request, payload: AttendanceIn, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    event = managed_event(person, id)
    # The action runs in seat_transaction: a busy event is Busy (503), not a 500.
    try:
        changed = actions.mark_attendance(
            event.pk, actor=person, attended=payload.attended, no_show=payload.no_show
        )
    except Event.DoesNotExist:
        raise no_such_event(id) from None
    return {"changed": changed}

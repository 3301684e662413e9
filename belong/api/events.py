"""Events: workshop sessions, lectures, collective and program events, with their seats.

A caller sees public events; a signed-in caller also sees organization events, and an
invitation-only event only with a registration of their own. Online join details go to
registrants holding a seat and to nobody else."""

import datetime

from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from belong.api.auth import PUBLIC, caller
from belong.api.errors import ErrorOut, invalid, not_found
from belong.api.pagination import Pagination
from belong.api.schemas import NamedOut, choice
from belong.events.models import Event, Registration

router = Router(tags=["events"], auth=PUBLIC)

MAX_ID = 2**63 - 1
# Dates outside this range cannot be turned into instants in every zone.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


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
    seats_left: int | None = Field(description="Null for no limit.")
    waitlist_count: int
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
        return obj.seats_left(obj.registered_count)

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
    from_: datetime.date | None = Field(
        None,
        alias="from",
        ge=EARLIEST,
        le=LATEST,
        description="Events starting on or after this day (the installation's time zone).",
    )
    to: datetime.date | None = Field(
        None,
        ge=EARLIEST,
        le=LATEST,
        description="Events starting on or before this day (the installation's time zone).",
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
    if filters.from_ and filters.to and filters.to < filters.from_:
        raise invalid("to", _("Must be on or after “from”."))
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
)
def get_event(request, id: int = Path(..., le=MAX_ID)):
    event = visible_events(caller(request)).filter(pk=id).prefetch_related("host").first()
    if event is None:
        raise not_found(_("No event with the id %(id)s.") % {"id": id})
    return event

"""The caller's own data. Signed-in only: a visitor gets a 401."""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from belong.api.auth import SIGNED_IN, caller
from belong.api.errors import ErrorOut
from belong.api.events import EventOut, with_caller
from belong.api.pagination import Pagination
from belong.api.schemas import NamedOut, choice
from belong.events.models import Event, Registration
from belong.people.models import Person

router = Router(tags=["me"], auth=SIGNED_IN)


class MeOut(Schema):
    email: str
    full_name: str
    preferred_name: str
    display_name: str
    pronouns: str
    name_pronunciation: str
    credentials: str
    kind: choice(Person.Kind)
    org_unit: NamedOut | None
    campus: NamedOut | None
    language: choice(Person.Language)
    email_announcements: bool
    date_joined: datetime.datetime

    @staticmethod
    def resolve_org_unit(obj):
        return obj.org_unit and {"slug": obj.org_unit.slug, "name": obj.org_unit.name}

    @staticmethod
    def resolve_campus(obj):
        return obj.campus and {"slug": obj.campus.slug, "name": obj.campus.name}

    @staticmethod
    def resolve_date_joined(obj):
        return timezone.localtime(obj.date_joined)


class RegistrationOut(Schema):
    state: choice(Registration.State)
    waitlist_position: int | None = Field(
        description="1 for the first on the waitlist; null unless waitlisted."
    )
    registered_at: datetime.datetime
    prework_done_at: datetime.datetime | None
    event: EventOut

    @staticmethod
    def resolve_waitlist_position(obj):
        if obj.state != Registration.State.WAITLISTED:
            return None
        return obj.ahead_on_waitlist + 1

    @staticmethod
    def resolve_registered_at(obj):
        return timezone.localtime(obj.created_at)

    @staticmethod
    def resolve_prework_done_at(obj):
        return obj.prework_done_at and timezone.localtime(obj.prework_done_at)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="My profile")
def get_me(request):
    person = caller(request)
    return Person.objects.select_related("org_unit", "campus").get(pk=person.pk)


def ahead_on_waitlist():
    """How many waitlisted registrations for the same event came first (created_at, then pk:
    the registrations' own order)."""
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), state=Registration.State.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead), 0)


@router.get(
    "/me/registrations",
    response={200: list[RegistrationOut], 401: ErrorOut, 422: ErrorOut},
    summary="My registrations",
)
@paginate(Pagination)
def list_my_registrations(request):
    person = caller(request)
    events = with_caller(Event.objects.all(), person).prefetch_related("host")
    return (
        Registration.objects.filter(person=person)
        .annotate(ahead_on_waitlist=ahead_on_waitlist())
        .prefetch_related(Prefetch("event", queryset=events))
        .order_by("event__start", "pk")
    )

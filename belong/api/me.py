"""The caller's own data. Signed-in only: a visitor gets a 401."""

import datetime

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from belong.api.auth import SIGNED_IN, caller
from belong.api.errors import ErrorOut
from belong.api.events import RegistrationOut, registrations_of
from belong.api.pagination import Pagination
from belong.api.schemas import NamedOut, choice
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


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="My profile")
def get_me(request):
    person = caller(request)
    return Person.objects.select_related("org_unit", "campus").get(pk=person.pk)


@router.get(
    "/me/registrations",
    response={200: list[RegistrationOut], 401: ErrorOut, 422: ErrorOut},
    summary="My registrations",
    description=(
        "Every registration of the caller, cancelled ones included, by the event's start: "
        "state, waitlist position, pre-work done, and the event with its seats."
    ),
)
@paginate(Pagination)
def list_my_registrations(request):
    return registrations_of(caller(request)).order_by("event__start", "pk")

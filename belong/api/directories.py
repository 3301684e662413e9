"""The directories of local minority-owned businesses and community partners: approved entries
for anyone signed in (searchable), and suggestions that a DEI administrator reviews."""

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from belong.api.auth import SIGNED_IN, caller
from belong.api.collectives import refusal
from belong.api.errors import ErrorOut
from belong.api.pagination import Pagination
from belong.collectives.actions import directories as actions
from belong.collectives.actions.memberships import Refused

router = Router(tags=["directories"], auth=SIGNED_IN)

SEARCHED = {
    "businesses": ["name", "description", "category", "ownership", "certifications", "area_served"],
    "partners": ["name", "description", "category", "area_served"],
}


class EntryOut(Schema):
    id: int
    name: str
    category: str
    description: str
    area_served: str
    contact_name: str
    email: str
    phone: str
    address: str
    website: str


class BusinessOut(EntryOut):
    ownership: str = Field(description="As the business reports it.")
    certifications: str


class PartnerOut(EntryOut):
    focus_areas: list[str] = Field(description="Slugs of its areas of focus.")

    @staticmethod
    def resolve_focus_areas(obj):
        return [area.slug for area in obj.focus_areas.all()]


class EntryFilters(Schema):
    q: str = Field("", max_length=200, description="Words searched in the entry's texts.")
    category: str = Field("", max_length=120)


class EntryIn(Schema):
    name: str = Field(..., max_length=200)
    category: str = Field(..., max_length=120)
    description: str = Field("", max_length=5000)
    area_served: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=300)
    website: str = Field("", max_length=200)


class BusinessIn(EntryIn):
    ownership: str = Field("", max_length=300)
    certifications: str = Field("", max_length=300)


class PartnerIn(EntryIn):
    pass


def _approved(kind_slug, filters: EntryFilters):
    kind = actions.kind_of(kind_slug)
    entries = kind.model.objects.filter(status=kind.model.Status.APPROVED).order_by("name", "pk")
    if kind_slug == "partners":
        entries = entries.prefetch_related("focus_areas")
    if filters.q.strip():
        condition = Q()
        for field in SEARCHED[kind_slug]:
            condition |= Q(**{f"{field}__icontains": filters.q.strip()})
        entries = entries.filter(condition)
    if filters.category.strip():
        entries = entries.filter(category__iexact=filters.category.strip())
    return entries


LIST = {200: list[BusinessOut], 401: ErrorOut, 422: ErrorOut}
SUGGEST = {201: BusinessOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut}


@router.get("/businesses", response=LIST, summary="Local minority-owned businesses")
@paginate(Pagination)
def list_businesses(request, filters: Query[EntryFilters]):
    return _approved("businesses", filters)


@router.get(
    "/partners",
    response={200: list[PartnerOut], 401: ErrorOut, 422: ErrorOut},
    summary="Community partners",
)
@paginate(Pagination)
def list_partners(request, filters: Query[EntryFilters]):
    return _approved("partners", filters)


def _suggest(request, kind_slug, payload):
    try:
        entry = actions.suggest(kind_slug, person=caller(request), data=payload.dict())
    except Refused as exc:
        return refusal(exc)
    return 201, entry


@router.post(
    "/businesses",
    response=SUGGEST,
    summary="Suggest a business",
    description="Listed once a DEI administrator approves it. 400 names the field at fault.",
)
def suggest_business(request, payload: BusinessIn):
    return _suggest(request, "businesses", payload)


@router.post(
    "/partners",
    response={201: PartnerOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="Suggest a community partner",
    description="Listed once a DEI administrator approves it. 400 names the field at fault.",
)
def suggest_partner(request, payload: PartnerIn):
    return _suggest(request, "partners", payload)

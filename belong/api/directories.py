"""The directories of local minority-owned businesses and community partners: the approved
entries for anyone signed in (searched and filtered as on the pages, by
belong.collectives.actions.directories.search), and suggestions that a DEI administrator
reviews before they are listed."""

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from belong.api.auth import SIGNED_IN, caller
from belong.api.errors import ErrorOut
from belong.api.pagination import Pagination
from belong.api.schemas import BodyIn
from belong.collectives.actions import directories as actions
from belong.collectives.forms.directories import DESCRIPTION_MAX

router = Router(tags=["directories"], auth=SIGNED_IN)

MAX_AREAS = 20


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
    ownership: str = Field(description="Ownership designations, as the business reports them.")
    certifications: str


class PartnerOut(EntryOut):
    focus_areas: list[str] = Field(description="Slugs of its areas of focus.")

    @staticmethod
    def resolve_focus_areas(obj):
        return [area.slug for area in obj.focus_areas.all()]


class EntryFilters(Schema):
    q: str = Field(
        "",
        max_length=200,
        description="Words, each found in the name, description, "
        "category or area served (and a business's ownership or certifications).",
    )
    category: str = Field("", max_length=120, description="A category (case-insensitive).")


class BusinessFilters(EntryFilters):
    ownership: str = Field(
        "", max_length=100, description="An ownership designation, e.g. `woman-owned`."
    )
    certification: str = Field("", max_length=100, description="A certification, e.g. `MBE`.")


class PartnerFilters(EntryFilters):
    area: str = Field("", max_length=80, description="The slug of an area of focus.")


# Required text: the document says it cannot be blank; the form refuses blank with a 400.
NOT_BLANK = {"minLength": 1, "pattern": r"\S"}


class EntryIn(BodyIn):
    name: str = Field(..., max_length=200, json_schema_extra=NOT_BLANK)
    category: str = Field(..., max_length=120, json_schema_extra=NOT_BLANK)
    description: str = Field("", max_length=DESCRIPTION_MAX)
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
    focus_areas: list[str] = Field([], max_length=MAX_AREAS, description="Slugs of areas of focus.")


READ = {401: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
SUGGEST_DESCRIPTION = (
    "Anyone signed in may suggest an entry; it is listed once a DEI administrator approves it "
    "(the answer's entry is not listed yet). A value that is not valid is a 400 naming the field."
)


@router.get(
    "/businesses",
    response={200: list[BusinessOut], **READ},
    summary="Local minority-owned businesses",
)
@paginate(Pagination)
def list_businesses(request, filters: Query[BusinessFilters]):
    return actions.search("businesses", **filters.dict())


@router.get(
    "/partners",
    response={200: list[PartnerOut], **READ},
    summary="Community partners",
)
@paginate(Pagination)
def list_partners(request, filters: Query[PartnerFilters]):
    return actions.search("partners", **filters.dict())


@router.post(
    "/businesses",
    response={201: BusinessOut, **WRITE},
    summary="Suggest a business",
    description=SUGGEST_DESCRIPTION,
)
def suggest_business(request, payload: BusinessIn):
    entry = actions.suggest("businesses", person=caller(request), **payload.dict())
    return Status(201, entry)


@router.post(
    "/partners",
    response={201: PartnerOut, **WRITE},
    summary="Suggest a community partner",
    description=SUGGEST_DESCRIPTION,
)
def suggest_partner(request, payload: PartnerIn):
    fields = payload.dict()
    fields["focus_areas"] = actions.focus_areas_by_slug(fields["focus_areas"])
    entry = actions.suggest("partners", person=caller(request), **fields)
    return Status(201, entry)

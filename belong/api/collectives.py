"""Collectives: what each one is and stands for. Membership is private data: no member lists or
counts here (counts come with disclosure control)."""

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from belong.api.auth import PUBLIC
from belong.api.errors import ErrorOut, not_found
from belong.api.pagination import Pagination
from belong.api.schemas import is_slug
from belong.collectives.models import Collective

router = Router(tags=["collectives"], auth=PUBLIC)


class FocusAreaOut(Schema):
    slug: str
    name: str


class CollectiveOut(Schema):
    slug: str
    name: str
    name_to_confirm: bool
    summary: str
    mission: str
    vision: str
    commitments: list[str]
    focus_areas: list[FocusAreaOut]

    @staticmethod
    def resolve_commitments(obj):
        return [commitment.text for commitment in obj.commitments.all()]

    @staticmethod
    def resolve_focus_areas(obj):
        return list(obj.focus_areas.all())


def collectives():
    return Collective.objects.filter(is_active=True).prefetch_related("commitments", "focus_areas")


@router.get(
    "/collectives",
    response={200: list[CollectiveOut], 401: ErrorOut, 422: ErrorOut},
    summary="List collectives",
)
@paginate(Pagination)
def list_collectives(request):
    return collectives()


@router.get(
    "/collectives/{slug}",
    response={200: CollectiveOut, 401: ErrorOut, 404: ErrorOut},
    summary="One collective",
)
def get_collective(request, slug: str):
    collective = collectives().filter(slug=slug).first() if is_slug(slug) else None
    if collective is None:
        raise not_found(_("No collective with the slug “%(slug)s”.") % {"slug": slug})
    return collective

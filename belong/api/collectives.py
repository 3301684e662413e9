"""Collectives: what each one is and stands for, how many members and allies it has
(disclosure-controlled), and the caller's own membership: join, change, leave.

Membership is private data. The counts are published by the disclosure engine ("<11" for a
small count) and never summed. The members endpoint lists only the memberships the caller may
see, by the same rule as the collective's page (belong.collectives.access)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel

from belong.api.auth import PUBLIC, SIGNED_IN, caller
from belong.api.errors import ErrorOut, not_found
from belong.api.pagination import Pagination
from belong.api.schemas import NamedOut, choice, is_slug
from belong.collectives import access, counts
from belong.collectives.actions import memberships
from belong.collectives.models import Collective, Membership

router = Router(tags=["collectives"], auth=PUBLIC)


class FocusAreaOut(Schema):
    slug: str
    name: str


class MyMembershipOut(Schema):
    kind: choice(Membership.Kind)
    visibility: choice(Membership.Visibility) = Field(
        description=(
            "Who may see it besides the caller: `leaders` (the collective's current leaders "
            "only), `members` (also everyone who joined it), `organization` (everyone signed in)."
        )
    )
    joined_at: datetime.datetime

    @staticmethod
    def resolve_joined_at(obj):
        return timezone.localtime(obj.joined_at)


class MembershipOut(MyMembershipOut):
    collective: NamedOut

    @staticmethod
    def resolve_collective(obj):
        return {"slug": obj.collective.slug, "name": obj.collective.name}


COUNT_DESCRIPTION = (
    "As the latest release publishes it (as of `counts_as_of`): a number perturbed by a few "
    "either way, `<11` for a small count (the installation's threshold), or `—` when no "
    "release holds the collective yet. Members and allies are never summed."
)


class CollectiveOut(Schema):
    slug: str
    name: str
    name_to_confirm: bool
    summary: str
    mission: str
    vision: str
    commitments: list[str]
    focus_areas: list[FocusAreaOut]
    member_count: str = Field(description=COUNT_DESCRIPTION)
    ally_count: str = Field(description=COUNT_DESCRIPTION)
    counts_as_of: datetime.date | None = Field(
        description="The date of the release the counts are from; null before the first."
    )
    my_membership: MyMembershipOut | None = Field(
        description="The caller's own membership; null for a visitor or a caller who has not "
        "joined."
    )

    @staticmethod
    def resolve_commitments(obj):
        return [commitment.text for commitment in obj.commitments.all()]

    @staticmethod
    def resolve_focus_areas(obj):
        return list(obj.focus_areas.all())

    @staticmethod
    def resolve_member_count(obj):
        return obj.member_count.shown

    @staticmethod
    def resolve_ally_count(obj):
        return obj.ally_count.shown

    @staticmethod
    def resolve_my_membership(obj):
        return obj.my_membership


def collectives():
    return counts.with_counts(
        Collective.objects.filter(is_active=True).prefetch_related("commitments", "focus_areas")
    )


def described(queryset, person):
    """The collectives with their published counts and the caller's memberships, as a list
    (the counts are published as one table, a page of it at a time is not)."""
    found = counts.publish(queryset)
    mine = {}
    if person is not None and found:
        mine = {
            m.collective_id: m
            for m in Membership.objects.filter(person=person, collective__in=found)
        }
    for collective in found:
        collective.my_membership = mine.get(collective.pk)
    return found


def no_such_collective(slug):
    return not_found(_("No collective with the slug “%(slug)s”.") % {"slug": slug})


def active_collective(slug):
    collective = None
    if is_slug(slug):
        collective = Collective.objects.filter(slug=slug, is_active=True).first()
    if collective is None:
        raise no_such_collective(slug)
    return collective


@router.get(
    "/collectives",
    response={200: list[CollectiveOut], 401: ErrorOut, 422: ErrorOut},
    summary="List collectives",
)
@paginate(Pagination)
def list_collectives(request):
    return described(collectives(), caller(request))


@router.get(
    "/collectives/{slug}",
    response={200: CollectiveOut, 401: ErrorOut, 404: ErrorOut},
    summary="One collective",
)
def get_collective(request, slug: str):
    found = described(collectives().filter(slug=slug), caller(request)) if is_slug(slug) else []
    if not found:
        raise no_such_collective(slug)
    return found[0]


# --- my membership -----------------------------------------------------------------------------


# A plain pydantic model: ninja's Schema would read any JSON value attribute by attribute
# instead of refusing what is not an object.
class MembershipIn(BaseModel):
    kind: str | None = Field(
        None,
        max_length=40,
        description="`member` or `ally`. When joining, `member` if omitted; unchanged otherwise.",
    )
    visibility: str | None = Field(
        None,
        max_length=40,
        description=(
            "Who may see the membership: `leaders` (its leaders only), `members` (also everyone "
            "who joined the collective) or `organization` (everyone signed in). When joining, "
            "`leaders` if omitted; unchanged otherwise."
        ),
    )


@router.put(
    "/collectives/{slug}/membership",
    auth=SIGNED_IN,
    response={
        200: MembershipOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Join, or change my membership",
    description=(
        "Joins the collective as a member or an ally, or changes how the caller belongs. A new "
        "membership is seen by the collective's leaders only unless `visibility` says "
        "otherwise. Asking again with the same values changes nothing. 400 (naming the field) "
        "for a value that is not one of the choices; 403 for a session without its CSRF token."
    ),
)
def put_membership(request, slug: str, payload: MembershipIn | None = None):
    person = caller(request)
    payload = payload or MembershipIn()
    try:
        collective = active_collective(slug)
        outcome = memberships.join(
            collective.pk, person=person, kind=payload.kind, visibility=payload.visibility
        )
    except Collective.DoesNotExist:
        raise no_such_collective(slug) from None
    membership = outcome.membership
    membership.collective = collective
    return Status(200, membership)


@router.delete(
    "/collectives/{slug}/membership",
    auth=SIGNED_IN,
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Leave",
    description=(
        "Deletes the caller's membership: only an anonymous monthly count of members and allies "
        "is kept. 404 when the caller has not joined the collective."
    ),
)
def delete_membership(request, slug: str):
    person = caller(request)
    collective = active_collective(slug)
    try:
        left = memberships.leave(collective.pk, person=person)
    except Collective.DoesNotExist:
        raise no_such_collective(slug) from None
    if not left:
        raise not_found(_("You have not joined this collective."))
    return Status(204, None)


@router.get(
    "/me/memberships",
    auth=SIGNED_IN,
    tags=["me"],
    response={200: list[MembershipOut], 401: ErrorOut, 422: ErrorOut},
    summary="My memberships",
    description="The collectives the caller has joined, with how and who may see it.",
)
@paginate(Pagination)
def list_my_memberships(request):
    return (
        Membership.objects.filter(person=caller(request), collective__is_active=True)
        .select_related("collective")
        .order_by("collective__order", "collective__name", "pk")
    )


class MemberOut(Schema):
    name: str = Field(description="The person's display name.")
    kind: choice(Membership.Kind)

    @staticmethod
    def resolve_name(obj):
        return obj.person.display_name


@router.get(
    "/collectives/{slug}/members",
    auth=SIGNED_IN,
    response={200: list[MemberOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Members and allies I may see",
    description=(
        "Only the memberships the caller may see, as on the collective's page: their own; all "
        "of them for the collective's current leaders; those its people opened to the "
        "collective's members (when the caller joined it) or to the whole organization. Nobody "
        "else is listed, and nothing says how many are not."
    ),
)
@paginate(Pagination)
def list_members(request, slug: str):
    collective = active_collective(slug)
    return (
        access.visible_memberships(caller(request), collective.memberships.all())
        .select_related("person")
        .order_by("person__full_name", "person__email", "pk")
    )

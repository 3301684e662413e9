"""Recommendations to the organization: read by everyone (submitted ones: the tracker), written
by those who run the collective (drafts, submission), answered by DEI administrators. Every
change goes through belong.collectives.actions.recommendations and every permission through
belong.collectives.access, as on the pages. A recommendation is signed by its collective: no
person is named in any answer here."""

import datetime
from contextlib import contextmanager
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel

from belong.api.auth import PUBLIC, SIGNED_IN, caller
from belong.api.errors import ErrorOut, invalid, not_found
from belong.api.pagination import Pagination
from belong.api.schemas import SLUG, NamedOut, choice, is_slug
from belong.collectives import access
from belong.collectives.actions import recommendations as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import FocusArea, Recommendation, RecommendationUpdate
from belong.collectives.views.recommendations import latest_answer_at
from belong.lib.converters import MAX_ID

router = Router(tags=["recommendations"], auth=PUBLIC)

State = Recommendation.State
MAX_AREAS = 20
DAY = 24 * 60 * 60


# The states on the tracker (a draft is never listed), and those an answer may give.
TrackedState = Literal[tuple(value for value in State.values if value != State.DRAFT)]
AnswerState = Literal[tuple(state.value for state in actions.ANSWER_STATES)]


class UpdateOut(Schema):
    state: choice(State)
    text: str = Field(description="The answer's text (empty for a submission).")
    at: datetime.datetime

    @staticmethod
    def resolve_at(obj):
        return timezone.localtime(obj.at)


class RecommendationSummaryOut(Schema):
    id: int
    title: str
    collective: NamedOut = Field(description="Its author: a recommendation speaks for it.")
    focus_areas: list[NamedOut]
    state: choice(State)
    submitted_at: datetime.datetime | None
    latest_answer_at: datetime.datetime | None = Field(
        description="When the DEI office last answered (any state after submission)."
    )
    answered_at: datetime.datetime | None = Field(
        description="When it was adopted, partly adopted or declined; null until then."
    )
    waited_days: float | None = Field(
        description=(
            "Days from submission to the answer (adopted, partly adopted or declined), or "
            "waited so far; null for a draft."
        )
    )

    @staticmethod
    def resolve_collective(obj):
        return {"slug": obj.collective.slug, "name": obj.collective.name}

    @staticmethod
    def resolve_focus_areas(obj):
        return [{"slug": area.slug, "name": area.name} for area in obj.focus_areas.all()]

    @staticmethod
    def resolve_submitted_at(obj):
        return obj.submitted_at and timezone.localtime(obj.submitted_at)

    @staticmethod
    def resolve_answered_at(obj):
        return obj.answered_at and timezone.localtime(obj.answered_at)

    @staticmethod
    def resolve_latest_answer_at(obj):
        value = getattr(obj, "latest_answer_at", None)
        return value and timezone.localtime(value)

    @staticmethod
    def resolve_waited_days(obj):
        waited = obj.waited()
        return None if waited is None else round(waited.total_seconds() / DAY, 2)


class RecommendationOut(RecommendationSummaryOut):
    problem: str
    proposal: str
    policies: list[str] = Field(description="The policies concerned, one per item.")
    history: list[UpdateOut] = Field(description="Every state since submission, oldest first.")

    @staticmethod
    def resolve_policies(obj):
        return [line for line in obj.policies.splitlines() if line.strip()]

    @staticmethod
    def resolve_history(obj):
        return list(obj.updates.all())


def recommendations():
    return (
        Recommendation.objects.filter(collective__is_active=True)
        .select_related("collective")
        .prefetch_related(
            "focus_areas",
            Prefetch("updates", queryset=RecommendationUpdate.objects.order_by("at", "pk")),
        )
        .annotate(latest_answer_at=latest_answer_at())
    )


def no_such_recommendation(id):
    return not_found(_("No recommendation with the id %(id)s.") % {"id": id})


def visible(person, id) -> Recommendation:
    """A recommendation the caller may see (a draft only for those who run its collective)."""
    recommendation = recommendations().filter(pk=id).first()
    if recommendation is None or not access.can_see_recommendation(person, recommendation):
        raise no_such_recommendation(id)
    return recommendation


@contextmanager
def gone_is_404(id=None):
    """An action's refusal that the recommendation (or its collective) is gone becomes the
    API's plain 404 for it; any other refusal goes on to the API's handler (errors.install)."""
    try:
        yield
    except Refused as exc:
        if exc.status != 404:
            raise
        raise (no_such_recommendation(id) if id is not None else not_found(exc.message)) from None


# --- reading -----------------------------------------------------------------------------------


# The document says what the filters take; the view still refuses anything else with a message.
SLUG_PATTERN = {"pattern": f"^{SLUG.pattern}$"}


class RecommendationFilters(Schema):
    state: TrackedState | None = Field(
        None, description="Only recommendations in this state (drafts are never listed)."
    )
    collective: str | None = Field(
        None, description="A collective's slug.", max_length=200, json_schema_extra=SLUG_PATTERN
    )
    focus_area: str | None = Field(
        None, description="An area of focus's slug.", max_length=200, json_schema_extra=SLUG_PATTERN
    )


@router.get(
    "/recommendations",
    response={200: list[RecommendationOut], 401: ErrorOut, 422: ErrorOut},
    summary="List recommendations (the tracker)",
    description=(
        "Every submitted recommendation, the most recently submitted first, with its state, "
        "history and wait. Drafts are never listed. Filters: `state`, `collective` (slug), "
        "`focus_area` (slug)."
    ),
)
@paginate(Pagination)
def list_recommendations(request, filters: Query[RecommendationFilters]):
    for name in ("collective", "focus_area"):
        value = getattr(filters, name)
        if value is not None and not is_slug(value):
            raise invalid(name, _("Give a slug: letters, digits, hyphens and underscores."))
    listed = recommendations().exclude(state=State.DRAFT)
    if filters.state:
        listed = listed.filter(state=filters.state)
    if filters.collective:
        listed = listed.filter(collective__slug=filters.collective)
    if filters.focus_area:
        listed = listed.filter(focus_areas__slug=filters.focus_area)
    return listed.order_by("-submitted_at", "-pk")


@router.get(
    "/recommendations/{id}",
    response={200: RecommendationOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One recommendation",
    description="A submitted recommendation; a draft only for those who run its collective.",
)
def get_recommendation(request, id: int = Path(..., le=MAX_ID)):
    return visible(caller(request), id)


# --- writing: the collective's leaders ---------------------------------------------------------


# Request bodies are plain pydantic models (see belong/api/events.py).
class RecommendationIn(BaseModel):
    title: str = Field(max_length=actions.MAX_TITLE)
    problem: str = Field(max_length=actions.MAX_TEXT)
    proposal: str = Field(max_length=actions.MAX_TEXT)
    policies: str = Field(
        "", max_length=actions.MAX_POLICIES, description="The policies concerned, one a line."
    )
    focus_areas: list[str] = Field(
        default_factory=list, max_length=MAX_AREAS, description="Slugs of areas of focus."
    )


class RecommendationPatch(BaseModel):
    title: str | None = Field(None, max_length=actions.MAX_TITLE)
    problem: str | None = Field(None, max_length=actions.MAX_TEXT)
    proposal: str | None = Field(None, max_length=actions.MAX_TEXT)
    policies: str | None = Field(None, max_length=actions.MAX_POLICIES)
    focus_areas: list[str] | None = Field(None, max_length=MAX_AREAS)


def areas_from_slugs(slugs):
    slugs = list(dict.fromkeys(slugs))
    areas = list(FocusArea.objects.filter(slug__in=[s for s in slugs if is_slug(s)]))
    if len(areas) != len(slugs):
        raise Refused(_("Choose areas of focus from the list."), field="focus_areas")
    return areas


WRITE_RESPONSES = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post(
    "/collectives/{slug}/recommendations",
    auth=SIGNED_IN,
    response={201: RecommendationOut, **WRITE_RESPONSES},
    summary="Write a draft recommendation",
    description=(
        "For the collective's current leaders (and DEI administrators): a new draft, seen only "
        "by them until it is submitted. 400 names the field that is not acceptable (an empty "
        "title, an unknown area of focus); 403 for anyone else; 404 for no such collective."
    ),
)
def create_recommendation(request, payload: RecommendationIn, slug: str):
    person = caller(request)
    try:
        collective = access.collective_or_404(slug if is_slug(slug) else None)
    except Http404:
        raise not_found(_("No collective with the slug “%(slug)s”.") % {"slug": slug}) from None
    if not access.can_run(person, collective):
        raise PermissionDenied(_("Only the collective's leaders may write its recommendations."))
    with gone_is_404():
        recommendation = actions.save_draft(
            collective.pk,
            actor=person,
            title=payload.title,
            problem=payload.problem,
            proposal=payload.proposal,
            policies=payload.policies,
            focus_areas=areas_from_slugs(payload.focus_areas),
        )
    return Status(201, visible(person, recommendation.pk))


def _runs_or_refuse(person, id) -> Recommendation:
    """404 for what the caller cannot see; 403 for one they see but do not write."""
    recommendation = visible(person, id)
    if not access.can_run(person, recommendation.collective):
        raise PermissionDenied(_("Only the collective's leaders may change its recommendations."))
    return recommendation


@router.patch(
    "/recommendations/{id}",
    auth=SIGNED_IN,
    response={200: RecommendationOut, **WRITE_RESPONSES},
    summary="Edit a draft recommendation",
    description=(
        "For those who run its collective; only the fields given change. 409 once it is "
        "submitted (it can no longer change)."
    ),
)
def edit_recommendation(request, payload: RecommendationPatch, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    current = _runs_or_refuse(person, id)
    with gone_is_404(id):
        with transaction.atomic():
            # The row is locked while the fields not given are read, so they are current.
            locked = Recommendation.objects.select_for_update().filter(pk=current.pk).first()
            if locked is None:
                raise no_such_recommendation(id)
            areas = (
                areas_from_slugs(payload.focus_areas)
                if payload.focus_areas is not None
                else list(locked.focus_areas.all())
            )
            actions.save_draft(
                locked.collective_id,
                actor=person,
                recommendation_id=locked.pk,
                title=locked.title if payload.title is None else payload.title,
                problem=locked.problem if payload.problem is None else payload.problem,
                proposal=locked.proposal if payload.proposal is None else payload.proposal,
                policies=locked.policies if payload.policies is None else payload.policies,
                focus_areas=areas,
            )
    return visible(person, id)


@router.delete(
    "/recommendations/{id}",
    auth=SIGNED_IN,
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Delete a draft recommendation",
    description="For those who run its collective; 409 once it is submitted (it stays public).",
)
def delete_recommendation(request, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    _runs_or_refuse(person, id)
    with gone_is_404(id):
        actions.withdraw(id, actor=person)
    return Status(204, None)


@router.post(
    "/recommendations/{id}/submit",
    auth=SIGNED_IN,
    response={200: RecommendationOut, **WRITE_RESPONSES},
    summary="Submit a draft recommendation",
    description=(
        "For those who run its collective: the draft goes on the public tracker, its wait "
        "starts and the DEI administrators are told. 409 if it was submitted already."
    ),
)
def submit_recommendation(request, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    _runs_or_refuse(person, id)
    with gone_is_404(id):
        actions.submit(id, actor=person)
    return visible(person, id)


# --- answering: DEI administrators -------------------------------------------------------------


class AnswerIn(BaseModel):
    state: AnswerState = Field(
        description=(
            "acknowledged, under_review, adopted, partly_adopted or declined: one that the "
            "current state allows."
        )
    )
    text: str = Field(
        "",
        max_length=actions.MAX_ANSWER,
        description="The answer; required for adopted, partly_adopted and declined.",
    )


@router.post(
    "/recommendations/{id}/answer",
    auth=SIGNED_IN,
    response={200: RecommendationOut, **WRITE_RESPONSES},
    summary="Answer a recommendation",
    description=(
        "For DEI administrators: the next state and the answer's text, public on the tracker; "
        "the collective's leaders are told. 409 for a state the current one does not allow "
        "(`errors.state` says which are), 400 without the text an answer needs."
    ),
)
def answer_recommendation(request, payload: AnswerIn, id: int = Path(..., le=MAX_ID)):
    person = caller(request)
    visible(person, id)
    if not access.can_answer_recommendations(person):
        raise PermissionDenied(_("Only DEI administrators may answer recommendations."))
    with gone_is_404(id):
        actions.answer(id, actor=person, state=payload.state, text=payload.text)
    return visible(person, id)

"""The training catalog: courses on offer (retired ones are not listed and are 404), their
learning objectives and upcoming sessions; and the published results of evaluations, for the
people who may read them (belong.training.access), exactly as their pages show them."""

import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from belong.api.auth import PUBLIC, SIGNED_IN, caller
from belong.api.errors import ErrorOut, not_found
from belong.api.events import EventSummaryOut, visible_events
from belong.api.pagination import Pagination
from belong.api.schemas import is_slug
from belong.lib.converters import MAX_ID
from belong.training import access
from belong.training.evaluation_summary import course_results, session_results
from belong.training.models import Course

router = Router(tags=["courses"], auth=PUBLIC)


class CourseOut(Schema):
    slug: str
    title: str
    description: str
    duration_minutes: int | None
    formats: str
    prework: str
    recorded: bool = Field(description="Workshops are never recorded, for confidentiality.")
    foundational: bool
    objectives: list[str] = Field(description="Learning objectives, in order.")
    upcoming_sessions: list[EventSummaryOut] = Field(
        description=(
            "Sessions still to come and not cancelled that the caller may see, soonest first, "
            "each with `seats_left`."
        )
    )

    @staticmethod
    def resolve_objectives(obj):
        return [objective.text for objective in obj.objectives.all()]


def courses(person):
    sessions = visible_events(person).upcoming().order_by("start", "pk")
    return Course.objects.filter(is_active=True).prefetch_related(
        "objectives", Prefetch("sessions", queryset=sessions, to_attr="upcoming_sessions")
    )


@router.get(
    "/courses",
    response={200: list[CourseOut], 401: ErrorOut, 422: ErrorOut},
    summary="List courses",
)
@paginate(Pagination)
def list_courses(request):
    return courses(caller(request))


@router.get(
    "/courses/{slug}",
    response={200: CourseOut, 401: ErrorOut, 404: ErrorOut},
    summary="One course",
)
def get_course(request, slug: str):
    course = courses(caller(request)).filter(slug=slug).first() if is_slug(slug) else None
    if course is None:
        raise not_found(_("No course with the slug “%(slug)s”.") % {"slug": slug})
    return course


# --- evaluation results ----------------------------------------------------------------------------

evaluations = Router(tags=["evaluations"], auth=SIGNED_IN)

EVALUATIONS_DESCRIPTION = (
    "Only what was published when an evaluation closed, exactly as the results page shows it: "
    "a session's results are frozen once, when its evaluation window closes, and only if at "
    "least `threshold` people answered; before that, and below the threshold, no figure at all. "
    "For training coordinators, DEI administrators and the sessions' facilitators."
)


class EvaluationRowOut(Schema):
    label: str
    shown: bool = Field(description="False when fewer than `threshold` gave this rating.")
    responses: int | None
    mean: float | None
    distribution: list[int] | None = Field(
        description="How many gave 1, 2, 3, 4 and 5 (1 = not at all, 5 = completely)."
    )


class EvaluationSummaryOut(Schema):
    responses: int
    objectives: list[EvaluationRowOut] = Field(description="Learning objectives, in order.")
    overall: EvaluationRowOut
    comments: list[str] = Field(
        description="Without dates, in an order that depends only on their text."
    )


class SessionEvaluationOut(Schema):
    event: int
    course: str
    state: str = Field(
        description=(
            "`open` (answers are taken until `closes_at`), `closed` (being published), "
            "`published`, `not_published` (closed with fewer than `threshold` answers: never "
            "shown) or `cancelled`."
        )
    )
    threshold: int
    closes_at: datetime.datetime | None
    published_at: datetime.datetime | None
    results: EvaluationSummaryOut | None


class IncludedSessionOut(Schema):
    event: int
    start: datetime.datetime
    end: datetime.datetime
    responses: int
    published_at: datetime.datetime


class CourseEvaluationOut(Schema):
    course: str
    threshold: int
    sessions: list[IncludedSessionOut] = Field(
        description="The sessions whose published results are added up, soonest first."
    )
    not_published: int = Field(description="Sessions closed with fewer than `threshold` answers.")
    pending: int = Field(description="Sessions ended whose results are not published yet.")
    results: EvaluationSummaryOut | None


def _row(row):
    return {
        "label": str(row.label),
        "shown": row.shown,
        "responses": row.count if row.shown else None,
        "mean": row.mean,
        "distribution": row.distribution if row.shown else None,
    }


def _summary(summary):
    if summary is None:
        return None
    return {
        "responses": summary.responses,
        "objectives": [_row(row) for row in summary.objectives],
        "overall": _row(summary.overall),
        "comments": summary.comments,
    }


@evaluations.get(
    "/events/{id}/evaluations",
    response={
        200: SessionEvaluationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="A session's evaluation results",
    description=EVALUATIONS_DESCRIPTION,
)
def session_evaluation(request, id: int = Path(..., le=MAX_ID)):
    event, course = access.session_for_evaluations(caller(request), id)
    results = session_results(event, overall_label=_("The session overall"))
    return {
        "event": event.pk,
        "course": course.slug,
        "state": str(results.state),
        "threshold": results.threshold,
        "closes_at": results.closes_at,
        "published_at": results.published_at,
        "results": _summary(results.summary),
    }


@evaluations.get(
    "/courses/{slug}/evaluations",
    response={200: CourseEvaluationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A course's evaluation results",
    description=(
        EVALUATIONS_DESCRIPTION
        + " A course adds up only the sessions whose own results were published, each row "
        "only where the session shows it, so it changes only when a session is published."
    ),
)
def course_evaluation(request, slug: str):
    if not is_slug(slug):
        raise not_found(_("No course with the slug “%(slug)s”.") % {"slug": slug})
    person = caller(request)
    course = access.course_for_evaluations(person, slug)
    results = course_results(course, viewer=person, overall_label=_("The sessions overall"))
    return {
        "course": course.slug,
        "threshold": results.threshold,
        "sessions": [
            {
                "event": session.pk,
                "start": session.start,
                "end": session.end,
                "responses": session.responses,
                "published_at": session.published.published_at,
            }
            for session in results.included
        ],
        "not_published": results.not_published,
        "pending": results.pending,
        "results": _summary(results.summary),
    }

"""The training catalog: courses on offer (retired ones are not listed and are 404), their
learning objectives and upcoming sessions."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from belong.api.auth import PUBLIC, caller
from belong.api.errors import ErrorOut, not_found
from belong.api.events import EventSummaryOut, visible_events
from belong.api.pagination import Pagination
from belong.api.schemas import is_slug
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

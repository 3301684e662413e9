"""The queries behind the training catalog at /training/ (its GET form is
belong.training.forms.catalog.CatalogFilters; its writes are belong.training.actions.catalog).

A course is listed when it is offered (`is_active`), matches the topic and, when any session
filter is set (format, campus, dates, "has seats"), has at least one matching upcoming session
the person may see; its listed sessions are the matching ones. Hybrid sessions match both
formats. Dates are days in the installation's zone, both ends included.

A fixed number of queries however many courses and sessions there are: the topics, the
campuses, the courses, their matching sessions (with seat counts) and their topics.
"""

import datetime

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from belong.events.models import Event
from belong.events.views import with_seats
from belong.people.models import OrgUnit
from belong.training.models import Course, Topic


def local_midnight(day):
    """The start of `day` in the installation's zone, in UTC; None when it is beyond what a
    datetime can hold (the far past or future: then the range is open on that side)."""
    try:
        moment = datetime.datetime.combine(
            day, datetime.time.min, tzinfo=timezone.get_default_timezone()
        )
        return moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return None


def matching_sessions(person, filters, *, now=None):
    """The upcoming sessions `person` may see that match the session filters (`filters` is the
    cleaned data of CatalogFilters), with seat counts, in date order."""
    sessions = (
        Event.objects.upcoming(now)
        .visible_to(person)
        .with_counts()
        .select_related("campus")
        # with_counts() groups rows, and Meta.ordering does not apply to GROUP BY queries.
        .order_by("start", "pk")
    )
    if filters.get("format"):
        sessions = sessions.filter(format__in=[filters["format"], Event.Format.HYBRID])
    if filters.get("campus"):
        sessions = sessions.filter(campus__slug=filters["campus"])
    if filters.get("from"):
        lower = local_midnight(filters["from"])
        if lower is not None:
            sessions = sessions.filter(start__gte=lower)
    if filters.get("to"):
        try:
            upper = local_midnight(filters["to"] + datetime.timedelta(days=1))
        except OverflowError:
            upper = None
        if upper is not None:
            sessions = sessions.filter(start__lt=upper)
    if filters.get("has_seats"):
        sessions = sessions.filter(Q(capacity__isnull=True) | Q(capacity__gt=F("registered_count")))
    return sessions


def load_choices():
    topics = list(Topic.objects.order_by("order", "name"))
    campuses = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.CAMPUS).order_by("name"))
    return topics, campuses


def offered_courses(person, filters, *, now=None):
    """Every offered course in catalog order, with `objective_count`, `topic_list` and
    `upcoming_sessions` (the matching sessions, through with_seats)."""
    courses = list(
        Course.objects.filter(is_active=True)
        .annotate(objective_count=Count("objectives"))
        .order_by("order", "title")  # Meta.ordering does not apply to GROUP BY queries
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=matching_sessions(person, filters, now=now),
                to_attr="upcoming_sessions",
            ),
            Prefetch(
                "topics", queryset=Topic.objects.order_by("order", "name"), to_attr="topic_list"
            ),
        )
    )
    for course in courses:
        course.upcoming_sessions = with_seats(course.upcoming_sessions)
    return courses


def listed(courses, filters, *, session_filters):
    """The courses of `offered_courses` that the filters let through."""
    topic = filters.get("topic")
    return [
        course
        for course in courses
        if (not topic or any(t.slug == topic for t in course.topic_list))
        and (not session_filters or course.upcoming_sessions)
    ]

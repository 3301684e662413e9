from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from belong.events.models import Event
from belong.events.views import with_seats
from belong.training.models import Contact, Course, TrainingPage


def _sessions(request, queryset):
    # with_counts() groups rows, and Meta.ordering does not apply to GROUP BY queries: order here.
    return (
        queryset.visible_to(request.user)
        .with_counts()
        .select_related("campus")
        .order_by("start", "pk")
    )


def catalog(request):
    upcoming = _sessions(request, Event.objects.upcoming())
    courses = list(
        Course.objects.annotate(objective_count=Count("objectives"))
        .order_by("order", "title")  # Meta.ordering does not apply to GROUP BY queries
        .prefetch_related(Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions"))
    )
    for course in courses:
        course.upcoming_sessions = with_seats(course.upcoming_sessions)
    return render(
        request,
        "training/catalog.html",
        {
            "page": TrainingPage.current(),
            "courses": courses,
            "contacts": Contact.objects.all(),
        },
    )


def course_detail(request, slug):
    course = get_object_or_404(Course.objects.prefetch_related("objectives"), slug=slug)
    now = timezone.now()
    sessions = _sessions(request, course.sessions.all())
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "page": TrainingPage.current(),
            "upcoming": with_seats(sessions.upcoming(now)),
            "past": sessions.filter(start__lt=now).order_by("-start")[:10],
            "contacts": Contact.objects.all(),
        },
    )

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from belong.events.models import Event
from belong.training.models import Contact, Course, TrainingPage


def _sessions(request, queryset):
    return queryset.visible_to(request.user).with_counts().select_related("campus")


def catalog(request):
    upcoming = _sessions(request, Event.objects.upcoming())
    courses = Course.objects.prefetch_related(
        Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions")
    )
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
            "upcoming": sessions.upcoming(now),
            "past": sessions.filter(start__lt=now).order_by("-start")[:10],
            "contacts": Contact.objects.all(),
        },
    )

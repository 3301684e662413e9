from django.shortcuts import render
from django.utils import timezone

from belong.events.models import Event, Series

DEANS_LECTURES = "deans-lecture-series"


def with_seats(events):
    """Set `seats` (seats left, None without a limit) and `needed` (registrants still needed to
    run) on events annotated by `with_counts()`, for the templates (partials/seats.html). Works
    on the list it is given: no query of its own."""
    events = list(events)
    for event in events:
        event.seats = event.seats_left(event.registered_count)
        event.needed = event.needed_to_run(event.registered_count)
    return events


def lectures(request):
    series = Series.objects.filter(slug=DEANS_LECTURES).first()
    now = timezone.now()
    events = Event.objects.filter(kind=Event.Kind.LECTURE).visible_to(request.user)
    return render(
        request,
        "events/lectures.html",
        {
            "series": series,
            "upcoming": events.upcoming(now).select_related("series"),
            "past": events.filter(start__lt=now)
            .exclude(status=Event.Status.CANCELLED)
            .select_related("series")
            .order_by("-start")[:20],
        },
    )

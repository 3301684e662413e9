from django.shortcuts import render
from django.utils import timezone

from belong.events.models import Event, Series

DEANS_LECTURES = "deans-lecture-series"


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

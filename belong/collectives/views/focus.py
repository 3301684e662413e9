"""An area of focus's page (/collectives/focus/<slug>/): the activity tagged with it across
every collective. The collectives that list it, the upcoming events tagged with it that the
viewer may see (Event.objects.visible_to), the announcements tagged with it that the viewer may
read (access.readable_announcements_q), and the recommendations tagged with it that were
submitted (drafts are for their collective's leaders only). A constant number of queries,
however much there is."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from belong.collectives import access
from belong.collectives.models import (
    Announcement,
    EventFocus,
    FocusArea,
    Recommendation,
)
from belong.collectives.sections import listed_events
from belong.events.models import Event

EVENTS_SHOWN = 12
ANNOUNCEMENTS_SHOWN = 10
RECOMMENDATIONS_SHOWN = 10


def _events(area, person):
    events = listed_events(
        Event.objects.filter(
            kind=Event.Kind.COLLECTIVE,
            pk__in=EventFocus.objects.filter(focus_area=area).values("event_id"),
        )
        .upcoming()
        .visible_to(person),
        EVENTS_SHOWN,
    )
    for event in events:
        hosts = [hosting.collective for hosting in event.hostings.all()]
        # The collective that holds it first, then its co-hosts.
        event.all_hosts = sorted(hosts, key=lambda c: c.pk != event.host_id)
    return events


@require_safe
def focus_area(request, slug):
    person = request.user
    area = FocusArea.objects.filter(slug=slug).first() if len(slug) <= 80 else None
    if area is None:
        raise Http404
    events = _events(area, person)
    announcements = list(
        Announcement.objects.filter(focus_areas=area, collective__is_active=True)
        .filter(access.readable_announcements_q(person))
        .select_related("collective")
        .order_by("-published_at", "-pk")[: ANNOUNCEMENTS_SHOWN + 1]
    )
    recommendations = list(
        Recommendation.objects.filter(focus_areas=area, collective__is_active=True)
        .exclude(state=Recommendation.State.DRAFT)
        .select_related("collective")
        .order_by("-submitted_at", "-pk")[: RECOMMENDATIONS_SHOWN + 1]
    )
    response = render(
        request,
        "collectives/focus_area.html",
        {
            "area": area,
            "areas": list(FocusArea.objects.all()),
            "collectives": list(area.collectives.filter(is_active=True).order_by("order", "name")),
            "events": events[:EVENTS_SHOWN],
            "events_more": len(events) > EVENTS_SHOWN,
            "announcements": announcements[:ANNOUNCEMENTS_SHOWN],
            "announcements_more": len(announcements) > ANNOUNCEMENTS_SHOWN,
            "recommendations": recommendations[:RECOMMENDATIONS_SHOWN],
            "recommendations_more": len(recommendations) > RECOMMENDATIONS_SHOWN,
        },
    )
    if person.is_authenticated:
        # What it lists depends on who is signed in (members-only events and announcements).
        response["Cache-Control"] = "private, no-cache"
    return response

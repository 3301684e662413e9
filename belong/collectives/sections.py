"""The parts of a collective's page that other modules own. The page's view
(belong.collectives.views.collective_detail) calls `detail_context`, and its template includes
`collectives/partials/detail_<part>.html` for each part. Each function answers the context its
partial needs for `person` (None or AnonymousUser for visitors), in a constant number of
queries."""

EVENTS_SHOWN = 6


def listed_events(events, limit):
    """Collective events as pages list them: with their seat counts, campus and active hosting
    collectives (one query for the events, one for their hosts), soonest first, at most
    `limit` + 1 (so that the caller can tell whether there are more)."""
    from django.db.models import Prefetch

    from belong.collectives.models import EventHosting
    from belong.events.views import with_seats

    return with_seats(
        events.with_counts()
        .select_related("campus")
        .prefetch_related(
            Prefetch(
                "hostings",
                queryset=EventHosting.objects.filter(collective__is_active=True)
                .select_related("collective")
                .order_by("collective__name", "collective_id"),
            )
        )
        .order_by("start", "pk")[: limit + 1]
    )


def events_context(collective, person) -> dict:
    """Upcoming events the collective hosts or co-hosts that `person` may see (those who run
    the collective see all of them, members-only ones included), soonest first, with their
    seats and their other hosts; the links to hold and manage events for those who run it.
    Two queries (the events, their hosts), besides the person's roles, cached per request."""
    from django.urls import reverse

    from belong.collectives import access
    from belong.collectives.models import EventHosting
    from belong.events.models import Event

    runs = access.can_run(person, collective)
    events = Event.objects.filter(
        pk__in=EventHosting.objects.filter(collective=collective).values("event_id")
    ).upcoming()
    if not runs:
        events = events.visible_to(person)
    events = listed_events(events, EVENTS_SHOWN)
    for event in events:
        event.partners = [
            h.collective for h in event.hostings.all() if h.collective_id != collective.pk
        ]
    slug = collective.slug
    return {
        "collective_events": events[:EVENTS_SHOWN],
        "collective_events_more": len(events) > EVENTS_SHOWN,
        "events_manage_url": reverse("collectives:events", args=[slug]) if runs else "",
        "events_new_url": reverse("collectives:event_new", args=[slug]) if runs else "",
    }


ANNOUNCEMENTS_IN_FULL = 3
ANNOUNCEMENTS_LISTED = 15


def announcements_context(collective, person) -> dict:
    """The announcements `person` may read on the page (access.readable_announcements_q), the
    latest first: the first few in full, the next ones as links; the link to write one for
    those who run the collective. Two queries (the announcements, their areas of focus)."""
    from django.urls import reverse

    from belong.collectives import access
    from belong.collectives.models import Announcement

    rows = list(
        Announcement.objects.filter(collective=collective)
        .filter(access.readable_announcements_q(person))
        .prefetch_related("focus_areas")
        .order_by("-published_at", "-pk")[:ANNOUNCEMENTS_LISTED]
    )
    runs = access.can_run(person, collective)
    return {
        "announcements": rows[:ANNOUNCEMENTS_IN_FULL],
        "announcements_earlier": rows[ANNOUNCEMENTS_IN_FULL:],
        "announcement_new_url": (
            reverse("collectives:announcement_new", args=[collective.slug]) if runs else ""
        ),
    }


STORIES_SHOWN = 12


def stories_context(collective, person) -> dict:
    """Published anonymous stories, and the share-an-experience link for the signed-in (a
    sign-in link that comes back to the form for visitors). A story carries its published text
    and the month of publication only: never the text as written, the writer or the day shared.
    Two queries for its leaders, one or none for others."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    from belong.collectives import access
    from belong.collectives.models import Experience

    stories = list(
        Experience.objects.filter(collective=collective, state=Experience.State.PUBLISHED)
        .order_by("-published_on", "-pk")
        .values("story_text", "published_on")[:STORIES_SHOWN]
    )
    share_url = reverse("collectives:share", args=[collective.slug])
    signed_in = person is not None and person.is_authenticated
    moderates = access.can_run(person, collective)
    return {
        "stories": stories,
        "stories_share_url": share_url,
        "stories_sign_in_url": "" if signed_in else redirect_to_login(share_url).url,
        "stories_moderate_url": (
            reverse("collectives:experiences", args=[collective.slug]) if moderates else ""
        ),
    }


RECOMMENDATIONS_SHOWN = 10


def recommendations_context(collective, person) -> dict:
    """The collective's submitted recommendations with their state, the most recent first (the
    tracker has them all); its drafts and the link to write one for those who run it. Signed
    by the collective, never by a person. One query (two for those who run it)."""
    from django.urls import reverse

    from belong.collectives import access
    from belong.collectives.models import Recommendation

    runs = access.can_run(person, collective)
    rows = Recommendation.objects.filter(collective=collective).only(
        "pk", "title", "state", "submitted_at", "answered_at", "created_at", "collective_id"
    )
    submitted = list(
        rows.exclude(state=Recommendation.State.DRAFT).order_by("-submitted_at", "-pk")[
            : RECOMMENDATIONS_SHOWN + 1
        ]
    )
    drafts = (
        list(rows.filter(state=Recommendation.State.DRAFT).order_by("-created_at", "-pk"))
        if runs
        else []
    )
    return {
        "recommendations": submitted[:RECOMMENDATIONS_SHOWN],
        "recommendations_more": len(submitted) > RECOMMENDATIONS_SHOWN,
        "recommendations_tracker_url": reverse("collectives:recommendations")
        + f"?collective={collective.slug}",
        "recommendation_drafts": drafts,
        "recommendations_manage_url": (
            reverse("collectives:recommendation_drafts", args=[collective.slug]) if runs else ""
        ),
        "recommendations_new_url": (
            reverse("collectives:recommendation_new", args=[collective.slug]) if runs else ""
        ),
    }


def detail_context(collective, person) -> dict:
    context = {}
    for part in (events_context, announcements_context, stories_context, recommendations_context):
        context.update(part(collective, person))
    return context

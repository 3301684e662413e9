"""The parts of a collective's page that other modules own. The page's view
(belong.collectives.views.collective_detail) first asks `select` what `person` (None or
AnonymousUser for visitors) may see: a `Selection` of ids and flags, a few small queries. Each
`*_context` function then answers the context its partial
(`collectives/partials/detail_<part>.html`) needs from that selection alone, in a constant
number of queries, never from the person: the rendering is the same for everyone with the same
selection, so the page can keep it in its cache (belong.collectives.page_cache) under the
selection as key."""

from dataclasses import dataclass

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


def upcoming_by_collective() -> dict:
    """{collective pk: (event ids)}: every active collective, in the order the list shows them,
    with the upcoming events it hosts or co-hosts, soonest first, whoever may see them. The
    same for everyone, so kept in the pages' cache (a new version at every change of an event
    or a hosting); `visible_upcoming` then picks what a person may see, and drops an event
    that has started since."""
    from belong.collectives import page_cache

    return page_cache.pages.value(("upcoming-by-collective",), _upcoming_by_collective)


def _upcoming_by_collective():
    from belong.collectives.models import Collective, EventHosting
    from belong.events.models import Event

    listed = {
        pk: [] for pk in Collective.objects.filter(is_active=True).values_list("pk", flat=True)
    }
    hostings = (
        EventHosting.objects.filter(collective__is_active=True, event__in=Event.objects.upcoming())
        .order_by("event__start", "event_id")
        .values_list("collective_id", "event_id")
    )
    for collective_id, event_id in hostings:
        if collective_id in listed:
            listed[collective_id].append(event_id)
    return {pk: tuple(ids) for pk, ids in listed.items()}


def visible_upcoming(person, event_ids, *, runs=False):
    """The ids of the events of `event_ids` that have not started and that `person` may see
    (Event.visible_to; all of them for those who run the collective), soonest first, as a
    queryset: one query."""
    from belong.events.models import Event

    events = Event.objects.filter(pk__in=event_ids).upcoming()
    if not runs:
        events = events.visible_to(person)
    return events.order_by("start", "pk").values_list("pk", flat=True)


def _upcoming_ids(collective, person, runs) -> tuple:
    """The upcoming events the collective hosts or co-hosts that `person` may see (those who run
    the collective see all of them, members-only ones included), soonest first: one more than
    are shown, so that the page can tell whether there are more."""
    candidates = upcoming_by_collective().get(collective.pk, ())
    if not candidates:
        return ()
    return tuple(visible_upcoming(person, candidates, runs=runs)[: EVENTS_SHOWN + 1])


def events_context(collective, selection) -> dict:
    """The selected events with their seats and their other hosts; the links to hold and manage
    events for those who run the collective. Two queries (the events, their hosts)."""
    from django.urls import reverse

    from belong.events.models import Event

    events = listed_events(Event.objects.filter(pk__in=selection.events), EVENTS_SHOWN)
    for event in events:
        event.partners = [
            h.collective for h in event.hostings.all() if h.collective_id != collective.pk
        ]
    slug, runs = collective.slug, selection.runs
    return {
        "collective_events": events[:EVENTS_SHOWN],
        "collective_events_more": len(events) > EVENTS_SHOWN,
        "events_manage_url": reverse("collectives:events", args=[slug]) if runs else "",
        "events_new_url": reverse("collectives:event_new", args=[slug]) if runs else "",
    }


ANNOUNCEMENTS_IN_FULL = 3
ANNOUNCEMENTS_LISTED = 15


def _announcement_ids(collective, person) -> tuple:
    """The announcements `person` may read on the page (access.readable_announcements_q), the
    latest first."""
    from belong.collectives import access
    from belong.collectives.models import Announcement

    return tuple(
        Announcement.objects.filter(collective=collective)
        .filter(access.readable_announcements_q(person))
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[:ANNOUNCEMENTS_LISTED]
    )


def announcements_context(collective, selection) -> dict:
    """The selected announcements: the first few in full, the next ones as links; the link to
    write one for those who run the collective. Two queries (the announcements, their areas of
    focus)."""
    from django.urls import reverse

    from belong.collectives.models import Announcement

    rows = list(
        Announcement.objects.filter(pk__in=selection.announcements)
        .prefetch_related("focus_areas")
        .order_by("-published_at", "-pk")
    )
    return {
        "announcements": rows[:ANNOUNCEMENTS_IN_FULL],
        "announcements_earlier": rows[ANNOUNCEMENTS_IN_FULL:],
        "announcement_new_url": (
            reverse("collectives:announcement_new", args=[collective.slug])
            if selection.runs
            else ""
        ),
    }


STORIES_SHOWN = 12


def stories_context(collective, selection) -> dict:
    """Published anonymous stories, and the share-an-experience link for the signed-in (a
    sign-in link that comes back to the form for visitors). A story carries its published text
    and the month of publication only: never the text as written, the writer or the day shared.
    One query."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    from belong.collectives.models import Experience

    stories = list(
        Experience.objects.filter(collective=collective, state=Experience.State.PUBLISHED)
        .order_by("-published_on", "-pk")
        .values("story_text", "published_on")[:STORIES_SHOWN]
    )
    share_url = reverse("collectives:share", args=[collective.slug])
    return {
        "stories": stories,
        "stories_share_url": share_url,
        "stories_sign_in_url": "" if selection.signed_in else redirect_to_login(share_url).url,
        "stories_moderate_url": (
            reverse("collectives:experiences", args=[collective.slug])
            if selection.reads_experiences
            else ""
        ),
    }


RECOMMENDATIONS_SHOWN = 10


def recommendations_context(collective, selection) -> dict:
    """The collective's submitted recommendations with their state, the most recent first (the
    tracker has them all); its drafts and the link to write one for those who run it. Signed
    by the collective, never by a person. One query (two for those who run it)."""
    from django.urls import reverse

    from belong.collectives.models import Recommendation

    runs = selection.runs
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


@dataclass(frozen=True)
class Selection:
    """What one person may see of a collective's page sections: whether they are signed in,
    whether they run the collective (its leaders, DEI administrators), whether they read the
    experiences shared with it (its leaders only), the ids of the events and announcements
    shown to them. Everything the sections render depends on this and on the
    data only; its repr is a cache key."""

    signed_in: bool
    runs: bool
    reads_experiences: bool
    events: tuple
    announcements: tuple


def select(collective, person) -> Selection:
    """The selection of `person`: two queries (besides the person's roles, cached per request)."""
    from belong.collectives import access

    runs = access.can_run(person, collective)
    return Selection(
        signed_in=person is not None and person.is_authenticated,
        runs=runs,
        reads_experiences=access.can_read_experiences(person, collective),
        events=_upcoming_ids(collective, person, runs),
        announcements=_announcement_ids(collective, person),
    )


def detail_context(collective, selection) -> dict:
    context = {}
    for part in (events_context, announcements_context, stories_context, recommendations_context):
        context.update(part(collective, selection))
    return context

"""The event pages: one event with its registration controls, its .ics download, the person's
private calendar feed, and the Dean's Lecture Series. Thin: load and authorize (access.py), call
an action (actions.py, feed_actions.py), render or redirect with a message."""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from belong.events import actions, feed_actions, hosting, notify
from belong.events.access import can_manage, visible_event_or_404
from belong.events.models import CalendarFeed, Event, Registration, Series
from belong.lib import ics

DEANS_LECTURES = "deans-lecture-series"
CODE_LENGTH = Event._meta.get_field("invitation_code").max_length
FEED_DAYS_BACK = 60
PAST_LECTURES_PER_PAGE = 20

State = Registration.State
SEATED = (State.REGISTERED, State.ATTENDED)  # who sees the join details and has a feed entry
ACTIVE = (State.REGISTERED, State.WAITLISTED, State.ATTENDED, State.NO_SHOW)


def with_seats(events):
    """Set `seats` (seats left, None without a limit) and `needed` (registrants still needed to
    run) on events annotated by `with_counts()`, for the templates (partials/seats.html). Works
    on the list it is given: no query of its own. An event whose counts are private
    (Event.counts_private) gets none of them: its counts are dropped here, so no template can
    show them."""
    events = list(events)
    for event in events:
        if event.counts_private:
            _drop_counts(event)
        else:
            event.seats = event.seats_left(event.registered_count)
            event.needed = event.needed_to_run(event.registered_count)
    return events


def _drop_counts(event):
    event.seats = event.needed = event.registered_count = event.waitlist_count = None


# --- loading -----------------------------------------------------------------------------------


def _code(data) -> str:
    """The invitation code from a query string or a form; anything longer than a code is none."""
    code = (data.get("code") or "").strip()
    return code if len(code) <= CODE_LENGTH else ""


def _page_url(pk, code="") -> str:
    url = reverse("events:detail", args=[pk])
    return f"{url}?{urlencode({'code': code})}" if code else url


def _load(request, pk, code, queryset=None):
    """The event if the person may see it. A visitor who may not see it is asked to sign in
    first, whether the event exists or not and whatever its visibility: the link in an email
    to an organization event leads on once they sign in, and a visitor probing ids learns
    nothing of which exist. Once signed in, an event the person may not see is a 404 (an
    invitation-only one too, unless its code comes along: its invitation link carries it)."""
    try:
        return visible_event_or_404(request.user, pk, invitation_code=code, queryset=queryset)
    except Http404:
        if not request.user.is_authenticated:
            raise SignInFirst(_page_url(pk, code)) from None
        raise


class SignInFirst(Exception):
    def __init__(self, next_url):
        super().__init__(next_url)
        self.next_url = next_url


def event_view(view):
    """Turn SignInFirst into the sign-in redirect, with the event page as `next`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInFirst as exc:
            return redirect_to_login(exc.next_url)

    return wrapped


def signed_in_for_event(view):
    """A POST from a visitor goes to the sign-in page, which then returns to the event page
    (not to the POST-only address, which would answer 405)."""

    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_page_url(pk, _code(request.POST)))
        return view(request, pk, *args, **kwargs)

    return wrapped


def _detail_queryset():
    return Event.objects.select_related("campus", "series").with_counts()


# --- the event page ----------------------------------------------------------------------------


def _page_context(request, event, code):
    person = request.user if request.user.is_authenticated else None
    now = timezone.now()
    registration = None
    if person is not None:
        registration = Registration.objects.filter(event=event, person=person).first()
    active = registration is not None and registration.state in ACTIVE
    holds_seat = active and registration.state in SEATED
    problem = None
    if not active:
        problem = actions.registration_problem(event, person=person, invitation_code=code, now=now)
    host = event.host
    host_url = host.get_absolute_url() if hasattr(host, "get_absolute_url") else ""
    prework_text, prework_files = notify.prework(event)
    private = event.counts_private
    seats = None if private else event.seats_left(event.registered_count)
    needed = None if private else event.needed_to_run(event.registered_count)
    if private:
        _drop_counts(event)
    return {
        "event": event,
        "code": code,
        "now": now,
        "started": event.start <= now,
        "ended": event.end <= now,
        "seats": seats,
        "needed": needed,
        "counts_private": private,
        "host": host,
        "host_url": host_url,
        # The header marks the program the event belongs to, not the events app.
        "nav_section": NAV_SECTIONS.get(event.kind, "events"),
        "registration": registration,
        "active": active,
        "holds_seat": holds_seat,
        "waitlist_position": (
            actions.waitlist_position(registration) if active and not private else None
        ),
        "can_cancel": active
        and registration.state in (State.REGISTERED, State.WAITLISTED)
        and event.start > now,
        "problem": problem,
        "full": seats == 0,
        "prework_text": prework_text,
        "prework_files": prework_files,
        "manage_url": _manage_url(event, host, person) if can_manage(person, event) else "",
        # Every host (a collective's event may have co-hosts), each linked to its page.
        "hosts": hosting.hosts(event),
        "ics_url": reverse("events:ics", args=[event.pk])
        + (f"?{urlencode({'code': code})}" if code else ""),
        "login_url": f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': _page_url(event.pk, code)})}",
        "zone": timezone.get_current_timezone_name(),
    }


def _manage_url(event, host, person):
    """The roster of the event for the people who run it: its host's page for that (a course,
    a collective: events.hosting), else the coordinators' pages in training (sessions and
    lectures alike)."""
    if host is not None and hasattr(host, "manage_url_for"):
        return host.manage_url_for(event)
    url = hosting.manage_url(event, person)
    if url:
        return url
    if event.kind in (Event.Kind.SESSION, Event.Kind.LECTURE):
        return reverse("training:manage_roster", args=[event.pk])
    return ""


def _render_page(request, event, code, *, error="", status=200):
    context = _page_context(request, event, code)
    context["error"] = error
    return render(request, "events/detail.html", context, status=status)


NAV_SECTIONS = {
    Event.Kind.SESSION: "training",
    Event.Kind.LECTURE: "events",
    Event.Kind.COLLECTIVE: "collectives",
    Event.Kind.PROGRAM: "mentorship",
}


@event_view
@require_safe
def detail(request, pk):
    code = _code(request.GET)
    event = _load(request, pk, code, _detail_queryset())
    return _render_page(request, event, code)


def _busy(request, event, code):
    response = _render_page(request, event, code, error=str(actions.Busy.message), status=503)
    response["Retry-After"] = "5"
    return response


def _reload(pk):
    """The event again after a change, with fresh counts (for a page shown after a refusal)."""
    event = _detail_queryset().filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


@require_POST
@signed_in_for_event
@event_view
def register(request, pk):
    code = _code(request.POST)
    event = _load(request, pk, code)
    try:
        outcome = actions.register(event.pk, person=request.user, invitation_code=code)
    except actions.Refused as refusal:
        return _render_page(
            request, _reload(pk), code, error=refusal.message, status=refusal.status
        )
    except actions.Busy:
        return _busy(request, _reload(pk), code)
    except Event.DoesNotExist:
        raise Http404 from None
    position = outcome.waitlist_position
    if outcome.state == State.WAITLISTED and event.counts_private:
        # Their place would move as others ahead leave: it is not shown (Event.counts_private).
        if outcome.changed:
            text = _(
                "Every seat is taken, so you are on the waitlist. If a seat frees up, it is "
                "yours at once and we tell you by email."
            )
        else:
            text = _("You are already on the waitlist.")
        messages.success(request, text)
    elif outcome.state == State.WAITLISTED:
        if outcome.changed:
            text = _("This session is full. You are on the waitlist, number %(position)d.")
        else:
            text = _("You are already on the waitlist, number %(position)d.")
        messages.success(request, text % {"position": position})
    elif outcome.changed:
        messages.success(
            request, _("You are registered. A calendar invitation is on its way by email.")
        )
    elif outcome.state in SEATED:
        messages.info(request, _("You are already registered for this session."))
    else:
        messages.info(request, _("Attendance has been recorded for this session."))
    return redirect(_page_url(pk, code))


@require_POST
@signed_in_for_event
@event_view
def cancel(request, pk):
    """Two steps, without JavaScript: the Cancel button asks first (a page with the question),
    and the answer ("confirm=yes") cancels."""
    code = _code(request.POST)
    event = _load(request, pk, code)
    registration = (
        Registration.objects.filter(event=event, person=request.user)
        .exclude(state=State.CANCELLED)
        .first()
    )
    if registration is None:
        messages.info(request, _("You are not registered for this session."))
        return redirect(_page_url(pk, code))
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "events/cancel_confirm.html",
            {
                "event": event,
                "registration": registration,
                "code": code,
                "page_url": _page_url(pk, code),
                "nav_section": NAV_SECTIONS.get(event.kind, "events"),
            },
        )
    try:
        outcome = actions.cancel_registration(event.pk, person=request.user)
    except actions.Refused as refusal:
        return _render_page(
            request, _reload(pk), code, error=refusal.message, status=refusal.status
        )
    except actions.Busy:
        return _busy(request, _reload(pk), code)
    except Event.DoesNotExist:
        raise Http404 from None
    if outcome.changed:
        messages.success(request, _("Your registration is cancelled."))
    if event.visibility == Event.Visibility.INVITATION and code != event.invitation_code:
        # Without a registration or the invitation, the page is no longer theirs to see.
        return redirect("people:me")
    return redirect(_page_url(pk, code))


@require_POST
@signed_in_for_event
@event_view
def prework(request, pk):
    code = _code(request.POST)
    event = _load(request, pk, code)
    done = request.POST.get("done")
    if done not in ("1", "0"):
        return _render_page(
            request,
            _reload(pk),
            code,
            error=_("Pre-work: choose done (1) or not done (0)."),
            status=400,
        )
    try:
        actions.set_prework_done(event.pk, person=request.user, done=done == "1")
    except actions.Refused as refusal:
        return _render_page(
            request, _reload(pk), code, error=refusal.message, status=refusal.status
        )
    if done == "1":
        messages.success(request, _("Pre-work marked as done. Thank you!"))
    else:
        messages.success(request, _("Pre-work marked as not done."))
    return redirect(_page_url(pk, code) + "#prework-title")


# --- calendars ---------------------------------------------------------------------------------


def _calendar_response(text, *, filename=None):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@event_view
@require_safe
def event_ics(request, pk):
    """The event as a calendar file (no METHOD: a download, not an invite). Join details only
    for someone who holds a seat."""
    code = _code(request.GET)
    event = _load(request, pk, code, Event.objects.select_related("campus"))
    person = None
    if request.user.is_authenticated:
        seated = Registration.objects.filter(
            event=event, person=request.user, state__in=SEATED
        ).exists()
        person = request.user if seated else None
    text = ics.calendar([notify.calendar_item(event, person=person)])
    response = _calendar_response(text, filename=f"event-{event.pk}.ics")
    if person is not None:
        response["Cache-Control"] = "private, no-store"
    return response


def feed_registrations(person, *, now=None):
    """What a person's feed holds: the events where they hold a seat, from FEED_DAYS_BACK days
    ago on, and the events cancelled while they were signed up (shown as cancelled)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=FEED_DAYS_BACK)
    cancelled_with_event = Q(
        state=State.CANCELLED,
        event__status=Event.Status.CANCELLED,
        cancelled_at=F("event__cancelled_at"),
    )
    return (
        Registration.objects.filter(person=person, event__start__gte=since)
        .filter(Q(state__in=SEATED) | cancelled_with_event)
        .select_related("event", "event__campus")
        .order_by("event__start", "event__pk")
    )


@require_safe
def feed(request, token):
    """A person's private calendar feed. No sign-in: the token in the address is the secret."""
    calendar_feed = (
        CalendarFeed.objects.filter(token=token, person__is_active=True)
        .select_related("person")
        .first()
        if len(token) <= 64
        else None
    )
    if calendar_feed is None:
        raise Http404
    person = calendar_feed.person
    with translation.override(person.language or settings.LANGUAGE_CODE):
        items = [
            notify.calendar_item(registration.event, person=person)
            for registration in feed_registrations(person)
        ]
        text = ics.calendar(items, name=_("%(site)s: my sessions") % {"site": settings.SITE_NAME})
    response = _calendar_response(text)
    response["Cache-Control"] = "private, no-cache"
    return response


def _feed_url(calendar_feed):
    return settings.SITE_URL + reverse("events:feed", args=[calendar_feed.token])


@never_cache  # the page shows a secret address
@login_required
@require_safe
def my_calendar(request):
    calendar_feed = feed_actions.calendar_feed(person=request.user)
    url = _feed_url(calendar_feed)
    scheme, _sep, rest = url.partition("://")
    return render(
        request,
        "events/my_calendar.html",
        {
            "feed": calendar_feed,
            "feed_url": url,
            "webcal_url": f"webcal://{rest}",
            "nav_section": "me",  # my page, not the Lectures section of the header
        },
    )


@require_POST
@login_required
def replace_calendar(request):
    feed_actions.replace_calendar_feed(person=request.user)
    messages.success(
        request,
        _(
            "Your calendar address is replaced: the old one no longer works. "
            "Subscribe again with the new address below."
        ),
    )
    return redirect("events:my_calendar")


# --- the Dean's Lecture Series -----------------------------------------------------------------


def _mark_registrations(events, person):
    """Set `my_state` on each event: the person's registration state, or None. One query."""
    states = {}
    if person.is_authenticated and events:
        states = dict(
            Registration.objects.filter(person=person, event__in=[e.pk for e in events])
            .exclude(state=State.CANCELLED)
            .values_list("event_id", "state")
        )
    for event in events:
        event.my_state = states.get(event.pk)
    return events


@require_safe
def lectures(request):
    series = Series.objects.filter(slug=DEANS_LECTURES).first()
    now = timezone.now()
    events = (
        Event.objects.filter(kind=Event.Kind.LECTURE)
        .visible_to(request.user)
        .select_related("series", "campus")
    )
    upcoming = _mark_registrations(
        with_seats(events.upcoming(now).with_counts().order_by("start", "pk")), request.user
    )
    past = Paginator(
        events.filter(start__lt=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("-start", "-pk"),
        PAST_LECTURES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "events/lectures.html",
        {"series": series, "upcoming": upcoming, "past": past},
    )

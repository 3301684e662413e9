"""The pages of running an event, which every host shares: a course's sessions and the lectures
(belong.training), a collective's events (belong.collectives), a mentorship cycle's kickoff
(belong.mentorship). A host's view loads and authorizes the event its own way (its access.py),
then hands the rest to one of these steps:

- `create_from`: something new (an event, a course) from a bound form;
- `edit_event`: the edit page: the form, the update, the messages (a change of time or place
  told, people moved off the waitlist counted where the host may see counts);
- `cancel_event_page`: the confirmation step with the reason people are sent, then the cancel;
- `roster_page` and `record_attendance`: who holds a seat, the waitlist in order, attendance;
- `event_list_page`: a host's staff list of events, upcoming soonest first then past ones,
  paged, in a constant number of queries.

Their templates are in events/templates/events/manage/; a host's own template extends
`events/manage/roster.html` and `events/manage/event_list.html` for its words and links. A
refusal of an action (any belong.lib.refusals.Refusal, `Busy` included) is shown at the field it
names, else above the form, with its status (`page_status`); one that says the thing is
missing (404) is the page's 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from belong.events import actions
from belong.events.forms import AttendanceForm, attendance_saved
from belong.events.models import Event, Registration
from belong.lib.refusals import Refusal, add_to_form, page_status

State = Registration.State
EVENTS_PER_PAGE = 25


def _missing(refusal):
    """A refusal that says the thing is gone (a race with its deletion) is the page's 404."""
    if refusal.status == 404:
        raise Http404 from refusal


def create_from(form, create):
    """Something new from a bound form: (what `create(form)` made, 200), or (None, the status to
    show the form again with): 400 for bad input, or the refusal's, which the form then shows at
    its field."""
    if not form.is_valid():
        return None, 400
    try:
        return create(form), 200
    except Refusal as refusal:
        _missing(refusal)
        add_to_form(form, refusal)
        return None, page_status(refusal)


def edit_event(request, event, *, form, page, update, saved, done_url, counts_shown=True):
    """The edit page of an event. GET shows `page(request, event)`; a POST binds
    `form(request.POST)` and calls `update(form)`, which returns the changed event and the
    registrations promoted from the waitlist. A cancelled event is not changed (409). A refusal
    about a field is shown at it, any other above the form. Once saved, the message says whether
    people were told of a new time or place, or else `saved` (which may name the event as
    %(title)s); people moved off the waitlist are counted only where `counts_shown`."""
    if request.method == "GET":
        return page(request, event)
    if event.status == Event.Status.CANCELLED:
        refusal = _("This event has been cancelled: it cannot be changed.")
        return page(request, event, refusal=refusal, status=409)
    bound = form(request.POST)
    if not bound.is_valid():
        return page(request, event, form=bound, status=400)
    try:
        updated, promoted = update(bound)
    except Refusal as refusal:
        _missing(refusal)
        if refusal.field in bound.fields:
            add_to_form(bound, refusal)
            return page(request, event, form=bound, status=page_status(refusal))
        return page(
            request, event, form=bound, refusal=refusal.message, status=page_status(refusal)
        )
    if updated.sequence != event.sequence:
        messages.success(
            request,
            _(
                "Saved. Everyone registered or on the waitlist has been told about the new "
                "time or place, with an updated calendar invitation."
            ),
        )
    else:
        messages.success(request, saved % {"title": updated.title})
    if promoted and not counts_shown:
        messages.info(request, _("People moved from the waitlist to a seat and were told."))
    elif promoted:
        messages.info(
            request,
            ngettext(
                "%(count)d person moved from the waitlist to a seat and was told.",
                "%(count)d people moved from the waitlist to a seat and were told.",
                len(promoted),
            )
            % {"count": len(promoted)},
        )
    return redirect(done_url)


def cancel_event_page(request, event, *, form_class, words, done_url, cancel=None, counts=True):
    """The confirmation step before cancelling an event, with the reason people are sent; then
    `cancel(event_id, actor=, reason=)` (belong.events.actions.cancel_event unless the host has
    its own), which tells everyone. `words` is what events/manage/event_cancel.html says, and:
    words["cancelled"] the refusal once the event is cancelled, words["told"] % {"count": n} the
    message once it is done. Where the host may not see counts (`counts` false) the page and the
    message count nobody (words["told_everyone"])."""
    cancel = cancel or actions.cancel_event
    affected = None
    if counts:
        affected = event.registrations.filter(
            state__in=[State.REGISTERED, State.WAITLISTED]
        ).count()
    form = form_class(request.POST if request.method == "POST" else None)
    status, refusal = 200, ""
    if event.status == Event.Status.CANCELLED:
        refusal = words["cancelled"]
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        if form.is_valid():
            try:
                cancel(event.pk, actor=request.user, reason=form.cleaned_data["reason"])
            except Refusal as caught:
                _missing(caught)
                refusal, status = caught.message, page_status(caught)
            else:
                if affected is None:
                    messages.success(request, words["told_everyone"])
                else:
                    messages.success(request, words["told"] % {"count": affected})
                return redirect(done_url)
        else:
            status = 400
    return render(
        request,
        "events/manage/event_cancel.html",
        {"event": event, "form": form, "affected": affected, "refusal": refusal, "words": words},
        status=status,
    )


# --- the roster -------------------------------------------------------------------------------


def roster(event, *, people=("person",)):
    """Who holds a seat (by name), who waits (in the waitlist's order, each with its
    `position`) and how many cancelled: (seated, waitlist, cancelled count). `people` is what to
    load with each registration."""
    registrations = list(
        event.registrations.select_related(*people).order_by(*Registration.WAITLIST_ORDER)
    )
    seated = sorted(
        (r for r in registrations if r.state in Registration.HOLDS_SEAT),
        key=lambda r: (r.person.display_name.casefold(), r.pk),
    )
    waitlist = [r for r in registrations if r.state == State.WAITLISTED]
    for position, registration in enumerate(waitlist, start=1):
        registration.position = position
    cancelled = sum(1 for r in registrations if r.state == State.CANCELLED)
    return seated, waitlist, cancelled


def roster_page(
    request, event, *, template, context=None, people=("person",), form=None, refusal="", status=200
):
    """The roster of `event` in `template` (which extends events/manage/roster.html), with the
    host's own `context` beside what every roster shows: the seated and the waitlist, counts,
    whether it has started, is short of its minimum, and attendance (a form once it has
    started, unless cancelled)."""
    now = timezone.now()
    seated, waitlist, cancelled_count = roster(event, people=people)
    registered = len(seated)
    cancelled = event.status == Event.Status.CANCELLED
    started = event.start <= now
    can_mark = started and not cancelled
    if form is None and can_mark and seated:
        form = AttendanceForm(registrations=seated)
    return render(
        request,
        template,
        {
            "event": event,
            "seated": seated,
            "waitlist": waitlist,
            "cancelled_count": cancelled_count,
            "registered_count": registered,
            "prework_done": sum(1 for r in seated if r.prework_done_at),
            "seats_left": event.seats_left(registered),
            "needed": event.needed_to_run(registered),
            "short": event.is_short(registered, now),
            "started": started,
            "cancelled": cancelled,
            "can_mark": can_mark,
            "form": form,
            "refusal": refusal,
            **(context or {}),
        },
        status=status,
    )


def record_attendance(request, event, *, page, done_url):
    """Present or absent for each person holding a seat, or everyone present at once (a POST
    with `all_present`), through belong.events.actions.mark_attendance. A bad form or a refusal
    shows `page(request, event, form=, refusal=, status=)` again."""
    seated = list(
        event.registrations.filter(state__in=Registration.HOLDS_SEAT).select_related("person")
    )
    form = None
    if request.POST.get("all_present"):
        attended, no_show = [r.pk for r in seated], []
    else:
        form = AttendanceForm(request.POST, registrations=seated)
        if not form.is_valid():
            return page(request, event, form=form, status=400)
        attended, no_show = form.marked()
    try:
        changed = actions.mark_attendance(
            event.pk, actor=request.user, attended=attended, no_show=no_show
        )
    except Refusal as refusal:
        return page(request, event, form=form, refusal=refusal.message, status=page_status(refusal))
    messages.success(request, attendance_saved(changed))
    return redirect(done_url)


# --- a host's list of events ------------------------------------------------------------------


def event_list_page(request, events, *, per_page=EVENTS_PER_PAGE):
    """A page of `events` (a queryset) for the people who run them: upcoming ones soonest first,
    then past ones latest first (each marked `is_past`, for regrouping), with their counts and
    each one's `state` (Event.phase) and `cancelled`. The queries do not grow with the page."""
    now = timezone.now()
    ordered = (
        events.annotate(
            is_past=Case(
                When(start__gte=now, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .with_counts()
        .order_by(
            "is_past",
            Case(When(start__gte=now, then=F("start"))).asc(nulls_last=True),
            F("start").desc(),
            "-pk",
        )
    )
    page = Paginator(ordered, per_page).get_page(request.GET.get("page"))
    for event in page:
        event.state = event.phase(now)
        event.cancelled = event.status == Event.Status.CANCELLED
    return page

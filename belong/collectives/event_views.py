"""A collective's leaders' pages for its events, under /collectives/<slug>/manage/events/: the
collective's events (held or co-hosted) with their numbers, a new event, editing and cancelling
one, and an event's roster with attendance. People register on the event's own page
(/events/<id>/, belong.events.views), which links the roster for those who run the event.

Who may: holding, changing and cancelling an event is for those who run the collective that
holds it (access.run_collective_or_403: its current leaders and DEI administrators); the roster
is for everyone who runs the event (belong.events.access.can_manage: the leaders of every
hosting collective, DEI administrators), under the address of any collective that hosts it.
Anyone else signed in gets 403 (404 for an event they may not even see), visitors are sent to
sign in. Thin views: load and authorize, call the action (belong.collectives.actions.events,
belong.events.actions.mark_attendance), redirect with a message, or render the form again with
its errors (400) or the refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.collectives import access
from belong.collectives.actions import events as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.event_forms import CancelCollectiveEventForm, CollectiveEventForm
from belong.collectives.models import Collective, EventHosting
from belong.events import actions as engine
from belong.events.access import managed_event_or_404
from belong.events.models import Event, Registration
from belong.lib.refusals import add_to_form, page_status
from belong.training.forms import AttendanceForm, changed_message

State = Registration.State
EVENTS_PER_PAGE = 25


def _zone():
    return timezone.get_current_timezone_name()


def _hosted_by(collective):
    return EventHosting.objects.filter(collective=collective).values("event_id")


def _hostings():
    return Prefetch(
        "hostings",
        queryset=EventHosting.objects.filter(collective__is_active=True)
        .select_related("collective")
        .order_by("collective__name", "collective_id"),
    )


def _held_or_404(collective, pk, queryset=None) -> Event:
    """An event the collective holds (its Event.host), for changing it; any other is a 404."""
    queryset = queryset if queryset is not None else Event.objects.select_related("campus")
    event = queryset.filter(
        pk=pk,
        kind=Event.Kind.COLLECTIVE,
        host_type=ContentType.objects.get_for_model(Collective),
        host_id=collective.pk,
    ).first()
    if event is None:
        raise Http404
    return event


# --- the collective's events ------------------------------------------------------------------


def _state(event, now):
    if event.status == Event.Status.CANCELLED:
        return _("Cancelled")
    if event.end <= now:
        return _("Took place")
    if event.start <= now:
        return _("Under way")
    return event.get_status_display()


@never_cache
@login_required
@require_safe
def event_list(request, slug):
    """Every event the collective holds or co-hosts: upcoming ones soonest first, then past ones
    latest first, paged; each with its state, who may come, registrations, and links to edit it
    (those it holds), its roster and its page. A constant number of queries."""
    collective = access.run_collective_or_403(request.user, slug)
    now = timezone.now()
    events = (
        Event.objects.filter(pk__in=_hosted_by(collective))
        .annotate(
            is_past=Case(
                When(start__gte=now, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .with_counts()
        .prefetch_related(_hostings())
        .order_by(
            "is_past",
            Case(When(start__gte=now, then=F("start"))).asc(nulls_last=True),
            F("start").desc(),
            "-pk",
        )
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    collective_type = ContentType.objects.get_for_model(Collective)
    leads = access.is_leader(request.user, collective)
    for event in page:
        event.counts_shown = _counts_shown(event, leads=leads)
        event.state = _state(event, now)
        event.cancelled = event.status == Event.Status.CANCELLED
        event.held = event.host_type_id == collective_type.pk and event.host_id == collective.pk
        hosts = [hosting.collective for hosting in event.hostings.all()]
        event.partners = [c for c in hosts if c.pk != collective.pk]
        event.holder = next((c for c in hosts if c.pk == event.host_id), None)
    return render(
        request,
        "collectives/manage/event_list.html",
        {"collective": collective, "page": page},
    )


def _counts_shown(event, *, leads):
    """Whether this page shows how many registered for the event: to the collective's leaders,
    who see its roster; a DEI administrator runs the collective's pages but not the roster of a
    members-only event (belong.events.access.runs_by_role), so not its numbers either."""
    return leads or event.visibility != Event.Visibility.MEMBERS


# --- a new event, an edit ---------------------------------------------------------------------


def _form_page(request, collective, form, *, event=None, refusal="", status=200):
    return render(
        request,
        "collectives/manage/event_form.html",
        {
            "collective": collective,
            "event": event,
            "form": form,
            "refusal": refusal,
            "cancelled": event is not None and event.status == Event.Status.CANCELLED,
            "zone": _zone(),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_new(request, slug):
    collective = access.run_collective_or_403(request.user, slug)
    if request.method != "POST":
        initial = {"focus_areas": [area.pk for area in collective.focus_areas.all()]}
        return _form_page(
            request, collective, CollectiveEventForm(collective=collective, initial=initial)
        )
    form = CollectiveEventForm(request.POST, collective=collective)
    if not form.is_valid():
        return _form_page(request, collective, form, status=400)
    try:
        event = actions.create_collective_event(
            collective.pk, actor=request.user, **form.fields_for_action()
        )
    except Refused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        add_to_form(form, refusal)
        return _form_page(request, collective, form, status=page_status(refusal))
    messages.success(
        request,
        _("“%(title)s” is scheduled. People can register on its page.") % {"title": event.title},
    )
    return redirect("collectives:events", slug=collective.slug)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug, pk):
    """Everything about an event the collective holds, through update_collective_event: a change
    of time or place raises the invite's SEQUENCE and tells everyone registered or waiting."""
    collective = access.run_collective_or_403(request.user, slug)
    event = _held_or_404(collective, pk)
    if request.method != "POST":
        return _form_page(
            request,
            collective,
            CollectiveEventForm(collective=collective, event=event),
            event=event,
        )
    if event.status == Event.Status.CANCELLED:
        return _form_page(
            request,
            collective,
            None,
            event=event,
            refusal=_("This event has been cancelled: it cannot be changed."),
            status=409,
        )
    form = CollectiveEventForm(request.POST, collective=collective, event=event)
    if not form.is_valid():
        return _form_page(request, collective, form, event=event, status=400)
    try:
        updated, promoted = actions.update_collective_event(
            event.pk, actor=request.user, **form.fields_for_action()
        )
    except Refused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        if refusal.field in form.fields:
            add_to_form(form, refusal)
            return _form_page(request, collective, form, event=event, status=page_status(refusal))
        return _form_page(
            request,
            collective,
            form,
            event=event,
            refusal=refusal.message,
            status=page_status(refusal),
        )
    except engine.Busy:
        return _form_page(
            request, collective, form, event=event, refusal=engine.Busy.message, status=503
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
        messages.success(request, _("Saved “%(title)s”.") % {"title": updated.title})
    if promoted and not _counts_shown(updated, leads=access.is_leader(request.user, collective)):
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
    return redirect("collectives:events", slug=collective.slug)


# --- cancelling -------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, slug, pk):
    """The confirmation step with the reason people are sent (the page the training pages use
    for sessions and lectures, in the collectives' words), then cancel_collective_event:
    everyone registered or waiting is told and their invitations are cancelled."""
    collective = access.run_collective_or_403(request.user, slug)
    event = _held_or_404(collective, pk)
    events_url = reverse("collectives:events", args=[collective.slug])
    affected = event.registrations.filter(state__in=[State.REGISTERED, State.WAITLISTED]).count()
    if not _counts_shown(event, leads=access.is_leader(request.user, collective)):
        affected = None
    form = CancelCollectiveEventForm(request.POST if request.method == "POST" else None)
    status, refusal = 200, ""
    if event.status == Event.Status.CANCELLED:
        refusal = _("This event has been cancelled.")
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                actions.cancel_collective_event(
                    event.pk, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except Refused as caught:
                if caught.status == 404:
                    raise Http404 from caught
                refusal, status = caught.message, page_status(caught)
            except engine.Busy:
                refusal, status = engine.Busy.message, 503
            else:
                messages.success(
                    request,
                    _("The event is cancelled. Everyone registered or waiting was told.")
                    if affected is None
                    else ngettext(
                        "The event is cancelled. %(count)d person was told.",
                        "The event is cancelled. %(count)d people were told.",
                        affected,
                    )
                    % {"count": affected},
                )
                return redirect(events_url)
    words = {
        "title": _("Cancel the event “%(title)s”?") % {"title": event.title},
        "parent_url": events_url,
        "parent_label": _("Events of %(collective)s") % {"collective": collective.name},
        "back_label": _("Back to the events"),
        "current": _("Cancel the event"),
        "keep_url": reverse("collectives:event_edit", args=[collective.slug, event.pk]),
        "keep_label": _("Keep it: back to the event"),
    }
    return render(
        request,
        "training/manage/event_cancel.html",
        {"event": event, "form": form, "affected": affected, "refusal": refusal, "words": words},
        status=status,
    )


# --- the roster -------------------------------------------------------------------------------


def _roster_event_or_404(person, collective, pk) -> Event:
    """A collective event hosted by `collective` that `person` runs (events.access.can_manage):
    404 when there is none (or when `person` may not even see it), 403 otherwise."""
    queryset = Event.objects.filter(
        kind=Event.Kind.COLLECTIVE, pk__in=_hosted_by(collective)
    ).select_related("campus")
    return managed_event_or_404(person, pk, queryset=queryset)


def _roster_page(request, collective, event, *, form=None, refusal="", status=200):
    registrations = list(
        event.registrations.select_related("person").order_by("requested_at", "pk")
    )
    seated = sorted(
        (r for r in registrations if r.state in Registration.HOLDS_SEAT),
        key=lambda r: (r.person.display_name.casefold(), r.pk),
    )
    waitlist = [r for r in registrations if r.state == State.WAITLISTED]
    for position, registration in enumerate(waitlist, start=1):
        registration.position = position
    now = timezone.now()
    cancelled = event.status == Event.Status.CANCELLED
    can_mark = event.start <= now and not cancelled
    hosts = list(
        Collective.objects.filter(hostings__event=event, is_active=True).order_by("name", "pk")
    )
    runs = access.can_run(request.user, collective)
    held = (
        event.host_type_id == ContentType.objects.get_for_model(Collective).pk
        and event.host_id == collective.pk
    )
    return render(
        request,
        "collectives/manage/event_roster.html",
        {
            "collective": collective,
            "event": event,
            "hosts": hosts,
            "seated": seated,
            "waitlist": waitlist,
            "cancelled_count": sum(1 for r in registrations if r.state == State.CANCELLED),
            "registered_count": len(seated),
            "seats_left": event.seats_left(len(seated)),
            "started": event.start <= now,
            "cancelled": cancelled,
            "can_mark": can_mark,
            "form": form or (AttendanceForm(registrations=seated) if can_mark and seated else None),
            "refusal": refusal,
            "runs_collective": runs,
            "can_change": held and runs,
        },
        status=status,
    )


@never_cache  # it names people: never kept by a cache
@login_required
@require_http_methods(["GET", "POST"])
def event_roster(request, slug, pk):
    """Who holds a seat and who waits (GET); attendance, per person or everyone present at once
    (POST), through belong.events.actions.mark_attendance."""
    collective = access.collective_or_404(slug)
    event = _roster_event_or_404(request.user, collective, pk)
    if request.method != "POST":
        return _roster_page(request, collective, event)
    seated = list(
        event.registrations.filter(state__in=Registration.HOLDS_SEAT).select_related("person")
    )
    form = None
    if request.POST.get("all_present"):
        attended, no_show = [r.pk for r in seated], []
    else:
        form = AttendanceForm(request.POST, registrations=seated)
        if not form.is_valid():
            return _roster_page(request, collective, event, form=form, status=400)
        attended, no_show = form.marked()
    try:
        changed = engine.mark_attendance(
            event.pk, actor=request.user, attended=attended, no_show=no_show
        )
    except engine.Refused as refusal:
        return _roster_page(
            request,
            collective,
            event,
            form=form,
            refusal=refusal.message,
            status=page_status(refusal),
        )
    except engine.Busy:
        return _roster_page(
            request, collective, event, form=form, refusal=engine.Busy.message, status=503
        )
    messages.success(request, changed_message(changed))
    return redirect("collectives:event_roster", slug=collective.slug, pk=event.pk)

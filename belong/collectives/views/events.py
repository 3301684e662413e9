"""A collective's leaders' pages for its events, under /collectives/<slug>/manage/events/: the
collective's events (held or co-hosted) with their numbers, a new event, editing and cancelling
one, and an event's roster with attendance. People register on the event's own page
(/events/<id>/, belong.events.views), which links the roster for those who run the event.

Who may: holding, changing and cancelling an event is for those who run the collective that
holds it (access.run_collective_or_403: its current leaders and DEI administrators); the roster
is for everyone who runs the event (belong.events.access.can_manage: the leaders of every
hosting collective, DEI administrators), under the address of any collective that hosts it.
Anyone else signed in gets 403 (404 for an event they may not even see), visitors are sent to
sign in. Thin views: load and authorize, then the steps every event host shares
(belong.events.manage: edit, cancel, roster, attendance, the list) with the collectives' words
and actions (belong.collectives.actions.events)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.collectives import access
from belong.collectives.actions import events as actions
from belong.collectives.forms.events import CancelCollectiveEventForm, CollectiveEventForm
from belong.collectives.models import Collective, EventHosting
from belong.events import manage
from belong.events.access import managed_event_or_404
from belong.events.models import Event


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


@never_cache
@login_required
@require_safe
def event_list(request, slug):
    """Every event the collective holds or co-hosts (belong.events.manage.event_list_page), each
    with who may come, registrations (where the viewer may see them), and links to edit it
    (those it holds), its roster and its page. A constant number of queries."""
    collective = access.run_collective_or_403(request.user, slug)
    events = Event.objects.filter(pk__in=_hosted_by(collective)).prefetch_related(_hostings())
    page = manage.event_list_page(request, events)
    collective_type = ContentType.objects.get_for_model(Collective)
    leads = access.is_leader(request.user, collective)
    for event in page:
        event.counts_shown = _counts_shown(event, leads=leads)
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
    event, status = manage.create_from(
        form,
        lambda form: actions.create_collective_event(
            collective.pk, actor=request.user, **form.action_arguments()
        ),
    )
    if event is None:
        return _form_page(request, collective, form, status=status)
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

    def page(request, event, *, form=None, refusal="", status=200):
        if form is None and not refusal:
            form = CollectiveEventForm(collective=collective, event=event)
        return _form_page(request, collective, form, event=event, refusal=refusal, status=status)

    return manage.edit_event(
        request,
        event,
        form=lambda data: CollectiveEventForm(data, collective=collective, event=event),
        page=page,
        update=lambda form: actions.update_collective_event(
            event.pk, actor=request.user, **form.action_arguments()
        ),
        saved=_("Saved “%(title)s”."),
        done_url=reverse("collectives:events", args=[collective.slug]),
        counts_shown=_counts_shown(event, leads=access.is_leader(request.user, collective)),
    )


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
    words = {
        "title": _("Cancel the event “%(title)s”?") % {"title": event.title},
        "parent_url": events_url,
        "parent_label": _("Events of %(collective)s") % {"collective": collective.name},
        "back_label": _("Back to the events"),
        "current": _("Cancel the event"),
        "keep_url": reverse("collectives:event_edit", args=[collective.slug, event.pk]),
        "keep_label": _("Keep it: back to the event"),
        "cancelled": _("This event has been cancelled."),
        "told": ngettext_lazy(
            "The event is cancelled. %(count)d person was told.",
            "The event is cancelled. %(count)d people were told.",
            "count",
        ),
        "told_everyone": _("The event is cancelled. Everyone registered or waiting was told."),
    }

    return manage.cancel_event_page(
        request,
        event,
        form_class=CancelCollectiveEventForm,
        words=words,
        done_url=events_url,
        cancel=actions.cancel_collective_event,
        counts=_counts_shown(event, leads=access.is_leader(request.user, collective)),
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
    held = (
        event.host_type_id == ContentType.objects.get_for_model(Collective).pk
        and event.host_id == collective.pk
    )
    runs = access.can_run(request.user, collective)
    return manage.roster_page(
        request,
        event,
        template="collectives/manage/event_roster.html",
        context={
            "collective": collective,
            "hosts": list(
                Collective.objects.filter(hostings__event=event, is_active=True).order_by(
                    "name", "pk"
                )
            ),
            "runs_collective": runs,
            "can_change": held and runs,
            "attendance_url": reverse("collectives:event_roster", args=[collective.slug, event.pk]),
        },
        form=form,
        refusal=refusal,
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
    return manage.record_attendance(
        request,
        event,
        page=lambda request, event, **kw: _roster_page(request, collective, event, **kw),
        done_url=reverse("collectives:event_roster", args=[collective.slug, event.pk]),
    )

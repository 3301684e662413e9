"""The coordinators' pages for the Dean's Lecture Series, under /training/manage/lectures/: every
lecture (upcoming first, then past), a new lecture, editing one (with its recording link),
cancelling one with a reason. Rosters, attendance and the CSV of a lecture are the sessions'
pages (/training/manage/sessions/<pk>/), which serve lectures too.

Who may: training coordinators and DEI administrators (belong.training.access.can_run_catalog,
the rule of the sessions' pages); anyone else signed in gets 403 (404 for a lecture they may not
even see), visitors are sent to sign in. Thin views: load and authorize, call the events action
(create_event, update_event, cancel_event), redirect with a message, or render the form again
with its errors (400) or the refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.events import actions as event_actions
from belong.events.actions import Busy, Refused
from belong.events.models import Event, Registration
from belong.training import access
from belong.training.lecture_forms import CancelLectureForm, LectureEditForm, LectureForm

State = Registration.State
LECTURES_PER_PAGE = 25
OVERVIEW_LECTURES = 10


def _authorize(person):
    if not access.can_run_catalog(person):
        raise PermissionDenied


def _lecture_or_404(person, pk):
    """A lecture, for changing it: 404 when there is none (or when `person` may not even see
    it), 403 unless `person` runs the catalog."""
    lectures = Event.objects.select_related("campus", "series").filter(kind=Event.Kind.LECTURE)
    event = lectures.filter(pk=pk).first()
    if event is None:
        raise Http404
    if not access.can_run_catalog(person):
        if not Event.objects.visible_to(person).filter(pk=event.pk).exists():
            raise Http404
        raise PermissionDenied
    return event


def _refusal_status(refusal):
    return refusal.status if 400 <= refusal.status < 500 else 409


def _add_refusal(form, refusal):
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _zone():
    return timezone.get_current_timezone_name()


def upcoming_lectures(now=None, limit=OVERVIEW_LECTURES):
    """The next lectures that are not cancelled, with their counts (one query)."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(kind=Event.Kind.LECTURE)
        .upcoming(now)
        .with_counts()
        .order_by("start", "pk")[:limit]
    )


# --- every lecture ----------------------------------------------------------------------------


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
def lecture_list(request):
    """Every lecture: the upcoming ones soonest first, then the past ones latest first, paged;
    each with its state, registrations and whether a recording is linked."""
    _authorize(request.user)
    now = timezone.now()
    lectures = (
        Event.objects.filter(kind=Event.Kind.LECTURE)
        .annotate(
            is_past=Case(
                When(start__gte=now, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .with_counts()
        .select_related("series")
        .order_by(
            "is_past",
            Case(When(start__gte=now, then=F("start"))).asc(nulls_last=True),
            F("start").desc(),
            "-pk",
        )
    )
    page = Paginator(lectures, LECTURES_PER_PAGE).get_page(request.GET.get("page"))
    for event in page:
        event.state = _state(event, now)
        event.cancelled = event.status == Event.Status.CANCELLED
    return render(request, "training/manage/lecture_list.html", {"page": page})


# --- a new lecture ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lecture_new(request):
    _authorize(request.user)
    form = LectureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                event = event_actions.create_event(
                    actor=request.user, kind=Event.Kind.LECTURE, **form.fields_for_action()
                )
            except Refused as refusal:
                _add_refusal(form, refusal)
                status = _refusal_status(refusal)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is scheduled. People can register on its page.")
                    % {"title": event.title},
                )
                return redirect("training:manage_lectures")
        else:
            status = 400
    return render(
        request,
        "training/manage/lecture_form.html",
        {"event": None, "form": form, "zone": _zone()},
        status=status,
    )


# --- editing one ------------------------------------------------------------------------------


def _edit_page(request, event, *, form=None, refusal="", status=200):
    return render(
        request,
        "training/manage/lecture_form.html",
        {
            "event": event,
            "form": form or LectureEditForm(event=event),
            "refusal": refusal,
            "cancelled": event.status == Event.Status.CANCELLED,
            "zone": _zone(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lecture_edit(request, pk):
    """Everything about a lecture, and its recording link, through update_event: a change of
    time or place raises the invite's SEQUENCE and tells everyone registered or waiting."""
    event = _lecture_or_404(request.user, pk)
    if request.method == "GET":
        return _edit_page(request, event)
    form = LectureEditForm(request.POST, event=event)
    if not form.is_valid():
        return _edit_page(request, event, form=form, status=400)
    try:
        updated, promoted = event_actions.update_event(
            event.pk, actor=request.user, **form.fields_for_action()
        )
    except Refused as refusal:
        if refusal.field in form.fields:
            _add_refusal(form, refusal)
            return _edit_page(request, event, form=form, status=_refusal_status(refusal))
        return _edit_page(
            request, event, form=form, refusal=refusal.message, status=_refusal_status(refusal)
        )
    except Busy:
        return _edit_page(request, event, form=form, refusal=Busy.message, status=503)
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
    if promoted:
        messages.info(
            request,
            ngettext(
                "%(count)d person moved from the waitlist to a seat and was told.",
                "%(count)d people moved from the waitlist to a seat and were told.",
                len(promoted),
            )
            % {"count": len(promoted)},
        )
    return redirect("training:manage_lectures")


# --- cancelling one ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lecture_cancel(request, pk):
    """A confirmation step with the reason, then cancel_event (everyone is told)."""
    event = _lecture_or_404(request.user, pk)
    affected = event.registrations.filter(state__in=[State.REGISTERED, State.WAITLISTED]).count()
    form = CancelLectureForm(request.POST if request.method == "POST" else None)
    status = 200
    refusal = ""
    if event.status == Event.Status.CANCELLED:
        refusal = _("This lecture has been cancelled.")
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        if form.is_valid():
            try:
                event_actions.cancel_event(
                    event.pk, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except Refused as caught:
                refusal, status = caught.message, _refusal_status(caught)
            except Busy:
                refusal, status = Busy.message, 503
            else:
                messages.success(
                    request,
                    ngettext(
                        "The lecture is cancelled. %(count)d person was told.",
                        "The lecture is cancelled. %(count)d people were told.",
                        affected,
                    )
                    % {"count": affected},
                )
                return redirect("training:manage_lectures")
        else:
            status = 400
    return render(
        request,
        "training/manage/lecture_cancel.html",
        {"event": event, "form": form, "affected": affected, "refusal": refusal},
        status=status,
    )

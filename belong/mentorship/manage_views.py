"""The mentorship coordinator's pages under /mentorship/manage/: the cycles, opening one,
changing it, and who has enrolled. Mentorship coordinators and DEI administrators only
(belong.mentorship.access); others get 403, visitors are sent to sign in."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.events import actions as event_actions
from belong.events.actions import Refused as EventRefused
from belong.mentorship import access, actions
from belong.mentorship.forms import CycleForm, KickoffForm
from belong.mentorship.models import Cycle, Enrollment
from belong.people.access import role_required
from belong.training.manage_views import edit_event, refusal_status

coordinator_only = role_required(*access.COORDINATORS)


def _counted(cycles):
    return cycles.annotate(
        mentee_count=Count("enrollments", filter=Q(enrollments__role=Enrollment.Role.MENTEE)),
        mentor_count=Count("enrollments", filter=Q(enrollments__role=Enrollment.Role.MENTOR)),
    )


@never_cache
@coordinator_only
@require_safe
def cycles(request):
    return render(
        request,
        "mentorship/manage/cycles.html",
        {"cycles": _counted(Cycle.objects.all()), "today": timezone.localdate()},
    )


def _save_cycle(request, form, save):
    """Validate the form and call `save(**fields)`: the cycle, or None with the form's errors."""
    if not form.is_valid():
        return None
    try:
        return save(**form.cleaned_data)
    except actions.Refused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None


@never_cache
@coordinator_only
@require_http_methods(["GET", "POST"])
def cycle_new(request):
    form = CycleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        cycle = _save_cycle(
            request, form, lambda **fields: actions.create_cycle(actor=request.user, **fields)
        )
        if cycle is not None:
            messages.success(
                request, _("The cycle %(cycle)s is open for planning.") % {"cycle": cycle.title}
            )
            return redirect("mentorship:manage_cycle", cycle.pk)
    return render(
        request,
        "mentorship/manage/cycle_form.html",
        {"form": form, "cycle": None},
        status=400 if form.errors else 200,
    )


@never_cache
@coordinator_only
@require_http_methods(["GET", "POST"])
def cycle_edit(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    if cycle.published_at is not None:
        raise PermissionDenied
    form = CycleForm.for_cycle(cycle, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = _save_cycle(
            request,
            form,
            lambda **fields: actions.update_cycle(cycle.pk, actor=request.user, **fields),
        )
        if saved is not None:
            messages.success(request, _("The cycle is saved."))
            return redirect("mentorship:manage_cycle", cycle.pk)
    return render(
        request,
        "mentorship/manage/cycle_form.html",
        {"form": form, "cycle": cycle},
        status=400 if form.errors else 200,
    )


@never_cache
@coordinator_only
@require_safe
def cycle_detail(request, pk):
    """A cycle and everyone enrolled in it, mentees then mentors, with their answers."""
    cycle = get_object_or_404(_counted(Cycle.objects.select_related("kickoff")), pk=pk)
    enrollments = (
        Enrollment.objects.filter(cycle=cycle)
        .select_related("person", "program", "campus")
        .prefetch_related("preferred", "excluded")
        .order_by("role", "person__full_name", "pk")
    )
    return render(
        request,
        "mentorship/manage/cycle.html",
        {
            "cycle": cycle,
            "mentees": [e for e in enrollments if e.role == Enrollment.Role.MENTEE],
            "mentors": [e for e in enrollments if e.role == Enrollment.Role.MENTOR],
            "today": timezone.localdate(),
        },
    )


def _kickoff_page(request, cycle, form=None, status=200, refusal=""):
    form = form or KickoffForm(cycle=cycle, event=cycle.kickoff)
    return render(
        request,
        "mentorship/manage/kickoff.html",
        {"cycle": cycle, "form": form, "refusal": refusal},
        status=status,
    )


@never_cache
@coordinator_only
@require_http_methods(["GET", "POST"])
def kickoff(request, pk):
    """Schedule the cycle's kickoff, or change it (the events engine tells those registered of
    a new time or place, as for any event)."""
    cycle = get_object_or_404(Cycle.objects.select_related("kickoff"), pk=pk)
    done_url = reverse("mentorship:manage_cycle", args=[cycle.pk])
    if cycle.kickoff is not None:
        event = cycle.kickoff
        return edit_event(
            request,
            event,
            form_class=KickoffForm,
            page=lambda request, event, **kw: _kickoff_page(request, cycle, **kw),
            update=lambda form: event_actions.update_event(
                event.pk, actor=request.user, **form.fields_for_action()
            ),
            saved=_("The kickoff “%(title)s” is saved."),
            done_url=done_url,
        )
    if request.method == "GET":
        return _kickoff_page(request, cycle)
    form = KickoffForm(request.POST, cycle=cycle)
    if not form.is_valid():
        return _kickoff_page(request, cycle, form=form, status=400)
    try:
        actions.schedule_kickoff(cycle.pk, actor=request.user, **form.fields_for_action())
    except (actions.Refused, EventRefused) as refusal:
        if refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
            return _kickoff_page(request, cycle, form=form, status=refusal_status(refusal))
        return _kickoff_page(
            request, cycle, form=form, refusal=refusal.message, status=refusal_status(refusal)
        )
    messages.success(request, _("The kickoff is scheduled: people can register on its page."))
    return redirect(done_url)

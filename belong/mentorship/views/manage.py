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
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.events import manage
from belong.lib.refusals import add_to_form
from belong.mentorship import access
from belong.mentorship.actions import cycles as actions
from belong.mentorship.actions import life, matchmaking
from belong.mentorship.forms import (
    ConcernAnswerForm,
    CycleForm,
    KickoffForm,
    PairRuleForm,
    RematchForm,
)
from belong.mentorship.models import CheckIn, Concern, Cycle, Enrollment, Match, PairRule
from belong.people.access import role_required

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
        add_to_form(form, refusal)
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
        return manage.edit_event(
            request,
            event,
            form=lambda data: KickoffForm(data, cycle=cycle, event=event),
            page=lambda request, event, **kw: _kickoff_page(request, cycle, **kw),
            update=lambda form: actions.update_kickoff(
                cycle.pk, actor=request.user, **form.action_arguments()
            ),
            saved=_("The kickoff “%(title)s” is saved."),
            done_url=done_url,
        )
    if request.method == "GET":
        return _kickoff_page(request, cycle)
    form = KickoffForm(request.POST, cycle=cycle)
    scheduled, status = manage.create_from(
        form,
        lambda form: actions.schedule_kickoff(
            cycle.pk, actor=request.user, **form.action_arguments()
        ),
    )
    if scheduled is None:
        return _kickoff_page(request, cycle, form=form, status=status)
    messages.success(request, _("The kickoff is scheduled: people can register on its page."))
    return redirect(done_url)


# --- matching ----------------------------------------------------------------------------------

WHY_UNMATCHED = {
    "no_eligible_mentor": _lazy(
        "No mentor is eligible: none is more senior, or all are excluded or full with pins."
    ),
    "below_min_score": _lazy("Every eligible mentor scores under the minimum score."),
    "no_capacity": _lazy("The mentors who fit have no place left: others fit them better."),
}


def _review_context(cycle, run, form=None):
    proposals = (
        list(
            run.proposals.select_related("mentee__person", "mentor__person").order_by(
                "mentee__person__full_name", "pk"
            )
        )
        if run
        else []
    )
    for proposal in proposals:
        proposal.words = matchmaking.reason_words(proposal.reasons)
    enrollments = {e.pk: e for e in Enrollment.objects.filter(cycle=cycle).select_related("person")}
    unmatched = [
        {"enrollment": enrollments[row["mentee"]], "why": WHY_UNMATCHED.get(row["why"], row["why"])}
        for row in (run.unmatched if run else [])
        if row["mentee"] in enrollments
    ]
    taken = {}
    for proposal in proposals:
        taken[proposal.mentor_id] = taken.get(proposal.mentor_id, 0) + 1
    free = [
        (e, e.capacity - taken.get(e.pk, 0))
        for e in sorted(enrollments.values(), key=lambda e: (e.person.full_name, e.pk))
        if e.role == Enrollment.Role.MENTOR and e.capacity > taken.get(e.pk, 0)
    ]
    rules = PairRule.objects.filter(cycle=cycle).select_related("mentee__person", "mentor__person")
    return {
        "cycle": cycle,
        "run": run,
        "proposals": proposals,
        "unmatched": unmatched,
        "free_mentors": free,
        "rules": rules,
        "rule_form": form or PairRuleForm(cycle=cycle),
    }


@never_cache
@coordinator_only
@require_safe
def matching_review(request, pk):
    """The latest run of the engine: the proposed pairs with their scores and reasons, who is
    left unmatched and why, the mentors with places left, the pins and exclusions."""
    cycle = get_object_or_404(Cycle, pk=pk)
    return render(
        request,
        "mentorship/manage/matching.html",
        _review_context(cycle, matchmaking.latest_run(cycle)),
    )


@coordinator_only
@require_POST
def matching_run(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        run = matchmaking.run(cycle.pk, actor=request.user)
    except actions.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("mentorship:manage_cycle", cycle.pk)
    messages.success(
        request,
        ngettext(
            "The matching proposes %(count)d pair.",
            "The matching proposes %(count)d pairs.",
            run.proposals.count(),
        )
        % {"count": run.proposals.count()},
    )
    return redirect("mentorship:matching", cycle.pk)


@coordinator_only
@require_POST
def matching_rule(request, pk):
    """Pin, exclude, or clear a pair; then the coordinator runs the engine again."""
    cycle = get_object_or_404(Cycle, pk=pk)
    form = PairRuleForm(request.POST, cycle=cycle)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            matchmaking.set_rule(
                cycle.pk,
                actor=request.user,
                mentee_id=form.cleaned_data["mentee"].pk,
                mentor_id=form.cleaned_data["mentor"].pk,
                kind=None if kind == "clear" else kind,
            )
        except actions.Refused as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Saved. Run the matching again to see its effect."))
            return redirect("mentorship:matching", cycle.pk)
    context = _review_context(cycle, matchmaking.latest_run(cycle), form=form)
    return render(request, "mentorship/manage/matching.html", context, status=400)


@never_cache
@coordinator_only
@require_http_methods(["GET", "POST"])
def matching_publish(request, pk):
    """The confirmation step, then publishing: the matches are made and everyone is told."""
    cycle = get_object_or_404(Cycle, pk=pk)
    run = matchmaking.latest_run(cycle)
    if run is None:
        messages.error(request, _("Run the matching first."))
        return redirect("mentorship:manage_cycle", cycle.pk)
    refusal, status = "", 200
    if request.method == "POST":
        try:
            run_id = int(request.POST.get("run", ""))
        except ValueError:
            run_id = None
        try:
            published = matchmaking.publish(cycle.pk, actor=request.user, run_id=run_id)
        except actions.Refused as error:
            refusal, status = error.message, error.status
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d match is published; both people of each pair were told.",
                    "%(count)d matches are published; both people of each pair were told.",
                    len(published),
                )
                % {"count": len(published)},
            )
            return redirect("mentorship:manage_cycle", cycle.pk)
    return render(
        request,
        "mentorship/manage/publish.html",
        {
            "cycle": cycle,
            "run": run,
            "count": run.proposals.count(),
            "unmatched": len(run.unmatched),
            "today": timezone.localdate(),
            "refusal": refusal,
        },
        status=status,
    )


# --- the published matches -----------------------------------------------------------------------


def _matches_context(cycle, rematch_form=None):
    today = timezone.localdate()
    matches = list(
        life.with_last_meeting(Match.objects.filter(cycle=cycle))
        .annotate(
            meeting_count=Count("meetings", distinct=True),
            goals_done=Count("goals", filter=Q(goals__state="done"), distinct=True),
            goal_count=Count("goals", distinct=True),
        )
        .select_related("mentee__person", "mentor__person")
        .order_by("state", "mentee__person__full_name", "pk")
    )
    check_ins = {}
    for answer in CheckIn.objects.filter(match__cycle=cycle).order_by("stage", "pk"):
        check_ins.setdefault(answer.match_id, []).append(answer)
    for match in matches:
        match.quiet = match.state == Match.State.ACTIVE and life.is_quiet(match, today)
        match.answers = check_ins.get(match.pk, [])
    concerns = (
        Concern.objects.filter(match__cycle=cycle, resolved_at__isnull=True)
        .select_related("person", "match__mentee__person", "match__mentor__person")
        .order_by("created_at", "pk")
    )
    matched = Match.objects.filter(cycle=cycle, state=Match.State.ACTIVE)
    enrolled = Enrollment.objects.filter(cycle=cycle).select_related("person")
    mentees = enrolled.filter(role=Enrollment.Role.MENTEE).exclude(
        pk__in=matched.values("mentee_id")
    )
    mentors = enrolled.filter(role=Enrollment.Role.MENTOR).order_by("person__full_name", "pk")
    return {
        "cycle": cycle,
        "matches": matches,
        "concerns": concerns,
        "quiet_weeks": life.quiet_weeks(),
        "rematch_form": rematch_form
        or RematchForm(mentees=mentees.order_by("person__full_name", "pk"), mentors=mentors),
        "unmatched_count": mentees.count(),
    }


@never_cache
@coordinator_only
@require_safe
def matches(request, pk):
    """The cycle's published matches: when each pair last met (quiet ones flagged), goals,
    check-ins, the open requests to answer, and a new match for a mentee without one."""
    cycle = get_object_or_404(Cycle, pk=pk)
    return render(request, "mentorship/manage/matches.html", _matches_context(cycle))


@coordinator_only
@require_POST
def answer_concern(request, pk, concern_pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    concern = get_object_or_404(Concern, pk=concern_pk, match__cycle=cycle)
    form = ConcernAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("End the match or keep it."))
        return redirect("mentorship:manage_matches", cycle.pk)
    try:
        life.resolve_concern(concern.pk, actor=request.user, outcome=form.cleaned_data["outcome"])
    except actions.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        if form.cleaned_data["outcome"] == "ended":
            messages.success(request, _("The match is ended; both people were told."))
        else:
            messages.success(request, _("The match continues; the person who asked was told."))
    return redirect("mentorship:manage_matches", cycle.pk)


@coordinator_only
@require_POST
def rematch(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    enrolled = Enrollment.objects.filter(cycle=cycle).select_related("person")
    form = RematchForm(
        request.POST,
        mentees=enrolled.filter(role=Enrollment.Role.MENTEE),
        mentors=enrolled.filter(role=Enrollment.Role.MENTOR),
    )
    if form.is_valid():
        try:
            life.rematch(
                cycle.pk,
                actor=request.user,
                mentee_id=form.cleaned_data["mentee"].pk,
                mentor_id=form.cleaned_data["mentor"].pk,
            )
        except actions.Refused as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("The new match is made; both people were introduced."))
            return redirect("mentorship:manage_matches", cycle.pk)
    return render(
        request,
        "mentorship/manage/matches.html",
        _matches_context(cycle, rematch_form=form),
        status=400,
    )

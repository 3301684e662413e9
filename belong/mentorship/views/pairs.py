"""A published pair's own page (/mentorship/matches/<id>/): the other person and why they were
matched, meetings (with notes only the two of them read), goals, the check-ins when they are
open, and the confidential request to the coordinator. Only the two people of the pair see it
(anyone else gets 404, as if it did not exist)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from belong.lib.refusals import add_to_form, page_status
from belong.mentorship.actions import life
from belong.mentorship.actions.cycles import Refused
from belong.mentorship.actions.matchmaking import reason_words
from belong.mentorship.forms import (
    CheckInForm,
    ConcernForm,
    GoalForm,
    GoalStateForm,
    MeetingForm,
)
from belong.mentorship.models import CheckIn, Concern, Goal


def _match_or_404(match_id, person):
    try:
        return life.pair_match(match_id, person)
    except Refused:
        raise Http404 from None


def _page(request, match, *, status=200, **forms):
    today = timezone.localdate()
    person = request.user
    i_mentor = match.mentor.person_id == person.pk
    mine = {c.stage: c for c in CheckIn.objects.filter(match=match, person=person)}
    check_ins = [
        {
            "stage": stage,
            "label": CheckIn.Stage(stage).label,
            "answer": mine.get(stage),
            "form": forms.get(f"check_in_{stage}")
            or CheckInForm(
                initial={"satisfaction": mine[stage].satisfaction, "comment": mine[stage].comment}
                if stage in mine
                else None,
                prefix=stage,
            ),
        }
        for stage in life.due_stages(match, today)
    ]
    context = {
        "match": match,
        "i_mentor": i_mentor,
        "other": match.mentee.person if i_mentor else match.mentor.person,
        "reasons": reason_words(match.reasons_for(person)),
        "meetings": match.meetings.select_related("logged_by"),
        "goals": match.goals.all(),
        "goal_states": Goal.State.choices,
        "meeting_form": forms.get("meeting_form") or MeetingForm(initial={"met_on": today}),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "check_ins": check_ins,
        "open_concern": Concern.objects.filter(
            match=match, person=person, resolved_at__isnull=True
        ).first(),
        "active": match.state == match.State.ACTIVE,
    }
    return render(request, "mentorship/pair.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def pair(request, pk):
    return _page(request, _match_or_404(pk, request.user))


def _refused(form, refusal):
    add_to_form(form, refusal)
    return page_status(refusal)


@login_required
@require_POST
def log_meeting(request, pk):
    match = _match_or_404(pk, request.user)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            life.log_meeting(match.pk, person=request.user, **form.cleaned_data)
        except Refused as refusal:
            return _page(request, match, meeting_form=form, status=_refused(form, refusal))
        messages.success(request, _("The meeting is logged."))
        return redirect("mentorship:pair", match.pk)
    return _page(request, match, meeting_form=form, status=400)


@login_required
@require_POST
def add_goal(request, pk):
    match = _match_or_404(pk, request.user)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            life.add_goal(match.pk, person=request.user, title=form.cleaned_data["title"])
        except Refused as refusal:
            return _page(request, match, goal_form=form, status=_refused(form, refusal))
        messages.success(request, _("The goal is added."))
        return redirect("mentorship:pair", match.pk)
    return _page(request, match, goal_form=form, status=400)


@login_required
@require_POST
def goal_state(request, pk, goal_pk):
    match = _match_or_404(pk, request.user)
    goal = Goal.objects.filter(pk=goal_pk, match=match).first()
    if goal is None:
        raise Http404
    form = GoalStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state from the list."))
        return redirect("mentorship:pair", match.pk)
    life.set_goal_state(goal.pk, person=request.user, state=form.cleaned_data["state"])
    messages.success(request, _("The goal is saved."))
    return redirect("mentorship:pair", match.pk)


@login_required
@require_POST
def check_in(request, pk, stage):
    match = _match_or_404(pk, request.user)
    if stage not in CheckIn.Stage.values:
        raise Http404
    form = CheckInForm(request.POST, prefix=stage)
    if form.is_valid():
        try:
            life.check_in(match.pk, person=request.user, stage=stage, **form.cleaned_data)
        except Refused as refusal:
            return _page(
                request, match, status=_refused(form, refusal), **{f"check_in_{stage}": form}
            )
        messages.success(request, _("Thank you: your check-in is saved."))
        return redirect("mentorship:pair", match.pk)
    return _page(request, match, status=400, **{f"check_in_{stage}": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request, pk):
    """The confidential request for a new match or to end it."""
    match = _match_or_404(pk, request.user)
    form = ConcernForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                life.raise_concern(match.pk, person=request.user, **form.cleaned_data)
            except Refused as refusal:
                status = _refused(form, refusal)
            else:
                messages.success(
                    request,
                    _(
                        "The coordinator has your request and will be in touch. The other "
                        "person has not been told."
                    ),
                )
                return redirect("mentorship:pair", match.pk)
        else:
            status = 400
    i_mentor = match.mentor.person_id == request.user.pk
    return render(
        request,
        "mentorship/ask.html",
        {
            "match": match,
            "other": match.mentee.person if i_mentor else match.mentor.person,
            "form": form,
        },
        status=status,
    )

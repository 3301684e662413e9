"""Anonymous evaluations: the form an attendee reaches from the emailed link (while the
session's evaluation is open), and the results for coordinators, DEI administrators and
facilitators: only what was published when the evaluation closed (aggregates, above the
threshold; belong.training.evaluation_summary)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.events.models import Event, Registration
from belong.training import access
from belong.training.actions.evaluations import (
    EvaluationRefused,
    closes_at,
    is_open,
    min_responses,
    submit_evaluation,
)
from belong.training.evaluation_summary import course_results, session_results
from belong.training.forms.evaluations import EvaluationForm
from belong.training.models import Course, EvaluationInvite


def _closed(request, *, title, message, status):
    return render(
        request,
        "training/evaluation_closed.html",
        {"title": title, "message": message},
        status=status,
    )


def _already_answered(request):
    return _closed(
        request,
        title=_("You have already answered; thank you"),
        message=_(
            "Each attendee answers once. Your answers are stored without your name and counted "
            "in the session's results."
        ),
        status=409,
    )


def _window_closed(request, event):
    return _closed(
        request,
        title=_("This evaluation has closed"),
        message=_(
            "The evaluation of this session closed on %(day)s, so it takes no more answers. "
            "Thank you for wanting to answer."
        )
        % {"day": date_format(timezone.localtime(closes_at(event)), "DATE_FORMAT")},
        status=409,
    )


@never_cache  # the page's address holds the one-time link
@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request, token):
    invite: EvaluationInvite = access.evaluation_invite_for(request.user, token)
    event = invite.registration.event
    course = event.host
    if not isinstance(course, Course):
        raise Http404
    if invite.used:
        return _already_answered(request)
    if event.status == Event.Status.CANCELLED:
        return _closed(
            request,
            title=_("This session was cancelled"),
            message=_("There is nothing to evaluate."),
            status=409,
        )
    if invite.registration.state != Registration.State.ATTENDED:
        return _closed(
            request,
            title=_("Only people who attended can evaluate"),
            message=_("Only people who attended the session can evaluate it."),
            status=409,
        )
    if not is_open(event):
        return _window_closed(request, event)

    objectives = list(course.objectives.all())
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(data, objectives=objectives)
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                submit_evaluation(
                    person=request.user,
                    token=token,
                    session_rating=int(form.cleaned_data["session_rating"]),
                    objective_ratings=form.objective_ratings(),
                    comment=form.cleaned_data["comment"],
                )
            except EvaluationRefused as refusal:
                if refusal.code == "already_answered":
                    return _already_answered(request)
                if refusal.code == "closed":
                    return _window_closed(request, event)
                if refusal.status == 404:
                    raise Http404 from refusal
                if refusal.status == 409:  # cancelled or attendance corrected meanwhile
                    return _closed(
                        request, title=refusal.message, message="", status=refusal.status
                    )
                form.add_error(
                    refusal.field if refusal.field in form.fields else None, refusal.message
                )
                status = refusal.status
            else:
                return redirect("training:evaluation_thanks")
        else:
            status = 400
    return render(
        request,
        "training/evaluate.html",
        {
            "form": form,
            "course": course,
            "event": event,
            "min_responses": min_responses(),
            "closes_at": closes_at(event),
        },
        status=status,
    )


@login_required
@require_safe
def evaluation_thanks(request):
    return render(request, "training/evaluation_thanks.html", {"min_responses": min_responses()})


@login_required
@require_safe
def session_evaluations(request, event_id):
    event, course = access.session_for_evaluations(request.user, event_id)
    results = session_results(event, overall_label=_("The session overall"))
    return render(
        request,
        "training/evaluation_results.html",
        {
            "course": course,
            "event": event,
            "results": results,
            "summary": results.summary,
        },
    )


@login_required
@require_safe
def course_evaluations(request, slug):
    course = access.course_for_evaluations(request.user, slug)
    results = course_results(course, viewer=request.user, overall_label=_("The sessions overall"))
    return render(
        request,
        "training/evaluation_results.html",
        {
            "course": course,
            "results": results,
            "summary": results.summary,
            "included": results.included,
        },
    )

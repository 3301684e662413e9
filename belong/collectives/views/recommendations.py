"""Recommendations to the organization: the public tracker and a recommendation's page (with
its whole history), the DEI administrators' answer form, and the leaders' drafts (write, edit,
submit after a confirmation step, delete).

Thin views: load and authorize (belong.collectives.access), call the action
(belong.collectives.actions.recommendations), redirect with a message, or render the form again
with its errors (400) or the refusal (409). A recommendation speaks for its collective: the
pages name the collective, never the person who wrote or answered it."""

import statistics

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.collectives import access
from belong.collectives.actions import recommendations as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.forms.recommendations import (
    AnswerForm,
    RecommendationForm,
    TrackerFilterForm,
)
from belong.collectives.models import (
    Collective,
    FocusArea,
    Recommendation,
    RecommendationUpdate,
)
from belong.lib.refusals import add_to_form, page_status

State = Recommendation.State
TRACKER_PAGE_SIZE = 50
DAY_SECONDS = 24 * 60 * 60


def now():
    """The clock of these pages (tests pin it)."""
    return timezone.now()


# --- loading -----------------------------------------------------------------------------------


def _with_history(queryset=None):
    queryset = queryset if queryset is not None else Recommendation.objects.all()
    return queryset.select_related("collective").prefetch_related(
        "focus_areas",
        Prefetch("updates", queryset=RecommendationUpdate.objects.order_by("at", "pk")),
    )


def _visible_or_404(person, pk, queryset=None) -> Recommendation:
    """A recommendation `person` may see: any submitted one of an active collective; a draft
    only for those who run its collective (404 for everyone else)."""
    recommendation = (
        (queryset if queryset is not None else _with_history())
        .filter(pk=pk, collective__is_active=True)
        .first()
    )
    if recommendation is None or not access.can_see_recommendation(person, recommendation):
        raise Http404
    return recommendation


def _draft_of(collective, pk) -> Recommendation:
    """One of the collective's recommendations, for its leaders' pages (404 if it is not the
    collective's)."""
    return get_object_or_404(
        Recommendation.objects.select_related("collective").prefetch_related("focus_areas"),
        pk=pk,
        collective=collective,
    )


# --- the tracker --------------------------------------------------------------------------------


def latest_answer_at():
    """The date of a recommendation's latest answer (any state after submission)."""
    latest = (
        RecommendationUpdate.objects.filter(recommendation=OuterRef("pk"))
        .exclude(state=State.SUBMITTED)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return Subquery(latest)


def tracked(filters=None):
    """Every recommendation on the tracker (submitted, of an active collective), filtered."""
    filters = filters or {}
    recommendations = Recommendation.objects.exclude(state=State.DRAFT).filter(
        collective__is_active=True
    )
    if filters.get("state"):
        recommendations = recommendations.filter(state=filters["state"])
    if filters.get("collective"):
        recommendations = recommendations.filter(collective__slug=filters["collective"])
    if filters.get("area"):
        recommendations = recommendations.filter(focus_areas__slug=filters["area"])
    return recommendations


def wait_days(duration):
    return int(duration.total_seconds() // DAY_SECONDS) if duration is not None else None


def summary(recommendations):
    """How many there are, how many were answered (adopted, partly adopted or declined), and
    the median wait of those answered, in whole days (one query)."""
    rows = list(recommendations.values_list("submitted_at", "answered_at").order_by())
    waits = [
        (answered - submitted).total_seconds()
        for submitted, answered in rows
        if submitted is not None and answered is not None
    ]
    median = statistics.median(waits) if waits else None
    return {
        "total": len(rows),
        "answered": len(waits),
        "waiting": len(rows) - len(waits),
        "median_days": int(median // DAY_SECONDS) if median is not None else None,
    }


@require_safe
def tracker(request):
    collectives = list(Collective.objects.filter(is_active=True).only("slug", "name"))
    areas = list(FocusArea.objects.all())
    form = TrackerFilterForm(request.GET or None, collectives=collectives, areas=areas)
    filters = form.filters()
    recommendations = tracked(filters)
    listed = (
        recommendations.select_related("collective")
        .prefetch_related("focus_areas")
        .annotate(latest_answer_at=latest_answer_at())
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(listed, TRACKER_PAGE_SIZE).get_page(request.GET.get("page"))
    clock = now()
    for recommendation in page.object_list:
        recommendation.wait_days = wait_days(recommendation.waited(clock))
        recommendation.is_answered = recommendation.answered_at is not None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collectives/recommendations/tracker.html",
        {
            "form": form,
            "page_obj": page,
            "recommendations": page.object_list,
            "summary": summary(recommendations),
            "filtered": bool(filters),
            "query": query.urlencode(),
            "can_answer": access.can_answer_recommendations(request.user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- one recommendation ------------------------------------------------------------------------


@require_safe
def recommendation_detail(request, pk):
    recommendation = _visible_or_404(request.user, pk)
    runs = access.can_run(request.user, recommendation.collective)
    allowed = actions.allowed_answers(recommendation)
    response = render(
        request,
        "collectives/recommendations/detail.html",
        {
            "recommendation": recommendation,
            "collective": recommendation.collective,
            "policies": recommendation.policies.splitlines(),
            "is_draft": recommendation.state == State.DRAFT,
            "can_edit": runs and recommendation.state == State.DRAFT,
            "can_answer": bool(allowed) and access.can_answer_recommendations(request.user),
            "wait_days": wait_days(recommendation.waited(now())),
        },
    )
    if recommendation.state == State.DRAFT:
        response["Cache-Control"] = "private, no-store"
    return response


def _render_answer(request, recommendation, form, *, status=200, refusal=""):
    return render(
        request,
        "collectives/recommendations/answer.html",
        {
            "recommendation": recommendation,
            "collective": recommendation.collective,
            "policies": recommendation.policies.splitlines(),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    recommendation = _visible_or_404(request.user, pk)
    if not access.can_answer_recommendations(request.user):
        raise PermissionDenied
    allowed = actions.allowed_answers(recommendation)
    if not allowed:
        if recommendation.state == State.DRAFT:
            refusal = _("This recommendation has not been submitted yet.")
        else:
            refusal = _("This recommendation has been answered (%(state)s): it is closed.") % {
                "state": recommendation.get_state_display()
            }
        status = 409 if request.method == "POST" else 200
        return _render_answer(request, recommendation, None, status=status, refusal=refusal)
    if request.method != "POST":
        return _render_answer(request, recommendation, AnswerForm(allowed=allowed))
    form = AnswerForm(request.POST, allowed=allowed)
    if not form.is_valid():
        return _render_answer(request, recommendation, form, status=400)
    try:
        update = actions.answer(
            recommendation.pk,
            actor=request.user,
            state=form.cleaned_data["state"],
            text=form.cleaned_data["text"],
        )
    except Refused as refusal:
        if refusal.status == 400:
            add_to_form(form, refusal)
            return _render_answer(request, recommendation, form, status=400)
        if refusal.status == 404:
            raise Http404 from refusal
        recommendation = _visible_or_404(request.user, pk)
        return _render_answer(
            request, recommendation, None, status=page_status(refusal), refusal=refusal.message
        )
    messages.success(
        request,
        _("The answer “%(state)s” is public on the tracker. The collective's leaders were told.")
        % {"state": update.get_state_display()},
    )
    return redirect("collectives:recommendation", recommendation.pk)


# --- the leaders' pages -----------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def drafts(request, slug):
    collective = access.run_collective_or_403(request.user, slug)
    recommendations = collective.recommendations.annotate(
        latest_answer_at=latest_answer_at()
    ).order_by("-created_at", "-pk")
    drafts_, submitted = [], []
    for recommendation in recommendations:
        (drafts_ if recommendation.state == State.DRAFT else submitted).append(recommendation)
    return render(
        request,
        "collectives/recommendations/drafts.html",
        {"collective": collective, "drafts": drafts_, "submitted": submitted},
    )


def _render_form(request, collective, form, *, recommendation=None, status=200, refusal=""):
    return render(
        request,
        "collectives/recommendations/form.html",
        {
            "collective": collective,
            "form": form,
            "recommendation": recommendation,
            "refusal": refusal,
        },
        status=status,
    )


def _save(request, collective, form, recommendation=None):
    """Save the draft from a bound form; a redirect, or the form again with its errors."""
    if not form.is_valid():
        return _render_form(request, collective, form, recommendation=recommendation, status=400)
    data = form.cleaned_data
    try:
        saved = actions.save_draft(
            collective.pk,
            actor=request.user,
            title=data["title"],
            problem=data["problem"],
            proposal=data["proposal"],
            policies=data["policies"],
            focus_areas=list(data["focus_areas"]),
            recommendation_id=recommendation.pk if recommendation is not None else None,
        )
    except Refused as refusal:
        if refusal.status == 400:
            add_to_form(form, refusal)
            return _render_form(
                request, collective, form, recommendation=recommendation, status=400
            )
        if refusal.status == 404:
            raise Http404 from refusal
        return _render_form(
            request,
            collective,
            None,
            recommendation=recommendation,
            status=page_status(refusal),
            refusal=refusal.message,
        )
    messages.success(
        request,
        _(
            "The draft is saved. Read it over, then submit it to the organization when the "
            "collective is ready."
        ),
    )
    return redirect("collectives:recommendation", saved.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new(request, slug):
    collective = access.run_collective_or_403(request.user, slug)
    if request.method == "POST":
        return _save(request, collective, RecommendationForm(request.POST))
    initial = {"focus_areas": [area.pk for area in collective.focus_areas.all()]}
    return _render_form(request, collective, RecommendationForm(initial=initial))


def _not_a_draft(request, recommendation):
    messages.info(
        request, _("This recommendation has been submitted: it can no longer be changed.")
    )
    return redirect("collectives:recommendation", recommendation.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug, pk):
    collective = access.run_collective_or_403(request.user, slug)
    recommendation = _draft_of(collective, pk)
    if request.method == "POST":
        return _save(request, collective, RecommendationForm(request.POST), recommendation)
    if recommendation.state != State.DRAFT:
        return _not_a_draft(request, recommendation)
    form = RecommendationForm.for_recommendation(recommendation)
    return _render_form(request, collective, form, recommendation=recommendation)


def _confirm(request, collective, recommendation, *, template, status=200, refusal=""):
    return render(
        request,
        template,
        {
            "collective": collective,
            "recommendation": recommendation,
            "policies": recommendation.policies.splitlines(),
            "refusal": refusal,
        },
        status=status,
    )


def _confirm_then(request, slug, pk, *, template, act):
    """A draft's confirmation step (GET), then `act` on it (POST). Returns the collective and
    the draft once done, or the response to give instead (the confirmation, again with the
    refusal when the action refused)."""
    collective = access.run_collective_or_403(request.user, slug)
    recommendation = _draft_of(collective, pk)
    if request.method != "POST":
        if recommendation.state != State.DRAFT:
            return _not_a_draft(request, recommendation)
        return _confirm(request, collective, recommendation, template=template)
    try:
        act(recommendation.pk, actor=request.user)
    except Refused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        return _confirm(
            request,
            collective,
            recommendation,
            template=template,
            status=page_status(refusal),
            refusal=refusal.message,
        )
    return collective, recommendation


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def submit(request, slug, pk):
    """The confirmation step (GET), then the submission (POST)."""
    done = _confirm_then(
        request, slug, pk, template="collectives/recommendations/submit.html", act=actions.submit
    )
    if not isinstance(done, tuple):
        return done
    _collective, recommendation = done
    messages.success(
        request,
        _(
            "The recommendation is submitted: it is on the public tracker, and the DEI "
            "administrators were told."
        ),
    )
    return redirect("collectives:recommendation", recommendation.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request, slug, pk):
    """The confirmation step (GET), then the draft is deleted (POST)."""
    done = _confirm_then(
        request, slug, pk, template="collectives/recommendations/delete.html", act=actions.withdraw
    )
    if not isinstance(done, tuple):
        return done
    collective, recommendation = done
    messages.success(
        request, _("The draft “%(title)s” is deleted.") % {"title": recommendation.title}
    )
    return redirect("collectives:recommendation_drafts", collective.slug)

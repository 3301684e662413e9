"""Recommendations to the organization: a collective's leaders draft one and submit it, DEI
administrators acknowledge it and answer, in public.

The life of a recommendation, and the only transitions there are (Recommendation.NEXT holds the
answers):

    draft ──> submitted ──> acknowledged ──> under review ──> adopted | partly adopted | declined
                  │              │                                   ^
                  └──────────────┴──── (any later state, skipping) ──┘

A draft is written and submitted by those who run its collective (access.can_run: its current
leaders and DEI administrators); it can be edited or withdrawn (deleted) until it is submitted,
never after. Every answer is given by a DEI administrator (access.can_answer_recommendations);
adopted, partly adopted and declined need the answer's text, and end the wait
(`answered_at`). Each state change locks the recommendation row, checks the transition against
the row as it is now, writes a RecommendationUpdate (the public history), an audit entry and
mail through the outbox: the DEI administrators learn of a submission, the collective's current
leaders of every answer.

A recommendation speaks for its collective: pages and the API show the collective as its author,
never the person who typed it (`author` and `by` are kept for the audit only).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.collectives import access
from belong.collectives.actions.events import focus_areas_from
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Collective, Recommendation, RecommendationUpdate
from belong.notifications import outbox
from belong.people import roles
from belong.people.actions import audit

State = Recommendation.State

MAX_TITLE = Recommendation._meta.get_field("title").max_length
MAX_TEXT = 20000
MAX_POLICIES = 4000
MAX_ANSWER = 20000
# States an answer may name (never back to draft or submitted).
ANSWER_STATES = [State.ACKNOWLEDGED, State.UNDER_REVIEW, *Recommendation.ANSWERED]


def allowed_answers(recommendation) -> list:
    """The states a DEI administrator may answer with from the recommendation's current state
    (none for a draft or an answered one)."""
    return list(Recommendation.NEXT.get(State(recommendation.state), []))


def needs_text(state) -> bool:
    return state in Recommendation.ANSWERED


def page_url(recommendation) -> str:
    return settings.SITE_URL + reverse("collectives:recommendation", args=[recommendation.pk])


def answer_url(recommendation) -> str:
    return settings.SITE_URL + reverse(
        "collectives:recommendation_answer", args=[recommendation.pk]
    )


def administrators():
    """Who is told of a submission: every active DEI administrator."""
    return list(
        get_user_model()
        .objects.filter(groups__name=roles.DEI_ADMINISTRATOR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def current_leaders(collective):
    """Who is told of an answer: the collective's current leaders (each person once)."""
    person_ids = (
        access.current_leader_roles()
        .filter(collective=collective)
        .values_list("person_id", flat=True)
    )
    return list(get_user_model().objects.filter(pk__in=person_ids, is_active=True).order_by("pk"))


# --- checks ------------------------------------------------------------------------------------


def _text(value, *, field, required, limit, missing, too_long=None):
    value = (value or "").strip()
    if "\x00" in value:  # PostgreSQL stores no NUL character in text
        raise Refused(_("Remove the null characters from the text."), field=field)
    if required and not value:
        raise Refused(missing, field=field)
    if len(value) > limit:
        raise Refused(
            too_long
            or _("Keep it to %(limit)d characters or fewer (it has %(count)d).")
            % {"limit": limit, "count": len(value)},
            field=field,
        )
    return value


def _lock(recommendation_id) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_for_update()
        .select_related("collective")
        .filter(pk=recommendation_id)
        .first()
    )
    if recommendation is None:
        raise Refused(
            _("This recommendation no longer exists."),
            field="recommendation",
            status=404,
            code="missing",
        )
    return recommendation


def _run_or_refuse(actor, recommendation):
    """Those who run the collective may go on; others may not (a draft they cannot even see is
    a 404, as if it did not exist)."""
    if access.can_run(actor, recommendation.collective):
        return
    if not access.can_see_recommendation(actor, recommendation):
        raise Refused(
            _("This recommendation no longer exists."),
            field="recommendation",
            status=404,
            code="missing",
        )
    raise PermissionDenied(_("Only the collective's leaders may change its recommendations."))


def _still_draft(recommendation, message):
    if recommendation.state != State.DRAFT:
        raise Refused(message, field="state", status=409, code=f"from_{recommendation.state}")


# --- the leaders' side -------------------------------------------------------------------------


@transaction.atomic
def save_draft(
    collective_id,
    *,
    actor,
    title,
    problem,
    proposal,
    policies="",
    focus_areas=(),
    recommendation_id=None,
    now=None,
) -> Recommendation:
    """Write a new draft for the collective, or change an existing draft of it
    (`recommendation_id`). Only a draft can be changed. Bad input raises Refused naming the
    field (nothing saved); someone who does not run the collective, PermissionDenied."""
    collective = Collective.objects.filter(pk=collective_id, is_active=True).first()
    if collective is None:
        raise Refused(_("This collective does not exist."), status=404, code="missing")
    if not access.can_run(actor, collective):
        raise PermissionDenied(_("Only the collective's leaders may write its recommendations."))
    title = _text(
        title,
        field="title",
        required=True,
        limit=MAX_TITLE,
        missing=_("Give the recommendation a title."),
    )
    problem = _text(
        problem,
        field="problem",
        required=True,
        limit=MAX_TEXT,
        missing=_("Describe the problem the recommendation addresses."),
    )
    proposal = _text(
        proposal,
        field="proposal",
        required=True,
        limit=MAX_TEXT,
        missing=_("Say what the collective proposes."),
    )
    policies = _text(policies, field="policies", required=False, limit=MAX_POLICIES, missing="")
    policies = "\n".join(line.strip() for line in policies.splitlines() if line.strip())
    areas = focus_areas_from(focus_areas)

    if recommendation_id is None:
        recommendation = Recommendation.objects.create(
            collective=collective,
            title=title,
            problem=problem,
            proposal=proposal,
            policies=policies,
            author=actor,
            state=State.DRAFT,
            created_at=now or timezone.now(),
        )
        recommendation.focus_areas.set(areas)
        audit(actor=actor, verb="recommendation.drafted", obj=recommendation)
        return recommendation

    recommendation = _lock(recommendation_id)
    if recommendation.collective_id != collective.pk:
        raise Refused(
            _("This recommendation no longer exists."),
            field="recommendation",
            status=404,
            code="missing",
        )
    _still_draft(
        recommendation, _("This recommendation has been submitted: it can no longer be edited.")
    )
    values = {"title": title, "problem": problem, "proposal": proposal, "policies": policies}
    changed = [name for name, value in values.items() if getattr(recommendation, name) != value]
    for name in changed:
        setattr(recommendation, name, values[name])
    if changed:
        recommendation.save(update_fields=[*changed, "updated_at"])
    if {area.pk for area in areas} != set(recommendation.focus_areas.values_list("pk", flat=True)):
        recommendation.focus_areas.set(areas)
        changed.append("focus_areas")
    if changed:
        audit(actor=actor, verb="recommendation.edited", obj=recommendation, fields=changed)
    return recommendation


@transaction.atomic
def submit(recommendation_id, *, actor, now=None) -> Recommendation:
    """Send a draft to the organization (draft -> submitted): it appears on the tracker, its
    wait starts, and every DEI administrator is told by email."""
    recommendation = _lock(recommendation_id)
    _run_or_refuse(actor, recommendation)
    _still_draft(recommendation, _("This recommendation has already been submitted."))
    now = now or timezone.now()
    recommendation.state = State.SUBMITTED
    recommendation.submitted_at = now
    recommendation.save(update_fields=["state", "submitted_at", "updated_at"])
    update = RecommendationUpdate.objects.create(
        recommendation=recommendation, state=State.SUBMITTED, by=actor, at=now
    )
    audit(actor=actor, verb="recommendation.submitted", obj=recommendation)
    collective = recommendation.collective
    for admin in administrators():
        outbox.queue(
            key=f"recommendation:{recommendation.pk}:submitted:{admin.pk}",
            to_email=admin.email,
            person=admin,
            template="collectives/recommendations/email/submitted",
            context={
                "person": admin,
                "recommendation": recommendation,
                "collective": collective,
                "update": update,
                "answer_url": answer_url(recommendation),
            },
        )
    return recommendation


@transaction.atomic
def withdraw(recommendation_id, *, actor) -> None:
    """Delete a draft (its collective's leaders, or a DEI administrator). A submitted
    recommendation stays on the tracker: it cannot be withdrawn."""
    recommendation = _lock(recommendation_id)
    _run_or_refuse(actor, recommendation)
    _still_draft(
        recommendation,
        _("This recommendation has been submitted: it stays on the tracker and cannot be deleted."),
    )
    audit(
        actor=actor,
        verb="recommendation.withdrawn",
        obj=recommendation,
        collective=recommendation.collective_id,
    )
    recommendation.delete()


# --- the DEI administrators' answers -----------------------------------------------------------


def _state_label(state) -> str:
    return str(State(state).label)


@transaction.atomic
def answer(recommendation_id, *, actor, state, text="", now=None) -> RecommendationUpdate:
    """A DEI administrator's answer: the next state (one that Recommendation.NEXT allows from
    the current one) and its text, required for adopted, partly adopted and declined (which end
    the wait). The answer is public on the tracker; the collective's current leaders are told."""
    if not access.can_answer_recommendations(actor):
        raise PermissionDenied(_("Only DEI administrators may answer recommendations."))
    if state not in ANSWER_STATES:
        raise Refused(
            _(
                "Choose the answer: acknowledged, under review, adopted, partly adopted or "
                "declined."
            ),
            field="state",
        )
    state = State(state)
    text = _text(
        text,
        field="text",
        required=needs_text(state),
        limit=MAX_ANSWER,
        missing=_("Write the answer: the collective and everyone on the tracker read it."),
    )
    recommendation = _lock(recommendation_id)
    if recommendation.state == State.DRAFT:
        raise Refused(
            _("This recommendation has not been submitted yet."),
            field="state",
            status=409,
            code="from_draft",
        )
    allowed = allowed_answers(recommendation)
    if state not in allowed:
        current = _state_label(recommendation.state)
        if not allowed:
            message = _("This recommendation has been answered (%(state)s): it is closed.") % {
                "state": current
            }
        else:
            message = _("A recommendation that is %(state)s can next be: %(allowed)s.") % {
                "state": current,
                "allowed": ", ".join(_state_label(s) for s in allowed),
            }
        raise Refused(message, field="state", status=409, code=f"from_{recommendation.state}")
    now = now or timezone.now()
    recommendation.state = state
    fields = ["state", "updated_at"]
    if state in Recommendation.ANSWERED:
        recommendation.answered_at = now
        fields.append("answered_at")
    recommendation.save(update_fields=fields)
    update = RecommendationUpdate.objects.create(
        recommendation=recommendation, state=state, text=text, by=actor, at=now
    )
    audit(actor=actor, verb=f"recommendation.{state}", obj=recommendation)
    collective = recommendation.collective
    for leader in current_leaders(collective):
        outbox.queue(
            key=f"recommendation:{recommendation.pk}:update:{update.pk}:{leader.pk}",
            to_email=leader.email,
            person=leader,
            template="collectives/recommendations/email/answered",
            context={
                "person": leader,
                "recommendation": recommendation,
                "collective": collective,
                "update": update,
                "page_url": page_url(recommendation),
            },
        )
    return update

"""Recommendations for the tests of the actions, the pages and the API: drafts through the real
action, the people around a collective (a former leader, a leader of another collective, a
second DEI administrator), and a recommendation put straight into any state."""

import datetime

from django.utils import timezone

from belong.collectives.actions import recommendations as actions
from belong.collectives.models import LeaderRole, Recommendation, RecommendationUpdate
from belong.people import roles
from tests.collectives.leader_support import appoint
from tests.conftest import make_person

State = Recommendation.State

# A fixed instant: the clock of the time-dependent tests.
PINNED = datetime.datetime(2025, 3, 3, 15, 0, tzinfo=datetime.UTC)


def draft(collective, actor, **fields):
    fields.setdefault("title", "Inclusive benefits")
    fields.setdefault("problem", "Benefits do not cover **all** families.")
    fields.setdefault("proposal", "Extend benefits to every family.")
    return actions.save_draft(collective.pk, actor=actor, **fields)


def submitted(collective, actor, *, now=None, **fields):
    recommendation = draft(collective, actor, **fields)
    return actions.submit(recommendation.pk, actor=actor, now=now)


def in_state(collective, actor, state, *, submitted_at=PINNED, **fields):
    """A recommendation put straight into `state` (for the transition matrix): submitted at
    `submitted_at` unless a draft, answered then too if its state is an answer."""
    recommendation = draft(collective, actor, **fields)
    if state == State.DRAFT:
        return recommendation
    recommendation.state = state
    recommendation.submitted_at = submitted_at
    if state in Recommendation.ANSWERED:
        recommendation.answered_at = submitted_at + datetime.timedelta(days=1)
    recommendation.save()
    RecommendationUpdate.objects.create(
        recommendation=recommendation, state=State.SUBMITTED, by=actor, at=submitted_at
    )
    return recommendation


def former_leader(collective, frank):
    """Someone whose term as co-chair of `collective` ended yesterday."""
    person = make_person("olga@example.org", "Olga Former")
    today = timezone.localdate()
    appoint(
        collective.pk,
        actor=frank,
        person=person,
        title=LeaderRole.Title.CO_CHAIR,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    )
    return person


def other_leader(other_collective, frank):
    """The chair of another collective."""
    person = make_person("hugo@example.org", "Hugo Harmony")
    appoint(other_collective.pk, actor=frank, person=person, title=LeaderRole.Title.CHAIR)
    return person


def second_admin():
    return make_person("ines@example.org", "Ines Admin", roles.DEI_ADMINISTRATOR)

"""The recommendation actions (belong.collectives.actions.recommendations): drafting, editing,
submitting, withdrawing and answering; the state machine (every allowed and every refused
transition), who may do what, the history, the wait, and the mail through the outbox."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from belong.collectives.actions import recommendations as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Recommendation, RecommendationUpdate
from belong.notifications.models import OutboundMessage
from belong.people import roles
from belong.people.models import AuditEvent
from tests.builders import (
    make_former_leader,
    make_other_leader,
    make_person,
    make_recommendation_draft,
    make_recommendation_in_state,
    make_submitted_recommendation,
)
from tests.clock import PINNED

pytestmark = pytest.mark.django_db
State = Recommendation.State


def days(n, hours=0):
    return datetime.timedelta(days=n, hours=hours)


def mail_to(mailoutbox, email):
    return [message for message in mailoutbox if message.to == [email]]


# --- drafting ----------------------------------------------------------------------------------


def test_a_leader_writes_a_draft_for_the_collective(bob, leads, collective, focus_areas):
    recommendation = make_recommendation_draft(
        collective,
        bob,
        title="  Inclusive benefits ",
        policies="  HR-12 Benefits \n\n  HR-40 Leave  \n",
        focus_areas=[focus_areas[0], focus_areas[2].pk],
    )
    recommendation.refresh_from_db()
    assert recommendation.state == State.DRAFT
    assert recommendation.collective == collective
    assert recommendation.title == "Inclusive benefits"
    assert recommendation.policies == "HR-12 Benefits\nHR-40 Leave"
    assert recommendation.submitted_at is None and recommendation.answered_at is None
    assert set(recommendation.focus_areas.all()) == {focus_areas[0], focus_areas[2]}
    assert recommendation.author == bob  # kept for the audit; never shown
    assert not recommendation.updates.exists()  # the history starts at submission
    assert recommendation.waited() is None
    assert AuditEvent.objects.filter(verb="recommendation.drafted").count() == 1


def test_a_dei_administrator_may_write_one_too(frank, collective):
    assert make_recommendation_draft(collective, frank).state == State.DRAFT


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("title", {"title": "   "}, "Give the recommendation a title."),
        ("title", {"title": "x" * 201}, "Keep it to 200 characters or fewer (it has 201)."),
        ("problem", {"problem": ""}, "Describe the problem the recommendation addresses."),
        ("proposal", {"proposal": "\n"}, "Say what the collective proposes."),
        ("proposal", {"proposal": "a\x00b"}, "Remove the null characters from the text."),
        ("policies", {"policies": "p" * 4001}, "Keep it to 4000 characters or fewer"),
        ("focus_areas", {"focus_areas": [10**9]}, "Choose areas of focus from the list."),
        ("focus_areas", {"focus_areas": ["community"]}, "Choose areas of focus from the list."),
    ],
)
def test_bad_input_is_refused_by_field(bob, leads, collective, field, values, message):
    with pytest.raises(Refused) as caught:
        make_recommendation_draft(collective, bob, **values)
    assert caught.value.field == field
    assert caught.value.status == 400
    assert caught.value.message.startswith(message)
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("who", ["former", "other_leader", "alice", "dave", "grace", "visitor"])
def test_only_those_who_run_the_collective_write_drafts(
    request, who, leads, collective, other_collective, frank, join
):
    person = {
        "former": lambda: make_former_leader(collective, actor=frank),
        "other_leader": lambda: make_other_leader(other_collective, actor=frank),
        "visitor": AnonymousUser,
    }.get(who, lambda: request.getfixturevalue(who))()
    if who == "alice":
        join(person, collective)  # a member, even one who belongs, does not lead
    with pytest.raises(PermissionDenied):
        make_recommendation_draft(collective, person)
    assert not Recommendation.objects.exists()


def test_a_retired_collective_takes_no_drafts(bob, leads, collective):
    collective.is_active = False
    collective.save()
    with pytest.raises(Refused) as caught:
        make_recommendation_draft(collective, bob)
    assert caught.value.status == 404


def test_a_draft_is_edited_until_it_is_submitted(bob, leads, collective, focus_areas):
    recommendation = make_recommendation_draft(collective, bob, focus_areas=[focus_areas[0]])
    actions.save_draft(
        collective.pk,
        actor=bob,
        recommendation_id=recommendation.pk,
        title="Better benefits",
        problem="New problem.",
        proposal="New proposal.",
        focus_areas=[focus_areas[1]],
    )
    recommendation.refresh_from_db()
    assert (recommendation.title, recommendation.problem) == ("Better benefits", "New problem.")
    assert list(recommendation.focus_areas.all()) == [focus_areas[1]]
    edited = AuditEvent.objects.get(verb="recommendation.edited")
    assert set(edited.detail["fields"]) == {"title", "problem", "proposal", "focus_areas"}

    actions.submit(recommendation.pk, actor=bob)
    with pytest.raises(Refused) as caught:
        actions.save_draft(
            collective.pk,
            actor=bob,
            recommendation_id=recommendation.pk,
            title="Changed after the fact",
            problem="p",
            proposal="q",
        )
    assert (caught.value.status, caught.value.field) == (409, "state")
    recommendation.refresh_from_db()
    assert recommendation.title == "Better benefits"


def test_a_draft_is_edited_through_its_own_collective_only(
    bob, leads, frank, collective, other_collective
):
    recommendation = make_recommendation_draft(collective, bob)
    with pytest.raises(Refused) as caught:
        actions.save_draft(
            other_collective.pk,
            actor=frank,
            recommendation_id=recommendation.pk,
            title="Moved",
            problem="p",
            proposal="q",
        )
    assert caught.value.status == 404
    recommendation.refresh_from_db()
    assert recommendation.collective == collective and recommendation.title != "Moved"


# --- submitting --------------------------------------------------------------------------------


def test_submitting_starts_the_history_and_tells_the_administrators(
    bob, leads, frank, collective, mailoutbox, django_capture_on_commit_callbacks
):
    ines = make_person("ines@example.org", "Ines Admin", roles.DEI_ADMINISTRATOR)
    recommendation = make_recommendation_draft(collective, bob)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(recommendation.pk, actor=bob, now=PINNED)
    recommendation.refresh_from_db()
    assert recommendation.state == State.SUBMITTED
    assert recommendation.submitted_at == PINNED
    [update] = recommendation.updates.all()
    assert (update.state, update.at, update.text, update.by) == (State.SUBMITTED, PINNED, "", bob)
    # Each DEI administrator once, by email, with the answer page's link; not the leader.
    keys = set(OutboundMessage.objects.values_list("key", flat=True))
    assert keys == {
        f"recommendation:{recommendation.pk}:submitted:{frank.pk}",
        f"recommendation:{recommendation.pk}:submitted:{ines.pk}",
    }
    [message] = mail_to(mailoutbox, "frank@example.org")
    assert message.subject == "A recommendation from Rainbow Collective: Inclusive benefits"
    assert f"/collectives/recommendations/{recommendation.pk}/answer/" in message.body
    assert "Benefits do not cover **all** families." in message.body
    assert len(mail_to(mailoutbox, "ines@example.org")) == 1
    assert not mail_to(mailoutbox, "bob@example.org")
    assert AuditEvent.objects.filter(verb="recommendation.submitted").count() == 1


def test_submitting_twice_is_refused(bob, leads, collective):
    recommendation = make_submitted_recommendation(collective, bob, now=PINNED)
    with pytest.raises(Refused) as caught:
        actions.submit(recommendation.pk, actor=bob, now=PINNED + days(1))
    assert (caught.value.status, caught.value.field) == (409, "state")
    recommendation.refresh_from_db()
    assert recommendation.submitted_at == PINNED
    assert recommendation.updates.count() == 1


@pytest.mark.parametrize("who", ["former", "other_leader", "alice", "dave", "grace"])
def test_only_those_who_run_the_collective_submit(
    request, who, bob, leads, collective, other_collective, frank, join
):
    person = {
        "former": lambda: make_former_leader(collective, actor=frank),
        "other_leader": lambda: make_other_leader(other_collective, actor=frank),
    }.get(who, lambda: request.getfixturevalue(who))()
    if who == "alice":
        join(person, collective, visibility="organization")
    recommendation = make_recommendation_draft(collective, bob)
    # A draft is not theirs to see: refused as if it did not exist (a 404).
    with pytest.raises(Refused) as caught:
        actions.submit(recommendation.pk, actor=person)
    assert caught.value.status == 404
    recommendation.refresh_from_db()
    assert recommendation.state == State.DRAFT


def test_a_dei_administrator_may_submit_for_the_collective(bob, leads, frank, collective):
    recommendation = make_recommendation_draft(collective, bob)
    actions.submit(recommendation.pk, actor=frank)
    recommendation.refresh_from_db()
    assert recommendation.state == State.SUBMITTED


def test_submitting_a_recommendation_that_is_gone(bob, leads):
    with pytest.raises(Refused) as caught:
        actions.submit(10**9, actor=bob)
    assert caught.value.status == 404


# --- withdrawing a draft -------------------------------------------------------------------------


def test_a_leader_deletes_a_draft(bob, leads, collective):
    recommendation = make_recommendation_draft(collective, bob)
    actions.withdraw(recommendation.pk, actor=bob)
    assert not Recommendation.objects.exists()
    assert AuditEvent.objects.filter(verb="recommendation.withdrawn").count() == 1


def test_a_submitted_recommendation_cannot_be_withdrawn(bob, leads, frank, collective):
    recommendation = make_submitted_recommendation(collective, bob)
    for person in (bob, frank):
        with pytest.raises(Refused) as caught:
            actions.withdraw(recommendation.pk, actor=person)
        assert (caught.value.status, caught.value.field) == (409, "state")
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_who_may_not_delete_a_draft(bob, leads, alice, dave, frank, collective, other_collective):
    recommendation = make_recommendation_draft(collective, bob)
    for person in (
        alice,
        dave,
        make_former_leader(collective, actor=frank),
        make_other_leader(other_collective, actor=frank),
    ):
        with pytest.raises(Refused) as caught:
            actions.withdraw(recommendation.pk, actor=person)
        assert caught.value.status == 404
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


# --- answering: the state machine ----------------------------------------------------------------

ALL_STATES = list(State)
TRANSITIONS = [(origin, target) for origin in ALL_STATES for target in ALL_STATES]


@pytest.mark.parametrize(("origin", "target"), TRANSITIONS)
def test_every_transition(bob, leads, frank, collective, origin, target):
    """Allowed exactly when Recommendation.NEXT lists it; everything else refused, unchanged."""
    recommendation = make_recommendation_in_state(collective, bob, origin)
    before = recommendation.updates.count()
    allowed = target in Recommendation.NEXT.get(origin, [])
    if allowed:
        update = actions.answer(
            recommendation.pk, actor=frank, state=target, text="Our answer.", now=PINNED + days(5)
        )
        recommendation.refresh_from_db()
        assert recommendation.state == target
        assert (update.state, update.text, update.at) == (target, "Our answer.", PINNED + days(5))
        assert recommendation.updates.count() == before + 1
        return
    with pytest.raises(Refused) as caught:
        actions.answer(recommendation.pk, actor=frank, state=target, text="Our answer.")
    if target in (State.DRAFT, State.SUBMITTED):
        assert (caught.value.status, caught.value.field) == (400, "state")
    else:
        assert (caught.value.status, caught.value.field) == (409, "state")
    recommendation.refresh_from_db()
    assert recommendation.state == origin
    assert recommendation.updates.count() == before


def test_the_allowed_transitions_are_the_issues():
    assert Recommendation.NEXT == {
        State.SUBMITTED: [
            State.ACKNOWLEDGED,
            State.UNDER_REVIEW,
            State.ADOPTED,
            State.PARTLY_ADOPTED,
            State.DECLINED,
        ],
        State.ACKNOWLEDGED: [
            State.UNDER_REVIEW,
            State.ADOPTED,
            State.PARTLY_ADOPTED,
            State.DECLINED,
        ],
        State.UNDER_REVIEW: [State.ADOPTED, State.PARTLY_ADOPTED, State.DECLINED],
    }


def test_a_refused_transition_says_what_may_come_next(bob, leads, frank, collective):
    recommendation = make_recommendation_in_state(collective, bob, State.UNDER_REVIEW)
    with pytest.raises(Refused) as caught:
        actions.answer(recommendation.pk, actor=frank, state=State.ACKNOWLEDGED)
    assert caught.value.message == (
        "A recommendation that is Under review can next be: Adopted, Partly adopted, Declined."
    )
    closed = make_recommendation_in_state(collective, bob, State.DECLINED, title="Closed one")
    with pytest.raises(Refused) as caught:
        actions.answer(closed.pk, actor=frank, state=State.ADOPTED, text="Changed our mind.")
    assert caught.value.message == "This recommendation has been answered (Declined): it is closed."
    assert caught.value.code == "from_declined"


def test_an_unknown_state_is_refused(bob, leads, frank, collective):
    recommendation = make_recommendation_in_state(collective, bob, State.SUBMITTED)
    with pytest.raises(Refused) as caught:
        actions.answer(recommendation.pk, actor=frank, state="approved")
    assert (caught.value.status, caught.value.field) == (400, "state")


@pytest.mark.parametrize("target", Recommendation.ANSWERED)
def test_an_answer_needs_its_text(bob, leads, frank, collective, target):
    recommendation = make_recommendation_in_state(collective, bob, State.SUBMITTED)
    with pytest.raises(Refused) as caught:
        actions.answer(recommendation.pk, actor=frank, state=target, text="   ")
    assert (caught.value.status, caught.value.field) == (400, "text")
    recommendation.refresh_from_db()
    assert recommendation.state == State.SUBMITTED and recommendation.answered_at is None


@pytest.mark.parametrize("target", [State.ACKNOWLEDGED, State.UNDER_REVIEW])
def test_acknowledging_needs_no_text_and_does_not_end_the_wait(
    bob, leads, frank, collective, target
):
    recommendation = make_recommendation_in_state(collective, bob, State.SUBMITTED)
    update = actions.answer(recommendation.pk, actor=frank, state=target, now=PINNED + days(2))
    recommendation.refresh_from_db()
    assert update.text == ""
    assert recommendation.answered_at is None
    assert recommendation.waited(now=PINNED + days(9)) == days(9)


def test_the_answer_text_has_a_limit(bob, leads, frank, collective):
    recommendation = make_recommendation_in_state(collective, bob, State.SUBMITTED)
    with pytest.raises(Refused) as caught:
        actions.answer(
            recommendation.pk, actor=frank, state=State.ADOPTED, text="x" * (actions.MAX_ANSWER + 1)
        )
    assert caught.value.field == "text"


def test_a_draft_cannot_be_answered(bob, leads, frank, collective):
    recommendation = make_recommendation_draft(collective, bob)
    with pytest.raises(Refused) as caught:
        actions.answer(recommendation.pk, actor=frank, state=State.ACKNOWLEDGED)
    assert (caught.value.status, caught.value.code) == (409, "from_draft")


# --- the history and the wait (a pinned clock) --------------------------------------------------


def test_the_whole_history_with_dates_and_the_wait(bob, leads, frank, collective):
    recommendation = make_submitted_recommendation(collective, bob, now=PINNED)
    assert recommendation.waited(now=PINNED + days(3, hours=5)) == days(3, hours=5)
    actions.answer(recommendation.pk, actor=frank, state=State.ACKNOWLEDGED, now=PINNED + days(2))
    actions.answer(
        recommendation.pk,
        actor=frank,
        state=State.UNDER_REVIEW,
        text="With the benefits committee.",
        now=PINNED + days(10),
    )
    actions.answer(
        recommendation.pk,
        actor=frank,
        state=State.PARTLY_ADOPTED,
        text="Adopted for 2026; the rest next year.",
        now=PINNED + days(30),
    )
    recommendation.refresh_from_db()
    history = list(recommendation.updates.values_list("state", "at", "text"))
    assert history == [
        (State.SUBMITTED, PINNED, ""),
        (State.ACKNOWLEDGED, PINNED + days(2), ""),
        (State.UNDER_REVIEW, PINNED + days(10), "With the benefits committee."),
        (State.PARTLY_ADOPTED, PINNED + days(30), "Adopted for 2026; the rest next year."),
    ]
    assert recommendation.answered_at == PINNED + days(30)
    # Answered: the wait is fixed, whatever the clock says now.
    assert recommendation.waited(now=PINNED + days(400)) == days(30)
    assert recommendation.waited() == days(30)


# --- who may answer ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "alice", "carol", "dave", "grace", "visitor"])
def test_only_dei_administrators_answer(request, who, leads, bob, collective, join):
    person = AnonymousUser() if who == "visitor" else request.getfixturevalue(who)
    if who == "alice":
        join(person, collective)
    recommendation = make_recommendation_in_state(collective, bob, State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        actions.answer(recommendation.pk, actor=person, state=State.ACKNOWLEDGED)
    recommendation.refresh_from_db()
    assert recommendation.state == State.SUBMITTED
    assert recommendation.updates.count() == 1


def test_an_answer_tells_the_current_leaders_only(
    bob,
    leads,
    frank,
    collective,
    other_collective,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    olga = make_former_leader(collective, actor=frank)
    hugo = make_other_leader(other_collective, actor=frank)
    recommendation = make_submitted_recommendation(collective, bob, now=PINNED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update = actions.answer(
            recommendation.pk,
            actor=frank,
            state=State.DECLINED,
            text="Not this year: the budget is set.",
            now=PINNED + days(4),
        )
    [message] = mailoutbox
    assert message.to == ["bob@example.org"]
    assert message.subject == "Your recommendation “Inclusive benefits”: Declined"
    assert "Not this year: the budget is set." in message.body
    assert f"/collectives/recommendations/{recommendation.pk}/" in message.body
    assert OutboundMessage.objects.filter(
        key=f"recommendation:{recommendation.pk}:update:{update.pk}:{bob.pk}"
    ).exists()
    for person in (olga, hugo, frank):
        assert not OutboundMessage.objects.filter(person=person, key__contains=":update:").exists()


def test_every_answer_is_its_own_email(bob, leads, frank, collective, mailoutbox):
    recommendation = make_submitted_recommendation(collective, bob)
    actions.answer(recommendation.pk, actor=frank, state=State.ACKNOWLEDGED)
    actions.answer(recommendation.pk, actor=frank, state=State.ADOPTED, text="Done.")
    to_bob = OutboundMessage.objects.filter(person=bob).order_by("pk")
    assert [m.subject for m in to_bob] == [
        "Your recommendation “Inclusive benefits”: Acknowledged",
        "Your recommendation “Inclusive benefits”: Adopted",
    ]
    assert RecommendationUpdate.objects.filter(recommendation=recommendation).count() == 3


def test_those_who_see_a_submitted_one_but_do_not_run_it_are_refused(
    bob, leads, alice, dave, collective
):
    recommendation = make_submitted_recommendation(collective, bob)
    for person in (alice, dave):
        with pytest.raises(PermissionDenied):
            actions.withdraw(recommendation.pk, actor=person)
        with pytest.raises(PermissionDenied):
            actions.submit(recommendation.pk, actor=person)
    recommendation.refresh_from_db()
    assert recommendation.state == State.SUBMITTED

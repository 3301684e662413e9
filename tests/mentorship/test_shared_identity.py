"""A mentee may ask for a mentor who shares an aspect of identity. The matching compares
self-identification only while both people's consent to mentorship matching stands, only for
the questions the mentee named, and nobody is shown which aspect: without both consents the
identity factor is simply absent (flipping an identity then changes no score)."""

import re

import pytest

from belong.mentorship import actions, matching, matchmaking
from belong.mentorship.models import Enrollment
from belong.people import privacy
from belong.people.models import AuditEvent
from tests.conftest import make_person
from tests.mentorship.test_enrolment import mentee_data

pytestmark = pytest.mark.django_db

FIRST_GEN = {"first_generation": {"values": ["medicine"]}}
NOT_FIRST_GEN = {"first_generation": {"values": ["neither"]}}
ENROL = "/mentorship/enrol/mentee/"


def enrol(cycle, today, person, role, level, **answers):
    answers.setdefault("meeting", ["virtual"])  # every pair scores 1 on meeting
    enrollment, _created = actions.enrol(
        cycle.pk, person=person, role=role, today=today, training_level=level, **answers
    )
    return enrollment


def self_identify(person, answers, *, consent=True):
    privacy.save_answers(person=person, answers=answers)
    if consent:
        privacy.give(person=person, purpose="matching")


@pytest.fixture
def mentee(db):
    return make_person("amara@example.org", "Amara")


@pytest.fixture
def mentors(db):
    return make_person("ruth@example.org", "Ruth"), make_person("sam@example.org", "Sam")


def wish(cycle, today, person, weight=3):
    return enrol(
        cycle,
        today,
        person,
        "mentee",
        "pgy1",
        shared_identity=["first_generation"],
        identity_weight=weight,
    )


def scores(cycle, erin):
    run = matchmaking.run(cycle.pk, actor=erin)
    by_mentor = {}
    for proposal in run.proposals.select_related("mentor__person"):
        by_mentor[proposal.mentor.person.email] = (
            float(proposal.score),
            [reason["factor"] for reason in proposal.reasons],
        )
    return run, by_mentor


# --- asking ---------------------------------------------------------------------------------


def form_data(**changes):
    data = mentee_data(shared_identity=["first_generation"])
    data.update(changes)
    return data


def test_asking_needs_the_mentees_consent(client, cycle, mentee):
    privacy.save_answers(person=mentee, answers=FIRST_GEN)
    client.force_login(mentee)
    data = form_data(identity_weight=2)
    response = client.post(ENROL, data)
    assert response.status_code == 400
    errors = response.context["form"].errors["shared_identity"]
    assert "first give your consent to mentorship matching" in errors[0]
    assert not Enrollment.objects.exists()
    assert "/me/privacy/" in response.content.decode()


def test_asking_needs_an_answer_to_share(client, cycle, mentee):
    privacy.give(person=mentee, purpose="matching")
    client.force_login(mentee)
    data = form_data(identity_weight=2)
    response = client.post(ENROL, data)
    assert response.status_code == 400
    assert (
        "You have not answered First generation"
        in (response.context["form"].errors["shared_identity"][0])
    )
    # "Neither" is no aspect to share.
    privacy.save_answers(person=mentee, answers=NOT_FIRST_GEN)
    assert client.post(ENROL, data).status_code == 400
    assert not Enrollment.objects.exists()


def test_a_mentee_with_consent_and_an_answer_asks(client, cycle, mentee):
    self_identify(mentee, FIRST_GEN)
    client.force_login(mentee)
    data = form_data(identity_weight=3)
    assert client.post(ENROL, data).status_code == 302
    enrollment = Enrollment.objects.get(person=mentee)
    assert (enrollment.shared_identity, enrollment.identity_weight) == (["first_generation"], 3)
    html = client.get(ENROL).content.decode()
    assert re.search(r'value="first_generation"[^>]*checked', html)
    assert re.search(r'name="identity_weight" value="3"[^>]*checked', html)


def test_the_action_refuses_what_a_form_cannot_send(cycle, today, mentee, mentors):
    self_identify(mentee, FIRST_GEN)
    with pytest.raises(actions.Refused) as refusal:
        enrol(cycle, today, mentee, "mentee", "pgy1", shared_identity=["shoe_size"])
    assert refusal.value.field == "shared_identity"
    with pytest.raises(actions.Refused) as refusal:
        wish(cycle, today, mentee, weight=7)
    assert refusal.value.field == "identity_weight"
    with pytest.raises(actions.Refused) as refusal:
        enrol(
            cycle,
            today,
            mentors[0],
            "mentor",
            "associate",
            capacity=1,
            shared_identity=["first_generation"],
        )
    assert refusal.value.field == "shared_identity"
    assert not Enrollment.objects.exists()


# --- matching -------------------------------------------------------------------------------


def alike_pair(cycle, today, mentee, mentors):
    """The mentee asks; Ruth, the one mentor enrolled, answered alike; both consent."""
    ruth, _sam = mentors
    self_identify(mentee, FIRST_GEN)
    self_identify(ruth, FIRST_GEN)
    wish(cycle, today, mentee)
    enrol(cycle, today, ruth, "mentor", "associate", capacity=1)
    return ruth


def test_a_shared_aspect_scores_only_with_both_consents(erin, cycle, today, mentee, mentors):
    ruth, sam = mentors
    self_identify(mentee, FIRST_GEN)
    self_identify(ruth, FIRST_GEN)
    self_identify(sam, FIRST_GEN, consent=False)
    wish(cycle, today, mentee)
    for mentor in mentors:
        enrol(cycle, today, mentor, "mentor", "associate", capacity=1)

    run, _scores = scores(cycle, erin)
    proposal = run.proposals.get()
    assert proposal.mentor.person == ruth  # the one who shares it, with consent
    assert proposal.reasons[0]["factor"] == "identity" and proposal.reasons[0]["shared"] == []
    assert float(proposal.score) == pytest.approx(1 + 3)  # meeting + identity at weight 3
    read = AuditEvent.objects.get(verb="identity.read")
    assert read.actor == erin and read.detail["people"] == 2  # the mentee and Ruth, not Sam


def test_without_consent_flipping_an_identity_changes_no_score(erin, cycle, today, mentee, mentors):
    ruth, sam = mentors
    self_identify(mentee, FIRST_GEN)
    wish(cycle, today, mentee)
    self_identify(sam, FIRST_GEN)  # Sam consents and shares it: the factor does work here
    for mentor in mentors:
        enrol(cycle, today, mentor, "mentor", "associate", capacity=1)

    def pair_scores():
        mentees, mentors_ = matchmaking.enrolled(cycle)
        aspects = matchmaking.identities(cycle, mentees, mentors_, actor=erin)
        engine_mentees, engine_mentors, _p, _f = matchmaking.engine_input(
            cycle, mentees, mentors_, aspects=aspects
        )
        return {m.id: matching.pair_score(engine_mentees[0], m) for m in engine_mentors}

    outcomes = []
    for answers in (FIRST_GEN, NOT_FIRST_GEN, {}):
        # Ruth answers alike, unlike, or not at all, without consent: never a difference.
        privacy.save_answers(person=ruth, answers=answers)
        outcomes.append(pair_scores())
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert outcomes[0][sam.pk] == pytest.approx(outcomes[0][ruth.pk] + 3)
    # With Ruth's consent, the same flip does change her score.
    privacy.give(person=ruth, purpose="matching")
    privacy.save_answers(person=ruth, answers=FIRST_GEN)
    alike = pair_scores()[ruth.pk]
    privacy.save_answers(person=ruth, answers=NOT_FIRST_GEN)
    assert alike == pytest.approx(pair_scores()[ruth.pk] + 3)


def test_a_revoked_mentee_consent_removes_the_factor(erin, cycle, today, mentee, mentors):
    ruth = alike_pair(cycle, today, mentee, mentors).email
    _run, with_consent = scores(cycle, erin)
    assert "identity" in with_consent[ruth][1]
    privacy.revoke(person=mentee, purpose="matching")
    _run, without = scores(cycle, erin)
    assert "identity" not in without[ruth][1]
    assert without[ruth][0] == pytest.approx(with_consent[ruth][0] - 3)


def test_nothing_is_read_when_no_mentee_asks(erin, cycle, today, mentee, mentors):
    self_identify(mentee, FIRST_GEN)
    self_identify(mentors[0], FIRST_GEN)
    enrol(cycle, today, mentee, "mentee", "pgy1")
    enrol(cycle, today, mentors[0], "mentor", "associate", capacity=1)
    scores(cycle, erin)
    assert not AuditEvent.objects.filter(verb="identity.read").exists()


def test_publishing_is_refused_when_a_consent_changed_after_the_run(
    erin, cycle, today, mentee, mentors
):
    ruth = alike_pair(cycle, today, mentee, mentors)
    run, _scores = scores(cycle, erin)
    privacy.revoke(person=ruth, purpose="matching")
    with pytest.raises(actions.Refused, match="run the matching again"):
        matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    run, by_mentor = scores(cycle, erin)
    assert "identity" not in by_mentor["ruth@example.org"][1]
    assert len(matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)) == 1

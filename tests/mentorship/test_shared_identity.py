"""A mentee may ask for a mentor who shares an aspect of identity. The matching compares
self-identification only while both people's consent to mentorship matching stands, only for
the questions the mentee named, and nobody is shown which aspect: without both consents the
identity factor is simply absent (flipping an identity then changes no score)."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core import mail

from belong.mentorship import matching, personal
from belong.mentorship.actions import cycles as actions
from belong.mentorship.actions import matchmaking
from belong.mentorship.models import Enrollment, Match, MatchingRun
from belong.people import privacy
from belong.people.models import AuditEvent
from tests.builders import make_person
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


def engine_scores(cycle, erin):
    """{mentor's email: the engine's score of the pair with the (one) mentee}, identity points
    included: what the engine optimises, which nobody is shown (the review shows plain scores)."""
    mentees, mentors = matchmaking.enrolled(cycle)
    aspects = matchmaking.identities(cycle, mentees, mentors, actor=erin)
    engine_mentees, engine_mentors, _p, _f = matchmaking.engine_input(
        cycle, mentees, mentors, aspects=aspects
    )
    return {
        mentors[m.id].person.email: matching.pair_score(engine_mentees[0], m)
        for m in engine_mentors
    }


def scores(cycle, erin):
    """A run, and the engine's scores of the mentee's pairs ({email: (score,)})."""
    run = matchmaking.run(cycle.pk, actor=erin)
    return run, {email: (score,) for email, score in engine_scores(cycle, erin).items()}


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

    run = matchmaking.run(cycle.pk, actor=erin)
    proposal = run.proposals.get()
    assert proposal.mentor.person == ruth  # the one who shares it, with consent
    # One aspect asked about: the reasons do not say it (they would tell Ruth's answer).
    assert [reason["factor"] for reason in proposal.reasons] == ["meeting"]
    read = AuditEvent.objects.get(verb="identity.read")
    assert read.actor == erin and "people" not in read.detail  # no count of people
    # The engine scored meeting + identity at weight 3; the stored score, which the
    # coordinator sees, is without identity: Sam's pair would show the same.
    assert engine_scores(cycle, erin) == {ruth.email: 1 + 3, sam.email: 1}
    assert float(proposal.score) == pytest.approx(1) and run.total_score == pytest.approx(1)


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
    privacy.revoke(person=mentee, purpose="matching")
    _run, without = scores(cycle, erin)
    assert without[ruth][0] == pytest.approx(with_consent[ruth][0] - 3) == pytest.approx(1)


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
    assert by_mentor["ruth@example.org"][0] == pytest.approx(1)  # meeting only: no identity
    assert len(matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)) == 1


# --- what the reasons may tell (issue 14, item 10) -----------------------------------------------

TOLD = "aspect of identity"
UNLIKE = {"first_generation": {"values": ["college"]}}


@pytest.mark.parametrize("ruth_answers", [FIRST_GEN, UNLIKE], ids=["alike", "unlike"])
def test_one_aspect_asked_about_is_told_nowhere(
    client, erin, cycle, today, mentee, mentors, ruth_answers, django_capture_on_commit_callbacks
):
    """Amara asked for a mentor who answered alike about one question: "you share an aspect of
    identity" would tell her Ruth's answer (and Ruth hers). Every place the reasons show reads
    the same whether they answered alike or not: the coordinator's review (page and API), the
    introduction emails, both people's pair pages, /me/ and the API of their matches."""
    ruth, _sam = mentors
    self_identify(mentee, FIRST_GEN)
    self_identify(ruth, ruth_answers)
    wish(cycle, today, mentee)
    enrol(cycle, today, ruth, "mentor", "associate", capacity=1)
    run = matchmaking.run(cycle.pk, actor=erin)
    expected = ["both like to meet: virtual"]
    assert matchmaking.reason_words(run.proposals.get().reasons) == expected

    client.force_login(erin)
    review = client.get(f"/mentorship/manage/cycles/{cycle.pk}/matching/").content.decode()
    assert expected[0] in review and TOLD not in review
    latest = client.get(f"/api/v1/mentorship/cycles/{cycle.pk}/runs/latest").json()
    assert latest["proposals"][0]["reasons"] == expected

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (match,) = matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([mentee.email, ruth.email])
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert expected[0] in message.body and expected[0] in html
        assert TOLD not in message.body and TOLD not in html
    for person in (mentee, ruth):
        client.force_login(person)
        for url in (f"/mentorship/matches/{match.pk}/", "/me/"):
            page = client.get(url).content.decode()
            assert expected[0] in page and TOLD not in page, url
        assert client.get("/api/v1/me/mentorship/matches").json()[0]["reasons"] == expected
        assert personal.export(person)["matches"][0]["why"] == expected


def test_two_aspects_on_each_side_may_be_told(erin, cycle, today, mentee, mentors):
    """Named two questions, and the mentor answered both: the reason tells neither answer."""
    ruth, _sam = mentors
    woman = {"gender_identity": {"values": ["woman"]}}
    self_identify(mentee, {**FIRST_GEN, **woman})
    self_identify(ruth, {**FIRST_GEN, "gender_identity": {"values": ["man"]}})
    enrol(
        cycle,
        today,
        mentee,
        "mentee",
        "pgy1",
        shared_identity=["first_generation", "gender_identity"],
        identity_weight=3,
    )
    enrol(cycle, today, ruth, "mentor", "associate", capacity=1)
    run = matchmaking.run(cycle.pk, actor=erin)
    proposal = run.proposals.get()
    # The mentee's own reasons may say it; those anyone else reads (the coordinator, the
    # mentor) never do, and the score they see has no identity points (test_coordinator_sees_
    # no_identity plays it out on every page).
    assert matchmaking.reason_words(proposal.mentee_reasons) == [
        "share an aspect of identity they chose to share for matching",
        "both like to meet: virtual",
    ]
    assert matchmaking.reason_words(proposal.reasons) == ["both like to meet: virtual"]
    assert proposal.score == 1.0 and run.total_score == 1.0
    # Reasons stored before: migration 0007 takes every identity reason out (whether a stored
    # pair had two aspects in play cannot be known without reading sealed answers).
    (match,) = matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    Match.objects.filter(pk=match.pk).update(reasons=proposal.mentee_reasons)
    withheld = importlib.import_module("belong.mentorship.migrations.0007_identity_reason_withheld")
    withheld.withhold(django_apps, None)
    stored = Match.objects.get(pk=match.pk)
    assert matchmaking.reason_words(stored.reasons) == ["both like to meet: virtual"]


def test_scores_stored_before_lose_their_identity_points(erin, cycle, today, mentee, mentors):
    """Migration 0008: a score stored with identity points (as runs did before) is recomputed
    without them, from the enrolments alone; the stored reasons become the mentee's too."""
    alike_pair(cycle, today, mentee, mentors)
    run = matchmaking.run(cycle.pk, actor=erin)
    (match,) = matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    # As stored before: meeting + identity at weight 3, and no reasons of the mentee's own.
    run.proposals.update(score=4.0, mentee_reasons=[])
    MatchingRun.objects.filter(pk=run.pk).update(total_score=4.0)
    Match.objects.filter(pk=match.pk).update(score=4.0, mentee_reasons=[])
    plain = importlib.import_module(
        "belong.mentorship.migrations.0008_plain_scores_and_mentee_reasons"
    )
    plain.forward(django_apps, None)
    run.refresh_from_db()
    match.refresh_from_db()
    proposal = run.proposals.get()
    assert (proposal.score, run.total_score, match.score) == (1.0, 1.0, 1.0)
    meeting = [{"factor": "meeting", "shared": ["virtual"], "points": 1.0}]
    assert proposal.mentee_reasons == proposal.reasons == meeting
    assert match.mentee_reasons == match.reasons == meeting

"""Issue 14: a coordinator reviewing a matching run must not learn anyone's self-identification.
The identity factor adds points to the pairs whose mentee asked for a mentor sharing an aspect,
so a review that showed those scores (or a factor breakdown) told the coordinator, by
subtraction, that a mentor shares the mentee's aspect: with one question asked, the mentor's
answer to it. Tested as an attacker would: the same cycle is played twice, once with the mentor
answering alike and once unlike (both consenting, so the engine does use it), and everything
the coordinator can see (pages, API, the audit log) and everything the mentor is told must be
the same, byte for byte once request-bound tokens and database ids are set aside. Only the
mentee may read "a shared aspect of identity", and only under the two-aspect rule."""

import datetime
import json
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from belong.mentorship import personal
from belong.mentorship.models import Match, MatchingRun
from belong.people.models import AuditEvent
from tests.builders import make_person
from tests.mentorship.test_shared_identity import FIRST_GEN, UNLIKE, enrol, self_identify

pytestmark = pytest.mark.django_db

TOLD = "aspect of identity"
# Both plays happen at this moment (pages show when the run was made).
WHEN = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)


def _normal(text):
    """A page or message with what differs between two plays of the same story set aside: the
    CSRF token and the CSP nonce (fresh on every request), and the ids of the run and the match
    (PostgreSQL's sequences do not roll back)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', text)
    text = re.sub(r'nonce="[^"]+"', 'nonce=""', text)
    text = re.sub(r'"id": [0-9]+', '"id": ID', text)
    text = re.sub(r'name="run" value="[0-9]+"', 'name="run" value="ID"', text)
    text = re.sub(r"match-[0-9]+-", "match-ID-", text)
    return re.sub(r"/matches/[0-9]+/", "/matches/ID/", text)


def _play(client, erin, cycle, people, ruth_answers, capture):
    """Ruth answers `ruth_answers`; then the coordinator runs the matching, reviews it (pages and
    API), publishes it and looks at the matches. Returns everything the coordinator and Ruth
    (the mentor) saw or were sent, and what the mentee was told, normalised; then undoes it."""
    amara, ruth, _sam, _bea = people
    seen = {}
    with transaction.atomic():
        self_identify(ruth, ruth_answers)
        with mock.patch("django.utils.timezone.now", return_value=WHEN):
            client.force_login(erin)
            base = f"/mentorship/manage/cycles/{cycle.pk}"
            api = f"/api/v1/mentorship/cycles/{cycle.pk}"
            ran = client.post(f"{base}/matching/run/", follow=True)
            run = MatchingRun.objects.filter(cycle=cycle).latest()
            seen["review after running (page)"] = ran.content.decode()
            seen["review (page)"] = client.get(f"{base}/matching/").content.decode()
            seen["review (API)"] = client.get(f"{api}/runs/latest").content.decode()
            seen["publish (page)"] = client.get(f"{base}/matching/publish/").content.decode()
            seen["cycle (page)"] = client.get(f"{base}/").content.decode()
            seen["cycles (page)"] = client.get("/mentorship/manage/").content.decode()
            mail.outbox.clear()
            with capture(execute=True):
                published = client.post(f"{base}/matching/publish/", {"run": run.pk}, follow=True)
            seen["published (page)"] = published.content.decode()
            match = Match.objects.get(mentor__person=ruth)
            seen["matches (page)"] = client.get(f"{base}/matches/").content.decode()
            seen["review once published (page)"] = client.get(f"{base}/matching/").content.decode()
            seen["review once published (API)"] = client.get(f"{api}/runs/latest").content.decode()
            # A run through the API as well (refused now: published), and its answer.
            seen["run again (API)"] = client.post(f"{api}/runs").content.decode()
            seen["audit log"] = json.dumps(
                [
                    [e.verb, e.object_type, e.detail]
                    for e in AuditEvent.objects.filter(actor=erin).order_by("pk")
                ],
                sort_keys=True,
                default=str,
            )
            seen["stored run"] = repr(
                (
                    run.total_score,
                    run.unmatched,
                    [(p.score, p.reasons) for p in run.proposals.order_by("pk")],
                )
            )
            told = {}
            for message in mail.outbox:
                who = "mentee" if message.to == [amara.email] else message.to[0]
                told[f"email to {who}"] = "\n".join(
                    [message.subject, message.body, message.alternatives[0][0]]
                )
            client.force_login(ruth)
            seen["email to Ruth"] = told.pop(f"email to {ruth.email}")
            seen["Ruth's pair page"] = client.get(
                f"/mentorship/matches/{match.pk}/"
            ).content.decode()
            seen["Ruth's /me/"] = client.get("/me/").content.decode()
            seen["Ruth's matches (API)"] = client.get(
                "/api/v1/me/mentorship/matches"
            ).content.decode()
            seen["Ruth's download"] = json.dumps(personal.export(ruth), default=str)
            client.force_login(amara)
            mentee = {
                **told,
                "pair page": client.get(f"/mentorship/matches/{match.pk}/").content.decode(),
                "API": client.get("/api/v1/me/mentorship/matches").content.decode(),
            }
        transaction.set_rollback(True)
    normal = {key: _normal(value) for key, value in seen.items()}
    return normal, {key: _normal(value) for key, value in mentee.items()}


@pytest.fixture
def people(db):
    return (
        make_person("amara@example.org", "Amara"),
        make_person("ruth@example.org", "Ruth"),
        make_person("sam@example.org", "Sam"),
        make_person("bea@example.org", "Bea"),
    )


def _enrol_everyone(cycle, today, people, *, questions):
    """Amara asks for a mentor who shares `questions`; Ruth is the one mentor she may have (she
    excluded Sam), so the assignment cannot move; Bea and Sam are a second pair, to compare."""
    amara, ruth, sam, bea = people
    enrol(
        cycle,
        today,
        amara,
        "mentee",
        "pgy1",
        shared_identity=questions,
        identity_weight=3,
        excluded=[sam],
    )
    enrol(cycle, today, bea, "mentee", "pgy1", excluded=[ruth], dei_interests=["recruitment"])
    enrol(cycle, today, ruth, "mentor", "associate", capacity=1)
    enrol(cycle, today, sam, "mentor", "associate", capacity=1, dei_interests=["recruitment"])


def test_what_the_coordinator_and_the_mentor_see_never_depends_on_answers(
    client, erin, cycle, today, people, django_capture_on_commit_callbacks
):
    amara, ruth, _sam, _bea = people
    self_identify(amara, FIRST_GEN)
    _enrol_everyone(cycle, today, people, questions=["first_generation"])
    plays = [
        _play(client, erin, cycle, people, answers, django_capture_on_commit_callbacks)
        for answers in (FIRST_GEN, UNLIKE)
    ]
    alike, unlike = plays[0][0], plays[1][0]
    assert alike.keys() == unlike.keys()
    for what in alike:
        assert alike[what] == unlike[what], what
    # The engine did weigh the shared aspect (3 points at weight 3), and nothing shows it: the
    # score shown is meeting only, and no page says "aspect of identity".
    shown = re.findall(r'"mentor": "([^"]+)", "score": ([0-9.]+)', alike["review (API)"])
    assert sorted(shown) == [(ruth.email, "1.0"), ("sam@example.org", "2.0")]
    assert "<td>1.00</td>" in alike["review (page)"]
    for what, page in alike.items():
        assert TOLD not in page, what
    # One question asked: the mentee is not told either (issue 14, item 10).
    assert plays[0][1] == plays[1][1]
    assert all(TOLD not in page for page in plays[0][1].values())


def test_only_the_mentee_reads_the_reason_under_the_two_aspect_rule(
    client, erin, cycle, today, people, django_capture_on_commit_callbacks
):
    """Two questions asked, two answers on each side: the mentee may read "a shared aspect of
    identity"; the coordinator and the mentor read the same as when nothing is shared."""
    amara, ruth, _sam, _bea = people
    woman = {"gender_identity": {"values": ["woman"]}}
    self_identify(amara, {**FIRST_GEN, **woman})
    _enrol_everyone(cycle, today, people, questions=["first_generation", "gender_identity"])
    man = {"gender_identity": {"values": ["man"]}}
    plays = [
        _play(client, erin, cycle, people, answers, django_capture_on_commit_callbacks)
        for answers in ({**FIRST_GEN, **man}, {**UNLIKE, **man})
    ]
    (alike, mentee_alike), (unlike, mentee_unlike) = plays
    for what in alike:
        assert alike[what] == unlike[what], what
        assert TOLD not in alike[what], what
    for what in ("email to mentee", "pair page", "API"):
        assert TOLD in mentee_alike[what], what
        assert TOLD not in mentee_unlike[what], what

"""The coordinator's matching: run the engine over a cycle's enrolments, review the proposals
with their reasons and who stays unmatched, pin or exclude pairs and run again, then publish:
matches are made, both people are introduced by private email, enrolment ends."""

import pytest

from belong.mentorship.actions import cycles as actions
from belong.mentorship.actions import matchmaking
from belong.mentorship.models import Cycle, Match, MatchingRun, PairRule
from belong.notifications.models import OutboundMessage
from tests.builders import make_person

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def enrol(cycle, today, person, role, level, **answers):
    answers.setdefault("meeting", ["virtual"])  # everyone meets online: every pair scores 1
    enrollment, _created = actions.enrol(
        cycle.pk, person=person, role=role, today=today, training_level=level, **answers
    )
    return enrollment


@pytest.fixture
def pool(cycle, today):
    """Three mentees and two mentors, each mentor with one place."""
    people = {
        name: make_person(f"{name}@example.org", name.title())
        for name in ("amara", "diego", "hodan", "ruth", "carlos")
    }
    enrolled = {
        "amara": enrol(
            cycle,
            today,
            people["amara"],
            "mentee",
            "pgy1",
            dei_interests=["recruitment"],
            languages=["en"],
        ),
        "diego": enrol(
            cycle,
            today,
            people["diego"],
            "mentee",
            "pgy2",
            dei_interests=["sdoh"],
            languages=["es"],
        ),
        "hodan": enrol(
            cycle,
            today,
            people["hodan"],
            "mentee",
            "pgy1",
            dei_interests=["community"],
            languages=["so"],
        ),
        "ruth": enrol(
            cycle,
            today,
            people["ruth"],
            "mentor",
            "associate",
            capacity=1,
            dei_interests=["recruitment"],
            languages=["en"],
        ),
        "carlos": enrol(
            cycle,
            today,
            people["carlos"],
            "mentor",
            "professor",
            capacity=1,
            dei_interests=["sdoh"],
            languages=["es"],
        ),
    }
    return people, enrolled


def pairs(run):
    return {(p.mentee.person.email, p.mentor.person.email) for p in run.proposals.all()}


def test_a_run_proposes_the_best_pairs_with_their_reasons(client, erin, cycle, pool):
    client.force_login(erin)
    response = client.post(f"/mentorship/manage/cycles/{cycle.pk}/matching/run/")
    assert response.status_code == 302
    run = MatchingRun.objects.get()
    assert pairs(run) == {
        ("amara@example.org", "ruth@example.org"),
        ("diego@example.org", "carlos@example.org"),
    }
    assert [row["why"] for row in run.unmatched] == ["no_capacity"]
    page = text(client.get(response["Location"]))
    assert "both work on recruitment and retention for diversity" in page
    assert "both speak spanish" in page
    assert "Hodan" in page and "have no place left" in page


def test_what_people_said_no_to_is_never_proposed(client, erin, cycle, pool, today):
    people, enrolled = pool
    enrol(
        cycle,
        today,
        people["amara"],
        "mentee",
        "pgy1",
        dei_interests=["recruitment"],
        languages=["en"],
        excluded=[people["ruth"]],
    )
    run = matchmaking.run(cycle.pk, actor=erin)
    assert ("amara@example.org", "ruth@example.org") not in pairs(run)


def test_a_mentor_is_always_more_senior(erin, cycle, today):
    fellow = make_person("fellow@example.org", "Fellow")
    senior = make_person("senior@example.org", "Senior Resident")
    enrol(cycle, today, fellow, "mentor", "pgy4", capacity=2)
    enrol(cycle, today, senior, "mentee", "pgy5")
    run = matchmaking.run(cycle.pk, actor=erin)
    assert not run.proposals.exists()
    assert run.unmatched[0]["why"] == "no_eligible_mentor"


def test_pins_and_exclusions_change_the_next_run(client, erin, cycle, pool):
    _people, enrolled = pool
    client.force_login(erin)
    rule_url = f"/mentorship/manage/cycles/{cycle.pk}/matching/rule/"
    response = client.post(
        rule_url,
        {"mentee": enrolled["hodan"].pk, "mentor": enrolled["ruth"].pk, "kind": "pin"},
    )
    assert response.status_code == 302
    run = matchmaking.run(cycle.pk, actor=erin)
    assert ("hodan@example.org", "ruth@example.org") in pairs(run)
    assert run.proposals.get(mentee=enrolled["hodan"]).pinned
    client.post(
        rule_url,
        {"mentee": enrolled["diego"].pk, "mentor": enrolled["carlos"].pk, "kind": "exclude"},
    )
    run = matchmaking.run(cycle.pk, actor=erin)
    assert ("diego@example.org", "carlos@example.org") not in pairs(run)
    client.post(
        rule_url,
        {"mentee": enrolled["hodan"].pk, "mentor": enrolled["ruth"].pk, "kind": "clear"},
    )
    assert not PairRule.objects.filter(kind="pin").exists()


def test_a_rule_for_someone_not_enrolled_is_refused(client, erin, cycle, pool):
    _people, enrolled = pool
    client.force_login(erin)
    response = client.post(
        f"/mentorship/manage/cycles/{cycle.pk}/matching/rule/",
        {"mentee": enrolled["ruth"].pk, "mentor": enrolled["carlos"].pk, "kind": "pin"},
    )
    assert response.status_code == 400
    assert 'href="#id_mentee' in text(response)
    assert not PairRule.objects.exists()


def test_publishing_makes_the_matches_and_introduces_each_pair(client, erin, cycle, pool, today):
    people, _enrolled = pool
    run = matchmaking.run(cycle.pk, actor=erin)
    client.force_login(erin)
    url = f"/mentorship/manage/cycles/{cycle.pk}/matching/publish/"
    page = text(client.get(url))
    assert "2 pairs will be matched" in page and "publishing closes it now" in page
    response = client.post(url, {"run": run.pk})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.published_at is not None and not cycle.enrolment_open(today)
    assert Match.objects.count() == 2
    mails = OutboundMessage.objects.filter(to_email__in=[p.email for p in people.values()])
    assert mails.count() == 4 and all(m.private for m in mails)
    to_amara = mails.get(to_email="amara@example.org")
    assert "Your mentor is Ruth" in to_amara.body_text
    assert "ruth@example.org" in to_amara.body_text
    assert "both work on recruitment and retention for diversity" in to_amara.body_text
    assert not mails.filter(to_email="hodan@example.org").exists()
    # Published: no new run, no new enrolment, no second publishing.
    with pytest.raises(actions.Refused):
        matchmaking.run(cycle.pk, actor=erin)
    with pytest.raises(actions.Refused):
        actions.enrol(
            cycle.pk, person=people["hodan"], role="mentee", today=today, training_level="pgy1"
        )
    assert client.post(url, {"run": run.pk}).status_code == 409
    assert Match.objects.count() == 2


def test_only_the_reviewed_and_current_run_is_published(client, erin, cycle, pool, today):
    people, _enrolled = pool
    first = matchmaking.run(cycle.pk, actor=erin)
    second = matchmaking.run(cycle.pk, actor=erin)
    client.force_login(erin)
    url = f"/mentorship/manage/cycles/{cycle.pk}/matching/publish/"
    response = client.post(url, {"run": first.pk})
    assert response.status_code == 409 and "newer run" in text(response)
    enrol(cycle, today, people["diego"], "mentee", "pgy3", languages=["es"])
    response = client.post(url, {"run": second.pk})
    assert response.status_code == 409 and "run the matching again" in text(response)
    assert not Match.objects.exists()
    assert Cycle.objects.get().published_at is None


@pytest.mark.parametrize(
    "path",
    ["matching/", "matching/run/", "matching/rule/", "matching/publish/", "kickoff/"],
)
def test_only_coordinators_match(client, alice, cycle, path):
    url = f"/mentorship/manage/cycles/{cycle.pk}/{path}"
    client.force_login(alice)
    assert client.get(url).status_code in (403, 405)
    assert client.post(url).status_code == 403
    assert not MatchingRun.objects.exists()


def test_each_person_sees_their_match_on_their_page(client, erin, cycle, pool):
    people, _enrolled = pool
    run = matchmaking.run(cycle.pk, actor=erin)
    matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    client.force_login(people["amara"])
    page = text(client.get("/me/"))
    assert "Your mentor: Ruth" in page and 'href="mailto:ruth@example.org"' in page
    assert "both work on recruitment and retention for diversity" in page
    client.force_login(people["ruth"])
    assert "You mentor Amara" in text(client.get("/me/"))
    client.force_login(people["hodan"])
    page = text(client.get("/me/"))
    assert "Your mentor:" not in page and "Ruth" not in page and "Amara" not in page

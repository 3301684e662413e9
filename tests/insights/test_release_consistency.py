"""Releases as pages see them: nothing about people moves between two releases whatever changes
(a join, a leave, an answer, a revoked consent), every figure says its "as of" date, a person
who revoked their consent is in no figure of the next release, and a DEI administrator may cut
a release by hand at most once in RELEASE_MANUAL_MIN_DAYS days (audited). Perturbation is on
here (the default +-3)."""

import datetime

import pytest
from django.utils import timezone

from belong.collectives.actions import memberships
from belong.collectives.models import Collective
from belong.home import periodic
from belong.insights import cutting, dashboards, serving
from belong.insights.models import Release
from belong.people import privacy
from belong.people.models import AuditEvent, Person
from tests.builders import cut_release, make_person

pytestmark = pytest.mark.django_db

BLACK = {
    "race_ethnicity": {"values": ["black_african_american"]},
    "gender_identity": {"values": ["woman"]},
}
WHITE = {"race_ethnicity": {"values": ["white"]}, "gender_identity": {"values": ["man"]}}


def people(prefix, count, answers, kind="faculty"):
    made = []
    for n in range(count):
        person = make_person(f"{prefix}{n}@example.org", f"{prefix} {n}", kind=kind)
        privacy.save_answers(person=person, answers=answers)
        privacy.give(person=person, purpose="reporting")
        made.append(person)
    return made


def everything_shown(client):
    """Every figure of every dashboard as the API answers it, and the collectives' counts."""
    shown = {}
    for slug in dashboards.BOARDS:
        answer = client.get(f"/api/v1/insights/dashboards/{slug}").json()
        shown[slug] = [(f["slug"], f["cells"], f["row_totals"]) for f in answer["figures"]]
    shown["collectives"] = [
        (c["slug"], c["member_count"], c["ally_count"])
        for c in client.get("/api/v1/collectives").json()["items"]
    ]
    return shown


@pytest.fixture
def world(grace):
    Person.objects.filter(pk=grace.pk).update(kind="community")
    rainbow = Collective.objects.create(slug="rainbow", name="Rainbow")
    black = people("b", 14, BLACK)
    white = people("w", 16, WHITE)
    for person in black[:12]:
        memberships.join(rainbow.pk, person=person, kind="member")
    return {"rainbow": rainbow, "black": black, "white": white}


def test_nothing_about_people_moves_between_releases(client, grace, world):
    cut_release()
    client.force_login(grace)
    before = everything_shown(client)
    newcomer = people("n", 1, BLACK)[0]
    memberships.join(world["rainbow"].pk, person=newcomer, kind="member")
    memberships.leave(world["rainbow"].pk, person=world["black"][0])
    privacy.save_answers(person=world["white"][0], answers=BLACK)
    privacy.revoke(person=world["white"][1], purpose="reporting")
    Person.objects.filter(pk=world["white"][2].pk).update(is_active=False)
    assert everything_shown(client) == before
    html = client.get("/insights/representation/").content.decode()
    assert "As of" in html and "at most 3" in html


def test_as_of_is_everywhere(client, grace, world):
    release = cut_release()
    client.force_login(grace)
    date = release.as_of
    for slug in dashboards.BOARDS:
        html = client.get(f"/insights/{slug}/").content.decode()
        assert "As of" in html, slug
        answer = client.get(f"/api/v1/insights/dashboards/{slug}").json()
        assert answer["as_of"] == date.isoformat() and answer["max_noise"] == 3
        for figure in answer["figures"]:
            if figure["slug"] != "recommendations":
                assert any(note.startswith("As of") for note in figure["notes"])
    for path in ("/collectives/", "/collectives/rainbow/"):
        assert "As of" in client.get(path).content.decode()
    listed = client.get("/api/v1/collectives").json()["items"][0]
    assert listed["counts_as_of"] == date.isoformat()
    body = client.get("/insights/representation/race.csv").content.decode()
    assert "As of" in body


def test_before_the_first_release_nothing_is_published(client, grace, world):
    client.force_login(grace)
    for slug in dashboards.BOARDS:
        html = client.get(f"/insights/{slug}/").content.decode()
        assert "No figures have been published yet." in html
    assert client.get("/insights/representation/race.csv").status_code == 404
    assert "not published yet" in client.get("/collectives/rainbow/").content.decode()


def test_a_revoked_consent_is_in_no_figure_of_the_next_release(client, grace, world):
    """The person's group is refreshed (enough changes) or withheld: never carried with them."""
    first = cut_release()
    leaving = world["black"][1]
    privacy.revoke(person=leaving, purpose="reporting")
    second = cut_release()
    view = serving.latest()
    published = view.topic("representation").published
    faculty = published["tables"]["representation.race"]["rows"]["faculty"]
    assert faculty["status"] in ("fresh", "withheld")  # never carried with the person
    assert faculty["as_of_release"] == published["release"]
    assert second.number == first.number + 1
    # What the engine counted for the new release no longer holds the person's answers.
    source = dashboards.representation.source()
    unit = next(
        u
        for u in source.units
        if u.token == dashboards.representation.units.token("person", leaving.pk)
    )
    assert unit.cells == {"representation.answered": "did_not"}


def test_enough_changes_move_a_group(client, grace, world, settings):
    settings.RELEASE_MAX_NOISE = 0
    cut_release()
    for person in people("m", 10, WHITE):
        memberships.join(world["rainbow"].pk, person=person, kind="member")
    cut_release()
    as_of, _noise, counts = dashboards.collectives.counts()
    members, _allies = counts[world["rainbow"].pk]
    assert members.value == 22


def test_a_dei_administrator_cuts_a_release_at_most_once_a_week(client, frank, grace, world):
    client.force_login(grace)
    assert client.post("/insights/releases/cut/").status_code == 403
    assert b"Cut a release now" not in client.get("/insights/").content
    client.force_login(frank)
    assert client.get("/insights/releases/cut/").status_code == 405
    assert b"Cut a release now" in client.get("/insights/").content
    response = client.post("/insights/releases/cut/", follow=True)
    assert "Release 1 is cut" in response.content.decode()
    release = Release.objects.get()
    assert release.kind == "manual" and release.cut_by == frank
    event = AuditEvent.objects.get(verb="insights.release_cut")
    assert event.actor == frank and event.detail["kind"] == "manual"
    response = client.post("/insights/releases/cut/", follow=True)
    assert "less than 7 days ago" in response.content.decode()
    assert Release.objects.count() == 1
    assert b"may be cut by hand from" in client.get("/insights/").content
    # An operator's release does not count against the limit, nor does the schedule.
    cut_release()
    assert cutting.next_manual_cut() is not None
    Release.objects.filter(kind="manual").update(
        cut_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    assert (
        "Release 3 is cut" in client.post("/insights/releases/cut/", follow=True).content.decode()
    )


def test_the_manual_limit_is_a_setting(frank, world, settings):
    settings.RELEASE_MANUAL_MIN_DAYS = 0
    cutting.cut_by_hand(actor=frank)
    cutting.cut_by_hand(actor=frank)
    assert Release.objects.count() == 2


def test_the_schedule_cuts_one_release_per_period(world, settings):
    assert periodic.releases().startswith("release 1 cut")
    assert periodic.releases() == "this period's release is cut already"
    assert Release.objects.get().kind == "scheduled"
    assert Release.objects.get().period == cutting.period_of(timezone.localdate())


def test_publish_release_for_operators(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("publish_release", stdout=out)
    assert "release 1 cut" in out.getvalue()
    assert "representation: published" in out.getvalue()
    assert Release.objects.get().kind == "operator"


def test_the_engine_state_is_kept_sealed_and_only_for_the_latest(world):
    first = cut_release()
    second = cut_release()
    from belong.insights.models import ReleaseTopic

    states = list(ReleaseTopic.objects.values_list("release_id", "state"))
    assert all(state for pk, state in states if pk == second.pk)
    assert not any(state for pk, state in states if pk == first.pk)
    assert all("digests" not in state for _pk, state in states)


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/insights/", 6),
        ("/insights/representation/", 6),
        ("/insights/training/", 6),
        ("/insights/collectives/", 9),
        ("/insights/mentorship/", 6),
        ("/insights/representation/race.csv", 6),
        ("/api/v1/insights/dashboards/representation", 6),
    ],
)
def test_query_budgets(client, frank, world, path, budget, django_assert_max_num_queries):
    """A release is a read: the budget does not grow with the people counted."""
    cut_release()
    serving.latest()
    client.force_login(frank)
    client.get(path)  # the first view of the session
    people("x", 30, WHITE)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200

"""/insights/collectives/ and /insights/mentorship/: members and allies release by release (each
count alone, as on the collectives' pages), recommendations, enrolment and matching by cycle,
meetings and satisfaction; counts of people read from the latest release (cut here with no
perturbation, so that what is counted is checked exactly)."""

import itertools

import pytest
from django.utils import timezone

from belong.collectives.actions import memberships
from belong.collectives.models import Collective, Recommendation
from belong.mentorship.models import CheckIn, Match
from tests.builders import (
    cut_release,
    enrol_mentee,
    enrol_mentor,
    exact_releases,
    make_person,
    open_cycle,
)

pytestmark = pytest.mark.django_db
_serial = itertools.count()


def figure(response, slug):
    return next(i["figure"] for i in response.context["figures"] if i["figure"].slug == slug)


def test_members_and_allies_release_by_release(client, grace, settings):
    exact_releases(settings)
    rainbow = Collective.objects.create(slug="rainbow", name="Rainbow Collective")
    for n in range(13):
        person = make_person(f"m{next(_serial)}@example.org", f"M {n}")
        memberships.join(rainbow.pk, person=person, kind="member" if n < 12 else "ally")
    Recommendation.objects.create(
        collective=rainbow,
        title="Gender-neutral restrooms",
        problem="p",
        proposal="q",
        state="adopted",
    )
    cut_release()
    client.force_login(grace)
    response = client.get("/insights/collectives/")
    assert response.status_code == 200
    members = figure(response, "members")
    row = members.rows.index("Rainbow Collective")
    assert members.table.cells[row][-1].value == 12  # this release
    assert members.table.row_totals is None and members.table.column_totals is None
    allies = figure(response, "allies")
    assert allies.table.cells[row][-1].value is None  # 1 ally: "<11"
    recommendations = figure(response, "recommendations")
    adopted = recommendations.columns.index("Adopted")
    assert recommendations.table.cells[row][adopted].value == 1  # not about people: shown
    # A second release adds a column; the first keeps what it published.
    for n in range(10):
        person = make_person(f"m{next(_serial)}@example.org", f"N {n}")
        memberships.join(rainbow.pk, person=person, kind="member")
    cut_release()
    members = figure(client.get("/insights/collectives/"), "members")
    assert [c.value for c in members.table.cells[row]] == [12, 22]


def test_mentorship_enrolment_matching_and_satisfaction(client, grace, erin, settings):
    exact_releases(settings)
    from belong.mentorship.actions import matchmaking

    cycle = open_cycle(erin)
    today = timezone.localdate()
    mentors = []
    for n in range(12):
        mentor = make_person(f"fac{next(_serial)}@example.org", f"F {n}")
        enrol_mentor(cycle, mentor, today=today)
        mentors.append(mentor)
    for n in range(12):
        mentee = make_person(f"res{next(_serial)}@example.org", f"R {n}")
        enrol_mentee(cycle, mentee, today=today)
    run = matchmaking.run(cycle.pk, actor=erin)
    matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    for match in Match.objects.all():
        CheckIn.objects.create(match=match, person=match.mentee.person, stage="mid", satisfaction=5)
    cut_release()
    client.force_login(grace)
    response = client.get("/insights/mentorship/")
    enrolled = figure(response, "enrolled")
    assert [c.value for c in enrolled.table.cells[0]] == [12, 12]
    matched = figure(response, "matched")
    assert [c.value for c in matched.table.cells[0]] == [12, 0]
    satisfaction = figure(response, "satisfaction")
    row = satisfaction.rows.index(f"{cycle.title}: Mid-cycle")
    assert satisfaction.table.cells[row][4].value == 12 and satisfaction.share(row, 4) == "100%"

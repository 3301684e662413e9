"""/insights/representation/: counts by self-identified race and ethnicity and by gender per
group, only of people whose consent to aggregate reporting stands, read from the latest release;
never a person's answer; each view audited; analysts and DEI administrators only.

Most tests here cut a release with no perturbation (`exact`), so that what is counted is checked
exactly; tests/insights/test_release_consistency.py checks the perturbation and the releases."""

import csv
import io
import itertools

import pytest
from openpyxl import load_workbook

from belong.insights import representation
from belong.insights.dashboards import representation as topic
from belong.people import privacy
from belong.people.models import AuditEvent, OrgUnit, Person
from tests.builders import cut_release, exact_releases, make_person

pytestmark = pytest.mark.django_db

URL = "/insights/representation/"
_serial = itertools.count()


def people(count, kind, answers, *, consent=True, unit=None):
    made = []
    for _ in range(count):
        n = next(_serial)
        person = make_person(f"p{n}@example.org", f"Person {n}", kind=kind, org_unit=unit)
        privacy.save_answers(person=person, answers=answers)
        if consent:
            privacy.give(person=person, purpose="reporting")
        made.append(person)
    return made


BLACK = {
    "race_ethnicity": {"values": ["black_african_american"]},
    "gender_identity": {"values": ["woman"]},
}
WHITE = {"race_ethnicity": {"values": ["white"]}, "gender_identity": {"values": ["man"]}}


@pytest.fixture(autouse=True)
def _viewers_are_not_counted(grace, frank):
    """The analyst and the DEI administrator are not in the workforce counted here: a group of
    one (the staff row) would hide, as complements, figures these tests read."""
    Person.objects.filter(pk__in=[grace.pk, frank.pk]).update(kind="community")


@pytest.fixture
def program(db):
    return OrgUnit.objects.create(slug="im", name="Internal Medicine Residency", kind="program")


def figure(response, slug):
    return next(
        item["figure"] for item in response.context["figures"] if item["figure"].slug == slug
    )


def test_only_analysts_and_dei_administrators(client, alice, erin, grace, frank):
    cut_release()
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    for outsider in (alice, erin):
        client.force_login(outsider)
        assert client.get(URL).status_code == 403
        assert client.get("/insights/").status_code == 403
        assert client.get(URL + "race.csv").status_code == 403
    for viewer in (grace, frank):
        client.force_login(viewer)
        assert client.get(URL).status_code == 200
    assert client.get("/insights/nothing/").status_code == 404
    assert client.get(URL + "nothing.csv").status_code == 404
    assert client.post(URL).status_code == 405


def test_counts_only_consenting_people(client, grace, settings):
    exact_releases(settings)
    people(12, "faculty", BLACK)
    people(15, "faculty", WHITE)
    people(12, "faculty", BLACK, consent=False)  # never counted by their answers
    cut_release()
    client.force_login(grace)
    response = client.get(URL)
    race = figure(response, "race")
    faculty = race.rows.index("Faculty")
    black = race.columns.index("Black or African American")
    white = race.columns.index("White")
    assert race.table.cells[faculty][black].value == 12
    assert race.table.cells[faculty][white].value == 15
    assert race.share(faculty, black) == "44%"
    answered = figure(response, "answered")
    assert [c.value for c in answered.table.cells[faculty]] == [27, 12]
    gender = figure(response, "gender")
    assert [c.value for c in gender.table.cells[faculty]] == [12, 15, 0, 0]
    html = response.content.decode()
    assert "data:image/svg+xml;base64," in html
    assert "Minnesota, 2020 Census" in html and "77.5%" in html  # white share of the state
    event = AuditEvent.objects.get(verb="insights.viewed")
    assert event.actor == grace and event.detail == {"dashboard": "representation"}
    # The answers were read once, by the cut (audited); viewing the page reads none.
    read = AuditEvent.objects.get(verb="identity.read")
    assert read.detail["purpose"] == "reporting" and "people" not in read.detail
    assert "As of" in html


def test_a_small_count_and_what_would_give_it_away_are_hidden(client, grace, settings):
    exact_releases(settings)  # with noise, the perturbed column total alone may protect the count
    people(12, "faculty", BLACK)
    people(15, "faculty", WHITE)
    people(11, "staff", WHITE)
    people(3, "staff", BLACK)
    cut_release()
    client.force_login(grace)
    response = client.get(URL)
    race = figure(response, "race")
    staff, black = race.rows.index("Staff"), race.columns.index("Black or African American")
    assert race.table.cells[staff][black].value is None  # 3 people: "<11"
    assert race.table.hidden_count > 1  # complements hide what would give it away
    assert "&lt;11" in response.content.decode()
    assert any("figures are hidden" in sentence for sentence in race.summary())


def test_a_group_of_fewer_than_11_is_folded_or_left_out(client, grace, program, settings):
    """A residency program of 4 is no row (its four residents' answers would be its whole row):
    they count in "Other residents and fellows", which, under 11 itself, is left out of every
    table and its totals, with a note; once 11 are there, it is a row."""
    exact_releases(settings)
    people(12, "faculty", BLACK)
    people(15, "faculty", WHITE)
    people(4, "resident", WHITE, unit=program)
    cut_release()
    client.force_login(grace)
    html = client.get(URL).content.decode()
    race = figure(client.get(URL), "race")
    assert race.rows == ["Faculty"]
    white = race.columns.index("White")
    assert race.table.column_totals[white].value == 15  # the four residents are not counted
    assert "Not shown, as fewer than 11 people are in it" in html
    assert "Internal Medicine Residency" not in html
    assert any("Other residents and fellows" in note for note in race.all_notes)

    people(7, "resident", BLACK)  # no program: 11 other residents and fellows now
    source = topic.source()
    assert source.groups == ["other_trainees", "faculty"]
    assert source.meta["left_out"] == []
    assert sum(unit.group == "other_trainees" for unit in source.units) == 11


def test_a_revoked_consent_leaves_the_next_release(client, grace, settings):
    exact_releases(settings)
    counted = people(11, "faculty", BLACK)
    people(15, "faculty", WHITE)
    cut_release()
    client.force_login(grace)
    race = figure(client.get(URL), "race")
    faculty, black = race.rows.index("Faculty"), race.columns.index("Black or African American")
    assert race.table.cells[faculty][black].value == 11
    privacy.revoke(person=counted[0], purpose="reporting")
    race = figure(client.get(URL), "race")
    assert race.table.cells[faculty][black].value == 11  # nothing moves between releases
    cut_release()
    race = figure(client.get(URL), "race")
    # One change is too few to move the group: with a person who must leave, it is withheld.
    assert race.table.cells[faculty][black].value is None


def test_no_person_and_no_answer_reaches_the_page_or_downloads(client, grace, frank):
    people(
        11, "staff", {"race_ethnicity": {"values": ["asian"], "self_description": "Hmong American"}}
    )
    cut_release()
    for viewer in (grace, frank):
        client.force_login(viewer)
        html = client.get(URL).content.decode()
        for download in ("race.csv", "race.xlsx", "gender.csv"):
            body = client.get(URL + download).content
            assert b"Hmong" not in body and b"@example.org" not in body
        assert "Hmong" not in html and "@example.org" not in html


def test_downloads_hold_exactly_what_is_shown(client, grace):
    people(12, "faculty", BLACK)
    people(3, "faculty", WHITE)
    cut_release()
    client.force_login(grace)
    race = figure(client.get(URL), "race")
    response = client.get(URL + "race.csv")
    assert (
        response["Content-Disposition"] == 'attachment; filename="belong-representation-race.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == race.header() and rows[2 : 2 + len(race.grid())] == race.grid()
    faculty_row = next(row for row in rows if row and row[0] == "Faculty")
    assert "<11" in faculty_row  # the 3 white faculty, and what would give them away
    assert any(row and row[0].startswith("As of") for row in rows)
    assert any(row and "at most 3" in row[0] for row in rows)
    book = load_workbook(io.BytesIO(client.get(URL + "race.xlsx").content))
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [str(v) for v in values[0] if v is not None] == race.header()
    assert AuditEvent.objects.filter(verb="insights.downloaded").count() == 2


@pytest.mark.parametrize(
    ("answer", "column"),
    [
        ({"values": ["white"]}, "white"),
        ({"values": ["middle_eastern_north_african"]}, "white"),
        ({"values": ["asian", "white"]}, "two_or_more_races"),
        ({"values": ["hispanic_latino"]}, "some_other_race"),
        ({"values": ["hispanic_latino", "white"]}, "white"),
        ({"prefer_not": True}, "prefer_not"),
        ({"self_description": "Mixed"}, None),
        (None, None),
    ],
)
def test_race_columns_follow_the_census(answer, column):
    assert representation.race_column(answer) == column

"""Serving a stored release: the figures a page, a download and the API show are read from the
latest release's stored `published` dict, never counted; hidden figures read "<11", rows not
published this time "—" with a note, every figure says its "as of" date and that it is about
right (+-D); rows carried from an earlier release say that release's date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from belong.insights import dashboards, serving
from belong.insights.dashboards import collectives as collectives_topic
from belong.insights.models import Release, ReleaseTopic
from tests.builders import release_row, stored_release

pytestmark = pytest.mark.django_db

RACE = [
    "american_indian_or_alaska_native",
    "asian",
    "black_or_african_american",
    "native_hawaiian_or_pacific_islander",
    "white",
    "some_other_race",
    "two_or_more_races",
    "prefer_not",
]


def race_row(black, white, total, **kwargs):
    cells = dict.fromkeys(RACE, 0)
    cells.update(black_or_african_american=black, white=white)
    return release_row(cells, total, **kwargs)


def representation(rows, *, withheld_reason=None, max_noise=3):
    tables = {"representation.race": {"rows": rows, "column_totals": {}, "grand_total": {}}}
    published = {
        "topic": "representation",
        "release": 2,
        "tables": tables,
        "withheld_reason": withheld_reason,
        "max_noise": max_noise,
    }
    meta = {
        "groups": list(rows),
        "labels": {"program:7": "Internal Medicine Residency"},
        "threshold": 11,
        "tables": {"representation.race": {"row_totals": True}},
        "as_of": {"1": "2026-11-02", "2": "2026-12-01"},
    }
    return published, meta


def race_figure(release):
    return next(f for f in dashboards.figures("representation", release) if f.slug == "race")


def test_before_the_first_release_there_is_nothing_to_serve():
    assert serving.latest() is None
    assert dashboards.figures("representation", serving.latest()) == []
    assert collectives_topic.counts() is None


def test_a_stored_release_is_shown_as_it_was_published():
    stored_release(1, {"representation": representation({"faculty": race_row(13, 16, 29)})})
    stored_release(
        2,
        {
            "representation": representation(
                {
                    "program:7": race_row(None, 12, 14, as_of_release=2),
                    "faculty": race_row(13, 16, 29, status="carried", as_of_release=1),
                    "staff": race_row(0, 0, 0, status="withheld", as_of_release=1),
                }
            )
        },
        as_of=datetime.date(2026, 12, 1),
    )
    race = race_figure(serving.latest())
    assert race.rows == ["Internal Medicine Residency", "Faculty", "Staff"]
    black = race.columns.index("Black or African American")
    white = race.columns.index("White")
    assert race.table.cells[0][black].shown == "<11"
    assert race.table.cells[0][white].value == 12
    assert race.table.cells[1][black].value == 13  # carried from release 1, unchanged
    assert [c.shown for c in race.table.cells[2]] == ["—"] * len(RACE)
    assert race.table.row_totals[2].shown == "—"
    assert race.as_of == datetime.date(2026, 12, 1)
    notes = race.all_notes
    assert any(n.startswith("As of") and "2026" in n for n in notes)
    assert any("at most 3" in n for n in notes)
    assert any("Not published this time" in n and "Staff" in n for n in notes)
    assert any(n.startswith("Unchanged since") and "Faculty" in n for n in notes)
    assert not any("Internal Medicine" in n for n in notes if n.startswith("Unchanged"))
    grid = race.grid()
    assert grid[2][1] == "—" and grid[0][1 + 2 * black] == "<11"


def test_a_topic_that_could_not_be_protected_is_not_published():
    stored_release(
        1,
        {
            "representation": representation(
                {"faculty": race_row(13, 16, 29)}, withheld_reason="cannot be protected"
            )
        },
    )
    race = race_figure(serving.latest())
    assert all(cell.shown == "—" for cell in race.table.cells[0])
    assert any("could not be protected" in note for note in race.all_notes)


def test_the_latest_release_is_served_with_one_query_once_read():
    stored_release(1, {"representation": representation({"faculty": race_row(13, 16, 29)})})
    serving.latest()  # read once in this process
    with CaptureQueriesContext(connection) as queries:
        release = serving.latest()
    assert len(queries) == 1
    assert "state" not in queries[0]["sql"].lower().split("from")[0]
    assert release.number == 1


def members_topic(counts, *, status="fresh"):
    rows = {
        f"collective:{pk}": release_row({"members": m, "allies": a}, False, status=status)
        for pk, (m, a) in counts.items()
    }
    published = {
        "topic": "collectives.members",
        "tables": {"collectives.members": {"rows": rows}},
        "withheld_reason": None,
        "max_noise": 3,
    }
    meta = {"groups": list(rows), "labels": {}, "threshold": 11, "tables": {}, "as_of": {}}
    return published, meta


def test_the_releases_month_by_month_figures_read_are_kept_in_the_process():
    """The collectives dashboard reads the last RELEASES_SHOWN releases on every view: once read,
    they are served from the process (a release never changes), with no query of their topics
    (a cache smaller than that, read in turn, missed every one of them every time)."""
    for number in range(1, collectives_topic.RELEASES_SHOWN + 2):
        stored_release(number, {"collectives.members": members_topic({5: (14 + number, 30)})})
    serving.forget()
    first = serving.recent(collectives_topic.RELEASES_SHOWN)
    with CaptureQueriesContext(connection) as queries:
        again = serving.recent(collectives_topic.RELEASES_SHOWN)
        serving.latest()
    assert [view.number for view in again] == [view.number for view in first] == [2, 3, 4, 5, 6, 7]
    assert len(queries) == 2  # which releases are the latest: nothing else
    assert not any("releasetopic" in query["sql"].lower() for query in queries)


def test_collective_counts_come_from_the_release():
    stored_release(1, {"collectives.members": members_topic({5: (14, None), 6: (0, 22)})})
    as_of, max_noise, found = collectives_topic.counts()
    assert as_of == datetime.date(2026, 11, 2) and max_noise == 3
    members, allies = found[5]
    assert members.value == 14 and allies.shown == "<11"
    assert found[6][0].value == 0 and found[6][1].value == 22


def test_the_representation_check_knows_which_answers_go_together():
    """The release's protection check is told every combination of cells a person can have
    (race, Hispanic origin, URiM, answered and gender from the answers the questions accept), so
    it reasons across the tables as a reader does (issue 14, reproduction 3: race total minus
    Hispanic-origin total is the hidden "prefer not to say" count). Every answer the questions
    accept lands on one of them, and the tables that describe the same answers are tied."""
    from belong.insights.dashboards import representation
    from belong.people import identity

    kinds = {tuple(sorted(t.items())) for t in representation.types()}
    for race in representation.possible_answers(identity.RACE_ETHNICITY):
        for gender in (None, {"prefer_not": True}, {"values": ["woman"]}):
            cells = representation.cells_of({"race_ethnicity": race, "gender_identity": gender})
            full = {f"representation.{t}": cells.get(t) for t in representation.TABLES}
            assert tuple(sorted(full.items())) in kinds
    # Not every combination: someone who did not answer the race question has no Hispanic
    # origin figure, and Hispanic origin always counts as underrepresented by default.
    combinations = [dict(t) for t in kinds]
    assert not any(
        t["representation.answered"] == "did_not" and t["representation.hispanic"]
        for t in combinations
    )
    assert not any(
        t["representation.hispanic"] == "hispanic" and t["representation.urim"] != "urim"
        for t in combinations
    )


def attendance_topic():
    published = {
        "topic": "collectives.attendance",
        "tables": {"collectives.attendance": {"rows": {}}},
        "withheld_reason": None,
        "max_noise": 3,
    }
    return published, {"groups": [], "labels": {}, "threshold": 11, "tables": {}, "as_of": {}}


def test_the_collectives_dashboard_is_built_once_per_release_and_language():
    """What the collectives dashboard reads of its releases is built once per release and
    language in a process: a later view reads only the latest release's number and the live
    recommendations; a new release (cut by another process) and another language are built
    anew, never served from what was built before."""
    from belong.collectives.models import Collective

    Collective.objects.create(slug="c5", name="Latinx")

    def release(number, members):
        return {
            "collectives.members": members_topic({5: (members, 30)}),
            "collectives.attendance": attendance_topic(),
        }

    stored_release(1, release(1, 14))

    def members_row(language="en"):
        with translation.override(language):
            figures = dashboards.figures("collectives", serving.latest())
        members = next(f for f in figures if f.slug == "members")
        return members.title, [cell.shown for cell in members.table.cells[0]]

    assert members_row() == ("Members, release by release", ["14"])
    with CaptureQueriesContext(connection) as queries:
        assert members_row() == ("Members, release by release", ["14"])
    assert not any("insights_releasetopic" in q["sql"] for q in queries)
    assert len(queries) == 3  # the latest release's number, the collectives, recommendations

    # A second release stored without telling this process (as another process would cut it).
    Release.objects.create(
        number=2, kind="operator", as_of=datetime.date(2026, 12, 1), engine_settings={}
    )
    for topic, (published, meta) in release(2, 21).items():
        ReleaseTopic.objects.create(
            release=Release.objects.get(number=2), topic=topic, published=published, meta=meta
        )
    assert members_row() == ("Members, release by release", ["14", "21"])
    title, _cells = members_row("es")
    with translation.override("es"):
        assert (
            title
            == translation.gettext("Members, release by release")
            != "Members, release by release"
        )

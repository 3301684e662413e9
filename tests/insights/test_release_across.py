"""Releases cut by the site, attacked together (issue 14, "Suppression patterns carried across
releases"): two and three releases of every topic around changes (newcomers who take a small
cell past the threshold, a revoked consent, changed answers), and the joint integer program of
tests/lib/release_attacker.py over them with every change known to the reader: no hidden small
count of any release, nor any count of a withheld group, is narrowed below +-3 (the protection
interval). The engine's state, carried per topic from one release to the next, holds what the
joint audit needs (the view and the kept counts)."""

import pytest

from belong.insights import cutting
from belong.insights.dashboards import all_sources
from belong.insights.models import ReleaseTopic
from belong.lib import releases
from belong.people import privacy
from tests.builders import cut_release
from tests.insights.test_release_consistency import BLACK, WHITE, people
from tests.lib.release_attacker import Series

pytestmark = pytest.mark.django_db

ASIAN = {"race_ethnicity": {"values": ["asian"]}, "gender_identity": {"values": ["woman"]}}


def as_counted(previous):
    """{topic: (tables, groups, units)} as the next cut counts them: the sources as of now,
    without the units that must leave."""
    revoked, erased = cutting.departed_since(previous.cut_at if previous else None)
    out = {}
    for source in all_sources():
        leaving = erased | (revoked if source.consent_based else set())
        gone = source.departed(leaving)
        tables = tuple(
            releases.TableSpec(
                t.key, tuple(t.columns), t.row_totals, t.column_totals, t.grand_total
            )
            for t in source.tables
        )
        units = [
            releases.Unit(u.token, u.record_key, u.group, dict(u.cells))
            for u in source.units
            if u.token not in gone
        ]
        out[source.topic] = (tables, list(source.groups), units)
    return out


class Site:
    """Releases cut through cutting.cut_release, followed topic by topic."""

    def __init__(self):
        self.series = {}
        self.last = None

    def cut(self):
        counted = as_counted(self.last)
        self.last = cut_release()
        config = releases.Settings(**cutting.engine_settings())
        for row in ReleaseTopic.objects.filter(release=self.last):
            tables, groups, units = counted[row.topic]
            series = self.series.setdefault(row.topic, Series(tables, groups, config))
            series.add(row.published, units)
        return self.last


def test_two_and_three_releases_around_changes_narrow_no_small_count(settings):
    settings.RELEASE_MIN_CHANGES = 10
    black = people("b", 5, BLACK, "faculty")  # a small cell of faculty
    people("w", 40, WHITE, "faculty")
    people("a", 4, ASIAN, "staff")
    staff = people("s", 30, WHITE, "staff")
    site = Site()
    site.cut()
    race = site.series["representation"].released[0]["tables"]["representation.race"]
    assert all(
        "hidden" in race["rows"]["faculty"]["cells"][c] for c in ("black_or_african_american",)
    )

    # Ten Black faculty join: faculty is fresh and its "Black" cell is past the threshold; one
    # staff member revokes (staff withheld or fresh), another changes answers.
    people("nb", 10, BLACK, "faculty")
    privacy.revoke(person=staff[0], purpose="reporting")
    privacy.save_answers(person=staff[1], answers=ASIAN)
    site.cut()
    # One more person at a time.
    privacy.revoke(person=black[0], purpose="reporting")
    people("na", 1, ASIAN, "staff")
    site.cut()

    state = cutting.unseal(
        ReleaseTopic.objects.get(release=site.last, topic="representation").state
    )
    assert state["view"]["rows"] and any(flag for _f, flag, _l, _h in state["kept"])
    statuses = set()
    for topic, series in site.series.items():
        assert series.violations() == [], topic
        for published in series.released:
            for body in published["tables"].values():
                statuses |= {row["status"] for row in body["rows"].values()}
    assert {"fresh", "carried"} <= statuses

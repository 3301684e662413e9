"""Two `make run` against one PostgreSQL: schedulers racing to cut this period's release cut one
(the releases lock, then the unique scheduled release per period), and DEI administrators
racing to cut one by hand cut one (the weekly limit is checked under the lock)."""

import pytest

from belong.home import periodic
from belong.insights import cutting
from belong.insights.models import Release, ReleaseTopic
from belong.people import roles
from tests.builders import make_person
from tests.concurrency.test_outbox_race import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counted(db):
    for n in range(12):
        make_person(f"p{n}@example.org", f"P {n}", kind="faculty")


def test_four_schedulers_cut_one_release_per_period(counted):
    reports, errors = run_together(periodic.run_all, workers=4)
    assert errors == []
    outcomes = sorted(report["releases"] for report in reports)
    assert sum(outcome.startswith("release 1 cut") for outcome in outcomes) == 1, outcomes
    assert Release.objects.count() == 1
    release = Release.objects.get()
    assert release.kind == "scheduled" and release.number == 1
    assert ReleaseTopic.objects.filter(release=release).count() == len(
        {t.topic for t in ReleaseTopic.objects.all()}
    )
    # A second round finds this period's release cut.
    reports, errors = run_together(periodic.run_all, workers=4)
    assert errors == [] and Release.objects.count() == 1


def test_administrators_racing_cut_one_release_by_hand(counted):
    admins = [make_person(f"a{n}@example.org", f"A {n}", roles.DEI_ADMINISTRATOR) for n in range(4)]
    turn = iter(admins)

    def cut_by_hand():
        try:
            return cutting.cut_by_hand(actor=next(turn))
        except cutting.Refused as refused:
            return refused

    results, errors = run_together(cut_by_hand, workers=4)
    assert errors == []
    assert sum(isinstance(r, Release) for r in results) == 1
    assert sum(isinstance(r, cutting.Refused) for r in results) == 3
    assert Release.objects.filter(kind="manual").count() == 1

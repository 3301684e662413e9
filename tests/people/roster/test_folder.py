"""The scheduled folder (BELONG_ROSTER_FOLDER): a new file is imported once (by its digest) and
moved to done/; a refused file stays where it is and is not tried again until it changes; an
upload still being written, hidden files and other files are left alone."""

import os
import time

import pytest

from belong.home import periodic
from belong.people.models import Person, RosterImport
from tests.people.roster.conftest import person_row

pytestmark = pytest.mark.django_db

APPLIED, REFUSED = RosterImport.Outcome.APPLIED, RosterImport.Outcome.REFUSED


@pytest.fixture
def folder(tmp_path, settings):
    settings.ROSTER_FOLDER = str(tmp_path)
    return tmp_path


def settled(path, seconds=600):
    """As if the upload finished `seconds` ago."""
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def test_a_new_file_is_imported_once_and_moved_to_done(folder, csv_roster):
    path = settled(csv_roster([person_row(1)], name="roster-2026-12-07.csv"))
    assert periodic.JOBS["roster_files"]() == "1 roster file(s) imported, 0 refused"
    assert Person.objects.filter(employee_id="E1001").exists()
    assert not path.exists()
    (moved,) = (folder / "done").iterdir()
    assert moved.name.endswith("-roster-2026-12-07.csv")
    record = RosterImport.objects.get()
    assert (record.outcome, record.file_name) == (APPLIED, "roster-2026-12-07.csv")

    # The same content dropped again is not imported again: it joins the others in done/.
    settled(csv_roster([person_row(1)], name="copy.csv"))
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"
    assert RosterImport.objects.count() == 1
    assert len(list((folder / "done").iterdir())) == 2


def test_a_refused_file_stays_and_is_not_retried_until_it_changes(folder, csv_roster):
    path = settled(csv_roster([person_row(1, email="nope")]))
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 1 refused"
    assert path.exists()
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"
    assert RosterImport.objects.filter(outcome=REFUSED).count() == 1

    settled(csv_roster([person_row(1)]))  # corrected, under the same name
    assert periodic.JOBS["roster_files"]() == "1 roster file(s) imported, 0 refused"
    assert not path.exists() and Person.objects.count() == 1


def test_uploads_in_progress_hidden_and_other_files_wait(folder, csv_roster):
    fresh = csv_roster([person_row(1)], name="fresh.csv")  # just written
    hidden = settled(csv_roster([person_row(2)], name=".upload.csv"))
    other = folder / "notes.txt"
    other.write_text("hello")
    settled(other)
    (folder / "sub.csv").mkdir()
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"
    assert fresh.exists() and hidden.exists() and other.exists()
    assert not RosterImport.objects.exists()


def test_no_folder_configured_is_nothing_to_do(settings, tmp_path):
    settings.ROSTER_FOLDER = ""
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"
    settings.ROSTER_FOLDER = str(tmp_path / "missing")
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"


def test_a_failure_of_ours_is_reported_once_and_the_jobs_go_on(folder, csv_roster, monkeypatch):
    from belong.people import roster

    def broken(path, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(roster, "import_file", broken)
    path = settled(csv_roster([person_row(1)]))
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 1 refused"
    record = RosterImport.objects.get()
    assert record.outcome == REFUSED and "server's log" in record.report["errors"][0]["message"]
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"
    assert path.exists() and not Person.objects.exists()


def test_a_link_in_the_folder_is_not_followed(folder, csv_roster, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret.csv"
    elsewhere.write_text("root:x:0:0\n")
    (folder / "linked.csv").symlink_to(elsewhere)
    assert periodic.JOBS["roster_files"]() == "0 roster file(s) imported, 0 refused"
    assert not RosterImport.objects.exists() and elsewhere.exists()

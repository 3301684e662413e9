"""`manage.py runperiodic` runs every job and reports on each."""

from belong.home import periodic


def test_every_job_runs_and_reports(db):
    report = periodic.run_all()
    assert set(report) == set(periodic.JOBS)
    assert "experiences" in report
    assert all(isinstance(line, str) and line for line in report.values())

"""`manage.py runperiodic` runs every job and reports on each."""

from belong.home import periodic


def test_every_job_runs_and_reports(db):
    report = periodic.run_all()
    assert set(report) == set(periodic.JOBS)
    assert "experiences" in report
    assert all(isinstance(line, str) and line for line in report.values())


def test_finished_task_results_go_after_a_day_with_their_arguments(db):
    """A queued task keeps its arguments (a password reset's typed address): once it has
    finished for a day, the row goes; what waits or runs stays."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()

    def row(status, finished_hours_ago):
        finished = (
            now - datetime.timedelta(hours=finished_hours_ago) if finished_hours_ago else None
        )
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {"email": "someone@example.org"}},
            task_path="belong.people.tasks.send_password_reset",
            backend_name="default",
            run_after=now,
            finished_at=finished,
        )

    old_done = row(TaskResultStatus.SUCCESSFUL, 25)
    old_failed = row(TaskResultStatus.FAILED, 30)
    recent = row(TaskResultStatus.SUCCESSFUL, 2)
    waiting = row(TaskResultStatus.READY, None)
    assert periodic.task_results() == "2 finished task result(s) deleted"
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent.pk, waiting.pk}
    assert not {old_done.pk, old_failed.pk} & left
    assert periodic.task_results() == "0 finished task result(s) deleted"

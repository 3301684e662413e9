"""Scheduled work. Each job is idempotent: running it twice in a row does nothing the second
time, and what it does once is claimed in the database (an outbox key, a unique row, a locked
row), so two runs at once do not do it twice either. `manage.py runperiodic` runs them all, each
under a lock of its own (belong.lib.locks), so that a job running in one scheduler is skipped by
another (two `make run` against one PostgreSQL, cron beside them). Later issues add their jobs
to JOBS."""

import datetime

from django.utils import timezone

from belong.lib import locks
from belong.notifications import outbox

SKIPPED = "skipped: running elsewhere"


def retry_outbox():
    return f"{outbox.retry_due()} message(s) queued for delivery"


def issue_certificates():
    from belong.training.actions.certificates import issue_due_certificates

    return f"{issue_due_certificates()} certificate(s) issued"


def session_reminders():
    from belong.events.actions import send_reminders

    return f"{send_reminders()} reminder(s) queued"


def evaluation_requests():
    from belong.training.actions.evaluations import request_due_evaluations

    return f"{request_due_evaluations()} evaluation request(s) queued"


def evaluation_results():
    from belong.training.actions.evaluations import publish_due_evaluations

    return f"{publish_due_evaluations()} session evaluation(s) published"


def session_minimums():
    from belong.events.actions import check_minimums

    return f"{check_minimums()} session(s) short of their minimum reported to coordinators"


def experiences_shared():
    from belong.collectives.actions.experiences import tell_leaders

    return f"{tell_leaders()} email(s) to leaders about shared experiences queued"


def quiet_pairs():
    from belong.mentorship.actions.life import tell_coordinators_of_quiet_pairs

    return f"{tell_coordinators_of_quiet_pairs()} email(s) to coordinators about quiet pairs queued"


def applicant_requests():
    from belong.mentorship.actions.connections import purge

    return f"{purge()} applicant request(s) deleted"


def policy_reviews():
    from belong.library.actions import remind

    return f"{remind()} policy review reminder(s) queued"


def rate_limit_windows():
    from belong.lib import ratelimit

    return f"{ratelimit.delete_expired()} expired rate-limit counter(s) deleted"


def releases():
    from belong.insights import cutting

    release = cutting.cut_scheduled()
    if release is None:
        return "this period's release is cut already"
    return f"release {release.number} cut, as of {release.as_of}"


def roster_files():
    from belong.people import roster

    records = roster.import_folder()
    applied = sum(r.outcome == r.Outcome.APPLIED for r in records)
    return f"{applied} roster file(s) imported, {len(records) - applied} refused"


# Finished background tasks keep their arguments (a password reset's typed address, ids of
# people); a day is long enough to look into a failure, and then they go.
TASK_RESULTS_KEPT = datetime.timedelta(days=1)


def task_results():
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - TASK_RESULTS_KEPT
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return f"{deleted} finished task result(s) deleted"


JOBS = {
    "outbox": retry_outbox,
    "reminders": session_reminders,
    "minimums": session_minimums,
    "certificates": issue_certificates,
    "evaluation_requests": evaluation_requests,
    "evaluation_results": evaluation_results,
    "experiences": experiences_shared,
    "quiet_pairs": quiet_pairs,
    "applicant_requests": applicant_requests,
    "policy_reviews": policy_reviews,
    "rate_limits": rate_limit_windows,
    "task_results": task_results,
    "releases": releases,
    "roster_files": roster_files,
}


def run_all():
    """Run every job once, in order; a job another process is running now is skipped (it is
    done there), and each outcome is reported."""
    results = {}
    for name, job in JOBS.items():
        with locks.held(f"periodic:{name}", wait=False) as mine:
            results[name] = job() if mine else SKIPPED
    return results

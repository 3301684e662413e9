"""Scheduled work. Each job is idempotent: running it twice in a row does nothing the second
time. `manage.py runperiodic` runs them all; later issues add their jobs to JOBS."""

from belong.notifications import outbox


def retry_outbox():
    return f"{outbox.retry_due()} message(s) queued for delivery"


JOBS = {
    "outbox": retry_outbox,
}


def run_all():
    return {name: job() for name, job in JOBS.items()}

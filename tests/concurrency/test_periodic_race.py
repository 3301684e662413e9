"""Two `make run` against one PostgreSQL: two schedulers and two task workers at once.

Each scheduled job runs under a lock of its own (belong.lib.locks): while one process runs a
job, another skips it. Four schedulers released together by a barrier (real threads, each with
its own connection) and then two real task workers (`manage.py db_worker --batch` processes,
mail into files) do every job's effect once and send every message once; a second round of
schedulers does nothing more.
"""

import datetime
import email
import email.policy
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from belong.events import actions as events
from belong.events.models import Event, Registration
from belong.home import periodic
from belong.lib import locks
from belong.notifications.models import OutboundMessage
from belong.training.models import Certificate, EvaluationInvite
from tests.builders import event_row, make_attended, make_course
from tests.builders import make_session as upcoming_session
from tests.concurrency.test_outbox_race import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def due_work(alice, carol, dave):
    """Work for four jobs: a past session of a course that alice and dave attended
    (certificates, evaluation requests), a session in five days alice registered for two weeks
    ago (a reminder), and a session in two days short of its minimum (carol is told)."""
    workshop = make_course(title="Inclusive Teaching")
    attended = event_row(host=workshop, days=-2)
    for person in (alice, dave):
        make_attended(attended, person)
    soon = upcoming_session(days=5, title="Allyship")
    events.register(soon.pk, person=alice)
    Registration.objects.filter(event=soon).update(
        requested_at=timezone.now() - datetime.timedelta(days=14)
    )
    short = upcoming_session(days=2, title="Bystander Intervention", minimum=6)
    events.register(short.pk, person=dave)
    OutboundMessage.objects.all().delete()  # the registrations' own confirmations
    return {"short": short}


def effects():
    return {
        "certificates": Certificate.objects.count(),
        "evaluation_invites": EvaluationInvite.objects.count(),
        "short_notices": Event.objects.filter(short_notice_at__isnull=False).count(),
        "messages": sorted(OutboundMessage.objects.values_list("key", flat=True)),
    }


def mail_sent(mail_dir):
    """(recipient, subject) of every message the file backend wrote."""
    sent = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
                sent.append((str(message["To"]), " ".join(str(message["Subject"]).split())))
    return sent


def task_worker_env(tmp_path):
    """This test database, mail into files: what a second `make run`'s worker would see."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("BELONG_") and name != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=url,
        BELONG_VAR_DIR=str(tmp_path),
        BELONG_EMAIL="file",
        BELONG_EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def test_a_job_another_process_is_running_is_skipped(alice):
    workshop = make_course(title="Inclusive Teaching")
    make_attended(event_row(host=workshop, days=-3), alice)
    holding, release = threading.Event(), threading.Event()

    def other_scheduler():
        try:
            with locks.held("periodic:certificates", wait=False) as mine:
                assert mine
                holding.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    other = threading.Thread(target=other_scheduler)
    other.start()
    try:
        assert holding.wait(timeout=30)
        report = periodic.run_all()
        assert report["certificates"] == periodic.SKIPPED
        assert report["evaluation_requests"] != periodic.SKIPPED  # only that job is elsewhere
        assert not Certificate.objects.exists()
    finally:
        release.set()
        other.join(timeout=60)
    report = periodic.run_all()
    assert report["certificates"] == "1 certificate(s) issued"
    assert Certificate.objects.filter(person=alice).count() == 1


def test_four_schedulers_and_two_workers_do_everything_once(settings, tmp_path, due_work, carol):
    settings.TASKS = DATABASE_TASKS

    reports, errors = run_together(periodic.run_all, workers=4)

    assert errors == []
    assert len(reports) == 4
    done = effects()
    assert done["certificates"] == 2
    assert done["evaluation_invites"] == 2
    assert done["short_notices"] == 1
    kinds = Counter(key.split(":")[0] for key in done["messages"])
    # Two evaluation requests, a reminder (a private key for no event here), carol's notice,
    # and whatever the certificates send: each once (keys are unique; nothing was lost).
    assert kinds["evaluation-request"] == 2
    assert sum(key.startswith("event:") and ":short:" in key for key in done["messages"]) == 1
    assert sum(":reminder7:" in key for key in done["messages"]) == 1
    queued = Counter(
        (to, " ".join(subject.split()))
        for to, subject in OutboundMessage.objects.values_list("to_email", "subject")
    )

    # Two task workers of two `make run` deliver at once.
    env = task_worker_env(tmp_path)
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )  # noqa: S603
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=180)[0].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    sent = Counter(mail_sent(tmp_path / "mail"))
    assert sent == queued
    assert set(sent.values()) == {1}
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {
        (OutboundMessage.Status.SENT, 1)
    }

    # A second round of schedulers finds nothing left to do.
    reports, errors = run_together(periodic.run_all, workers=4)
    assert errors == []
    assert effects() == done

"""Races on the outbox, with real threads against PostgreSQL.

Eight workers pick up the same message at the same moment (a retried task, two db_workers, a
periodic retry overlapping the first delivery): one email leaves, one attempt is recorded. The
worker that claimed it answers "sent"; the others find it held (pending) or already sent.
"""

import threading
import time

import pytest
from django.core.mail.backends import locmem
from django.db import connections

from belong.notifications import outbox
from belong.notifications.models import OutboundMessage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 8


def run_together(target, workers=WORKERS):
    """Run `target()` in `workers` threads released at once by a barrier. Each thread closes its
    own database connection at its end. Returns (results, errors)."""
    barrier = threading.Barrier(workers)
    lock = threading.Lock()
    results, errors = [], []

    def work():
        try:
            barrier.wait(timeout=30)
            result = target()
            with lock:
                results.append(result)
        except BaseException as exc:  # reported by the test below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, name=f"worker-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a worker hung (deadlock?)"
    return results, errors


@pytest.fixture
def slow_memory_mail(monkeypatch):
    """Django's memory backend, but each send takes a moment: every worker is past the barrier
    and asking for the row while the first one is still sending, so a missing lock shows."""
    send = locmem.EmailBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.2)
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow_send)


def test_eight_workers_delivering_one_message_send_one_email(
    settings, mailoutbox, slow_memory_mail
):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    message = OutboundMessage.objects.create(
        key="race:welcome:alice",
        to_email="alice@example.org",
        subject="Welcome to Belong",
        body_text="Welcome.",
        body_html="<p>Welcome.</p>",
    )

    results, errors = run_together(lambda: outbox.deliver(message.pk))

    assert errors == []
    assert len(results) == WORKERS
    assert OutboundMessage.Status.SENT in results
    assert set(results) <= {OutboundMessage.Status.SENT, OutboundMessage.Status.PENDING}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    assert mailoutbox[0].subject == "Welcome to Belong"
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None

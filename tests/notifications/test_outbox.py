import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from belong.notifications import outbox
from belong.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def queue_reset(person, key="k1"):
    return outbox.queue(
        key=key,
        to_email=person.email,
        person=person,
        template="people/email/password_reset",
        context={"person": person, "uid": "MQ", "token": "abc-123"},
    )


def test_a_message_is_a_row_first_and_leaves_after_commit(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue_reset(alice)
    assert message.status == OutboundMessage.Status.PENDING
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == message.subject


def test_a_rolled_back_change_leaves_no_message(alice, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            queue_reset(alice)
            raise Boom
    assert OutboundMessage.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_queuing_the_same_key_twice_sends_one_message(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_reset(alice)
        second = queue_reset(alice)
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_a_key_queued_again_is_one_statement_and_the_transaction_goes_on(
    alice, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The key is checked by the insert itself (ON CONFLICT DO NOTHING): a first message is one
    statement; a repeated key is that statement and a read of the row there; no error leaves
    the surrounding transaction unusable (as an IntegrityError would on PostgreSQL)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with django_assert_num_queries(1):
            first = queue_reset(alice)
        with django_assert_num_queries(2):
            again = queue_reset(alice)
        assert again.pk == first.pk and again.subject == first.subject
        assert OutboundMessage.objects.count() == 1  # the transaction still answers
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_delivering_twice_sends_once(alice):
    message = queue_reset(alice)
    assert outbox.deliver(message.pk) == OutboundMessage.Status.SENT
    assert outbox.deliver(message.pk) == OutboundMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_failures_are_retried_with_backoff_then_given_up(alice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_BACKOFF_SECONDS = 60
    message = queue_reset(alice)
    before = timezone.now()
    assert outbox.deliver(message.pk) == OutboundMessage.Status.PENDING
    message.refresh_from_db()
    assert message.attempts == 1
    assert "SMTP is down" in message.last_error
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=60)
    # not due yet: the periodic retry leaves it alone
    assert outbox.retry_due() == 0
    later = message.next_attempt_at + datetime.timedelta(seconds=1)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.retry_due(now=later) == 1  # the immediate backend delivered (and failed) again
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - timezone.now() > datetime.timedelta(seconds=100)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.retry_due()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == 3
    assert outbox.retry_due(now=later + datetime.timedelta(days=2)) == 0


def test_a_message_whose_first_delivery_was_lost_is_picked_up(alice):
    message = queue_reset(alice)  # in a test transaction: its on_commit enqueue never runs
    assert outbox.retry_due() == 0  # fresh: the worker may still be about to send it
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert outbox.retry_due() == 1
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT


def test_backoff_grows_and_is_capped(settings):
    settings.OUTBOX_BACKOFF_SECONDS = 60
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert outbox.backoff(50) == datetime.timedelta(days=1)


def test_mail_is_written_in_the_persons_language(alice):
    alice.language = "es"
    alice.save(update_fields=["language"])
    message = queue_reset(alice)
    english = outbox.queue(
        key="k2",
        to_email="x@example.org",
        language="en",
        template="people/email/password_reset",
        context={"person": alice, "uid": "MQ", "token": "abc-123"},
    )
    assert message.subject != english.subject


def test_a_message_waiting_for_its_retry_is_not_sent_early(alice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    message = queue_reset(alice)
    outbox.deliver(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.deliver(message.pk) == OutboundMessage.Status.PENDING  # a second worker
    message.refresh_from_db()
    assert message.attempts == 1
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_sending_holds_no_lock_so_other_writes_go_on_meanwhile(alice, monkeypatch):
    """While a message is with the mail server, the database is free: another connection locks
    the very row and writes (on SQLite a write lock on the whole file) before the send ends.
    With the send inside a transaction the writer waited for the mail server."""
    import threading

    from django.core.mail.backends import locmem
    from django.db import connections

    message = OutboundMessage.objects.create(
        key="slow-server", to_email=alice.email, subject="Hello", body_text="Hello."
    )
    wrote = threading.Event()
    outcome = {}

    def writer():
        try:
            with transaction.atomic():
                row = OutboundMessage.objects.select_for_update(nowait=True).get(pk=message.pk)
                OutboundMessage.objects.filter(pk=row.pk).update(last_error="looked at")
            outcome["wrote"] = True
        except Exception as exc:  # reported below
            outcome["error"] = exc
        finally:
            connections.close_all()
            wrote.set()

    send = locmem.EmailBackend.send_messages

    def send_while_another_writes(self, messages):
        thread = threading.Thread(target=writer)
        thread.start()
        outcome["during_send"] = wrote.wait(timeout=15)
        thread.join(timeout=30)
        return send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_while_another_writes)
    assert outbox.deliver(message.pk) == OutboundMessage.Status.SENT
    assert outcome.get("error") is None
    assert outcome == {"wrote": True, "during_send": True}
    assert len(mail.outbox) == 1

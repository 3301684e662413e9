"""Writing to the outbox and delivering from it.

`queue()` must be called inside the transaction of the change that causes the message: the row
commits with the change or not at all, and delivery is enqueued only after the commit.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from belong.notifications.models import OutboundMessage

log = logging.getLogger(__name__)


def private_key(key: str) -> str:
    """The stored key of a private message: a digest, so that the key (which often names the
    collective and the person) tells nothing, and stays the same for the same message."""
    return "private:" + hashlib.sha256(key.encode()).hexdigest()[:48]


def queue(
    *,
    key,
    to_email,
    template,
    context,
    person=None,
    language=None,
    ics="",
    ics_method="",
    private=False,
):
    """Render `<template>_subject.txt`, `.txt` and `.html` and store the message. A message whose
    key exists already is not queued again (a retried request sends one email): the row is
    inserted with the key's conflict ignored, one statement instead of a look-up and an insert
    (callers that expect to find the key, such as periodic reminders, check it first, so as not
    to render for nothing). A `private` message (its content would tell something private about
    its recipient) keeps a digest of its key, is shown to administrators by its delivery state
    only, and loses its subject and text once sent."""
    if private:
        key = private_key(key)
    language = language or (person.language if person is not None else settings.LANGUAGE_CODE)
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
        subject = render_subject(f"{template}_subject.txt", context)
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    message = OutboundMessage(
        key=key,
        person=person,
        to_email=to_email,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        ics=ics,
        ics_method=ics_method,
        private=private,
    )
    if not _insert_unless_key_exists(message):
        return OutboundMessage.objects.get(key=key)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def render_subject(template_name, context) -> str:
    """An email's subject is plain text, on one line: rendered without HTML escaping (a title
    with "<", "&" or quotes reads as written, never "&lt;"), its whitespace and line breaks
    made single spaces. The bodies are rendered as ever (the HTML part escaped)."""
    template = get_template(template_name).template
    return " ".join(template.render(Context(context, autoescape=False)).split())


def _insert_unless_key_exists(message) -> bool:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id (PostgreSQL and SQLite): True and
    `message.pk` set when the row was written, False when a row with its key exists (written
    before, or by a concurrent transaction that committed first). Unlike catching an
    IntegrityError, it leaves the surrounding transaction usable on PostgreSQL."""
    connection = connections[router.db_for_write(OutboundMessage)]
    if connection.vendor not in ("postgresql", "sqlite"):
        if OutboundMessage.objects.filter(key=message.key).exists():
            return False
        message.save(force_insert=True)
        return True
    meta = OutboundMessage._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    values = [field.get_db_prep_save(field.pre_save(message, True), connection) for field in fields]
    # Names from the model's own metadata, quoted; values as parameters.
    table, key, pk = (
        quote(meta.db_table),
        quote(meta.get_field("key").column),
        quote(meta.pk.column),
    )
    columns, marks = ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({key}) DO NOTHING RETURNING {pk}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    message.pk = row[0]
    message._state.adding = False
    message._state.db = connection.alias
    return True


def _enqueue(message_id):
    from belong.notifications.tasks import deliver_message

    deliver_message.enqueue(message_id)


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential: 1, 2, 4, ... base periods, capped at a day."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 24 * 60 * 60))


# How long a worker holds a message it is sending before another may try it (longer than the
# SMTP timeout, so a slow server never gives two workers the same message).
SENDING_LEASE = datetime.timedelta(minutes=5)


def deliver(message_id: int) -> str:
    """Send one message if it is still due. Returns its status afterwards. Safe to run twice,
    at once or in turn: a worker first claims the message in one short statement (counting the
    attempt and holding it for SENDING_LEASE), sends it with no transaction open (a slow mail
    server never holds a lock: on SQLite that lock would stop every other write), then records
    the outcome. A sent message is never sent again; one whose worker died mid-send is tried
    again once its lease has passed."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message_id, status=OutboundMessage.Status.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE)
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "missing"
    if not claimed:
        # Sent or failed already, a retry is scheduled, or another worker holds it now.
        return message.status
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.ics:
        method = message.ics_method or "REQUEST"
        email.attach("invite.ics", message.ics, f"text/calendar; method={method}")
    try:
        email.send()
    except Exception as exc:  # any transport error: keep the message, try again later
        log.warning("outbox: message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            message.status = OutboundMessage.Status.FAILED
        else:
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
    else:
        message.status = OutboundMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
    fields = ["status", "sent_at", "last_error", "next_attempt_at"]
    if message.private and message.status == OutboundMessage.Status.SENT:
        # Delivered: nothing of what it said stays behind.
        message.subject = message.body_text = message.body_html = message.ics = ""
        fields += ["subject", "body_text", "body_html", "ics"]
    message.save(update_fields=fields)
    return message.status


def retry_due(now=None) -> int:
    """Enqueue delivery of every pending message whose next attempt is due (runperiodic): those
    that failed before, and fresh ones whose first delivery never ran (a lost enqueue)."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=2)
    ids = list(
        OutboundMessage.objects.filter(
            Q(attempts__gt=0) | Q(created_at__lt=stale),
            status=OutboundMessage.Status.PENDING,
            next_attempt_at__lte=now,
        ).values_list("pk", flat=True)
    )
    for message_id in ids:
        _enqueue(message_id)
    return len(ids)

"""Every write about people. Each function is one domain verb, atomic, with the acting person
as a keyword argument; side effects (mail) go through the outbox and leave after commit."""

import datetime

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from belong.notifications import outbox
from belong.notifications.models import OutboundMessage
from belong.people.models import ApiToken, AuditEvent, Person


def audit(*, actor, verb, obj=None, **detail):
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )


@transaction.atomic
def update_profile(*, person: Person, form) -> Person:
    changed = list(form.changed_data)
    person = form.save()
    if changed:
        audit(actor=person, verb="profile.updated", obj=person, fields=changed)
    return person


RESETS_PER_HOUR = 3


@transaction.atomic
def request_password_reset(*, email: str) -> None:
    """What the reset page does, the same work whatever the address: it queues a task with the
    address and nothing more. Whether the address has an account is looked up by the task
    (`send_password_reset_by_email`), after the answer has left, so neither the page nor the
    time it takes tells who has an account."""
    from belong.people.tasks import send_password_reset_by_email as task

    transaction.on_commit(lambda: task.enqueue(email))


@transaction.atomic
def send_password_reset_by_email(*, email: str) -> int:
    """The task's half: a reset link to each active account with this address and a password
    of its own (Django's rule: not an inactive or erased account, not one that signs in only
    through the institution). Returns how many messages were queued."""
    return sum(
        queue_password_reset(person=person) is not None
        for person in PasswordResetForm().get_users(email)
    )


@transaction.atomic
def queue_password_reset(*, person: Person, context: dict | None = None):
    """The reset link is only valid until the password changes, so the key includes the token:
    asking twice sends two (different) links, a retried delivery sends one. At most
    RESETS_PER_HOUR links an hour, so the form cannot be used to flood someone's inbox; the page
    says the same either way (it never reveals whether an address has an account). `context`
    (uid and token) is made here when not given."""
    recent = OutboundMessage.objects.filter(
        person=person,
        key__startswith=f"password-reset:{person.pk}:",
        created_at__gte=timezone.now() - datetime.timedelta(hours=1),
    )
    if recent.count() >= RESETS_PER_HOUR:
        return None
    context = context or {
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    }
    return outbox.queue(
        key=f"password-reset:{person.pk}:{context['token']}",
        to_email=person.email,
        person=person,
        template="people/email/password_reset",
        context={
            "person": person,
            "uid": context["uid"],
            "token": context["token"],
        },
    )


@transaction.atomic
def create_token(*, person: Person, name: str) -> tuple[ApiToken, str]:
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        person=person,
        name=name.strip(),
        hint=secret[: len(ApiToken.PREFIX) + 4],
        digest=ApiToken.hash(secret),
    )
    audit(actor=person, verb="token.created", obj=token)
    return token, secret


@transaction.atomic
def revoke_token(*, person: Person, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=person, verb="token.revoked", obj=token)
    return token

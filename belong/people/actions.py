"""Every write about people. Each function is one domain verb, atomic, with the acting person
as a keyword argument; side effects (mail) go through the outbox and leave after commit."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from belong.lib.models import concrete_field
from belong.lib.refusals import Refusal
from belong.notifications import outbox
from belong.notifications.models import OutboundMessage
from belong.people import access
from belong.people import roles as role_names
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
    people = PasswordResetForm().get_users(email)
    if settings.LOCAL_PASSWORDS == "operators":
        # Passwords are for operators only: nobody else is sent a link to set one.
        people = (person for person in people if access.is_operator(person))
    return sum(queue_password_reset(person=person) is not None for person in people)


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
def sign_out_everywhere(*, person: Person) -> None:
    """Every session of `person` ends at its next request, this one too (the page signs this
    one out at once): the session epoch is part of each session's auth hash
    (Person.get_session_auth_hash). API tokens are not sessions: they are revoked one by one."""
    Person.objects.filter(pk=person.pk).update(session_epoch=F("session_epoch") + 1)
    person.refresh_from_db(fields=["session_epoch"])
    audit(actor=person, verb="sessions.ended", obj=person)


# --- leavers -------------------------------------------------------------------------------


def _left(person: Person, *, now) -> None:
    """What leaving the organisation does, beside `is_active`: every session ends, every API
    token is revoked, mail waiting to be sent to them is dropped, and each app's
    `personal.leave(person, now=)` runs (seats to come go to the waitlist, leader terms end, an
    active mentorship match is flagged to its coordinators). Their records stay until the
    retention rule or an erasure removes them."""
    from belong.people import personal_data

    Person.objects.filter(pk=person.pk).update(session_epoch=F("session_epoch") + 1)
    ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    for module in personal_data.sections():
        leave = getattr(module, "leave", None)
        if leave is not None:
            leave(person, now=now)
    # Last, so that what leaving itself wrote to them (a released seat's "registration
    # cancelled") is dropped with the rest: a leaver is sent nothing more.
    OutboundMessage.objects.filter(person=person, status=OutboundMessage.Status.PENDING).update(
        status=OutboundMessage.Status.FAILED,
        last_error="Not sent: the person has left the organisation.",
    )


@transaction.atomic
def mark_leaver(person_id, *, actor, now=None) -> Person:
    """The person has left (SCIM `active=false`, terminated in a roster file, or an operator):
    they can no longer sign in, and `_left` runs. An operator acts, or the installation
    (actor None: provisioning). Marking a leaver twice does nothing more."""
    if actor is not None and not access.is_operator(actor):
        raise PermissionDenied(_("Only operators mark people as having left."))
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person_id)
    if not person.is_active:
        return person
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit(actor=actor, verb="person.left", obj=person)
    _left(person, now=now)
    person.refresh_from_db()
    return person


@transaction.atomic
def reactivate(person_id, *, actor) -> Person:
    """A leaver is back: they may sign in again (new sessions, new tokens). What leaving
    released (seats, leader terms, a match) is not restored."""
    if actor is not None and not access.is_operator(actor):
        raise PermissionDenied(_("Only operators mark people as having left."))
    person = Person.objects.select_for_update().get(pk=person_id)
    if not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active"])
        audit(actor=actor, verb="person.reactivated", obj=person)
    return person


class TokenRefused(Refusal):
    """A token asked for with a lifetime or scopes that are not allowed (400, naming them)."""


@transaction.atomic
def create_token(
    *, person: Person, name: str, days: int | None = None, scopes=None
) -> tuple[ApiToken, str]:
    """A new personal access token of `person`: it lasts `days` (settings.API_TOKEN_DAYS unless
    given, at most settings.API_TOKEN_MAX_DAYS) and may do what `scopes` say (read and write
    unless given; one's self-identification only when asked for). Returns it and its secret,
    which is shown this once."""
    days = settings.API_TOKEN_DAYS if days is None else days
    limit = settings.API_TOKEN_MAX_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
        raise TokenRefused(
            _("A token lasts from 1 to %(limit)d days.") % {"limit": limit}, field="days"
        )
    scopes = list(ApiToken.Scope.values[:2] if scopes is None else scopes)
    if not scopes or any(scope not in ApiToken.Scope.values for scope in scopes):
        raise TokenRefused(
            _("Choose what the token may do: %(scopes)s.")
            % {"scopes": ", ".join(ApiToken.Scope.values)},
            field="scopes",
        )
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        person=person,
        name=name.strip(),
        hint=secret[: len(ApiToken.PREFIX) + 4],
        digest=ApiToken.hash(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        scopes=[scope for scope in ApiToken.Scope.values if scope in scopes],
    )
    audit(actor=person, verb="token.created", obj=token, days=days, scopes=token.scopes)
    return token, secret


@transaction.atomic
def revoke_token(*, person: Person, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=person, verb="token.revoked", obj=token)
    return token


# --- people changed by operators and DEI administrators (the admin) --------------------------

# What the person is told, per change (the audit log keeps the same in its verbs).
ACCESS_CHANGES = {
    ("is_staff", True): (
        "person.staff_granted",
        _("You may now use Belong's administration pages."),
    ),
    ("is_staff", False): (
        "person.staff_removed",
        _("You may no longer use Belong's administration pages."),
    ),
    ("is_superuser", True): (
        "person.superuser_granted",
        _("You are now an operator of Belong: you hold every permission."),
    ),
    ("is_superuser", False): (
        "person.superuser_removed",
        _("You are no longer an operator of Belong."),
    ),
    ("is_active", True): (
        "person.reactivated",
        _("Your account was reactivated: you may sign in again."),
    ),
    ("is_active", False): (
        "person.deactivated",
        _("Your account was deactivated: you can no longer sign in."),
    ),
}


def _value_id(field, value):
    if field.is_relation:
        return value.pk if value is not None else None
    return value


def _role_label(name):
    return str(role_names.ROLES.get(name, name))


@transaction.atomic
def save_person(*, actor, person_id=None, values: dict, groups=None) -> Person:
    """An operator or a DEI administrator adds a person (`person_id` None) or changes one.
    `values` maps field names to their new values, `groups` (None: unchanged) the roles the
    person should hold. Who may change what is decided again here
    (access.editable_person_fields), whatever form asked: a change to anything else is refused
    whole. No password is ever set here: a new person gets one nobody knows, and chooses their
    own through the reset email. Every change is written to the audit log, and the person is
    told by email (at both addresses when the address changed)."""
    adding = person_id is None
    person = Person() if adding else Person.objects.select_for_update().get(pk=person_id)
    allowed = set(access.editable_person_fields(actor, None if adding else person))
    if not allowed:
        raise PermissionDenied
    before = {} if adding else {f.name: getattr(person, f.attname) for f in Person._meta.fields}
    changed = []
    for name, value in values.items():
        field = Person._meta.get_field(name)
        if name == "email":
            value = value.strip().lower()
        if adding or _value_id(field, value) != before[name]:
            changed.append(name)
            setattr(person, name, value)
    held = set() if adding else set(person.groups.values_list("name", flat=True))
    wanted = held if groups is None else {group.name for group in groups}
    if wanted != held:
        changed.append("groups")
    if set(changed) - allowed:
        raise PermissionDenied
    if not changed:
        return person

    events: list[AuditEvent] = []
    told: list[str | Promise] = []
    if adding:
        person.set_password(secrets.token_urlsafe(32))  # a password nobody knows
        person.save()
        events.append(audit(actor=actor, verb="person.created", obj=person, fields=changed))
        told.append(_("An account was made for you."))
    else:
        person.save(update_fields=[name for name in changed if name != "groups"])
        if "is_active" in changed and not person.is_active:
            _left(person, now=timezone.now())
        for name in ("is_active", "is_staff", "is_superuser"):
            if name in changed:
                verb, line = ACCESS_CHANGES[(name, getattr(person, name))]
                events.append(audit(actor=actor, verb=verb, obj=person))
                told.append(line)
        if "email" in changed:
            events.append(
                audit(actor=actor, verb="person.email_changed", obj=person, before=before["email"])
            )
            told.append(
                _("Your email address was changed from %(before)s to %(after)s.")
                % {"before": before["email"], "after": person.email}
            )
        details = [name for name in changed if name not in access.ACCESS_FIELDS + ("email",)]
        if details:
            events.append(audit(actor=actor, verb="person.updated", obj=person, fields=details))
            told.append(
                _("These details of your profile were changed: %(fields)s.")
                % {
                    "fields": ", ".join(
                        str(concrete_field(Person, name).verbose_name) for name in details
                    )
                }
            )
    if "groups" in changed:
        person.groups.set(Group.objects.filter(name__in=wanted))
        person.__dict__.pop("_role_cache", None)
        for name in sorted(wanted - held):
            events.append(audit(actor=actor, verb="person.role_granted", obj=person, role=name))
            told.append(_("You were given the role: %(role)s.") % {"role": _role_label(name)})
        for name in sorted(held - wanted):
            events.append(audit(actor=actor, verb="person.role_removed", obj=person, role=name))
            told.append(
                _("This role was removed from you: %(role)s.") % {"role": _role_label(name)}
            )
    old_address = before["email"] if "email" in changed and not adding else None
    tell_about_account(person, told, key=f"account:{person.pk}:{events[0].pk}", also=old_address)
    return person


def tell_about_account(person, changes, *, key, also=None):
    """Email the person (after commit, through the outbox) what an administrator changed in
    their account or roles: every grant is told to the person it names (DESIGN.md)."""
    if person.is_erased or not changes:
        return
    context = {"person": person, "changes": [str(line) for line in changes]}
    for index, address in enumerate([person.email, also] if also else [person.email]):
        outbox.queue(
            key=f"{key}:{index}",
            to_email=address,
            person=person,
            template="people/email/account_changed",
            context=context,
        )


@transaction.atomic
def send_password_reset(*, actor, person: Person):
    """An operator or DEI administrator sends a person the reset email (to the person's own
    address: the link is theirs alone). False when the account cannot have a password (erased or
    inactive) or the hourly limit is reached."""
    if not access.can_send_password_reset(actor):
        raise PermissionDenied
    if not person.is_active or person.is_erased or not person.has_usable_password():
        return False
    if queue_password_reset(person=person) is None:
        return False
    audit(actor=actor, verb="person.password_reset_sent", obj=person)
    return True

"""The writes SCIM makes, each one transaction as the installation (actor None): a refused
request changes nothing. Facts go through `belong.people.directory.apply`, leavers through
`belong.people.actions.mark_leaver` and `reactivate`; each change is audited with the token's
name and the attributes it changed (never their values)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from belong.people import access, directory
from belong.people.actions import audit, mark_leaver, reactivate
from belong.people.models import ExternalIdentity, Person
from belong.people.scim.errors import ScimError
from belong.people.scim.users import (
    EXTERNAL_ID_ISSUER,
    FACT_ATTRIBUTES,
    USER_NAME_ISSUER,
    State,
    apply_patch,
    facts_from,
    identities,
    invalid,
    state_from_person,
)


def refused(error: directory.DirectoryRefused) -> ScimError:
    attribute = FACT_ATTRIBUTES.get(error.field or "", error.field or "body")
    if error.status == 409:
        return ScimError(409, f"{attribute}: {error.message}", "uniqueness")
    return ScimError(400, f"{attribute}: {error.message}", "invalidValue")


def _claim(person, issuer, subject, attribute) -> bool:
    """Keep `subject` as the person's identity at `issuer` (None: forget it); refused 409
    when another person has it. Whether anything changed."""
    kept = ExternalIdentity.objects.filter(person=person, issuer=issuer)
    if subject is None:
        return kept.delete()[0] > 0
    lookup = "subject__iexact" if issuer == USER_NAME_ISSUER else "subject"
    others = ExternalIdentity.objects.filter(issuer=issuer, **{lookup: subject}).exclude(
        person=person
    )
    if others.exists():
        raise invalid(
            attribute,
            _("another person already has this %(attribute)s.") % {"attribute": attribute},
            "uniqueness",
            status=409,
        )
    current = kept.first()
    if current is None:
        ExternalIdentity.objects.create(person=person, issuer=issuer, subject=subject)
        return True
    if current.subject != subject:
        current.subject = subject
        current.save(update_fields=["subject"])
        return True
    return False


def _write(person: Person, state: State, *, creating: bool, token) -> Person:
    facts = facts_from(state, creating=creating)
    if (
        person.pk
        and (person.is_superuser or person.is_staff or directory.guarded(person))
        and facts.email is not None
        and facts.email.strip().lower() != person.email.lower()
    ):
        # A password reset goes to the address: moving an operator's (or an admin access
        # account's) would hand the account to whoever holds the new one.
        raise invalid(
            "emails",
            _("this is an operator's account: its address is changed by an operator in Belong."),
            "mutability",
        )
    try:
        changes = directory.apply(person, facts, source=Person.Source.SCIM)
    except directory.DirectoryRefused as error:
        raise refused(error) from None
    changed = [field for field, _before, _after in changes]
    for attribute, issuer in (("userName", USER_NAME_ISSUER), ("externalId", EXTERNAL_ID_ISSUER)):
        if attribute in state.touched:
            value = state.values.get(attribute)
            if _claim(person, issuer, value.strip() if value else None, attribute):
                changed.append(attribute)
    if creating or changed:
        audit(
            actor=None,
            verb="scim.user_created" if creating else "scim.user_updated",
            obj=person,
            fields=sorted(set(changed)),
            token=token.name if token else "",
        )
    active = state.values.get("active")
    if "active" in state.touched and active is not None and active != person.is_active:
        person = (mark_leaver if not active else reactivate)(person.pk, actor=None)
    return person


def _atomic(function):
    def run(*args, **kwargs):
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except IntegrityError:
            # Two requests claimed the same address, employee id or identity at once.
            raise ScimError(
                409, _("userName: another person already has one of these values."), "uniqueness"
            ) from None

    return run


@_atomic
def create(state: State, *, token) -> Person:
    """A new person; or, when the address belongs to a person SCIM does not keep yet (an
    account made before provisioning, or one a DELETE let go), that person."""
    from belong.people.scim.users import _primary_email

    email = _primary_email(state)
    person = None
    if email:
        person = Person.objects.select_for_update().filter(email=email.strip().lower()).first()
    if person is not None:
        if identities(person).get(USER_NAME_ISSUER) is not None:
            raise invalid(
                "emails",
                _("another person already has this email address."),
                "uniqueness",
                status=409,
            )
        if (
            person.is_superuser
            or person.is_staff
            or access.is_operator(person)
            or directory.guarded(person)
            or person.is_erased
        ):
            raise invalid(
                "emails",
                _("this address is an operator's account, which provisioning does not keep."),
                "uniqueness",
                status=409,
            )
        if not person.is_active and person.directory_source != Person.Source.SCIM:
            # Switched off by an operator (or a roster): not SCIM's to switch on again.
            raise invalid(
                "emails",
                _("this address is an account that is switched off; an operator decides."),
                "uniqueness",
                status=409,
            )
        # The person may have been deactivated by a DELETE: "active" absent means active.
        if "active" not in state.touched:
            state.set("active", True)
    else:
        person = Person()
    return _write(person, state, creating=True, token=token)


@_atomic
def replace(person_id, state: State, *, token, check=None) -> Person:
    person = Person.objects.select_for_update().get(pk=person_id)
    if check:
        check(person)
    return _write(person, state, creating=False, token=token)


@_atomic
def patch(person_id, body, *, token, check=None) -> Person:
    person = Person.objects.select_for_update().get(pk=person_id)
    if check:
        check(person)
    state = state_from_person(person)
    apply_patch(state, body)
    return _write(person, state, creating=False, token=token)


@_atomic
def delete(person_id, *, token, check=None) -> None:
    """DELETE: the person has left (mark_leaver) and SCIM lets them go (their SCIM identities
    are forgotten, so the resource is gone: 404); every record stays."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if check:
        check(person)
    mark_leaver(person.pk, actor=None)
    ExternalIdentity.objects.filter(
        person=person, issuer__in=[USER_NAME_ISSUER, EXTERNAL_ID_ISSUER]
    ).delete()
    audit(actor=None, verb="scim.user_deleted", obj=person, token=token.name if token else "")

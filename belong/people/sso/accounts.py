"""Who a single sign-on is: found by issuer + subject, else linked or created (just in time),
then updated from the provider's claims. Shared by OpenID Connect and Shibboleth."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.lib.refusals import Refusal
from belong.people import directory
from belong.people.models import ExternalIdentity, Person

# Who keeps a record that SSO claims may not change: HR keeps it (SCIM or a roster file).
KEPT_BY_HR = {Person.Source.SCIM, Person.Source.ROSTER}


class SsoRefused(Refusal):
    """A sign-in through the identity provider that Belong does not accept (403)."""

    status = 403
    code = "sso_refused"


def _values(value) -> list[str]:
    """A claim as a list of strings: a list, or one string split at ";" or "," (SAML headers
    join several values with ";")."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    for separator in (";", ","):
        if separator in text:
            return [part.strip() for part in text.split(separator) if part.strip()]
    return [text.strip()] if text.strip() else []


# eduPersonAffiliation's catch-alls: they say less than faculty, student or staff beside them.
GENERIC_AFFILIATIONS = {"member", "employee", "affiliate"}


def kind_of(affiliations) -> str | None:
    """The kind of the most telling affiliation Belong knows (eduPersonAffiliation is several:
    "member; faculty" is faculty), else None: affiliations Belong does not know leave the kind
    as it is."""
    values = _values(affiliations)
    ordered = [v for v in values if v.lower() not in GENERIC_AFFILIATIONS] + [
        v for v in values if v.lower() in GENERIC_AFFILIATIONS
    ]
    for value in ordered:
        try:
            return directory.kind_from(value)
        except directory.DirectoryRefused:
            continue
    return None


def facts_from(claims: dict) -> directory.Facts:
    """Belong's facts from claims already renamed to Belong's names (email, given_name,
    family_name, name, employee_id, affiliation, org_unit)."""

    def first(name):
        values = _values(claims.get(name))
        return values[0] if values else None

    full_name = first("name")
    if not full_name:
        parts = [first("given_name"), first("family_name")]
        full_name = " ".join(p for p in parts if p) or None
    return directory.Facts(
        email=first("email"),
        full_name=full_name,
        employee_id=first("employee_id"),
        kind=kind_of(claims.get("affiliation")),
        org_unit_path=first("org_unit"),
    )


def _apply(person: Person, facts: directory.Facts) -> None:
    if person.directory_source in KEPT_BY_HR:
        return  # HR keeps this record: the provider's claims do not change it
    try:
        directory.apply(person, facts, source=Person.Source.SSO)
    except directory.DirectoryRefused as refused:
        raise SsoRefused(
            _("%(name)s sent something Belong cannot use (%(field)s): %(message)s")
            % {"name": settings.SSO_NAME, "field": refused.field, "message": refused.message},
            field=refused.field,
        ) from None


def may_link_by_email(person: Person, email_verified: bool) -> bool:
    """Whether a first sign-in with `person`'s address may become `person`: only a verified
    address, and then when the setting allows it, or when HR made the account (SCIM or a roster
    file) and nobody holds a password for it: the institution's provider is then the only way
    in, so nobody's own account is taken over."""
    if not email_verified or directory.guarded(person):
        return False
    if settings.OIDC_LINK_BY_EMAIL:
        return True
    return person.directory_source in KEPT_BY_HR and not person.has_usable_password()


@transaction.atomic
def person_for(*, issuer: str, subject: str, claims: dict, email_verified: bool) -> Person:
    """The person this provider's subject is, created on a first sign-in and updated from the
    claims at each. A first sign-in becomes the person HR gave the same employee id, else the
    person with the address when `may_link_by_email`. Refused (nothing changed) when the
    account is not active, when the address belongs to an account that may not be linked, or
    when a claim cannot be used."""
    from belong.people.actions import audit

    if not issuer or not subject:
        raise SsoRefused(_("The identity provider did not say who you are."))
    facts = facts_from(claims)
    known = (
        ExternalIdentity.objects.select_for_update()
        .select_related("person")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if known is not None:
        person = known.person
        if not person.is_active:
            raise SsoRefused(_("This account is not active. Ask your DEI office for help."))
        _apply(person, facts)
    else:
        if not facts.email:
            raise SsoRefused(
                _("%(name)s did not send an email address.") % {"name": settings.SSO_NAME},
                field="email",
            )
        existing = None
        if facts.employee_id:
            existing = Person.objects.filter(employee_id=facts.employee_id.strip()).first()
        by_employee_id = existing is not None
        if existing is None:
            existing = Person.objects.filter(email=facts.email.strip().lower()).first()
        if existing is not None:
            # An account with a staff role that someone holds a working password for (and so a
            # second step) is never handed to the provider's say-so (directory.guarded).
            held = directory.guarded(existing)
            same_address = existing.email.lower() == facts.email.strip().lower()
            if not (
                (by_employee_id and not held)
                or (same_address and may_link_by_email(existing, email_verified))
            ):
                raise SsoRefused(
                    _(
                        "A Belong account with this email address already exists and is not "
                        "linked to %(name)s. Sign in with your password, or ask an operator."
                    )
                    % {"name": settings.SSO_NAME},
                    field="email",
                )
            if not existing.is_active:
                raise SsoRefused(_("This account is not active. Ask your DEI office for help."))
            person = existing
            _apply(person, facts)
            verb = "sso.linked"
        else:
            person = Person(email="")
            _apply(person, facts)
            verb = "sso.created"
        known = ExternalIdentity.objects.create(person=person, issuer=issuer, subject=subject)
        audit(actor=None, verb=verb, obj=person, issuer=issuer)
    known.last_sign_in_at = timezone.now()
    known.save(update_fields=["last_sign_in_at"])
    return person

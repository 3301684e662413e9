"""The account's part of a person's download (belong.people.personal_data)."""

from belong.people import identity, privacy
from belong.people.mfa import rules as two_step
from belong.people.models import ApiToken, AuditEvent, Consent, ExternalIdentity
from belong.people.personal_data import EXPORTED

SECTION = "account"

FIELDS = {
    "people.ApiToken.person": EXPORTED + " (never the token's secret nor its digest)",
    "people.AuditEvent.actor": EXPORTED + " (what the person did and when, not the details)",
    "people.SelfIdentification.person": EXPORTED,
    "people.Consent.person": EXPORTED,
    "people.ExternalIdentity.person": EXPORTED,
}


def _name(unit):
    return unit.name if unit is not None else ""


def export(person) -> dict:
    tokens = ApiToken.objects.filter(person=person).order_by("created_at", "pk")
    consents = Consent.objects.filter(person=person).order_by("given_at", "pk")
    actions = AuditEvent.objects.filter(actor=person).order_by("at", "pk")
    external = ExternalIdentity.objects.filter(person=person).order_by("created_at", "pk")
    answers = privacy.answers_of(person)
    return {
        "profile": {
            "email": person.email,
            "full_name": person.full_name,
            "preferred_name": person.preferred_name,
            "pronouns": person.pronouns,
            "name_pronunciation": person.name_pronunciation,
            "credentials": person.credentials,
            "kind": person.kind,
            "department_or_program": _name(person.org_unit),
            "campus": _name(person.campus),
            "language": person.language,
            "email_announcements": person.email_announcements,
            "joined": person.date_joined,
            "last_sign_in": person.last_login,
            "roles": sorted(person.groups.values_list("name", flat=True)),
            "employee_id": person.employee_id or "",
            "kept_by": person.directory_source,
            "hr_status": person.hr_status,
            "hired_on": person.hired_on,
            "terminated_on": person.terminated_on,
            "pgy_year": person.pgy_year,
        },
        "sign_in_providers": [
            {
                "issuer": e.issuer,
                "subject": e.subject,
                "linked": e.created_at,
                "last_sign_in": e.last_sign_in_at,
            }
            for e in external
        ],
        "self_identification": {
            "answers": answers,
            "in_words": identity.labelled(answers),
        },
        "consents": [
            {"use": c.purpose, "given": c.given_at, "revoked": c.revoked_at} for c in consents
        ],
        # Whether two-step sign-in is on, never its secret nor the recovery codes.
        "two_step_sign_in": two_step.for_download(person),
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.hint,
                "created": t.created_at,
                "last_used": t.last_used_at,
                "revoked": t.revoked_at,
                "expires": t.expires_at,
                "scopes": list(t.scopes),
            }
            for t in tokens
        ],
        "actions": [
            {"what": a.verb, "on": f"{a.object_type}:{a.object_id}".strip(":"), "at": a.at}
            for a in actions
        ],
    }


ERASE_LAST = 2  # the account itself goes last: the other apps still need its address


def erase(person, *, now) -> None:
    """The account keeps only a row that names no one: the answers, consents, tokens and the
    identity providers' subjects go, every field that says who the person was is emptied, and
    it can no longer sign in."""
    from belong.people.models import Person, SelfIdentification

    SelfIdentification.objects.filter(person=person).delete()
    Consent.objects.filter(person=person).delete()
    ApiToken.objects.filter(person=person).delete()
    ExternalIdentity.objects.filter(person=person).delete()
    two_step.erase(person)
    person.groups.clear()
    person.user_permissions.clear()
    person.email = f"erased-{person.pk}@{Person.ERASED_DOMAIN}"
    for name in ("full_name", "preferred_name", "pronouns", "name_pronunciation", "credentials"):
        setattr(person, name, "")
    person.org_unit = person.campus = None
    person.employee_id = None
    person.hr_status = person.directory_source = ""
    person.hired_on = person.terminated_on = person.pgy_year = None
    person.is_active = person.is_staff = person.is_superuser = False
    person.email_announcements = False
    person.set_unusable_password()
    person.save()

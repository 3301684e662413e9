"""What the institution says about a person, applied in one place (issue 16).

Single sign-on claims (OpenID Connect, SAML attributes through Shibboleth), SCIM provisioning
and HR roster files all describe a person with the same facts: an email address, names, an
employee id, a kind (affiliation), an org unit (a path "Institution > Campus > Department >
Program"), a PGY year, an HR status and its dates. Each source parses its own format into
`Facts` and calls `apply`: the same mapping, the same checks, the same record of what changed.

A value that cannot be used is a `DirectoryRefused` naming the fact (its `field`) and what is
allowed; nothing is changed by a refused `apply`.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from belong.lib.refusals import Refusal
from belong.people import roles
from belong.people.models import OrgUnit, Person

PATH_SEPARATOR = ">"
# Depth in a path -> the kind of a unit created there ("Institution > Campus > Department >
# Program"). A unit that exists already keeps its kind; one is found by name under its parent.
PATH_KINDS = (
    OrgUnit.Kind.INSTITUTION,
    OrgUnit.Kind.CAMPUS,
    OrgUnit.Kind.DEPARTMENT,
    OrgUnit.Kind.PROGRAM,
)
MAX_PGY_YEAR = 10
MAX_UNIT_NAME = 200  # OrgUnit.name's max_length

# Affiliations as identity providers and HR systems spell them (eduPersonAffiliation, Entra's
# employeeType, a roster's "kind" column) -> Belong's kinds. Case and spaces do not matter.
KIND_ALIASES = {
    **{kind.value: kind for kind in Person.Kind},
    "employee": Person.Kind.STAFF,
    "member": Person.Kind.STAFF,
    "affiliate": Person.Kind.COMMUNITY,
    "community member": Person.Kind.COMMUNITY,
    "resident physician": Person.Kind.RESIDENT,
    "house staff": Person.Kind.RESIDENT,
    "housestaff": Person.Kind.RESIDENT,
    "intern": Person.Kind.RESIDENT,
    "clinical fellow": Person.Kind.FELLOW,
    "learner": Person.Kind.STUDENT,
}


class DirectoryRefused(Refusal):
    """A fact from the institution that Belong cannot use (400, naming the fact)."""

    code = "directory_refused"


@dataclasses.dataclass
class Facts:
    """What a source says; None means "this source says nothing about it" (left as it is)."""

    email: str | None = None
    full_name: str | None = None
    preferred_name: str | None = None
    employee_id: str | None = None
    kind: str | None = None
    org_unit_path: str | None = None
    pgy_year: int | str | None = None
    hr_status: str | None = None
    hired_on: datetime.date | None = None
    terminated_on: datetime.date | None = None


def kind_from(value: str) -> str:
    """Belong's kind for an affiliation; refused, naming "kind" and what is allowed."""
    key = " ".join(str(value).split()).lower()
    if key in KIND_ALIASES:
        return KIND_ALIASES[key].value
    allowed = ", ".join(sorted(KIND_ALIASES))
    raise DirectoryRefused(
        _("“%(value)s” is not a kind Belong knows. Allowed: %(allowed)s.")
        % {"value": value, "allowed": allowed},
        field="kind",
    )


def pgy_from(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip().upper().removeprefix("PGY").strip(" -"))
    except ValueError:
        year = 0
    if not 1 <= year <= MAX_PGY_YEAR:
        raise DirectoryRefused(
            _("The PGY year must be a whole number from 1 to %(most)s (or PGY-1 ...).")
            % {"most": MAX_PGY_YEAR},
            field="pgy_year",
        )
    return year


def path_parts(path: str) -> list[str]:
    """The names of a path, refused when empty, too deep or with an empty step."""
    parts = [" ".join(p.split()) for p in str(path).split(PATH_SEPARATOR)]
    if not parts or any(not p for p in parts) or len(parts) > len(PATH_KINDS):
        raise DirectoryRefused(
            _(
                "An org unit is a path of 1 to %(most)s names separated by “>”, for example "
                "“Institution > Campus > Department > Program”."
            )
            % {"most": len(PATH_KINDS)},
            field="org_unit",
        )
    if any(len(p) > MAX_UNIT_NAME for p in parts):
        raise DirectoryRefused(_("An org unit's name is at most 200 characters."), field="org_unit")
    return parts


def _unique_slug(parts: list[str]) -> str:
    base = slugify("-".join(parts))[:70] or "unit"
    slug, n = base, 2
    while OrgUnit.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def org_unit_from_path(path: str, *, create: bool = True) -> tuple[OrgUnit | None, list[str]]:
    """The unit a path names, and the paths of the units created on the way (none when
    `create` is false: then a missing unit is returned as None, with the path it would
    create, for a dry run)."""
    parts = path_parts(path)
    parent: OrgUnit | None = None
    created: list[str] = []
    for depth, name in enumerate(parts):
        unit = OrgUnit.objects.filter(parent=parent, name__iexact=name).order_by("pk").first()
        if unit is None:
            label = " > ".join(parts[: depth + 1])
            created.append(label)
            if not create:
                return None, [" > ".join(parts[: i + 1]) for i in range(depth, len(parts))]
            unit = OrgUnit.objects.create(
                name=name,
                kind=PATH_KINDS[depth],
                parent=parent,
                slug=_unique_slug(parts[: depth + 1]),
            )
        parent = unit
    return parent, created


def campus_of(unit: OrgUnit | None) -> OrgUnit | None:
    node = unit
    while node is not None:
        if node.kind == OrgUnit.Kind.CAMPUS:
            return node
        node = node.parent
    return None


def _clean_email(value: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = str(value).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DirectoryRefused(
            _("“%(value)s” is not an email address.") % {"value": value}, field="email"
        ) from None
    return email


def _text(value, field: str, limit: int) -> str:
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise DirectoryRefused(
            _("%(field)s is at most %(limit)s characters.") % {"field": field, "limit": limit},
            field=field,
        )
    return text


def cleaned(facts: Facts) -> dict:
    """The facts as Belong's field values (org unit as its path), each checked; refused at the
    first that cannot be used."""
    values: dict = {}
    if facts.email is not None:
        values["email"] = _clean_email(facts.email)
    if facts.full_name is not None:
        values["full_name"] = _text(facts.full_name, "full_name", 200)
    if facts.preferred_name is not None:
        values["preferred_name"] = _text(facts.preferred_name, "preferred_name", 120)
    if facts.employee_id is not None:
        values["employee_id"] = _text(facts.employee_id, "employee_id", 64) or None
    if facts.kind is not None:
        values["kind"] = kind_from(facts.kind)
    if facts.org_unit_path is not None:
        if str(facts.org_unit_path).strip():
            path_parts(facts.org_unit_path)
            values["org_unit_path"] = facts.org_unit_path
        else:
            values["org_unit_path"] = ""  # no org unit (nor campus) any more
    if facts.pgy_year is not None:
        values["pgy_year"] = pgy_from(facts.pgy_year)
    if facts.hr_status is not None:
        status = str(facts.hr_status).strip().lower()
        if status not in Person.HrStatus.values or not status:
            raise DirectoryRefused(
                _("The status must be one of: active, leave, terminated."), field="hr_status"
            )
        values["hr_status"] = status
    for name in ("hired_on", "terminated_on"):
        value = getattr(facts, name)
        if value is not None:
            values[name] = value
    return values


def guarded(person: Person) -> bool:
    """Whether handing this account to someone else would hand over a staff role: it has one
    (an organisation role, admin access, operator, a collective's leader) and a password that
    signs in (BELONG_LOCAL_PASSWORDS may turn passwords off for everyone but operators). SCIM
    never moves such an account's address nor adopts it, and single sign-on never links it:
    its password (and second step) stays the way in."""
    from belong.people import sessions

    if not person.pk or not person.has_usable_password():
        return False
    if settings.LOCAL_PASSWORDS == "operators" and not person.is_superuser:
        return False
    if person.is_superuser or person.is_staff:
        return True
    # An account switched off still counts by its roles (it may be switched on again).
    return sessions.holds_staff_role(person) or person.groups.filter(name__in=roles.ROLES).exists()


def _taken(field: str, value, person: Person | None) -> bool:
    # Exact: addresses are kept in lower case (cleaned so), and an exact match uses the unique
    # index (iexact is UPPER(...) = UPPER(...) on PostgreSQL: a scan per person imported).
    others = Person.objects.filter(**{field: value})
    if person is not None and person.pk:
        others = others.exclude(pk=person.pk)
    return others.exists()


@transaction.atomic
def apply(person: Person, facts: Facts, *, source: str, save: bool = True) -> list[tuple]:
    """Set what `facts` say on `person` (a new, unsaved Person is created), marking the record
    as kept by `source` (Person.Source). Returns the changes as (field, before, after), the org
    unit and campus by path. Refused, changing nothing, when a fact cannot be used or another
    person has the email address or employee id."""
    values = cleaned(facts)
    for field in ("email", "employee_id"):
        if values.get(field) and _taken(field, values[field], person):
            raise DirectoryRefused(
                _("Another person already has this %(field)s.")
                % {"field": _("email address") if field == "email" else _("employee id")},
                field=field,
                status=409,
            )
    changes: list[tuple] = []
    path = values.pop("org_unit_path", None)
    if path == "":
        for name in ("org_unit", "campus"):
            if getattr(person, f"{name}_id"):
                changes.append((name, path_of(getattr(person, name)), ""))
                setattr(person, name, None)
    elif path is not None:
        unit, _created = org_unit_from_path(path, create=save)
        campus = campus_of(unit)
        for name, new in (("org_unit", unit), ("campus", campus)):
            old = getattr(person, name) if getattr(person, f"{name}_id") else None
            if unit is None or old != new:
                changes.append((name, path_of(old), path if name == "org_unit" else path_of(new)))
                if unit is not None:
                    setattr(person, name, new)
    for name, new in values.items():
        old = getattr(person, name)
        if old != new:
            changes.append((name, old, new))
            setattr(person, name, new)
    if person.directory_source != source:
        changes.append(("directory_source", person.directory_source, source))
        person.directory_source = source
    if save:
        if person.pk is None:
            person.set_unusable_password()
        person.save()
    return changes


def path_of(unit: OrgUnit | None) -> str:
    """A unit as its path ("Institution > Campus > Department"), "" for none."""
    if unit is None:
        return ""
    return " > ".join([u.name for u in unit.ancestors()] + [unit.name])

"""A Person as a SCIM User, and a SCIM payload (POST, PUT) or PATCH operations as the facts
`belong.people.directory` checks and applies.

What Belong keeps of a User (docs/provisioning.md has the table):

- userName: an ExternalIdentity (issuer ``scim:userName``), unique, found case-insensitively;
- externalId: an ExternalIdentity (issuer ``scim``);
- emails (the primary, else the first; or userName when it is an address): the email address;
- name.formatted, else name.givenName and name.familyName joined, else displayName: the full
  name (given and family names are given back split at the last space);
- active: false marks a leaver, true reactivates;
- userType: the kind (directory.kind_from, with its aliases);
- the enterprise extension's employeeNumber: the employee id; department: the org unit path.

Other attributes of the standard User (title, phoneNumbers, addresses...) and of the
enterprise extension (organization, manager...) are accepted and not kept; anything else is
refused, naming it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from belong.lib import storable
from belong.people import directory
from belong.people.models import ExternalIdentity, OrgUnit, Person
from belong.people.scim.discovery import ENTERPRISE_SCHEMA, PATCH_SCHEMA, USER_SCHEMA
from belong.people.scim.errors import ScimError

# The issuers of the identities SCIM keeps (ExternalIdentity.issuer).
EXTERNAL_ID_ISSUER = "scim"
USER_NAME_ISSUER = "scim:userName"
MAX_IDENTITY = ExternalIdentity._meta.get_field("subject").max_length

# Canonical names, found case-insensitively (RFC 7643 §2.1).
CORE = ["userName", "externalId", "name", "displayName", "emails", "active", "userType"]
ENTERPRISE = ["employeeNumber", "department"]
NAME_PARTS = ["formatted", "givenName", "familyName"]
EMAIL_PARTS = ["value", "type", "primary", "display"]
# Accepted and not kept.
IGNORED_CORE = {
    name.lower()
    for name in (
        "nickName profileUrl title preferredLanguage locale timezone password phoneNumbers ims "
        "photos addresses groups entitlements roles x509Certificates"
    ).split()
}
IGNORED_ENTERPRISE = {"organization", "division", "costcenter", "manager"}
IGNORED_NAME = {"middlename", "honorificprefix", "honorificsuffix"}
READ_ONLY = {"id", "meta", "schemas"}

_CORE = {name.lower(): name for name in CORE}
_ENTERPRISE = {name.lower(): name for name in ENTERPRISE}
_NAME = {name.lower(): name for name in NAME_PARTS}
_EMAIL = {name.lower(): name for name in EMAIL_PARTS}

# Which SCIM attribute a directory fact is (a DirectoryRefused names the fact).
FACT_ATTRIBUTES = {
    "email": "emails",
    "full_name": "name",
    "employee_id": f"{ENTERPRISE_SCHEMA}:employeeNumber",
    "kind": "userType",
    "org_unit": f"{ENTERPRISE_SCHEMA}:department",
}


def invalid(attribute, message, scim_type="invalidValue", status=400):
    return ScimError(status, f"{attribute}: {message}", scim_type)


@dataclasses.dataclass
class State:
    """A User's attributes as Belong keeps them, and which a request touched."""

    values: dict = dataclasses.field(default_factory=dict)
    touched: set = dataclasses.field(default_factory=set)

    def set(self, name, value):
        self.values[name] = value
        self.touched.add(name)


# -- reading values -------------------------------------------------------------------------


def _string(attribute, value, limit=None):
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(attribute, _("must be a string."))
    if limit is not None and len(value) > limit:
        raise invalid(
            attribute, _("is at most %(limit)s characters.") % {"limit": limit}, "invalidValue"
        )
    return value


def _boolean(attribute, value):
    # Entra has sent booleans as the strings "True" and "False".
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid(attribute, _("must be true or false."))


def _name(value, current=None):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid("name", _("must be an object (formatted, givenName, familyName)."))
    name = dict(current or {})
    for key, part in value.items():
        canonical = _NAME.get(str(key).lower())
        if canonical is None:
            if str(key).lower() in IGNORED_NAME:
                continue
            raise invalid(f"name.{key}", _("is not an attribute of a name."), "invalidPath")
        name[canonical] = _string(f"name.{canonical}", part, 200)
    return name


def _email(value, attribute="emails"):
    if not isinstance(value, dict):
        raise invalid(attribute, _("each address must be an object with a value."))
    email = {}
    for key, part in value.items():
        canonical = _EMAIL.get(str(key).lower())
        if canonical is None:
            raise invalid(f"{attribute}.{key}", _("is not an attribute of an email."))
        if canonical == "primary":
            email["primary"] = _boolean(f"{attribute}.primary", part)
        else:
            email[canonical] = _string(f"{attribute}.{canonical}", part, 254)
    return email


def _emails(value):
    if value is None:
        return None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid("emails", _("must be a list of addresses."))
    if len(value) > 20:
        raise invalid("emails", _("has too many addresses."))
    return [_email(item) for item in value]


def read_value(name, value, current=None):
    """`value` checked for the canonical attribute `name`."""
    if name == "active":
        return None if value is None else _boolean(name, value)
    if name == "name":
        return _name(value, current)
    if name == "emails":
        return _emails(value)
    if name in ("userName", "externalId"):
        return _string(name, value, MAX_IDENTITY)
    if name == "employeeNumber":
        return _string(f"{ENTERPRISE_SCHEMA}:employeeNumber", value, 64)
    if name == "department":
        return _string(f"{ENTERPRISE_SCHEMA}:department", value, 1000)
    return _string(name, value, 200)


# -- attribute paths ------------------------------------------------------------------------

PATH = re.compile(
    r"^(?:(?P<urn>urn:[^\[\]]*?):)?(?P<attr>[A-Za-z][\w$-]*)"
    r"(?:\[(?P<filter>[^\[\]]*)\])?(?:\.(?P<sub>[A-Za-z][\w$-]*))?$"
)


@dataclasses.dataclass
class Target:
    attr: str | None  # canonical; None: accepted and not kept
    sub: str | None = None
    filtered: bool = False


def resolve(path) -> Target:
    """The attribute a PATCH path (or a key of a value without a path) names."""
    if not isinstance(path, str) or not path.strip():
        raise invalid("path", _("must be an attribute path."), "invalidPath")
    text = path.strip()
    if text.lower() == ENTERPRISE_SCHEMA.lower():
        return Target("enterprise")
    match = PATH.match(text)
    if match is None:
        raise invalid(
            "path", _("“%(path)s” is not an attribute path.") % {"path": text[:200]}, "invalidPath"
        )
    urn, attr, sub = match["urn"], match["attr"].lower(), match["sub"]
    if urn is not None and urn.lower() == ENTERPRISE_SCHEMA.lower():
        if attr in IGNORED_ENTERPRISE:
            return Target(None)
        if attr not in _ENTERPRISE or match["filter"] is not None:
            raise invalid(text[:200], _("is not an attribute Belong keeps."), "invalidPath")
        return Target(_ENTERPRISE[attr], sub)
    if urn is not None and urn.lower() != USER_SCHEMA.lower():
        raise invalid(text[:200], _("is not a schema of a User."), "invalidPath")
    if attr in IGNORED_CORE:
        return Target(None)
    if attr not in _CORE:
        raise invalid(text[:200], _("is not an attribute of a User."), "invalidPath")
    name = _CORE[attr]
    if match["filter"] is not None and name != "emails":
        raise invalid(text[:200], _("only emails takes a filter."), "invalidPath")
    if sub is not None:
        if name == "name":
            key = sub.lower()
            if key in IGNORED_NAME:
                return Target(None)
            if key not in _NAME:
                raise invalid(text[:200], _("is not an attribute of a name."), "invalidPath")
            sub = _NAME[key]
        elif name == "emails":
            if sub.lower() not in _EMAIL:
                raise invalid(text[:200], _("is not an attribute of an email."), "invalidPath")
            sub = _EMAIL[sub.lower()]
        else:
            raise invalid(text[:200], _("has no sub-attributes."), "invalidPath")
    return Target(name, sub, match["filter"] is not None)


# -- a payload (POST, PUT) ------------------------------------------------------------------


def _check_schemas(body):
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or not all(isinstance(s, str) for s in schemas):
        raise invalid("schemas", _("must list the User schema."), "invalidSyntax")
    if USER_SCHEMA.lower() not in {s.lower() for s in schemas}:
        raise invalid(
            "schemas", _("must include %(schema)s.") % {"schema": USER_SCHEMA}, "invalidSyntax"
        )


def state_from_payload(body) -> State:
    """A POST's or PUT's resource as a State: what it gives is touched (what it leaves out
    is left as it is)."""
    if not isinstance(body, dict):
        raise invalid("body", _("must be a JSON object (a User)."), "invalidSyntax")
    _check_schemas(body)
    state = State()
    for key, value in body.items():
        if not isinstance(key, str):  # pragma: no cover - JSON keys are strings
            continue
        if key.lower() in READ_ONLY:
            continue
        if key.lower() == ENTERPRISE_SCHEMA.lower():
            if value is None:
                continue
            if not isinstance(value, dict):
                raise invalid(ENTERPRISE_SCHEMA, _("must be an object."))
            for sub, sub_value in value.items():
                if str(sub).lower() in IGNORED_ENTERPRISE | READ_ONLY:
                    continue
                canonical = _ENTERPRISE.get(str(sub).lower())
                if canonical is None:
                    raise invalid(
                        f"{ENTERPRISE_SCHEMA}:{sub}",
                        _("is not an attribute Belong keeps."),
                        "invalidPath",
                    )
                state.set(canonical, read_value(canonical, sub_value))
            continue
        target = resolve(key)
        if target.attr is None:
            continue
        if target.sub is not None or target.filtered or target.attr == "enterprise":
            raise invalid(key[:200], _("is not an attribute of a User."), "invalidPath")
        state.set(target.attr, read_value(target.attr, value))
    return state


# -- PATCH ----------------------------------------------------------------------------------

MAX_OPERATIONS = 100


def apply_patch(state: State, body) -> None:
    """Apply a PatchOp's operations to `state` (RFC 7644 §3.5.2), in order."""
    if not isinstance(body, dict):
        raise invalid("body", _("must be a JSON object (a PatchOp)."), "invalidSyntax")
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or PATCH_SCHEMA not in schemas:
        raise invalid(
            "schemas", _("must be [%(schema)s].") % {"schema": PATCH_SCHEMA}, "invalidSyntax"
        )
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise invalid("Operations", _("must be a list of operations."), "invalidSyntax")
    if len(operations) > MAX_OPERATIONS:
        raise invalid(
            "Operations",
            _("at most %(most)s operations at once.") % {"most": MAX_OPERATIONS},
            "tooMany",
        )
    for number, operation in enumerate(operations, start=1):
        if not isinstance(operation, dict):
            raise invalid(f"Operations[{number}]", _("must be an object."), "invalidSyntax")
        op = operation.get("op")
        if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
            raise invalid(
                f"Operations[{number}].op", _("must be add, replace or remove."), "invalidSyntax"
            )
        op = op.lower()
        path = operation.get("path")
        value = operation.get("value")
        if path is None:
            if op == "remove":
                raise invalid(f"Operations[{number}].path", _("remove needs a path."), "noTarget")
            if not isinstance(value, dict):
                raise invalid(
                    f"Operations[{number}].value",
                    _("without a path, the value is an object of attributes."),
                    "invalidSyntax",
                )
            for key, item in value.items():
                if str(key).lower() not in READ_ONLY:
                    _apply_pathless(state, op, key, item)
        else:
            if op != "remove" and "value" not in operation:
                raise invalid(
                    f"Operations[{number}].value",
                    _("%(op)s needs a value.") % {"op": op},
                    "invalidSyntax",
                )
            _apply(state, op, resolve(path), value)


def _apply_pathless(state, op, key, value):
    target = resolve(key)
    if target.attr == "enterprise":
        if not isinstance(value, dict):
            raise invalid(ENTERPRISE_SCHEMA, _("must be an object."))
        for sub, item in value.items():
            if str(sub).lower() not in READ_ONLY:  # an extension object may carry "schemas"
                _apply_pathless(state, op, f"{ENTERPRISE_SCHEMA}:{sub}", item)
        return
    if target.attr == "name" and target.sub is None and isinstance(value, dict):
        # A complex value without a path sets the sub-attributes it gives (RFC 7644 §3.5.2.3).
        for sub, item in value.items():
            _apply(state, op, resolve(f"name.{sub}"), item)
        return
    _apply(state, op, target, value)


def _apply(state: State, op, target: Target, value):
    if target.attr is None:
        return
    if target.attr == "enterprise":
        if op == "remove":
            state.set("employeeNumber", None)
            state.set("department", None)
            return
        _apply_pathless(state, op, ENTERPRISE_SCHEMA, value)
        return
    remove = op == "remove"
    if target.attr == "name":
        current = dict(state.values.get("name") or {})
        if target.sub is None:
            if remove:
                state.set("name", None)
                state.set("displayName", None)
            else:
                state.set("name", _name(value, current))
            return
        if target.sub != "formatted":
            # The formatted name is made of the parts again.
            current.pop("formatted", None)
        if remove:
            current.pop(target.sub, None)
        else:
            current[target.sub] = _string(f"name.{target.sub}", value, 200)
        state.set("name", current)
        return
    if target.attr == "emails":
        if target.sub in ("type", "primary", "display"):
            return
        if remove:
            state.set("emails", None)
            return
        if target.sub == "value" or (target.filtered and not isinstance(value, dict | list)):
            address = _string("emails.value", value, 254)
            state.set("emails", [{"value": address, "type": "work", "primary": True}])
            return
        state.set("emails", _emails(value))
        return
    state.set(target.attr, None if remove else read_value(target.attr, value))


# -- a Person as a State, a State as facts -------------------------------------------------


def identities(person) -> dict:
    return dict(
        ExternalIdentity.objects.filter(
            person=person, issuer__in=[USER_NAME_ISSUER, EXTERNAL_ID_ISSUER]
        ).values_list("issuer", "subject")
    )


def identities_of(people) -> dict:
    """{person id: {issuer: subject}} for a page of people, in one query."""
    known: dict = {person.pk: {} for person in people}
    rows = ExternalIdentity.objects.filter(
        person__in=list(known), issuer__in=[USER_NAME_ISSUER, EXTERNAL_ID_ISSUER]
    ).values_list("person_id", "issuer", "subject")
    for person_id, issuer, subject in rows:
        known[person_id][issuer] = subject
    return known


def split_name(full_name):
    parts = full_name.strip().rsplit(" ", 1)
    if len(parts) == 2:
        return {"givenName": parts[0], "familyName": parts[1]}
    return {"givenName": parts[0]} if parts[0] else {}


def org_unit_path(unit) -> str:
    return directory.path_of(unit)


def state_from_person(person, known=None) -> State:
    known = identities(person) if known is None else known
    name = {"formatted": person.full_name, **split_name(person.full_name)}
    values = {
        "userName": known.get(USER_NAME_ISSUER),
        "externalId": known.get(EXTERNAL_ID_ISSUER),
        "name": name if person.full_name else None,
        "displayName": person.full_name or None,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "active": person.is_active,
        "userType": person.kind,
        "employeeNumber": person.employee_id,
        "department": org_unit_path(person.org_unit) or None,
    }
    return State(values=values)


def _primary_email(state: State):
    emails = state.values.get("emails") or []
    chosen = next((e for e in emails if e.get("primary")), emails[0] if emails else None)
    if chosen and chosen.get("value"):
        return chosen["value"]
    user_name = state.values.get("userName") or ""
    return user_name if "@" in user_name else None


def _full_name(state: State):
    values, touched = state.values, state.touched
    if "name" in touched and values.get("name"):
        name = values["name"]
        formatted = (name.get("formatted") or "").strip()
        if formatted:
            return formatted
        joined = " ".join(
            part.strip() for part in (name.get("givenName"), name.get("familyName")) if part
        )
        if joined.strip():
            return joined
    if {"name", "displayName"} & touched and (values.get("displayName") or "").strip():
        return values["displayName"]
    if "name" in touched and "displayName" in touched:
        return ""  # both removed: the directory keeps no name
    return None


def department_path(value):
    """The org unit path of `department`: a path as it is; a single name is the one unit of
    that name (refused when several units have it), else a new institution (directory's
    rule)."""
    text = " ".join(value.split())
    if directory.PATH_SEPARATOR in text or not text:
        return text
    units = list(OrgUnit.objects.filter(name__iexact=text).select_related("parent")[:2])
    if len(units) > 1:
        raise invalid(
            f"{ENTERPRISE_SCHEMA}:department",
            _(
                "several org units are named “%(name)s”: send the path, for example "
                "“Institution > Campus > Department”."
            )
            % {"name": text[:200]},
        )
    return org_unit_path(units[0]) if units else text


def facts_from(state: State, *, creating: bool) -> directory.Facts:
    values, touched = state.values, state.touched
    facts = directory.Facts()
    if creating or {"emails", "userName"} & touched:
        email = _primary_email(state)
        if email is None and (creating or "emails" in touched):
            raise invalid(
                "emails",
                _("a person needs an email address (emails, or a userName that is one)."),
                "invalidValue" if creating else "mutability",
            )
        if email is not None and (creating or "emails" in touched or not values.get("emails")):
            facts.email = email
    if creating and not values.get("userName"):
        raise invalid("userName", _("is required."), "invalidValue")
    if "userName" in touched and not values.get("userName"):
        raise invalid("userName", _("is required and cannot be removed."), "mutability")
    facts.full_name = _full_name(state)
    if "userType" in touched:
        facts.kind = values.get("userType") or Person.Kind.STAFF.value
    if "employeeNumber" in touched:
        facts.employee_id = values.get("employeeNumber") or ""
    if "department" in touched:
        # Removed (or emptied): the person has no org unit any more.
        department = values.get("department")
        facts.org_unit_path = department_path(department) if department else ""
    return facts


# -- a Person as a SCIM User ----------------------------------------------------------------


def version_of(body) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def representation(person, base_url, known=None) -> dict:
    state = state_from_person(person, known)
    values = state.values
    body: dict = {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": str(person.pk),
        "userName": values["userName"] or person.email,
    }
    if values["externalId"]:
        body["externalId"] = values["externalId"]
    if values["name"]:
        body["name"] = values["name"]
        body["displayName"] = values["displayName"]
    body["emails"] = values["emails"]
    body["active"] = values["active"]
    body["userType"] = values["userType"]
    enterprise = {
        key: values[key] for key in ("employeeNumber", "department") if values[key] is not None
    }
    if enterprise:
        body[ENTERPRISE_SCHEMA] = enterprise
    else:
        body["schemas"] = [USER_SCHEMA]
    body["meta"] = {
        "resourceType": "User",
        "created": person.date_joined.isoformat(),
        "location": f"{base_url}/Users/{person.pk}",
        "version": version_of(body),
    }
    return body


# -- which people SCIM sees -----------------------------------------------------------------


def provisioned():
    """The people SCIM keeps: those with a userName from it (a DELETE removes it)."""
    return Person.objects.filter(
        Exists(ExternalIdentity.objects.filter(person=OuterRef("pk"), issuer=USER_NAME_ISSUER))
    ).select_related("org_unit__parent__parent__parent")


FILTER = re.compile(
    r"^\s*(?P<path>[^\s\[\]]+(?:\[[^\[\]]*\])?(?:\.[^\s\[\]]+)?)\s+(?P<op>[A-Za-z]{2})\s+(?P<value>\"(?:[^\"\\]|\\.)*\"|true|false|null)"
    r"\s*$",
    re.IGNORECASE,
)


def filtered(queryset, text):
    """`queryset` narrowed by a filter of one comparison with eq (userName, externalId,
    emails, employeeNumber, active, id): what Entra and Okta send."""
    if len(text) > 1000:
        raise invalid("filter", _("is too long."), "invalidFilter")
    match = FILTER.match(text)
    if match is None:
        raise invalid(
            "filter",
            _('Belong takes one comparison, for example userName eq "jane@example.org".'),
            "invalidFilter",
        )
    if match["op"].lower() != "eq":
        raise invalid("filter", _("only eq is supported."), "invalidFilter")
    try:
        value = json.loads(match["value"])
    except ValueError:
        raise invalid("filter", _("the value is not a JSON string."), "invalidFilter") from None
    # A JSON escape can make what no database stores (\u0000, a lone surrogate): refused here.
    trouble = storable.problem(value) if isinstance(value, str) else None
    if trouble:
        raise invalid("filter", trouble, "invalidFilter")
    try:
        target = resolve(match["path"])
    except ScimError as refused:
        raise invalid("filter", refused.detail, "invalidFilter") from None
    if target.attr in ("userName", "externalId") and isinstance(value, str):
        issuer = USER_NAME_ISSUER if target.attr == "userName" else EXTERNAL_ID_ISSUER
        lookup = "subject__iexact" if target.attr == "userName" else "subject"
        return queryset.filter(
            Exists(
                ExternalIdentity.objects.filter(
                    person=OuterRef("pk"), issuer=issuer, **{lookup: value}
                )
            )
        )
    if target.attr == "emails" and target.sub in (None, "value") and isinstance(value, str):
        return queryset.filter(email=str(value).strip().lower())  # kept in lower case
    if target.attr == "employeeNumber" and isinstance(value, str):
        return queryset.filter(employee_id__iexact=value)
    if target.attr == "active" and isinstance(value, bool):
        return queryset.filter(is_active=value)
    raise invalid(
        "filter",
        _("Belong filters on userName, externalId, emails, employeeNumber and active."),
        "invalidFilter",
    )

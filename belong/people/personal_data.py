"""Everything Belong holds on a person, gathered for their download, and the erasure of an
account's personal data.

Each Belong app that holds something about people has a `personal` module with:

    SECTION    the section's name in the download;
    export(person) -> JSON-able data: what the app holds on the person, in their own terms
               (names of things, not ids), never what others said about them in confidence;
    erase(person, *, now)
               removes the app's personal data of the person (inside the erasure's
               transaction; an app whose erasure must come after others sets ERASE_LAST);
    FIELDS     every foreign key to a person in the app ("app.Model.field"), each with what
               becomes of it in the download: exported, or why not (a test fails when a new
               foreign key to a person is added without this decision).

Apps are found in INSTALLED_APPS order, so adding an app with a `personal` module is all it
takes; `people` itself comes first.
"""

import importlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

MODULE = "personal"
EXPORTED = "exported"


def sections() -> list:
    """Every Belong app's `personal` module, in INSTALLED_APPS order."""
    found = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("belong."):
            continue
        name = f"{app}.{MODULE}"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
    return found


def decisions() -> dict:
    """{"app.Model.field": "exported" or why not}, over every app."""
    decided = {}
    for module in sections():
        decided.update(module.FIELDS)
    return decided


def export(person) -> dict:
    data = {
        "about": (
            f"Everything {settings.SITE_NAME} holds on {person.email}, downloaded at its "
            "owner's request. Anonymous course evaluations and anonymous experiences are not "
            "linked to anyone, so they cannot be in it."
        ),
        "exported_at": timezone.now(),
    }
    for module in sections():
        data[module.SECTION] = module.export(person)
    return data


def export_json(person) -> str:
    return json.dumps(export(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


@transaction.atomic
def erase(person, *, actor) -> None:
    """Erase the account's personal data, app by app, in one transaction: what another person
    needs (a pair's meetings, a collective's recommendations) stays, naming no one; what
    figures need (past attendance, past matches) stays attached to an account that names no
    one and cannot sign in."""
    from belong.people.actions import audit
    from belong.people.models import Person

    person = Person.objects.select_for_update().get(pk=person.pk)
    now = timezone.now()
    for module in sorted(sections(), key=lambda m: getattr(m, "ERASE_LAST", 0)):
        module.erase(person, now=now)
    audit(actor=actor, verb="personal_data.erased", obj=person)

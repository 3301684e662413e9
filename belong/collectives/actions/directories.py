"""The directories of local minority-owned businesses and community partners: anyone signed in
suggests an entry, a DEI administrator approves or declines it, edits it, imports a CSV file
(all or nothing) and exports one.

CSV columns (the header row names them, in any order): name and category (required),
description, area_served, contact_name, email, phone, address, website; businesses add ownership
and certifications; partners add focus_areas (slugs of areas of focus, separated by ";"). A row
whose name and category match an entry (case-insensitive) updates it. Cells that a spreadsheet
would run as a formula are exported with a leading apostrophe, which the import removes."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.collectives import access
from belong.collectives.actions.memberships import Refused
from belong.collectives.directory_forms import COMMON, BusinessForm, PartnerForm
from belong.collectives.models import Business, FocusArea, Partner
from belong.notifications import outbox
from belong.people.actions import audit


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    form: type
    columns: tuple


KINDS = {
    "businesses": Kind(
        "businesses",
        Business,
        BusinessForm,
        ("name", "category", "ownership", "certifications", *COMMON[2:]),
    ),
    "partners": Kind("partners", Partner, PartnerForm, (*COMMON, "focus_areas")),
}
FORMULA_START = ("=", "+", "-", "@")


def kind_of(slug) -> Kind:
    return KINDS[slug]


def _curator_only(actor):
    if not access.can_curate_directories(actor):
        raise PermissionDenied


def _refuse(form):
    field, errors = next(iter(form.errors.items()))
    raise Refused(" ".join(errors), field=field if field != "__all__" else "entry")


@transaction.atomic
def suggest(kind_slug, *, person, data) -> object:
    """Anyone signed in suggests an entry; the DEI administrators are told."""
    if person is None or not person.is_authenticated:
        raise Refused(_("Sign in to suggest an entry."), status=401)
    kind = kind_of(kind_slug)
    form = kind.form(data)
    if not form.is_valid():
        _refuse(form)
    entry = form.save(commit=False)
    entry.status = kind.model.Status.SUGGESTED
    entry.suggested_by = person
    entry.save()
    form.save_m2m()
    from belong.collectives.actions.recommendations import administrators

    for admin in administrators():
        outbox.queue(
            key=f"directory-suggested:{kind.slug}:{entry.pk}:{admin.pk}",
            to_email=admin.email,
            person=admin,
            template="collectives/email/directory_suggested",
            context={"entry": entry, "kind": kind.slug, "person": admin},
        )
    return entry


@transaction.atomic
def review(kind_slug, entry_id, *, actor, approve: bool):
    _curator_only(actor)
    kind = kind_of(kind_slug)
    entry = kind.model.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise kind.model.DoesNotExist
    entry.status = kind.model.Status.APPROVED if approve else kind.model.Status.DECLINED
    entry.reviewed_at = timezone.now()
    entry.save(update_fields=["status", "reviewed_at", "updated_at"])
    audit(actor=actor, verb=f"directory.{'approved' if approve else 'declined'}", obj=entry)
    return entry


@transaction.atomic
def update_entry(kind_slug, entry_id, *, actor, data):
    _curator_only(actor)
    kind = kind_of(kind_slug)
    entry = kind.model.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise kind.model.DoesNotExist
    form = kind.form(data, instance=entry)
    if not form.is_valid():
        _refuse(form)
    entry = form.save()
    audit(actor=actor, verb="directory.updated", obj=entry, fields=list(form.changed_data))
    return entry


# --- CSV ------------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    field: str
    message: str


class ImportRefused(Exception):
    """The file was not applied; `errors` says why, line by line."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def _unformula(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _read(upload) -> list[dict]:
    limit = settings.DIRECTORY_IMPORT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ImportRefused(
            [RowError(0, "file", _("The file is larger than %(limit)d MB.") % {"limit": limit})]
        )
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            [RowError(0, "file", _("The file is not UTF-8 text: save it as “CSV UTF-8”."))]
        ) from None
    if "\x00" in text:
        raise ImportRefused([RowError(0, "file", _("The file is not a CSV text file."))])
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRefused([RowError(0, "file", str(error))]) from None


def _areas_by_slug():
    return {area.slug: area.pk for area in FocusArea.objects.all()}


def import_csv(kind_slug, upload, *, actor) -> dict:
    """Check every row; apply none unless all are valid. Returns {"created": n, "updated": m}."""
    _curator_only(actor)
    kind = kind_of(kind_slug)
    rows = _read(upload)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportRefused([RowError(1, "file", _("The file is empty: it needs a header row."))])
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [name for name in header if name not in kind.columns]
    missing = [name for name in ("name", "category") if name not in header]
    errors = []
    if unknown:
        errors.append(
            RowError(
                1,
                "header",
                _("Unknown columns: %(unknown)s. Allowed: %(allowed)s.")
                % {"unknown": ", ".join(unknown), "allowed": ", ".join(kind.columns)},
            )
        )
    if missing:
        errors.append(
            RowError(
                1, "header", _("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)}
            )
        )
    if len(set(header)) != len(header):
        errors.append(RowError(1, "header", _("A column is named twice.")))
    if errors:
        raise ImportRefused(errors)
    areas = _areas_by_slug() if "focus_areas" in header else {}
    existing = {
        (entry.name.casefold(), entry.category.casefold()): entry
        for entry in kind.model.objects.all()
    }
    seen, valid = set(), []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(
                RowError(
                    line,
                    "row",
                    _("The row has %(cells)d cells; the header has %(columns)d.")
                    % {"cells": len(row), "columns": len(header)},
                )
            )
            continue
        data = {name: _unformula(value.strip()) for name, value in zip(header, row, strict=True)}
        if "focus_areas" in data:
            slugs = [slug.strip() for slug in data.pop("focus_areas").split(";") if slug.strip()]
            bad = [slug for slug in slugs if slug not in areas]
            if bad:
                errors.append(
                    RowError(
                        line,
                        "focus_areas",
                        _("Unknown areas of focus: %(slugs)s.") % {"slugs": ", ".join(bad)},
                    )
                )
                continue
            data["focus_areas"] = [areas[slug] for slug in slugs]
        key = (data.get("name", "").casefold(), data.get("category", "").casefold())
        if key in seen:
            errors.append(RowError(line, "name", _("This name and category appear twice.")))
            continue
        seen.add(key)
        instance = existing.get(key)
        form = kind.form(data, instance=instance)
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.append(RowError(line, field, " ".join(messages)))
            continue
        valid.append((form, instance is None))
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        now = timezone.now()
        for form, _created in valid:
            entry = form.save(commit=False)
            entry.status = kind.model.Status.APPROVED
            entry.reviewed_at = now
            entry.save()
            form.save_m2m()
        audit(actor=actor, verb="directory.imported", kind=kind.slug, rows=len(valid))
    created = sum(1 for _form, new in valid if new)
    return {"created": created, "updated": len(valid) - created}


def _cell(value) -> str:
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in FORMULA_START else value


def export_csv(kind_slug, entries, stream) -> None:
    """Write the entries with the import's columns, so the file can be imported again."""
    kind = kind_of(kind_slug)
    writer = csv.writer(stream)
    writer.writerow(kind.columns)
    for entry in entries:
        row = []
        for column in kind.columns:
            if column == "focus_areas":
                row.append(";".join(area.slug for area in entry.focus_areas.all()))
            else:
                row.append(_cell(getattr(entry, column)))
        writer.writerow(row)

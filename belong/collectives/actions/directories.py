"""The directories of local minority-owned businesses and community partners: anyone signed in
suggests an entry, a DEI administrator approves or declines it, edits it, imports a CSV file
(all or nothing) and exports one. Pages and the API search them with `search`.

CSV columns: the header row names them, in any order, case-insensitive.

- both kinds: ``name`` and ``category`` (required, at most 200 and 120 characters),
  ``description`` (5000), ``area_served`` (200), ``contact_name`` (200), ``email``, ``phone`` (40),
  ``address`` (300), ``website`` (a web address; "https://" is added when missing);
- businesses add ``ownership`` and ``certifications`` (300 each, as the business reports them,
  for example "Black-owned; woman-owned" and "MBE, WBE");
- partners add ``focus_areas``: slugs of areas of focus separated by ";".

A column of any other name is an error naming it. Line numbers count the header as line 1 and
number the rows as a spreadsheet does (a cell holding a line break stays on its row's line).
A row whose name and category match an entry (case-insensitive) updates that entry; the others
create one. Imported entries are approved: the administrator who imports vouches for them.
Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return, or with ";", or with such a part after a ";", where Excel splits on ";") are exported
with apostrophes (belong.lib.spreadsheet), which the import removes again, so an export imports
unchanged."""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.collectives import access
from belong.collectives.actions.memberships import Refused
from belong.collectives.forms.directories import COMMON, BusinessForm, PartnerForm
from belong.collectives.models import Business, FocusArea, Partner
from belong.lib.refusals import Refusal
from belong.lib.spreadsheet import csv_cell, csv_value
from belong.notifications import outbox
from belong.people.access import is_signed_in
from belong.people.actions import audit


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[Business] | type[Partner]
    form: type
    columns: tuple
    searched: tuple


KINDS = {
    "businesses": Kind(
        "businesses",
        Business,
        BusinessForm,
        ("name", "category", "ownership", "certifications", *COMMON[2:]),
        ("name", "description", "category", "ownership", "certifications", "area_served"),
    ),
    "partners": Kind(
        "partners",
        Partner,
        PartnerForm,
        (*COMMON, "focus_areas"),
        ("name", "description", "category", "area_served"),
    ),
}
# An import reports at most this many problems (and says how many more there were).
MAX_REPORTED = 100
MAX_SEARCH_WORDS = 8
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def kind_of(slug) -> Kind:
    return KINDS[slug]


def _curator_only(actor):
    if not access.can_curate_directories(actor):
        raise PermissionDenied


def _refuse(form):
    field, errors = next(iter(form.errors.items()))
    raise Refused(" ".join(errors), field=field if field != "__all__" else "entry")


def _form_data(kind, fields) -> dict:
    """Plain values for the entry form: focus areas may be given as areas or their ids."""
    data = {name: value for name, value in fields.items() if name in kind.columns}
    if "focus_areas" in data:
        data["focus_areas"] = [getattr(area, "pk", area) for area in data["focus_areas"] or []]
    return {name: "" if value is None else value for name, value in data.items()}


def focus_areas_by_slug(slugs) -> list[FocusArea]:
    """The areas of focus named by `slugs`; Refused (field focus_areas) naming unknown ones."""
    slugs = [slug.strip() for slug in slugs if slug and slug.strip()]
    # Only what can be a slug is looked up (PostgreSQL refuses a NUL character in a query).
    lookup = [slug for slug in slugs if SLUG.fullmatch(slug)]
    found = {area.slug: area for area in FocusArea.objects.filter(slug__in=lookup)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise Refused(
            _("Unknown areas of focus: %(slugs)s.") % {"slugs": ", ".join(unknown)},
            field="focus_areas",
        )
    return [found[slug] for slug in dict.fromkeys(slugs)]


# --- reading --------------------------------------------------------------------------------


def approved(kind_slug):
    kind = kind_of(kind_slug)
    entries = kind.model.objects.filter(status=kind.model.Status.APPROVED)
    if kind.slug == "partners":
        # The plugin checks the lookup on both kinds' models; only partners get here.
        entries = entries.prefetch_related("focus_areas")  # type: ignore[misc]
    return entries.order_by("name", "pk")


def _clean(value) -> str:
    """A filter's value without NUL characters (PostgreSQL refuses them in any query)."""
    return (value or "").replace("\x00", "").strip()


def search(kind_slug, *, q="", category="", ownership="", certification="", area=""):
    """The approved entries matching every word of `q` (each word in any searched text) and
    each filter given: category (exact, case-insensitive), an ownership designation and a
    certification (businesses; contained, case-insensitive), an area of focus slug (partners)."""
    kind = kind_of(kind_slug)
    entries = approved(kind.slug)
    for word in _clean(q).split()[:MAX_SEARCH_WORDS]:
        condition = Q()
        for field in kind.searched:
            condition |= Q(**{f"{field}__icontains": word})
        entries = entries.filter(condition)
    category, ownership, certification, area = map(
        _clean, (category, ownership, certification, area)
    )
    if category:
        entries = entries.filter(category__iexact=category)
    if kind.slug == "businesses":
        if ownership:
            entries = entries.filter(ownership__icontains=ownership)
        if certification:
            entries = entries.filter(certifications__icontains=certification)
    elif area:
        entries = entries.filter(focus_areas__slug=area)
    return entries


def _once(values) -> list[str]:
    """Each value once (case-insensitive; the first spelling in code point order), sorted."""
    seen = {}
    for value in sorted(value.strip() for value in values):
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return sorted(seen.values(), key=str.casefold)


def _split(values) -> list[str]:
    """Designations named in free text ("Black-owned; woman-owned", "MBE, WBE"), once each."""
    return _once(part for value in values for part in value.replace(",", ";").split(";"))


def choices(kind_slug) -> dict:
    """What the filters offer: the approved entries' categories, and for businesses their
    ownership designations and certifications (two queries, whatever the number of entries)."""
    kind = kind_of(kind_slug)
    entries = kind.model.objects.filter(status=kind.model.Status.APPROVED).order_by()
    categories = _once(entries.values_list("category", flat=True).distinct())
    if kind.slug != "businesses":
        return {"categories": categories}
    # Businesses only (above); the plugin checks the lookups on both kinds' models.
    rows = list(entries.values_list("ownership", "certifications").distinct())  # type: ignore[misc]
    return {
        "categories": categories,
        "ownerships": _split(row[0] for row in rows),
        "certifications": _split(row[1] for row in rows),
    }


# --- writing --------------------------------------------------------------------------------


@transaction.atomic
def suggest(kind_slug, *, person, **fields):
    """Anyone signed in suggests an entry (it waits for review); the DEI administrators are
    told through the outbox."""
    if not is_signed_in(person):
        raise Refused(_("Sign in to suggest an entry."), field="person", status=401)
    kind = kind_of(kind_slug)
    form = kind.form(_form_data(kind, fields))
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


def _locked(kind, entry_id):
    entry = kind.model.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise kind.model.DoesNotExist
    return entry


@transaction.atomic
def review(kind_slug, entry_id, *, actor, approve: bool):
    """Approve (list) or decline (unlist) an entry; for DEI administrators."""
    _curator_only(actor)
    kind = kind_of(kind_slug)
    entry = _locked(kind, entry_id)
    entry.status = kind.model.Status.APPROVED if approve else kind.model.Status.DECLINED
    entry.reviewed_at = timezone.now()
    entry.save(update_fields=["status", "reviewed_at", "updated_at"])
    audit(actor=actor, verb=f"directory.{'approved' if approve else 'declined'}", obj=entry)
    return entry


def _current(kind, entry) -> dict:
    data = {name: getattr(entry, name) for name in kind.columns if name != "focus_areas"}
    if "focus_areas" in kind.columns:
        data["focus_areas"] = [area.pk for area in entry.focus_areas.all()]
    return data


@transaction.atomic
def update_entry(kind_slug, entry_id, *, actor, **fields):
    """Change the fields given (the others keep their values); for DEI administrators."""
    _curator_only(actor)
    kind = kind_of(kind_slug)
    entry = _locked(kind, entry_id)
    form = kind.form(_form_data(kind, {**_current(kind, entry), **fields}), instance=entry)
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


class ImportRefused(Refusal):
    """The file was not applied; `errors` says why, line by line (at most MAX_REPORTED of them;
    `more` counts the others)."""

    field = "file"

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors[:MAX_REPORTED]
        self.more = max(0, len(errors) - MAX_REPORTED)


def _file_error(message):
    return ImportRefused([RowError(0, "file", message)])


def _read(upload) -> list[list[str]]:
    limit = settings.DIRECTORY_IMPORT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise _file_error(
            _("The file is larger than %(limit)d MB: split it into smaller files.")
            % {"limit": limit}
        )
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_error(
            _(
                "The file is not UTF-8 text (byte %(position)d): save it as “CSV UTF-8” "
                "and import it again."
            )
            % {"position": error.start + 1}
        ) from None
    if "\x00" in text:
        raise _file_error(_("The file is not a CSV text file."))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise _file_error(
            _("The file could not be read as CSV: %(error)s.") % {"error": error}
        ) from None


def _header_errors(kind, header) -> list[RowError]:
    errors = []
    # Each name once, however many times the file gives it (a header of 500,000 cells was
    # counted cell by cell for each cell: minutes of a web process).
    counts = Counter(header)
    unknown = [name or _("(empty)") for name in counts if name not in kind.columns]
    if unknown:
        errors.append(
            RowError(
                1,
                "header",
                _("Unknown columns: %(unknown)s. The columns are: %(allowed)s.")
                % {"unknown": ", ".join(unknown), "allowed": ", ".join(kind.columns)},
            )
        )
    missing = [name for name in ("name", "category") if name not in header]
    if missing:
        errors.append(
            RowError(
                1,
                "header",
                _("Missing columns: %(missing)s (they are required).")
                % {"missing": ", ".join(missing)},
            )
        )
    twice = sorted(name for name, count in counts.items() if name and count > 1)
    if twice:
        errors.append(
            RowError(
                1,
                "header",
                _("Columns named twice: %(names)s.") % {"names": ", ".join(twice)},
            )
        )
    return errors


@transaction.atomic
def import_csv(kind_slug, upload, *, actor) -> dict:
    """Check every row; apply none unless all are valid, in one transaction. Returns
    {"created": n, "updated": m}; raises ImportRefused listing the problems."""
    _curator_only(actor)
    kind = kind_of(kind_slug)
    rows = _read(upload)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportRefused(
            [RowError(1, "file", _("The file is empty: it needs a header row naming columns."))]
        )
    header = [cell.strip().lower() for cell in rows[0]]
    errors = _header_errors(kind, header)
    if errors:
        raise ImportRefused(errors)
    areas = (
        {area.slug: area.pk for area in FocusArea.objects.all()} if kind.slug == "partners" else {}
    )
    entries = kind.model.objects.order_by("pk")
    if kind.slug == "partners":
        # The plugin checks the lookup on both kinds' models; only partners get here.
        entries = entries.prefetch_related("focus_areas")  # type: ignore[misc]
    existing = {(entry.name.casefold(), entry.category.casefold()): entry for entry in entries}
    seen: dict[tuple[str, str], int] = {}  # (name, category) -> its first line
    valid = []
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
        data: dict[str, Any] = {
            name: csv_value(value.strip()) for name, value in zip(header, row, strict=True)
        }
        if "focus_areas" in data:
            slugs = [slug.strip() for slug in data["focus_areas"].split(";") if slug.strip()]
            unknown = [slug for slug in slugs if slug not in areas]
            if unknown:
                errors.append(
                    RowError(
                        line,
                        "focus_areas",
                        _("Unknown areas of focus: %(slugs)s. Known: %(known)s.")
                        % {"slugs": ", ".join(unknown), "known": ", ".join(areas)},
                    )
                )
                continue
            data["focus_areas"] = [areas[slug] for slug in dict.fromkeys(slugs)]
        key = (data.get("name", "").casefold(), data.get("category", "").casefold())
        if key[0] and key in seen:
            errors.append(
                RowError(
                    line,
                    "name",
                    _("The same name and category as line %(line)d.") % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        instance = existing.get(key)
        if instance is not None:
            # Columns the file leaves out keep the entry's values.
            data = {**_current(kind, instance), **data}
        form = kind.form(data, instance=instance)
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.append(RowError(line, field, " ".join(messages)))
            continue
        valid.append((form, instance is None))
    if errors:
        raise ImportRefused(errors)
    now = timezone.now()
    for form, _created in valid:
        entry = form.save(commit=False)
        entry.status = kind.model.Status.APPROVED
        entry.reviewed_at = now
        entry.save()
        form.save_m2m()
    created = sum(1 for _form, new in valid if new)
    audit(
        actor=actor,
        verb="directory.imported",
        kind=kind.slug,
        created=created,
        updated=len(valid) - created,
    )
    return {"created": created, "updated": len(valid) - created}


def export_csv(kind_slug, entries, stream=None):
    """Write the entries with the import's columns, so that the file imports again unchanged.
    Into `stream` when given; otherwise the CSV text is returned."""
    kind = kind_of(kind_slug)
    out = stream if stream is not None else io.StringIO()
    writer = csv.writer(out)
    writer.writerow(kind.columns)
    for entry in entries:
        row = []
        for column in kind.columns:
            if column == "focus_areas":
                row.append(csv_cell(";".join(area.slug for area in entry.focus_areas.all())))
            else:
                row.append(csv_cell(getattr(entry, column)))
        writer.writerow(row)
    return None if stream is not None else out.getvalue()

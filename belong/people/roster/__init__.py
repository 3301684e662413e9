"""HR roster files (issue 16, part 4): `manage.py import_people FILE [--dry-run]` and the
configured folder (`BELONG_ROSTER_FOLDER`) checked by the scheduled jobs.

A roster is a CSV (UTF-8, with or without a byte order mark) or XLSX file (its first sheet):
a header row naming columns (COLUMNS; case, spaces and hyphens do not matter), then one row a
person. What a row says is checked and applied by `belong.people.directory`, the one place the
institution's facts are, with `Person.Source.ROSTER` as the source.

A run reads the file twice and keeps no row in memory:

1. every row is checked (each cell, then directory's rules for each fact, then duplicates of an
   employee id or an email address in the file, naming both lines); every problem is collected
   by line (as a spreadsheet numbers its rows: the header is 1) and column;
2. when nothing is wrong, every row is applied in one transaction: a person is found by
   employee id, else by email address; created, updated (only what changed) or left as they
   are; terminated -> `actions.mark_leaver` (installation: actor None); a terminated person
   back as active or on leave -> `actions.reactivate`. A problem found there (an email address
   another person has) is collected too, and then nothing is kept.

A dry run does the same with `directory.apply(save=False)` inside a transaction that is always
rolled back: it changes nothing, org units included, and reports what would change.

Every run writes a `RosterImport` with its report (outcome, counts of rows by what happened,
the changes by line, the problems by line and column). People the file does not name are left
as they are.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import hashlib
import logging
import os
import re
import warnings
import zipfile
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.lib.refusals import Refusal
from belong.people import actions, directory
from belong.people.directory import DirectoryRefused, Facts
from belong.people.models import OrgUnit, Person, RosterImport

logger = logging.getLogger(__name__)

# The columns a roster may have, in the order the docs list them.
COLUMNS = (
    "employee_id",
    "email",
    "full_name",
    "given_name",
    "family_name",
    "preferred_name",
    "status",
    "hire_date",
    "termination_date",
    "org_unit",
    "program",
    "kind",
    "pgy_year",
)
REQUIRED = ("employee_id", "email", "status")
NAME_COLUMNS = ("given_name", "family_name")
DATE_COLUMNS = ("hire_date", "termination_date")
# directory's name for a fact -> the column that gave it
COLUMN_OF = {"hr_status": "status", "org_unit_path": "org_unit", "org_unit": "org_unit"}

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024  # a zip bomb stops here
MAX_CELL = 1000  # characters in one cell
BATCH = 500  # rows whose people are read from the database together
# What the stored report keeps (every count is complete; the printed report is too).
MAX_REPORTED_ERRORS = 1000
MAX_REPORTED_CHANGES = 5000
MAX_NAMES_LISTED = 20  # unknown columns named in one message
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # Unicode's Cc and Cs
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# A file in the folder is taken once it has not changed for this long (an upload in progress is
# left for the next run).
SETTLE_SECONDS = 60
DONE_FOLDER = "done"

# What happened to a row (the report's counts).
CREATED, UPDATED, LEFT, SKIPPED = "created", "updated", "left", "skipped"
LEAVERS, REACTIVATED = "leavers", "reactivated"
COUNTED = (CREATED, UPDATED, LEFT, SKIPPED, LEAVERS, REACTIVATED)


class RosterRefused(Refusal):
    """The file cannot be read as a roster at all (a problem with no row to name)."""

    code = "roster_refused"
    field = "file"


@dataclasses.dataclass
class Problem:
    line: int
    column: str
    message: str

    def as_dict(self):
        return {"line": self.line, "column": self.column, "message": self.message}


def _normal_header(name) -> str:
    text = "" if name is None else str(name)
    return re.sub(r"[\s\-]+", "_", text.strip().lower()).strip("_")


def file_digest(path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


# --- reading --------------------------------------------------------------------------------


def file_format(path) -> str:
    kind = FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        raise RosterRefused(_("A roster is a .csv or an .xlsx file."))
    return kind


def _csv_rows(path):
    """(row number, cells) of a CSV file, one record a row (a quoted cell may span lines)."""
    number = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for number, cells in enumerate(csv.reader(handle, strict=True), start=1):
                yield number, cells
    except UnicodeDecodeError:
        raise RosterRefused(
            _(
                "The file is not UTF-8 text (after row %(row)d): save it as “CSV UTF-8” and "
                "import it again."
            )
            % {"row": number}
        ) from None
    except csv.Error as error:
        raise RosterRefused(
            _("Row %(row)d could not be read as CSV: %(error)s.")
            % {"row": number + 1, "error": error}
        ) from None


def _xlsx_rows(path):
    """(row number, cell values) of the first sheet of an XLSX file, streamed (read-only)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise RosterRefused(_("The file is not an XLSX workbook.")) from None
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise RosterRefused(
            _("The workbook unpacks to more than %(mb)d MB: split it into smaller files.")
            % {"mb": MAX_XLSX_UNCOMPRESSED >> 20}
        )
    from openpyxl import load_workbook

    number = 0
    workbook = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it does not know
            workbook = load_workbook(path, read_only=True, data_only=False)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # a wrong <dimension> would cut rows off
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
    except RosterRefused:
        raise
    except Exception as error:  # any malformed part of the workbook: say so, never crash
        raise RosterRefused(
            _("The workbook could not be read (after row %(row)d): %(error)s.")
            % {"row": number, "error": error.__class__.__name__}
        ) from None
    finally:
        if workbook is not None:
            workbook.close()


def read_rows(path, kind):
    return _csv_rows(path) if kind == "csv" else _xlsx_rows(path)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- one row --------------------------------------------------------------------------------


class Header:
    """The file's header: which column is where."""

    def __init__(self, cells, line=1):
        self.line = line
        self.names = [_normal_header(cell) for cell in cells]
        while self.names and not self.names[-1]:
            self.names.pop()  # trailing empty cells (formatted but unused columns)
        self.index = {name: i for i, name in enumerate(self.names) if name}
        self.split_names = "full_name" not in self.index

    def problems(self) -> list[Problem]:
        found: list[Problem] = []
        unknown = [name[:40] or _("(empty)") for name in self.names if name not in COLUMNS]
        if unknown:
            listed = ", ".join(unknown[:MAX_NAMES_LISTED])
            if len(unknown) > MAX_NAMES_LISTED:
                listed += _(" and %(n)d more") % {"n": len(unknown) - MAX_NAMES_LISTED}
            found.append(
                Problem(
                    self.line,
                    "header",
                    _("Unknown columns: %(unknown)s. The columns are: %(allowed)s.")
                    % {"unknown": listed, "allowed": ", ".join(COLUMNS)},
                )
            )
        counts = Counter(self.names)
        twice = sorted(name for name, count in counts.items() if name and count > 1)
        if twice:
            found.append(
                Problem(
                    self.line,
                    "header",
                    _("Columns named twice: %(names)s.") % {"names": ", ".join(twice)},
                )
            )
        missing = [name for name in REQUIRED if name not in self.index]
        has_split = all(name in self.index for name in NAME_COLUMNS)
        if "full_name" not in self.index and not has_split:
            missing.append(_("full_name (or given_name and family_name)"))
        if missing:
            found.append(
                Problem(
                    self.line,
                    "header",
                    _("Missing columns: %(missing)s (they are required).")
                    % {"missing": ", ".join(missing)},
                )
            )
        if "full_name" in self.index and any(name in self.index for name in NAME_COLUMNS):
            found.append(
                Problem(
                    self.line,
                    "header",
                    _("Give full_name, or given_name and family_name, not both."),
                )
            )
        return found

    def width(self):
        return len(self.names)


def _text_of(value) -> str | None:
    """A cell as text (XLSX numbers: 1234.0 is "1234"); None for a date cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return None
    return str(value)


def _cell_problem(text: str) -> str | None:
    if len(text) > MAX_CELL:
        return _("The cell is longer than %(most)d characters.") % {"most": MAX_CELL}
    if CONTROL.search(text):
        return _("The cell holds control characters (such as NUL or a line break).")
    if text.lstrip()[:1] in FORMULA_STARTS:
        return _(
            "The cell begins like a spreadsheet formula (=, +, - or @): a roster holds values only."
        )
    return None


def _date_of(value, column) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    day = None
    if ISO_DATE.match(text):
        with contextlib.suppress(ValueError):
            day = datetime.date.fromisoformat(text)
    if day is None:
        raise DirectoryRefused(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD (for example 2026-07-01).")
            % {"value": text[:40]},
            field=column,
        )
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise DirectoryRefused(
            _("%(date)s is not a plausible date.") % {"date": day.isoformat()}, field=column
        )
    return day


@dataclasses.dataclass
class Row:
    line: int
    employee_id: str
    email: str
    status: str
    facts: Facts
    termination_given: bool


def _fact_checks(values: dict, header: Header):
    """(column, Facts with one fact) for directory's rules, one column at a time, so that every
    bad cell of a row is named, not only the first."""
    if header.split_names:
        label = "given_name + family_name"
        name = " ".join(v for v in (values.get("given_name"), values.get("family_name")) if v)
        yield label, Facts(full_name=name)
    else:
        yield "full_name", Facts(full_name=values.get("full_name", ""))
    for column, fact in (
        ("email", "email"),
        ("employee_id", "employee_id"),
        ("preferred_name", "preferred_name"),
        ("kind", "kind"),
        ("pgy_year", "pgy_year"),
        ("status", "hr_status"),
    ):
        if column in values and not (column == "kind" and not values[column]):
            yield column, Facts(**{fact: values[column]})


def _path_of(values: dict) -> tuple[str | None, str | None]:
    """The org unit path the row gives: org_unit, with program as its last step. A program
    names a unit under the path's department: the path then has at most three steps, or four
    whose last is the program itself."""
    path = values.get("org_unit") or ""
    program = values.get("program") or ""
    if not program:
        return (path or None), None
    if not path:
        return None, _("A program is named under its department: give org_unit too.")
    parts = [" ".join(p.split()) for p in path.split(directory.PATH_SEPARATOR)]
    if len(parts) == len(directory.PATH_KINDS):
        if parts[-1].casefold() != " ".join(program.split()).casefold():
            return None, _(
                "org_unit names a program already (%(last)s), and program names another."
            ) % {"last": parts[-1]}
        return path, None
    return f"{path} {directory.PATH_SEPARATOR} {program}", None


def parse_row(line: int, cells: list, header: Header) -> tuple[Row | None, list[Problem]]:
    """A data row's facts, or every problem with it by column."""
    problems: list[Problem] = []
    if len(cells) > header.width() and any(not _blank(c) for c in cells[header.width() :]):
        problems.append(
            Problem(
                line,
                "row",
                _("The row has cells beyond the last column of the header (%(columns)d).")
                % {"columns": header.width()},
            )
        )
    values: dict = {}
    dates: dict = {}
    for column, index in header.index.items():
        raw = cells[index] if index < len(cells) else None
        text = _text_of(raw)
        if text is None:  # an XLSX date (or time) cell
            if column in DATE_COLUMNS:
                dates[column] = raw
            else:
                problems.append(Problem(line, column, _("The cell is a date; write text.")))
            continue
        trouble = _cell_problem(text)
        if trouble:
            problems.append(Problem(line, column, trouble))
            continue
        text = " ".join(text.split())
        if column in DATE_COLUMNS:
            if text:
                dates[column] = text
        else:
            values[column] = text
    bad = {p.column for p in problems}
    for column in REQUIRED:
        if column in values and not values[column]:
            problems.append(Problem(line, column, _("This column is required in every row.")))
    if not header.split_names and "full_name" in values and not values["full_name"]:
        problems.append(Problem(line, "full_name", _("This column is required in every row.")))
    if header.split_names and not (values.get("given_name") or values.get("family_name")):
        if not bad & set(NAME_COLUMNS):
            problems.append(
                Problem(line, "given_name", _("Give the person's name (given_name, family_name)."))
            )
    checked: dict = {}
    for column, facts in _fact_checks(values, header):
        if column in bad or (column in REQUIRED and not values.get(column)):
            continue
        try:
            checked.update(directory.cleaned(facts))
        except DirectoryRefused as refusal:
            problems.append(Problem(line, column, str(refusal.message)))
    days: dict = {}
    for column, value in dates.items():
        try:
            days[column] = _date_of(value, column)
        except DirectoryRefused as refusal:
            problems.append(Problem(line, column, str(refusal.message)))
    hired, ended = days.get("hire_date"), days.get("termination_date")
    if hired and ended and ended < hired:
        problems.append(
            Problem(line, "termination_date", _("The termination date is before the hire date."))
        )
    path, trouble = (None, None) if bad & {"org_unit", "program"} else _path_of(values)
    if trouble:
        problems.append(Problem(line, "program", trouble))
    elif path is not None:
        try:
            directory.path_parts(path)
        except DirectoryRefused as refusal:
            column = "org_unit" if not values.get("program") else "org_unit, program"
            problems.append(Problem(line, column, str(refusal.message)))
    if problems:
        return None, problems
    facts = Facts(
        email=values["email"],
        full_name=checked.get("full_name"),
        employee_id=values["employee_id"],
        hr_status=values["status"],
        preferred_name=values.get("preferred_name"),
        kind=values.get("kind") or None,
        pgy_year=values.get("pgy_year"),
        org_unit_path=path,
        hired_on=hired,
        terminated_on=ended,
    )
    return (
        Row(
            line=line,
            employee_id=checked["employee_id"],
            email=checked["email"],
            status=checked["hr_status"],
            facts=facts,
            termination_given=ended is not None,
        ),
        [],
    )


# --- a run ----------------------------------------------------------------------------------


class Units:
    """The org unit tree in memory, to tell that a path names a person's unit already. A path
    is resolved only when each step has exactly one unit of that name (whatever its case), spelt
    as the file spells it: directory finds that same unit; anything else is left to it."""

    def __init__(self):
        self.dirty = True

    def load(self):
        self.by_id = {}
        self.children: dict = {}
        for unit in OrgUnit.objects.only("id", "name", "kind", "parent_id").order_by("pk"):
            self.by_id[unit.pk] = unit
            named = self.children.setdefault(unit.parent_id, {})
            named.setdefault(unit.name.casefold(), []).append(unit)
        self.dirty = False

    def resolve(self, path) -> OrgUnit | None:
        if self.dirty:
            self.load()
        parent_id = None
        for name in directory.path_parts(path):
            found = self.children.get(parent_id, {}).get(name.casefold(), [])
            if len(found) != 1 or found[0].name != name:
                return None
            parent_id = found[0].pk
        return self.by_id.get(parent_id) if parent_id is not None else None

    def campus_id(self, unit: OrgUnit) -> int | None:
        node: OrgUnit | None = unit
        while node is not None:
            if node.kind == OrgUnit.Kind.CAMPUS:
                return node.pk
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return None


class _RollBack(Exception):
    pass


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


class Run:
    """One import of one file; `report` is what RosterImport keeps."""

    def __init__(self, path, *, dry_run=False, name=None, on_line=None):
        self.path = Path(path)
        self.name = name or self.path.name
        self.dry_run = dry_run
        self.on_line = on_line  # called with each change entry as it is made (the printout)
        self.counts = dict.fromkeys(COUNTED, 0)
        self.rows = 0
        self.changes: list[dict] = []
        self.changes_left_off = 0
        self.errors: list[dict] = []
        self.error_count = 0
        self.digest = ""
        self.format = ""

    # problems
    def problem(self, problem: Problem):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(problem.as_dict())

    def change(self, entry: dict):
        if self.on_line is not None:
            self.on_line(entry)
        if len(self.changes) < MAX_REPORTED_CHANGES:
            self.changes.append(entry)
        else:
            self.changes_left_off += 1

    # the two passes
    def data_rows(self):
        """(line, cells) of the rows after the header (empty rows skipped), header first."""
        header = None
        for line, cells in read_rows(self.path, self.format):
            if all(_blank(cell) for cell in cells):
                continue
            if header is None:
                header = Header(cells, line)
                yield line, header
                continue
            yield line, cells

    def check(self) -> bool:
        header: Header | None = None
        ids: dict[str, int] = {}
        emails: dict[str, int] = {}
        for line, cells in self.data_rows():
            if isinstance(cells, Header):
                header = cells
                for problem in header.problems():
                    self.problem(problem)
                if self.error_count:
                    return False
                continue
            self.rows += 1
            header = header or Header([])
            row, problems = parse_row(line, cells, header)
            for problem in problems:
                self.problem(problem)
            # Each row's id and address, even when another of its cells is wrong.
            for column, seen in (("employee_id", ids), ("email", emails)):
                index = header.index[column]
                text = _text_of(cells[index]) if index < len(cells) else ""
                key = " ".join((text or "").split()).casefold()
                if not key:
                    continue
                first = seen.setdefault(key, line)
                if first != line:
                    self.problem(
                        Problem(
                            line,
                            column,
                            _("Line %(first)d has the same %(column)s: one row a person.")
                            % {"first": first, "column": column},
                        )
                    )
        if header is None:
            self.problem(Problem(1, "file", _("The file is empty: it needs a header row.")))
        elif not self.rows and not self.error_count:
            self.problem(Problem(2, "file", _("The file has a header but no people.")))
        return not self.error_count

    def apply(self):
        header = Header([])
        today = timezone.localdate()
        self.units = Units()
        self.matched: dict[int, int] = {}  # person -> the line that found them
        batch: list[Row] = []
        for line, cells in self.data_rows():
            if isinstance(cells, Header):
                header = cells
                continue
            row, problems = parse_row(line, cells, header)
            if row is None:  # the file changed since it was checked
                for problem in problems:
                    self.problem(problem)
                continue
            batch.append(row)
            if len(batch) >= BATCH:
                self.apply_batch(batch, today)
                batch = []
        self.apply_batch(batch, today)

    def apply_batch(self, rows: list[Row], today):
        """The rows' people are read together, by employee id and by address, whatever their
        case (a person whose id differs only in case beyond ASCII is not found here; applying
        then refuses the row as a conflict, naming it, rather than making a second person)."""
        if not rows:
            return
        known = Person.objects.select_related("org_unit", "campus").order_by("pk")
        by_id: dict = {}
        ids = {r.employee_id.lower() for r in rows}
        for match in known.annotate(key=Lower("employee_id")).filter(key__in=ids):
            by_id.setdefault(match.key, []).append(match)
        emails = {r.email for r in rows}
        by_email = {p.key: p for p in known.annotate(key=Lower("email")).filter(key__in=emails)}
        for row in rows:
            same_id = by_id.get(row.employee_id.lower(), [])
            exact = [p for p in same_id if p.employee_id == row.employee_id]
            person: Person | None = (exact or same_id or [None])[0] or by_email.get(row.email)
            if person is not None:
                first = self.matched.setdefault(person.pk, row.line)
                if first != row.line:
                    self.problem(
                        Problem(
                            row.line,
                            "employee_id",
                            _(
                                "Line %(first)d is the same person in Belong (found by employee "
                                "id or email address): one row a person."
                            )
                            % {"first": first},
                        )
                    )
                    continue
            try:
                self.apply_row(row, person, today)
            except DirectoryRefused as refusal:
                column = refusal.field or "row"
                column = COLUMN_OF.get(column, column)
                self.problem(Problem(row.line, column, str(refusal.message)))

    def unchanged(self, person: Person, facts: Facts) -> bool:
        """Whether `directory.apply` would change nothing (then it is not called: a nightly
        file is mostly people as they were). Unsure -> False, and apply decides."""
        values = directory.cleaned(facts)
        path = values.pop("org_unit_path", None)
        if person.directory_source != Person.Source.ROSTER:
            return False
        if any(getattr(person, name) != new for name, new in values.items()):
            return False
        if path is None:
            return True
        unit = self.units.resolve(path)
        return (
            unit is not None
            and person.org_unit_id == unit.pk
            and person.campus_id == self.units.campus_id(unit)
        )

    def apply_row(self, row: Row, found: Person | None, today):
        terminated = row.status == Person.HrStatus.TERMINATED
        entry: dict = {"line": row.line, "employee_id": row.employee_id}
        if found is None and terminated:
            self.counts[SKIPPED] += 1
            entry["action"] = SKIPPED
            entry["changes"] = []
            self.change(entry)
            return
        created = found is None
        person = found if found is not None else Person(email="")
        facts = dataclasses.replace(row.facts)
        if (
            terminated
            and not row.termination_given
            and person.hr_status != Person.HrStatus.TERMINATED
        ):
            facts.terminated_on = today
        was_terminated = person.hr_status == Person.HrStatus.TERMINATED
        was_active = person.is_active
        if not created and not (terminated and was_active) and self.unchanged(person, facts):
            self.counts[LEFT] += 1
            return
        changes = directory.apply(person, facts, source=Person.Source.ROSTER, save=not self.dry_run)
        if any(field == "org_unit" for field, _old, _new in changes):
            self.units.dirty = True
        if not created and terminated and was_active:
            changes.append(("is_active", True, False))
            self.counts[LEAVERS] += 1
            if not self.dry_run:
                actions.mark_leaver(person.pk, actor=None)
        elif not created and not terminated and was_terminated and not was_active:
            changes.append(("is_active", False, True))
            self.counts[REACTIVATED] += 1
            if not self.dry_run:
                actions.reactivate(person.pk, actor=None)
        action = CREATED if created else (UPDATED if changes else LEFT)
        self.counts[action] += 1
        if action != LEFT:
            entry["action"] = action
            entry["changes"] = [
                [field, _plain(old), _plain(self._campus_to_be(field, new, changes))]
                for field, old, new in changes
            ]
            self.change(entry)

    def _campus_to_be(self, field, new, changes):
        """A dry run cannot name the campus of units it would create (directory gives "")."""
        creates_units = any(f == "org_unit" and n for f, _o, n in changes)
        if self.dry_run and field == "campus" and not new and creates_units:
            return _("(the campus on the new org unit's path)")
        return new

    def run(self) -> RosterImport:
        started = timezone.now()
        outcome = RosterImport.Outcome.REFUSED
        try:
            self.digest = file_digest(self.path)
            self.format = file_format(self.path)
            if self.path.stat().st_size > MAX_FILE_BYTES:
                raise RosterRefused(
                    _("The file is larger than %(mb)d MB: split it into smaller files.")
                    % {"mb": MAX_FILE_BYTES >> 20}
                )
            if self.check():
                outcome = self._apply_all()
        except RosterRefused as refusal:
            self.problem(Problem(0, "file", str(refusal.message)))
        except OSError as error:
            self.problem(
                Problem(0, "file", _("The file could not be read: %(error)s.") % {"error": error})
            )
        if self.error_count:
            outcome = RosterImport.Outcome.REFUSED
        return RosterImport.objects.create(
            file_name=self.name[:255],
            digest=self.digest,
            outcome=outcome,
            started_at=started,
            finished_at=timezone.now(),
            report=self.report(outcome),
        )

    def _apply_all(self):
        try:
            with transaction.atomic():
                self.apply()
                if not self.error_count and file_digest(self.path) != self.digest:
                    self.problem(Problem(0, "file", _("The file changed while it was imported.")))
                if self.error_count or self.dry_run:
                    raise _RollBack
        except _RollBack:
            pass
        if self.error_count:
            return RosterImport.Outcome.REFUSED
        return RosterImport.Outcome.DRY_RUN if self.dry_run else RosterImport.Outcome.APPLIED

    def report(self, outcome) -> dict:
        return {
            "file": self.name,
            "format": self.format,
            "digest": self.digest,
            "outcome": str(outcome),
            "dry_run": self.dry_run,
            "rows": self.rows,
            "counts": self.counts if outcome != RosterImport.Outcome.REFUSED else {},
            "changes": self.changes if outcome != RosterImport.Outcome.REFUSED else [],
            "changes_left_off": self.changes_left_off,
            "errors": self.errors,
            "error_count": self.error_count,
        }


def import_file(path, *, dry_run=False, name=None, on_line=None) -> RosterImport:
    """Check and apply (or, with `dry_run`, only report) the roster at `path`; the
    RosterImport that records it. Nothing is changed unless every row is right."""
    return Run(path, dry_run=dry_run, name=name, on_line=on_line).run()


# --- the readable report ----------------------------------------------------------------------


def _shown(value) -> str:
    return "“”" if value in (None, "") else f"“{value}”"


def change_lines(entry: dict) -> list[str]:
    action = {
        CREATED: _("created"),
        UPDATED: _("updated"),
        SKIPPED: _("not in Belong and terminated: not created"),
    }.get(entry["action"], entry["action"])
    lines = [
        _("Line %(line)d (employee id %(id)s): %(action)s")
        % {"line": entry["line"], "id": entry["employee_id"], "action": action}
    ]
    for field, old, new in entry["changes"]:
        if field == "is_active":
            lines.append(
                "  "
                + (
                    _("access ended (a leaver: sessions, tokens, seats to come, leader terms)")
                    if not new
                    else _("access restored (reactivated; what leaving released stays released)")
                )
            )
        else:
            lines.append(f"  {field}: {_shown(old)} -> {_shown(new)}")
    return lines


def summary(report: dict) -> str:
    counts = report.get("counts") or {}
    return _(
        "%(rows)d row(s): %(created)d created, %(updated)d updated, %(left)d left as they were, "
        "%(skipped)d terminated and not in Belong (not created); %(leavers)d marked as leavers, "
        "%(reactivated)d reactivated."
    ) % {"rows": report.get("rows", 0), **{k: counts.get(k, 0) for k in COUNTED}}


def headline(report: dict) -> str:
    outcome = report.get("outcome")
    if outcome == RosterImport.Outcome.APPLIED:
        return _("Roster %(file)s: applied.") % {"file": report.get("file")}
    if outcome == RosterImport.Outcome.DRY_RUN:
        return _("Roster %(file)s: dry run, nothing was changed.") % {"file": report.get("file")}
    return _("Roster %(file)s: refused, nothing was changed.") % {"file": report.get("file")}


def error_lines(report: dict) -> list[str]:
    lines = [
        _("%(count)d problem(s):") % {"count": report.get("error_count", 0)},
    ]
    for error in report.get("errors", []):
        if error["line"]:
            lines.append(
                "  "
                + _("line %(line)d, column %(column)s: %(message)s")
                % {"line": error["line"], "column": error["column"], "message": error["message"]}
            )
        else:
            lines.append("  " + error["message"])
    more = report.get("error_count", 0) - len(report.get("errors", []))
    if more > 0:
        lines.append("  " + _("... and %(more)d more.") % {"more": more})
    return lines


def readable(report: dict, *, with_changes=True) -> str:
    """The whole report as text (what the admin shows; the command prints the changes as they
    are made, then the rest)."""
    lines = [headline(report)]
    if report.get("outcome") == RosterImport.Outcome.REFUSED:
        lines += error_lines(report)
        return "\n".join(lines)
    if with_changes:
        for entry in report.get("changes", []):
            lines += change_lines(entry)
        if report.get("changes_left_off"):
            lines.append(
                _("... and %(more)d more changed line(s) (not kept in the report).")
                % {"more": report["changes_left_off"]}
            )
    lines.append(summary(report))
    return "\n".join(lines)


# --- the folder ---------------------------------------------------------------------------


def _done_name(path: Path, now) -> str:
    return f"{now.strftime('%Y%m%dT%H%M%S')}-{path.name}"


def import_folder(folder=None, *, settle=SETTLE_SECONDS) -> list[RosterImport]:
    """Import each new roster file in the folder (BELONG_ROSTER_FOLDER), in order of name.

    A file is new when no applied import has its digest: it is imported once and moved to
    `done/` (so is a file that was imported before). A refused file stays where it is and is
    not tried again until it changes. Hidden files, links, other kinds of file and files changed
    in the last `settle` seconds (an upload still being written) are left alone."""
    folder = folder if folder is not None else settings.ROSTER_FOLDER
    if not folder:
        return []
    folder = Path(folder)
    if not folder.is_dir():
        logger.warning(
            "BELONG_ROSTER_FOLDER %s is not a folder: no roster file is imported", folder
        )
        return []
    records = []
    now = timezone.now()
    for path in sorted(folder.iterdir()):
        if (
            path.name.startswith(".")
            or path.suffix.lower() not in FORMATS
            or path.is_symlink()
            or not path.is_file()
            or now.timestamp() - path.stat().st_mtime < settle
        ):
            continue
        digest = file_digest(path)
        seen = set(RosterImport.objects.filter(digest=digest).values_list("outcome", flat=True))
        if RosterImport.Outcome.APPLIED in seen:
            _move_done(path, folder, now)
            continue
        if RosterImport.Outcome.REFUSED in seen:
            continue
        try:
            record = import_file(path)
        except Exception:  # a fault of ours: reported once, not tried again every minute
            logger.exception("The roster file %s could not be imported", path.name)
            record = RosterImport.objects.create(
                file_name=path.name[:255],
                digest=digest,
                outcome=RosterImport.Outcome.REFUSED,
                finished_at=timezone.now(),
                report={
                    "file": path.name,
                    "outcome": RosterImport.Outcome.REFUSED,
                    "errors": [
                        Problem(
                            0, "file", _("Belong failed on this file: see the server's log.")
                        ).as_dict()
                    ],
                    "error_count": 1,
                },
            )
        records.append(record)
        if record.outcome == RosterImport.Outcome.APPLIED:
            _move_done(path, folder, now)
    return records


def _move_done(path: Path, folder: Path, now) -> None:
    done = folder / DONE_FOLDER
    try:
        done.mkdir(exist_ok=True)
        os.replace(path, done / _done_name(path, now))
    except OSError as error:
        logger.warning("The roster file %s could not be moved to %s: %s", path.name, done, error)

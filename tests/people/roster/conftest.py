"""Roster files for the tests, written to a fresh folder: `csv_roster(rows, header=HEADER)` and
`xlsx_roster(rows, header=HEADER)` (rows as lists of cells, or dicts by column) give a path;
`imported(path, dry_run=False)` runs the importer and returns its RosterImport."""

import csv

import pytest
from openpyxl import Workbook

from belong.people import roster

# The leaver's set-up of tests/people/test_leavers.py (alice with a seat to come, a leader term,
# a token, a signed-in browser and mail waiting), and its operator.
from tests.people.test_leavers import leaving, operator  # noqa: F401

HEADER = [
    "employee_id",
    "email",
    "full_name",
    "preferred_name",
    "status",
    "hire_date",
    "termination_date",
    "org_unit",
    "program",
    "kind",
    "pgy_year",
]
DEPARTMENT = "University Health > Twin Cities > Medicine"
PROGRAM = "Internal Medicine Residency"


def person_row(n=1, **cells):
    """A valid row for person n, with `cells` changed (column -> value)."""
    row = {
        "employee_id": f"E{1000 + n}",
        "email": f"person{n}@example.org",
        "full_name": f"Person {n}",
        "preferred_name": "",
        "status": "active",
        "hire_date": "2024-07-01",
        "termination_date": "",
        "org_unit": DEPARTMENT,
        "program": PROGRAM,
        "kind": "resident",
        "pgy_year": "2",
    }
    row.update(cells)
    return row


def _cells(row, header):
    if isinstance(row, dict):
        return [row.get(name, "") for name in header]
    return list(row)


@pytest.fixture
def csv_roster(tmp_path):
    def write(rows, header=HEADER, name="roster.csv", encoding="utf-8"):
        path = tmp_path / name
        with open(path, "w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            if header is not None:
                writer.writerow(header)
            for row in rows:
                writer.writerow(_cells(row, header or []))
        return path

    return write


@pytest.fixture
def xlsx_roster(tmp_path):
    def write(rows, header=HEADER, name="roster.xlsx"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(_cells(row, header))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def imported(db):
    def run(path, dry_run=False):
        return roster.import_file(path, dry_run=dry_run)

    return run

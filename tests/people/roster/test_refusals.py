"""What a roster is refused for: every column's bad values named by line and column, duplicate
people, unknown and missing columns, empty files, and hostile files (formulas, NUL, a huge cell,
the wrong encoding, a file that is not what it says). A refused file changes nothing but the
RosterImport that reports it."""

import json
import zipfile

import pytest
from openpyxl import Workbook

from belong.people.models import OrgUnit, Person, RosterImport
from tests.people.roster.conftest import HEADER, person_row

pytestmark = pytest.mark.django_db

REFUSED = RosterImport.Outcome.REFUSED

# (column, bad value, words the message says)
BAD_VALUES = [
    ("employee_id", "", "required"),
    ("employee_id", "E" * 65, "at most 64"),
    ("email", "", "required"),
    ("email", "ana at example.org", "not an email address"),
    ("full_name", "", "required"),
    ("full_name", "N" * 201, "at most 200"),
    ("preferred_name", "P" * 121, "at most 120"),
    ("status", "", "required"),
    ("status", "retired", "active, leave, terminated"),
    ("hire_date", "07/01/2024", "YYYY-MM-DD"),
    ("hire_date", "2024-02-30", "not a date"),
    ("hire_date", "1850-01-01", "not a plausible date"),
    ("termination_date", "yesterday", "YYYY-MM-DD"),
    ("termination_date", "2020-01-01", "before the hire date"),
    ("org_unit", "University Health >  > Medicine", "path of 1 to 4 names"),
    ("org_unit", "A > B > C > D > E", "path of 1 to 4 names"),
    ("kind", "wizard", "not a kind Belong knows"),
    ("pgy_year", "PGY-12", "from 1 to 10"),
    ("pgy_year", "two", "from 1 to 10"),
]


def test_every_bad_value_is_named_by_line_and_column(csv_roster, imported):
    rows = [person_row(n, **{column: value}) for n, (column, value, _) in enumerate(BAD_VALUES)]
    # org unit problems are about the whole path: those rows give no program
    for row in rows:
        if row["org_unit"] != person_row()["org_unit"]:
            row["program"] = ""
    rows.append(person_row(99))  # a good row: not created either
    record = imported(csv_roster(rows))

    assert record.outcome == REFUSED
    assert not Person.objects.exists() and not OrgUnit.objects.exists()
    errors = record.report["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [
        (n + 2, column) for n, (column, _, _) in enumerate(BAD_VALUES)
    ]
    for error, (_, _, words) in zip(errors, BAD_VALUES, strict=True):
        assert words in error["message"], error
    assert record.report["error_count"] == len(BAD_VALUES)


def test_several_bad_cells_of_one_row_are_each_named(csv_roster, imported):
    row = person_row(1, email="x", kind="wizard", pgy_year="0", hire_date="soon")
    record = imported(csv_roster([row]))
    assert sorted(e["column"] for e in record.report["errors"]) == [
        "email",
        "hire_date",
        "kind",
        "pgy_year",
    ]
    assert {e["line"] for e in record.report["errors"]} == {2}


@pytest.mark.parametrize(
    "cells, message",
    [
        ({"org_unit": "", "program": "Surgery Residency"}, "give org_unit too"),
        (
            {"org_unit": "U > C > Medicine > Cardiology", "program": "Surgery Residency"},
            "names another",
        ),
    ],
)
def test_a_program_needs_its_department(cells, message, csv_roster, imported):
    record = imported(csv_roster([person_row(1, **cells)]))
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (2, "program")
    assert message in error["message"]


def test_a_program_named_again_at_the_end_of_the_path_is_the_same_program(csv_roster, imported):
    path = "U > C > Medicine > Cardiology"
    record = imported(csv_roster([person_row(1, org_unit=path, program=" cardiology ")]))
    assert record.outcome == RosterImport.Outcome.APPLIED, record.report
    assert Person.objects.get().org_unit.name == "Cardiology"


def test_duplicate_ids_and_addresses_name_both_lines(csv_roster, imported):
    rows = [
        person_row(1),
        person_row(2),
        person_row(3, employee_id="e1001"),  # the same id, another case
        person_row(4, email="PERSON2@example.org"),
    ]
    record = imported(csv_roster(rows))
    assert record.outcome == REFUSED
    errors = {(e["line"], e["column"]): e["message"] for e in record.report["errors"]}
    assert set(errors) == {(4, "employee_id"), (5, "email")}
    assert "Line 2" in errors[(4, "employee_id")]
    assert "Line 3" in errors[(5, "email")]
    assert not Person.objects.exists()


def test_unknown_columns_are_refused_by_name_and_never_kept(csv_roster, imported):
    header = [*HEADER, "Race", "gender_identity"]
    row = [*person_row(1).values(), "Zephyrian", "Nonbinary"]
    record = imported(csv_roster([row], header=header))
    assert record.outcome == REFUSED
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (1, "header")
    assert "Unknown columns: race, gender_identity" in error["message"]
    stored = json.dumps(record.report)
    assert "Zephyrian" not in stored and "Nonbinary" not in stored
    assert not Person.objects.exists()


def test_a_huge_header_is_refused_briefly(csv_roster, imported):
    header = [*HEADER, *(f"extra{n}" for n in range(5000))]
    record = imported(csv_roster([], header=header))
    (error,) = record.report["errors"]
    assert "and 4980 more" in error["message"]
    assert len(error["message"]) < 2000


@pytest.mark.parametrize(
    "header, missing",
    [
        (["email", "full_name", "status"], "employee_id"),
        (["employee_id", "full_name"], "email, status"),
        (["employee_id", "email", "status"], "full_name (or given_name and family_name)"),
        (["employee_id", "email", "status", "given_name"], "full_name (or given_name"),
    ],
)
def test_missing_columns_are_named(header, missing, csv_roster, imported):
    record = imported(csv_roster([["x"] * len(header)], header=header))
    (error,) = record.report["errors"]
    assert error["line"] == 1 and f"Missing columns: {missing}" in error["message"]


def test_both_kinds_of_name_and_a_column_twice_are_refused(csv_roster, imported):
    header = ["employee_id", "email", "full_name", "given_name", "status", "Email"]
    record = imported(csv_roster([["E1", "a@example.org", "A", "A", "active", "b"]], header=header))
    messages = " ".join(e["message"] for e in record.report["errors"])
    assert "Columns named twice: email" in messages
    assert "not both" in messages


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty"),
        (b"\n\n,,,\n", "The file is empty"),
        (",".join(HEADER).encode() + b"\n", "a header but no people"),
    ],
)
def test_empty_files_are_refused(content, message, tmp_path, imported):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    record = imported(path)
    assert record.outcome == REFUSED
    assert message in record.report["errors"][0]["message"]


def test_a_row_longer_than_the_header_is_refused(csv_roster, imported):
    row = [*person_row(1).values(), "surplus"]
    record = imported(csv_roster([row]))
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (2, "row")


# --- hostile files ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=cmd()", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"])
def test_formulas_are_refused(value, csv_roster, imported):
    record = imported(csv_roster([person_row(1, full_name=value)]))
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (2, "full_name")
    assert "formula" in error["message"]
    assert not Person.objects.exists()


def test_an_xlsx_formula_cell_is_refused(xlsx_roster, imported):
    record = imported(xlsx_roster([person_row(1, preferred_name='=HYPERLINK("http://x","y")')]))
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (2, "preferred_name")
    assert "formula" in error["message"]


@pytest.mark.parametrize("value", ["Ana\x00Ruiz", "Ana\nRuiz", "Ana\x1bRuiz"])
def test_control_characters_are_refused(value, csv_roster, imported):
    record = imported(csv_roster([person_row(1, full_name=value)]))
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (2, "full_name")
    assert "control characters" in error["message"]


def test_a_long_cell_and_a_huge_cell_are_refused(csv_roster, imported, tmp_path):
    record = imported(csv_roster([person_row(1, full_name="A" * 5000)]))
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (2, "full_name")
    assert "longer than 1000" in error["message"]
    huge = imported(csv_roster([person_row(1, full_name="A" * 300_000)], name="huge.csv"))
    assert huge.outcome == REFUSED
    assert "Row 2 could not be read as CSV" in huge.report["errors"][0]["message"]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_a_file_in_another_encoding_is_refused_clearly(encoding, csv_roster, imported):
    record = imported(csv_roster([person_row(1, full_name="José Núñez")], encoding=encoding))
    assert record.outcome == REFUSED
    assert "not UTF-8 text" in record.report["errors"][0]["message"]
    assert not Person.objects.exists()


def test_files_that_are_not_what_they_say_are_refused(tmp_path, imported):
    fake = tmp_path / "roster.xlsx"
    fake.write_text("employee_id,email\n")
    assert "not an XLSX workbook" in imported(fake).report["errors"][0]["message"]
    empty_zip = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "could not be read" in imported(empty_zip).report["errors"][0]["message"]
    other = tmp_path / "roster.txt"
    other.write_text("x")
    assert ".csv or an .xlsx" in imported(other).report["errors"][0]["message"]
    gone = imported(tmp_path / "missing.csv")
    assert gone.outcome == REFUSED and "could not be read" in gone.report["errors"][0]["message"]


def test_a_corrupt_sheet_is_refused(tmp_path, imported, xlsx_roster):
    good = xlsx_roster([person_row(1)])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    record = imported(broken)
    assert record.outcome == REFUSED
    assert "workbook could not be read" in record.report["errors"][0]["message"]
    assert not Person.objects.exists()


def test_an_xlsx_row_numbers_skip_blank_rows_as_the_spreadsheet_does(tmp_path, imported):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(list(person_row(1).values()))
    sheet.cell(row=6, column=1, value="E1006")
    sheet.cell(row=6, column=2, value="nope")
    for column, value in enumerate(list(person_row(6).values())[2:], start=3):
        sheet.cell(row=6, column=column, value=value)
    path = tmp_path / "gaps.xlsx"
    workbook.save(path)
    record = imported(path)
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (6, "email")


def test_many_errors_are_counted_and_the_report_stays_small(csv_roster, imported):
    record = imported(csv_roster([person_row(n, email=f"bad{n}") for n in range(1500)]))
    assert record.report["error_count"] == 1500
    assert len(record.report["errors"]) == 1000


def test_a_duplicate_is_named_even_when_its_first_line_has_another_problem(csv_roster, imported):
    rows = [person_row(1, pgy_year="13"), person_row(2, employee_id=" E1001 ")]
    record = imported(csv_roster(rows))
    assert [(e["line"], e["column"]) for e in record.report["errors"]] == [
        (2, "pgy_year"),
        (3, "employee_id"),
    ]

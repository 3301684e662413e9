"""Importing a roster (issue 16, part 4): people created, updated (only what changed) or left,
in CSV and XLSX, all or nothing, idempotent, and a dry run that changes nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from belong.people.models import OrgUnit, Person, RosterImport
from tests.builders import make_person, make_program_tree
from tests.people.roster.conftest import DEPARTMENT, HEADER, PROGRAM, person_row

pytestmark = pytest.mark.django_db

APPLIED = RosterImport.Outcome.APPLIED
REFUSED = RosterImport.Outcome.REFUSED


def state():
    """Everything an import may change."""
    people = sorted(
        Person.objects.values_list(
            "email",
            "full_name",
            "preferred_name",
            "employee_id",
            "kind",
            "org_unit_id",
            "campus_id",
            "pgy_year",
            "hr_status",
            "hired_on",
            "terminated_on",
            "directory_source",
            "is_active",
            "session_epoch",
            "password",
        )
    )
    units = sorted(OrgUnit.objects.values_list("pk", "name", "kind", "parent_id", "slug"))
    return people, units


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_roster_creates_people_with_their_places(kind, csv_roster, xlsx_roster, imported):
    write = csv_roster if kind == "csv" else xlsx_roster
    path = write(
        [
            person_row(1, preferred_name="Ana"),
            person_row(2, program="", kind="Faculty", pgy_year="", hire_date="2019-03-15"),
        ]
    )
    record = imported(path)

    assert record.outcome == APPLIED, record.report
    ana = Person.objects.get(employee_id="E1001")
    assert (ana.email, ana.full_name, ana.preferred_name, ana.kind, ana.pgy_year) == (
        "person1@example.org",
        "Person 1",
        "Ana",
        "resident",
        2,
    )
    assert ana.org_unit.name == PROGRAM and ana.org_unit.kind == OrgUnit.Kind.PROGRAM
    assert ana.org_unit.parent.name == "Medicine"
    assert ana.campus.name == "Twin Cities"
    assert ana.hr_status == "active" and ana.hired_on == datetime.date(2024, 7, 1)
    assert ana.directory_source == Person.Source.ROSTER
    assert not ana.has_usable_password()
    ben = Person.objects.get(employee_id="E1002")
    assert (ben.kind, ben.pgy_year, ben.org_unit.name) == ("faculty", None, "Medicine")
    report = record.report
    assert report["counts"]["created"] == 2 and report["rows"] == 2
    assert [entry["line"] for entry in report["changes"]] == [2, 3]
    assert ["email", "", "person1@example.org"] in report["changes"][0]["changes"]
    assert record.digest and record.file_name == path.name and record.finished_at


def test_xlsx_date_and_number_cells_are_read_as_values(xlsx_roster, imported):
    path = xlsx_roster(
        [person_row(1, employee_id=4711, hire_date=datetime.date(2023, 7, 1), pgy_year=3)]
    )
    assert imported(path).outcome == APPLIED
    person = Person.objects.get(email="person1@example.org")
    assert (person.employee_id, person.hired_on, person.pgy_year) == (
        "4711",
        datetime.date(2023, 7, 1),
        3,
    )


def test_a_csv_with_a_byte_order_mark_and_loose_header_names(csv_roster, imported):
    header = ["Employee ID", "E-mail" if False else "EMAIL", "Given Name", "family-name", "Status"]
    path = csv_roster(
        [["E1", "a@example.org", "Ana", "Ruiz", "Active"]], header=header, encoding="utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    record = imported(path)
    assert record.outcome == APPLIED, record.report
    person = Person.objects.get(employee_id="E1")
    assert (person.full_name, person.hr_status) == ("Ana Ruiz", "active")


def test_the_same_file_twice_changes_nothing_the_second_time(csv_roster, imported):
    path = csv_roster([person_row(n) for n in range(1, 6)])
    assert imported(path).outcome == APPLIED
    before = state()
    again = imported(path)
    assert again.outcome == APPLIED
    assert state() == before
    assert again.report["counts"]["left"] == 5 and again.report["changes"] == []


def test_only_what_changed_is_changed_and_reported(csv_roster, imported):
    imported(csv_roster([person_row(1), person_row(2)]))
    path = csv_roster(
        [
            person_row(1, pgy_year="3", program="Cardiology Fellowship", kind="fellow"),
            person_row(2),
        ],
        name="next.csv",
    )
    record = imported(path)
    assert record.outcome == APPLIED
    assert record.report["counts"] == {
        "created": 0,
        "updated": 1,
        "left": 1,
        "skipped": 0,
        "leavers": 0,
        "reactivated": 0,
    }
    (entry,) = record.report["changes"]
    fields = {change[0]: change[1:] for change in entry["changes"]}
    assert entry["line"] == 2 and entry["action"] == "updated"
    assert fields["pgy_year"] == [2, 3]
    assert fields["kind"] == ["resident", "fellow"]
    assert fields["org_unit"] == [
        f"{DEPARTMENT} > {PROGRAM}",
        f"{DEPARTMENT} > Cardiology Fellowship",
    ]
    assert set(fields) == {"pgy_year", "kind", "org_unit"}


def test_a_person_is_found_by_employee_id_then_by_email(csv_roster, imported):
    by_email = make_person("person1@example.org", "Old Name")
    by_id = make_person("someone@example.org", "Someone")
    by_id.employee_id = "E1002"
    by_id.save()
    record = imported(csv_roster([person_row(1), person_row(2)]))
    assert record.outcome == APPLIED, record.report
    by_email.refresh_from_db()
    by_id.refresh_from_db()
    assert (by_email.employee_id, by_email.full_name) == ("E1001", "Person 1")
    assert by_id.email == "person2@example.org"  # the id is the key: the address follows HR
    assert by_email.has_usable_password()  # an account of their own keeps its password
    assert Person.objects.count() == 2


def test_units_that_exist_are_used_whatever_their_case(csv_roster, imported):
    tree = make_program_tree()
    program = Person  # noqa: F841 (the tree's shape is the builders')
    units = list(OrgUnit.objects.all())
    assert units, tree
    leaf = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROGRAM).first()
    path = " > ".join([u.name.upper() for u in leaf.ancestors()] + [leaf.name.lower()])
    record = imported(csv_roster([person_row(1, org_unit=path, program="")]))
    assert record.outcome == APPLIED, record.report
    assert Person.objects.get(employee_id="E1001").org_unit == leaf
    assert OrgUnit.objects.count() == len(units)


def test_a_dry_run_reports_every_change_and_changes_nothing(csv_roster, imported):
    imported(csv_roster([person_row(1), person_row(2, status="active")]))
    before = state()
    path = csv_roster(
        [
            person_row(1, org_unit="New Health > North Campus > Surgery", program=""),
            person_row(2, status="terminated", termination_date="2026-11-30"),
            person_row(3),
        ],
        name="dry.csv",
    )
    record = imported(path, dry_run=True)
    assert record.outcome == RosterImport.Outcome.DRY_RUN
    assert state() == before  # not even the org units of the new path
    assert not OrgUnit.objects.filter(name="New Health").exists()
    by_line = {entry["line"]: entry for entry in record.report["changes"]}
    assert by_line[2]["action"] == "updated"
    assert ["org_unit", f"{DEPARTMENT} > {PROGRAM}", "New Health > North Campus > Surgery"] in (
        by_line[2]["changes"]
    )
    assert ["is_active", True, False] in by_line[3]["changes"]
    assert ["hr_status", "active", "terminated"] in by_line[3]["changes"]
    assert by_line[4]["action"] == "created"
    assert record.report["counts"]["leavers"] == 1
    # and the real run does what the dry run said
    applied = imported(path)
    assert applied.outcome == APPLIED
    dry = [e["changes"] for e in record.report["changes"]]
    dry[0][1][2] = "New Health > North Campus"
    assert [e["changes"] for e in applied.report["changes"]] == dry


def test_one_bad_row_and_nothing_is_changed(csv_roster, imported):
    imported(csv_roster([person_row(1)]))
    before = state()
    path = csv_roster(
        [
            person_row(1, pgy_year="4", org_unit="Elsewhere > Campus"),
            person_row(2),
            person_row(3, email="not an address"),
        ],
        name="bad.csv",
    )
    record = imported(path)
    assert record.outcome == REFUSED
    assert state() == before
    assert record.report["errors"] == [
        {"line": 4, "column": "email", "message": "“not an address” is not an email address."}
    ]
    assert record.report["changes"] == [] and record.report["counts"] == {}


def test_a_conflict_found_while_applying_undoes_the_rows_before_it(csv_roster, imported):
    """Row 3 takes an address another person has: found only when applying, after rows 2 was
    applied; the whole file is refused and row 2's person is not created."""
    make_person("taken@example.org", "Taken")
    imported(csv_roster([person_row(3)], name="first.csv"))
    before = state()
    record = imported(
        csv_roster([person_row(2), person_row(3, email="taken@example.org")], name="second.csv")
    )
    assert record.outcome == REFUSED
    assert state() == before
    assert not OrgUnit.objects.filter(name="Elsewhere").exists()
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (3, "email")
    assert "Another person already has this" in error["message"]


def test_the_command_prints_the_report_and_fails_when_refused(csv_roster, capsys):
    path = csv_roster([person_row(1)])
    call_command("import_people", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Line 2 (employee id E1001): created" in out
    assert "dry run, nothing was changed" in out
    assert not Person.objects.exists()
    call_command("import_people", str(path))
    assert Person.objects.filter(employee_id="E1001").exists()
    bad = csv_roster([person_row(2, status="gone")], name="bad.csv")
    with pytest.raises(CommandError, match="refused"):
        call_command("import_people", str(bad))
    out = capsys.readouterr().out
    assert "line 2, column status: The status must be one of" in out
    assert RosterImport.objects.count() == 3


def test_people_not_in_the_file_are_left_alone(csv_roster, imported):
    imported(csv_roster([person_row(1), person_row(2)]))
    imported(csv_roster([person_row(1)], name="smaller.csv"))
    absent = Person.objects.get(employee_id="E1002")
    assert absent.is_active and absent.hr_status == "active"


def test_empty_optional_cells_clear_or_leave_as_documented(csv_roster, imported):
    imported(csv_roster([person_row(1, preferred_name="Ana")]))
    record = imported(
        csv_roster(
            [
                person_row(
                    1,
                    preferred_name="",
                    pgy_year="",
                    org_unit="",
                    program="",
                    kind="",
                    hire_date="",
                )
            ],
            name="blank.csv",
        )
    )
    assert record.outcome == APPLIED, record.report
    person = Person.objects.get(employee_id="E1001")
    # preferred name and PGY year are cleared; kind, org unit and dates are left as they were
    assert (person.preferred_name, person.pgy_year) == ("", None)
    assert (person.kind, person.org_unit.name, person.hired_on) == (
        "resident",
        PROGRAM,
        datetime.date(2024, 7, 1),
    )


def test_a_header_only_names_the_required_columns(csv_roster, imported):
    header = ["employee_id", "email", "full_name", "status"]
    record = imported(csv_roster([["E1", "a@example.org", "Ana Ruiz", "leave"]], header=header))
    assert record.outcome == APPLIED
    assert Person.objects.get(employee_id="E1").hr_status == "leave"
    assert Person.objects.get(employee_id="E1").is_active  # on leave: still signs in
    assert HEADER[:3] == ["employee_id", "email", "full_name"]


def test_an_employee_id_is_found_whatever_its_case(csv_roster, imported):
    known = make_person("someone@example.org", "Someone")
    known.employee_id = "e1001"
    known.save()
    record = imported(csv_roster([person_row(1)]))
    assert record.outcome == APPLIED, record.report
    known.refresh_from_db()
    assert (known.employee_id, known.email) == ("E1001", "person1@example.org")
    assert Person.objects.count() == 1


def test_given_and_family_names_are_checked_together(csv_roster, imported):
    header = ["employee_id", "email", "given_name", "family_name", "status"]
    record = imported(
        csv_roster(
            [
                ["E1", "a@example.org", "", "", "active"],
                ["E2", "b@example.org", "B" * 150, "C" * 100, "active"],
            ],
            header=header,
        )
    )
    assert [(e["line"], e["column"]) for e in record.report["errors"]] == [
        (2, "given_name"),
        (3, "given_name + family_name"),
    ]


def test_two_rows_that_find_the_same_person_are_refused(csv_roster, imported):
    """Line 2 finds the person by address (its id is new), line 3 by their employee id."""
    known = make_person("person1@example.org", "Known")
    known.employee_id = "E1002"
    known.save()
    before = state()
    record = imported(csv_roster([person_row(1), person_row(2)]))
    assert record.outcome == REFUSED
    (error,) = record.report["errors"]
    assert (error["line"], error["column"]) == (3, "employee_id")
    assert "Line 2 is the same person" in error["message"]
    assert state() == before


def test_what_changed_in_belong_since_is_set_back_by_the_next_file(csv_roster, imported):
    path = csv_roster([person_row(1), person_row(2)])
    imported(path)
    moved, renamed = Person.objects.order_by("employee_id")
    other = OrgUnit.objects.create(name="Elsewhere", slug="elsewhere", kind="institution")
    Person.objects.filter(pk=moved.pk).update(campus=other)  # the campus alone
    Person.objects.filter(pk=renamed.pk).update(full_name="Typed By Hand", directory_source="")
    record = imported(csv_roster([person_row(1), person_row(2)], name="again.csv"))
    assert record.report["counts"]["updated"] == 2, record.report
    moved.refresh_from_db()
    renamed.refresh_from_db()
    assert moved.campus.name == "Twin Cities"
    assert (renamed.full_name, renamed.directory_source) == ("Person 2", "roster")


def test_a_unit_spelt_in_another_case_is_still_the_persons_unit(csv_roster, imported):
    imported(csv_roster([person_row(1)]))
    OrgUnit.objects.filter(name="Medicine").update(name="MEDICINE")
    before = state()
    record = imported(csv_roster([person_row(1)], name="again.csv"))
    assert record.report["counts"]["left"] == 1 and state() == before

"""belong.people.directory: the institution's facts, applied the same way for every source."""

import pytest

from belong.people import directory
from belong.people.directory import DirectoryRefused, Facts
from belong.people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db

PATH = "University Health > Twin Cities > Medicine > Internal Medicine Residency"


def test_a_new_person_from_facts_gets_units_by_path_and_no_password():
    person = Person(email="")
    changes = directory.apply(
        person,
        Facts(
            email=" Ana@Example.org ",
            full_name="Ana  Ruiz",
            employee_id="E1",
            kind="House Staff",
            org_unit_path=PATH,
            pgy_year="PGY-2",
            hr_status="Active",
        ),
        source=Person.Source.ROSTER,
    )
    person.refresh_from_db()
    assert (person.email, person.full_name, person.kind, person.pgy_year) == (
        "ana@example.org",
        "Ana Ruiz",
        "resident",
        2,
    )
    assert person.org_unit.kind == OrgUnit.Kind.PROGRAM
    assert [u.kind for u in person.org_unit.ancestors()] == ["institution", "campus", "department"]
    assert person.campus.name == "Twin Cities"
    assert not person.has_usable_password()
    assert person.directory_source == "roster" and person.hr_status == "active"
    assert ("org_unit", "", PATH) in changes
    # the same path again finds the same units (names compared without case)
    again = Person(email="")
    directory.apply(
        again, Facts(email="b@example.org", org_unit_path=PATH.upper()), source=Person.Source.ROSTER
    )
    assert again.org_unit_id == person.org_unit_id and OrgUnit.objects.count() == 4


def test_applying_the_same_facts_twice_changes_nothing_the_second_time():
    person = Person(email="")
    facts = Facts(email="c@example.org", full_name="C", kind="faculty", org_unit_path=PATH)
    directory.apply(person, facts, source=Person.Source.SSO)
    assert directory.apply(person, facts, source=Person.Source.SSO) == []


@pytest.mark.parametrize(
    "facts, field",
    [
        (Facts(email="not an address"), "email"),
        (Facts(kind="wizard"), "kind"),
        (Facts(org_unit_path="A > > B"), "org_unit"),
        (Facts(org_unit_path="A > B > C > D > E"), "org_unit"),
        (Facts(pgy_year="PGY-0"), "pgy_year"),
        (Facts(pgy_year="eleven"), "pgy_year"),
        (Facts(hr_status="retired"), "hr_status"),
        (Facts(full_name="x" * 201), "full_name"),
    ],
)
def test_a_fact_that_cannot_be_used_is_refused_naming_it_and_nothing_changes(facts, field):
    person = Person.objects.create_user(email="d@example.org", full_name="D")
    with pytest.raises(DirectoryRefused) as refused:
        directory.apply(person, facts, source=Person.Source.SCIM)
    assert refused.value.field == field and refused.value.status == 400
    person.refresh_from_db()
    assert (person.full_name, person.directory_source, person.org_unit_id) == ("D", "", None)
    assert OrgUnit.objects.count() == 0


def test_an_address_or_employee_id_of_another_person_is_refused():
    Person.objects.create_user(email="taken@example.org", full_name="T", employee_id="E9")
    person = Person.objects.create_user(email="e@example.org", full_name="E")
    for facts, field in (
        (Facts(email="TAKEN@example.org"), "email"),
        (Facts(employee_id="E9"), "employee_id"),
    ):
        with pytest.raises(DirectoryRefused) as refused:
            directory.apply(person, facts, source=Person.Source.SCIM)
        assert refused.value.field == field and refused.value.status == 409
    person.refresh_from_db()
    assert person.email == "e@example.org" and person.employee_id is None


def test_a_dry_run_names_the_units_it_would_create_and_creates_none():
    person = Person.objects.create_user(email="f@example.org", full_name="F")
    changes = directory.apply(person, Facts(org_unit_path=PATH), source="roster", save=False)
    assert ("org_unit", "", PATH) in changes
    assert OrgUnit.objects.count() == 0
    person.refresh_from_db()
    assert person.directory_source == ""


def test_an_empty_path_takes_the_org_unit_and_campus_away():
    person = Person(email="")
    directory.apply(person, Facts(email="g@example.org", org_unit_path=PATH), source="scim")
    changes = directory.apply(person, Facts(org_unit_path=" "), source="scim")
    person.refresh_from_db()
    assert person.org_unit_id is None and person.campus_id is None
    assert ("org_unit", PATH, "") in changes
    assert directory.apply(person, Facts(org_unit_path=""), source="scim") == []

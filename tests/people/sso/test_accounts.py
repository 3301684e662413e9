"""belong.people.sso.accounts without a provider: the claims' mapping, and erasure deleting
the provider's subject."""

import pytest

from belong.people import personal_data
from belong.people.models import ExternalIdentity, Person
from belong.people.sso import accounts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "affiliations, kind",
    [
        ("member;faculty", "faculty"),
        (["employee", "staff"], "staff"),
        (["member"], "staff"),
        ("alum", None),
        ("alum; student", "student"),
        (None, None),
    ],
)
def test_the_most_telling_affiliation_gives_the_kind(affiliations, kind):
    assert accounts.kind_of(affiliations) == kind


def test_names_come_from_name_else_given_and_family():
    assert accounts.facts_from({"name": "Ana Ruiz", "given_name": "X"}).full_name == "Ana Ruiz"
    assert accounts.facts_from({"given_name": "Ana", "family_name": "Ruiz"}).full_name == "Ana Ruiz"
    assert accounts.facts_from({}).full_name is None


def test_erasure_deletes_the_providers_subject():
    person = accounts.person_for(
        issuer="https://idp.example.edu",
        subject="subject-1",
        claims={"email": "ana@example.edu", "name": "Ana"},
        email_verified=True,
    )
    assert ExternalIdentity.objects.filter(person=person).exists()
    personal_data.erase(person, actor=None)
    assert not ExternalIdentity.objects.exists()
    erased = Person.objects.get(pk=person.pk)
    assert erased.is_erased and erased.employee_id is None and erased.directory_source == ""
    # The same subject signing in again is a new, empty account, not the erased one.
    again = accounts.person_for(
        issuer="https://idp.example.edu",
        subject="subject-1",
        claims={"email": "ana@example.edu", "name": "Ana"},
        email_verified=True,
    )
    assert again.pk != person.pk


def test_no_subject_or_no_address_is_refused_and_nothing_is_made():
    for issuer, subject, claims in (
        ("https://idp", "", {"email": "a@example.edu"}),
        ("", "s", {"email": "a@example.edu"}),
        ("https://idp", "s", {"name": "No Address"}),
    ):
        with pytest.raises(accounts.SsoRefused):
            accounts.person_for(issuer=issuer, subject=subject, claims=claims, email_verified=True)
    assert not Person.objects.exists()


def test_what_the_institution_keeps_cannot_be_changed_on_the_profile(client):
    from belong.people.models import OrgUnit

    unit = OrgUnit.objects.create(name="Medicine", slug="medicine", kind=OrgUnit.Kind.DEPARTMENT)
    other = OrgUnit.objects.create(name="Surgery", slug="surgery", kind=OrgUnit.Kind.DEPARTMENT)
    person = Person.objects.create_user(
        email="kept@example.edu",
        full_name="Kept Person",
        kind="resident",
        org_unit=unit,
        directory_source=Person.Source.SCIM,
    )
    client.force_login(person)
    page = client.get("/me/profile/").content.decode()
    assert "Kept by your institution (SCIM provisioning)" in page
    answer = client.post(
        "/me/profile/",
        {
            "full_name": "Someone Else",
            "kind": "faculty",
            "org_unit": other.pk,
            "preferred_name": "K",
            "language": "en",
        },
    )
    assert answer.status_code in (200, 302)
    person.refresh_from_db()
    assert (person.full_name, person.kind, person.org_unit_id) == (
        "Kept Person",
        "resident",
        unit.pk,
    )
    assert person.preferred_name == "K"  # what is the person's own still changes
    # A record nobody keeps is the person's to change.
    Person.objects.filter(pk=person.pk).update(directory_source="")
    client.post(
        "/me/profile/",
        {"full_name": "New Name", "kind": "faculty", "org_unit": other.pk, "language": "en"},
    )
    person.refresh_from_db()
    assert (person.full_name, person.kind, person.org_unit_id) == ("New Name", "faculty", other.pk)


def test_a_first_sign_in_finds_the_person_hr_provisioned():
    """SCIM or a roster made the account (no password): the provider's first sign-in for the
    same employee id, or the same verified address, is that person; an account someone holds a
    password for is not taken over by address."""
    by_id = Person.objects.create_user(
        email="old-address@example.edu",
        full_name="By Id",
        employee_id="E7",
        directory_source=Person.Source.SCIM,
    )
    found = accounts.person_for(
        issuer="https://idp",
        subject="s1",
        email_verified=False,
        claims={"email": "new@example.edu", "employee_id": "E7"},
    )
    assert found.pk == by_id.pk
    provisioned = Person.objects.create_user(
        email="roster@example.edu", full_name="Rostered", directory_source=Person.Source.ROSTER
    )
    provisioned.set_unusable_password()
    provisioned.save()
    with pytest.raises(accounts.SsoRefused):  # not verified: never by address
        accounts.person_for(
            issuer="https://idp",
            subject="s2",
            email_verified=False,
            claims={"email": "roster@example.edu"},
        )
    found = accounts.person_for(
        issuer="https://idp",
        subject="s2",
        email_verified=True,
        claims={"email": "roster@example.edu"},
    )
    assert found.pk == provisioned.pk
    local = Person.objects.create_user(
        email="local@example.edu",
        full_name="Local",
        password="a-password-of-their-own-1",
        directory_source=Person.Source.ROSTER,
    )
    with pytest.raises(accounts.SsoRefused):
        accounts.person_for(
            issuer="https://idp",
            subject="s3",
            email_verified=True,
            claims={"email": "local@example.edu"},
        )
    assert not ExternalIdentity.objects.filter(person=local).exists()

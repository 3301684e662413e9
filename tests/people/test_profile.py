import pytest
from django.urls import reverse

from belong.people.models import AuditEvent, OrgUnit

pytestmark = pytest.mark.django_db

URL = reverse("people:profile")


@pytest.fixture
def campus(db):
    institution = OrgUnit.objects.create(name="Medical School", slug="ms", kind="institution")
    return OrgUnit.objects.create(name="Duluth", slug="duluth", kind="campus", parent=institution)


def form_data(**overrides):
    data = {
        "full_name": "Alice Member",
        "preferred_name": "Ali",
        "pronouns": "she/her",
        "name_pronunciation": "AL-ee",
        "credentials": "MD",
        "kind": "resident",
        "campus": "",
        "org_unit": "",
        "language": "es",
        "email_announcements": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


def test_a_person_edits_their_profile(client, alice, campus):
    client.force_login(alice)
    response = client.post(URL, form_data(campus=str(campus.pk)))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (
        alice.preferred_name,
        alice.pronouns,
        alice.name_pronunciation,
        alice.credentials,
        alice.campus,
        alice.language,
    ) == ("Ali", "she/her", "AL-ee", "MD", campus, "es")
    assert alice.display_name == "Ali, MD"
    assert AuditEvent.objects.filter(verb="profile.updated", actor=alice).exists()


def test_language_choice_applies_to_the_next_page(client, alice):
    client.force_login(alice)
    client.post(URL, form_data(language="es"))
    response = client.get(URL)
    assert response.context["LANGUAGE_CODE"] == "es"


def test_bad_input_names_the_field_and_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.post(URL, form_data(language="fr", preferred_name="Changed"))
    assert response.status_code == 400
    assert "language" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.preferred_name == ""


def test_a_campus_must_be_a_campus(client, alice, campus):
    client.force_login(alice)
    response = client.post(URL, form_data(campus=str(campus.parent_id)))
    assert response.status_code == 400
    assert "campus" in response.context["form"].errors


def test_email_cannot_be_changed_through_the_profile(client, alice):
    client.force_login(alice)
    client.post(URL, form_data(email="mallory@example.org"))
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_wrong_method(client, alice):
    client.force_login(alice)
    assert client.put(URL).status_code == 405

import pytest
from django.urls import reverse

from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("people:login"), {"username": email, "password": password}, **extra)


def test_sign_in_by_email_lands_on_my_page(client, alice):
    response = sign_in(client, "alice@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:me")
    assert client.get(reverse("people:me")).context["user"] == alice


def test_email_is_case_insensitive(client, alice):
    response = sign_in(client, "  Alice@Example.ORG ")
    assert response.status_code == 302


def test_wrong_password_says_so_and_signs_nobody_in(client, alice):
    response = sign_in(client, "alice@example.org", "not-the-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_malformed_email_is_a_field_error(client, db):
    response = sign_in(client, "not an email")
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_sign_out_needs_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("people:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("people:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(settings, db):
    from belong.people.models import Person

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    person = Person.objects.create_user(
        email="h@example.org", password="a-long-passphrase", full_name="Hash"
    )
    assert person.password.startswith("argon2$")
    assert person.check_password("a-long-passphrase")


def test_the_production_hasher_list_starts_with_argon2():
    from belong import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_inactive_person_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = sign_in(client, "alice@example.org")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200

"""With single sign-on on, local passwords may be for operators only: everyone else is told to
sign in with the institution, and is never sent a link to set a password."""

import pytest
from django.contrib import auth
from django.test import override_settings

from belong.notifications.models import OutboundMessage
from belong.people import actions
from tests.builders import PASSWORD, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def passwords_off():
    with override_settings(
        LOCAL_PASSWORDS="operators",
        SSO_NAME="Test University",
        OIDC_ISSUER="https://idp.example.edu",
        OIDC_RP_CLIENT_ID="belong",
    ):
        yield


def sign_in(client, email):
    return client.post("/sign-in/", {"username": email, "password": PASSWORD})


def test_a_member_with_a_password_is_sent_to_sso(client, passwords_off):
    make_person("member@example.org", "Member")
    answer = sign_in(client, "member@example.org")
    assert answer.status_code == 200
    assert b"Passwords are turned off here: sign in with Test University." in answer.content
    assert not auth.get_user(client).is_authenticated


def test_a_staff_role_is_no_exception_but_an_operator_is(client, passwords_off):
    make_person("admin@example.org", "Admin", is_staff=True)
    sign_in(client, "admin@example.org")
    assert not auth.get_user(client).is_authenticated
    make_person("op@example.org", "Operator", is_superuser=True, is_staff=True)
    answer = sign_in(client, "op@example.org")
    assert answer.status_code == 302 and auth.get_user(client).is_authenticated


def test_the_pages_offer_sso_and_say_where_passwords_went(client, passwords_off):
    page = client.get("/sign-in/").content.decode()
    assert "Sign in with Test University" in page and 'href="/sso/oidc/"' in page
    assert "Operators: sign in with a password" in page
    reset = client.get("/password-reset/").content.decode()
    assert "Belong does not keep passwords for your account" in reset


def test_only_operators_are_sent_a_reset_link(passwords_off):
    make_person("member@example.org", "Member")
    make_person("op@example.org", "Operator", is_superuser=True, is_staff=True)
    assert actions.send_password_reset_by_email(email="member@example.org") == 0
    assert actions.send_password_reset_by_email(email="op@example.org") == 1
    assert not OutboundMessage.objects.filter(to_email="member@example.org").exists()
    assert OutboundMessage.objects.filter(to_email="op@example.org").count() == 1


def test_with_passwords_for_all_everyone_signs_in_with_one(client):
    make_person("member@example.org", "Member")
    assert sign_in(client, "member@example.org").status_code == 302

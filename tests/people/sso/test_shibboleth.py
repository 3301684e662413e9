"""SAML through the Shibboleth service provider: the attributes' headers are read on /sso/saml/
only when the request comes straight from the configured proxy; from anywhere else they are
refused, whatever the request says (a forwarded-for header included)."""

import pytest
from django.contrib import auth
from django.test import override_settings

from belong.people.models import ExternalIdentity, Person

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
IDP = "https://idp.example.edu/idp/shibboleth"
HEADERS = {
    "HTTP_X_BELONG_SAML_ISSUER": IDP,
    "HTTP_X_BELONG_SAML_SUBJECT": "ana@example.edu",
    "HTTP_X_BELONG_SAML_MAIL": "ana@example.edu",
    "HTTP_X_BELONG_SAML_GIVEN_NAME": "Ana",
    "HTTP_X_BELONG_SAML_SURNAME": "Ruiz",
    "HTTP_X_BELONG_SAML_AFFILIATION": "member;student",
}


@pytest.fixture(autouse=True)
def saml_on():
    with override_settings(SHIBBOLETH_PROXIES=[PROXY], SSO_NAME="Test University"):
        yield


def test_attributes_from_the_proxy_sign_the_person_in(client):
    answer = client.get("/sso/saml/", {"next": "/me/"}, REMOTE_ADDR=PROXY, **HEADERS)
    assert answer.status_code == 302 and answer["Location"] == "/me/"
    person = auth.get_user(client)
    assert (person.email, person.full_name, person.kind) == (
        "ana@example.edu",
        "Ana Ruiz",
        "student",
    )
    assert ExternalIdentity.objects.get(person=person).issuer == IDP
    # the same subject later is the same person
    client.logout()
    client.get("/sso/saml/", REMOTE_ADDR=PROXY, **HEADERS)
    assert auth.get_user(client).pk == person.pk and Person.objects.count() == 1


@pytest.mark.parametrize(
    "address, extra",
    [
        ("203.0.113.9", {}),
        ("127.0.0.1", {}),
        ("203.0.113.9", {"HTTP_X_FORWARDED_FOR": PROXY}),
        ("203.0.113.9", {"HTTP_X_REAL_IP": PROXY}),
    ],
)
def test_the_headers_are_refused_from_anywhere_but_the_proxy(client, address, extra):
    answer = client.get("/sso/saml/", REMOTE_ADDR=address, **HEADERS, **extra)
    assert answer.status_code == 403
    assert b"only through" in answer.content
    assert not auth.get_user(client).is_authenticated
    assert not Person.objects.exists() and not ExternalIdentity.objects.exists()


def test_no_subject_from_the_proxy_is_a_message(client):
    headers = {k: v for k, v in HEADERS.items() if k != "HTTP_X_BELONG_SAML_SUBJECT"}
    answer = client.get("/sso/saml/", REMOTE_ADDR=PROXY, **headers)
    assert answer.status_code == 302 and answer["Location"] == "/sign-in/"
    assert not Person.objects.exists()


def test_an_unsafe_next_is_ignored(client):
    answer = client.get(
        "/sso/saml/", {"next": "https://evil.example/"}, REMOTE_ADDR=PROXY, **HEADERS
    )
    assert answer["Location"] == "/me/"


def test_saml_is_off_without_a_proxy(client):
    with override_settings(SHIBBOLETH_PROXIES=[]):
        assert client.get("/sso/saml/", REMOTE_ADDR=PROXY, **HEADERS).status_code == 404


def test_a_post_is_refused(client):
    assert client.post("/sso/saml/", REMOTE_ADDR=PROXY, **HEADERS).status_code == 405
    assert not Person.objects.exists()

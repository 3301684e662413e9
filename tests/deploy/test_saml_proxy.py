"""SAML attributes through the real stack (nginx in front of gunicorn, as deployed): headers a
client sends are dropped by nginx, and Belong reads them only from the configured proxy address,
never because a forwarded-for header names it. The Shibboleth proxy stands beside nginx on the
loopback and speaks to gunicorn directly (docs/deploy.md "Single sign-on")."""

import http.client

import pytest

from belong.people.models import ExternalIdentity, Person
from tests.deploy.proxy_support import HOST, make_stack, remove

pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]

IDP = "https://idp.example.edu/idp/shibboleth"
ATTRIBUTES = {
    "X-Belong-Saml-Issuer": IDP,
    "X-Belong-Saml-Subject": "forged@example.edu",
    "X-Belong-Saml-Mail": "forged@example.edu",
    "X-Belong-Saml-Display-Name": "Forged Person",
}


def stack_with(proxies):
    stack = make_stack(BELONG_SHIBBOLETH_PROXIES=proxies, BELONG_SSO_NAME="Example University")
    stack.start()
    return stack


def straight_to_gunicorn(stack, headers):
    conn = http.client.HTTPConnection(HOST, stack.gunicorn_port, timeout=15)
    try:
        conn.request("GET", "/sso/saml/", headers={"Host": HOST, **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def test_the_proxys_headers_sign_in_and_a_clients_never_do():
    stack = stack_with("127.0.0.1")
    try:
        # A client through nginx: its headers never reach Belong (no one is signed in).
        status, headers, _body = stack.https("GET", "/sso/saml/", headers=ATTRIBUTES)
        assert status == 302 and headers["Location"] == "/sign-in/"
        assert not Person.objects.exists()
        # The Shibboleth proxy, on the configured address: the person is signed in.
        status, headers = straight_to_gunicorn(stack, ATTRIBUTES)
        assert status == 302 and headers["Location"] == "/me/"
        assert ExternalIdentity.objects.get(issuer=IDP).person.email == "forged@example.edu"
    finally:
        stack.stop()
        remove(stack)


def test_from_an_address_that_is_not_the_proxy_the_headers_are_refused():
    stack = stack_with("192.0.2.10")
    try:
        forwarded = {**ATTRIBUTES, "X-Forwarded-For": "192.0.2.10", "X-Real-IP": "192.0.2.10"}
        status, _headers = straight_to_gunicorn(stack, forwarded)
        assert status == 403
        assert not Person.objects.exists()
    finally:
        stack.stop()
        remove(stack)

"""OpenID Connect sign-in against a real provider (tests/peers/oidc): the code flow with PKCE,
state and nonce; the person found by issuer + subject, created on a first sign-in, updated from
the claims at each; linking, refusals, the provider's re-check and RP-initiated logout."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import auth
from django.test import override_settings

from belong.people import actions, sessions
from belong.people.models import AuditEvent, ExternalIdentity, OrgUnit, Person
from belong.people.sso import AUTH_METHOD_KEY, oidc
from tests.people.sso.conftest import at_provider, sign_in_with_sso

pytestmark = pytest.mark.django_db(transaction=True)

ANA = {
    "email": "ana.ruiz@example.org",
    "email_verified": True,
    "given_name": "Ana",
    "family_name": "Ruiz",
    "employee_id": "E-1001",
    "affiliation": ["member", "faculty"],
    "org_unit": "Test University > Main Campus > Medicine",
}
CLAIMS = {
    "OIDC_CLAIMS": {
        "email": "email",
        "given_name": "given_name",
        "family_name": "family_name",
        "name": "name",
        "employee_id": "employee_id",
        "affiliation": "affiliation",
        "org_unit": "org_unit",
    }
}


def signed_in(client):
    return auth.get_user(client)


def test_the_request_to_the_provider_carries_pkce_state_and_nonce(client, provider):
    answer = client.get("/sso/oidc/")
    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}" == provider.issuer
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://testserver/sso/oidc/callback/"]
    assert "code_verifier" not in query  # the verifier stays in Belong's session


def test_a_first_sign_in_creates_the_person_from_the_claims(client, provider):
    provider.set_account("sub-ana", **ANA)
    with override_settings(**CLAIMS):
        answer = sign_in_with_sso(client, "sub-ana")
    assert answer.status_code == 302 and answer["Location"] == "/me/"
    person = signed_in(client)
    assert person.is_authenticated
    assert (person.email, person.full_name, person.kind, person.employee_id) == (
        "ana.ruiz@example.org",
        "Ana Ruiz",
        "faculty",
        "E-1001",
    )
    assert person.org_unit.name == "Medicine" and person.campus.name == "Main Campus"
    assert person.directory_source == Person.Source.SSO and not person.has_usable_password()
    identity = ExternalIdentity.objects.get(person=person)
    assert (identity.issuer, identity.subject) == (provider.issuer, "sub-ana")
    assert client.session[AUTH_METHOD_KEY] == "sso"
    assert AuditEvent.objects.filter(verb="sso.created", object_id=str(person.pk)).exists()


def test_the_next_sign_in_finds_the_same_person_and_updates_the_claims(client, provider):
    provider.set_account("sub-ana", **ANA)
    with override_settings(**CLAIMS):
        sign_in_with_sso(client, "sub-ana")
        first = signed_in(client)
        client.logout()
        # The provider now says another name and address: the same subject is the same person.
        provider.set_account(
            "sub-ana", **{**ANA, "family_name": "Ruiz-Soto", "email": "ana@example.org"}
        )
        sign_in_with_sso(client, "sub-ana")
    again = signed_in(client)
    assert again.pk == first.pk
    assert (again.full_name, again.email) == ("Ana Ruiz-Soto", "ana@example.org")
    assert Person.objects.count() == 1 and OrgUnit.objects.count() == 3


def test_a_local_account_with_the_address_is_not_taken_over_unless_linking_is_allowed(
    client, provider
):
    local = Person.objects.create_user(
        email="ana.ruiz@example.org", full_name="Ana", password="pw-1-long-enough"
    )
    provider.set_account("sub-ana", **ANA)
    answer = sign_in_with_sso(client, "sub-ana")
    assert answer.status_code == 302 and answer["Location"] == "/sign-in/"
    assert not signed_in(client).is_authenticated
    assert not ExternalIdentity.objects.exists()
    # An unverified address is never linked, even when linking is allowed.
    provider.set_account("sub-ana", **{**ANA, "email_verified": False})
    with override_settings(OIDC_LINK_BY_EMAIL=True):
        sign_in_with_sso(client, "sub-ana")
        assert not signed_in(client).is_authenticated
        provider.set_account("sub-ana", **ANA)
        sign_in_with_sso(client, "sub-ana")
    assert signed_in(client).pk == local.pk
    assert ExternalIdentity.objects.get().person_id == local.pk


def test_a_leaver_cannot_sign_in_through_the_provider(client, provider):
    provider.set_account("sub-ana", **ANA)
    sign_in_with_sso(client, "sub-ana")
    person = signed_in(client)
    client.logout()
    actions.mark_leaver(person.pk, actor=None)
    answer = sign_in_with_sso(client, "sub-ana")
    assert answer["Location"] == "/sign-in/" and not signed_in(client).is_authenticated
    follow = client.get("/sign-in/")
    assert b"not active" in follow.content


def test_a_record_kept_by_hr_is_not_changed_by_the_claims(client, provider):
    kept = Person.objects.create_user(
        email="ana.ruiz@example.org",
        full_name="Ana R. (HR)",
        kind="staff",
        directory_source=Person.Source.SCIM,
    )
    ExternalIdentity.objects.create(person=kept, issuer=provider.issuer, subject="sub-ana")
    provider.set_account("sub-ana", **ANA)
    with override_settings(**CLAIMS):
        sign_in_with_sso(client, "sub-ana")
    kept.refresh_from_db()
    assert signed_in(client).pk == kept.pk
    assert (kept.full_name, kept.kind, kept.org_unit_id) == ("Ana R. (HR)", "staff", None)


def test_a_tampered_or_replayed_callback_is_a_message_not_a_500(client, provider):
    provider.set_account("sub-ana", **ANA)
    start = client.get("/sso/oidc/")
    back = urlsplit(at_provider(start["Location"], "sub-ana"))
    query = parse_qs(back.query)
    forged = client.get(back.path, {"code": "forged", "state": query["state"][0]})
    assert forged.status_code == 302 and forged["Location"] == "/sign-in/"
    assert not signed_in(client).is_authenticated
    # The state was used up by the forged attempt: the real code cannot be replayed with it.
    replay = client.get(back.path, query)
    assert replay["Location"] == "/sign-in/" and not signed_in(client).is_authenticated
    unknown = client.get(back.path, {"code": "x", "state": "never-issued"})
    assert unknown["Location"] == "/sign-in/" and not signed_in(client).is_authenticated
    refused = client.get(back.path, {"error": "access_denied"})
    assert refused["Location"] == "/sign-in/"
    assert b"did not work" in client.get("/sign-in/").content


def test_an_acr_requirement_refuses_a_weaker_sign_in(client, provider):
    provider.set_account("sub-ana", **ANA)
    with override_settings(OIDC_ACR_VALUES=["urn:mfa"]):
        answer = sign_in_with_sso(client, "sub-ana")
    assert answer["Location"] == "/sign-in/" and not signed_in(client).is_authenticated
    assert not Person.objects.exists()


def test_a_disabled_account_is_signed_out_at_the_next_check(client, provider, monkeypatch):
    provider.set_account("sub-ana", **ANA)
    sign_in_with_sso(client, "sub-ana")
    assert client.get("/me/").status_code == 200
    start = datetime.datetime.now(datetime.UTC)
    later = start + datetime.timedelta(minutes=16)
    monkeypatch.setattr(sessions, "now", lambda: later)
    # Still enabled: the check (a refresh at the provider) passes and the session goes on.
    assert client.get("/me/").status_code == 200
    assert client.session[oidc.CHECKED_AT] == int(later.timestamp())
    provider.disable("sub-ana")
    much_later = later + datetime.timedelta(minutes=16)
    monkeypatch.setattr(sessions, "now", lambda: much_later)
    answer = client.get("/me/")
    assert answer.status_code == 302 and answer["Location"].startswith("/sign-in/")
    assert not signed_in(client).is_authenticated


def test_an_unreachable_provider_does_not_sign_anyone_out(client, provider, monkeypatch):
    provider.set_account("sub-ana", **ANA)
    sign_in_with_sso(client, "sub-ana")
    provider.stop()
    oidc._discovery.clear()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=20)
    monkeypatch.setattr(sessions, "now", lambda: later)
    assert client.get("/me/").status_code == 200
    # asked again a minute later, not at every request
    checked = client.session[oidc.CHECKED_AT]
    assert int(later.timestamp()) - checked < 15 * 60
    provider.stop = lambda: None  # already stopped


def test_signing_out_ends_the_session_at_the_provider_too(client, provider):
    provider.set_account("sub-ana", **ANA)
    sign_in_with_sso(client, "sub-ana")
    answer = client.post("/sign-out/")
    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/session/end"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"] and query["id_token_hint"]
    assert not signed_in(client).is_authenticated


def test_a_password_sign_out_stays_at_belong(client, provider, alice):
    client.force_login(alice)
    answer = client.post("/sign-out/")
    assert answer["Location"] == "/"


def test_sso_is_off_without_an_issuer(client):
    assert client.get("/sso/oidc/").status_code == 404
    assert client.get("/sso/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert b"/sso/oidc/" not in client.get("/sign-in/").content


def test_every_page_lets_the_sign_out_form_go_to_the_provider(client, provider):
    policy = client.get("/").headers["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert provider.issuer in form_action and "'self'" in form_action
    with override_settings(OIDC_ISSUER=""):
        policy = client.get("/").headers["Content-Security-Policy"]
    assert provider.issuer not in policy

"""Single sign-on in Chromium, through the real redirect dance with a real OpenID provider run
as its own process (tests/peers/oidc): a first sign-in creates the person from the claims, a
second updates them, signing out ends the provider's session too (RP-initiated logout), and an
account the provider disabled is signed out at the next check. axe checks Belong's pages (the
provider's own sign-in pages are the peer's, not Belong's)."""

import datetime

import pytest
from django.test import override_settings

from belong.people import sessions
from belong.people.models import ExternalIdentity, Person
from tests.e2e.a11y import check_a11y, not_ours, visit
from tests.people.sso.provider import Provider

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ANA = {
    "email": "ana.ruiz@example.org",
    "email_verified": True,
    "given_name": "Ana",
    "family_name": "Ruiz",
    "affiliation": "resident",
    "org_unit": "Test University > Main Campus > Medicine > Internal Medicine Residency",
}
CLAIMS = {
    "email": "email",
    "given_name": "given_name",
    "family_name": "family_name",
    "name": "name",
    "employee_id": "",
    "affiliation": "affiliation",
    "org_unit": "org_unit",
}


@pytest.fixture
def provider(live_server):
    peer = Provider(
        redirect_uris=[f"{live_server.url}/sso/oidc/callback/"],
        post_logout_redirect_uris=[f"{live_server.url}/"],
    )
    try:
        with override_settings(**peer.settings(OIDC_CLAIMS=CLAIMS)):
            yield peer
    finally:
        peer.stop()


def through_the_provider(page, provider, subject):
    """At the provider's pages: sign in as `subject` (any password) and agree, until the
    browser is back at Belong."""
    for _step in range(6):
        if not page.url.startswith(provider.issuer):
            return
        if page.locator("input[name=login]").count():
            page.fill("input[name=login]", subject)
            page.fill("input[name=password]", "any password")
            with page.expect_navigation():
                page.get_by_role("button", name="Sign-in").click()
        else:
            with page.expect_navigation():
                page.locator("button[type=submit]").first.click()
    raise AssertionError(f"still at the provider: {page.url}")


def sign_in_with_sso(page, provider, subject):
    visit(page, "/sign-in/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Test University").click()
    through_the_provider(page, provider, subject)
    page.wait_for_load_state("load")
    check_a11y(page)


def test_sso_sign_in_update_sign_out_and_a_disabled_account(
    page, provider, monkeypatch, live_server
):
    not_ours(page, provider.issuer)
    provider.set_account("sub-ana", **ANA)

    sign_in_with_sso(page, provider, "sub-ana")
    assert page.url == f"{live_server.url}/me/"
    person = Person.objects.get(email="ana.ruiz@example.org")
    assert (person.full_name, person.kind, person.org_unit.name) == (
        "Ana Ruiz",
        "resident",
        "Internal Medicine Residency",
    )
    assert ExternalIdentity.objects.get(person=person).subject == "sub-ana"
    assert "Ana Ruiz" in page.locator("main").inner_text()

    # Signing out ends the provider's session too: its page asks, then sends the browser home.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.url.startswith(f"{provider.issuer}/session/end")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, sign me out").click()
    assert page.url == f"{live_server.url}/"
    check_a11y(page)

    # The provider now says another family name: the next sign-in brings it.
    provider.set_account("sub-ana", **{**ANA, "family_name": "Ruiz-Soto"})
    sign_in_with_sso(page, provider, "sub-ana")
    person.refresh_from_db()
    assert person.full_name == "Ana Ruiz-Soto" and Person.objects.count() == 1

    # Disabled at the provider: out at the next check, told why at the sign-in page.
    provider.disable("sub-ana")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=16)
    monkeypatch.setattr(sessions, "now", lambda: later)
    page.goto("/me/")
    assert page.url.startswith(f"{live_server.url}/sign-in/")
    check_a11y(page)
    assert "no longer accepts this sign-in" in page.locator("body").inner_text()

"""Attacks on institutional identity (issue 16): SCIM, single sign-on linking, the second
step of signing in. Each test is an attack; it passes when the attack is refused."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.people import roles
from belong.people.models import ExternalIdentity, Person
from belong.people.scim.tokens import create_scim_token, revoke_scim_token
from belong.people.sso import accounts
from tests.builders import PASSWORD, bearer, make_person, token_for
from tests.people.scim.conftest import (
    ERROR,
    Scim,
    assert_error,
    operations,
    user_body,
)

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.example.org"


@pytest.fixture
def scim(db):
    _token, value = create_scim_token(name="Entra")
    return Scim(value)


def provisioned(scim, email="jdoe@hospital.example", **fields):
    response = scim.post("/Users", user_body(email, **fields))
    assert response.status_code == 201, response.content
    return response.json()


# -- SCIM: who may call ------------------------------------------------------------------------


def test_a_persons_api_token_does_not_open_scim():
    someone = make_person("pat@example.org", "Pat", is_staff=True, is_superuser=True)
    response = Client().get("/scim/v2/Users", **bearer(token_for(someone)))
    assert_error(response, 401)


def test_a_revoked_scim_token_does_not_open_scim():
    token, secret = create_scim_token(name="Old")
    revoke_scim_token(id_or_name=str(token.pk))
    assert_error(Scim(secret).get("/Users"), 401)


def test_an_operators_session_does_not_open_scim(client):
    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert_error(client.get("/scim/v2/Users"), 401)


# -- SCIM: adopting and taking over accounts ---------------------------------------------------


@pytest.mark.parametrize("address", ["otto@example.org", "OTTO@Example.ORG", " otto@example.org "])
def test_scim_cannot_adopt_an_operators_account_by_its_address(scim, address):
    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    assert_error(scim.post("/Users", user_body("otto-scim", email=address)), 409)
    operator.refresh_from_db()
    assert operator.directory_source != Person.Source.SCIM


def test_scim_cannot_adopt_an_admin_access_account_by_its_address(scim):
    """An account with admin access (is_staff, not an operator) is kept by its operators like
    an operator's: HR adopting it could then move its address and so its password resets."""
    admin = make_person("ada@example.org", "Ada Admin", is_staff=True)
    assert_error(scim.post("/Users", user_body("ada-scim", email="ada@example.org")), 409)
    admin.refresh_from_db()
    assert admin.directory_source != Person.Source.SCIM
    assert admin.email == "ada@example.org"


def test_scim_cannot_move_an_address_onto_another_persons(scim):
    make_person("victim@example.org", "Vic Tim")
    jane = provisioned(scim)
    response = scim.patch(
        f"/Users/{jane['id']}",
        operations(
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": "VICTIM@example.org"}
        ),
    )
    assert_error(response, 409)
    assert Person.objects.get(pk=jane["id"]).email == "jdoe@hospital.example"


@pytest.mark.parametrize("privilege", ["operator", "admin_access"])
@pytest.mark.parametrize("method", ["patch", "put"])
def test_scim_cannot_move_an_operators_address_to_take_over_its_password_reset(
    scim, privilege, method
):
    """A person HR provisioned who became an operator (or got admin access): HR changing their
    address would send their password reset to whoever holds the new one."""
    jane = provisioned(scim)
    person = Person.objects.get(pk=jane["id"])
    person.set_password(PASSWORD)
    person.is_staff = True
    person.is_superuser = privilege == "operator"
    person.save()
    if method == "patch":
        body = operations(
            {
                "op": "replace",
                "path": "emails",
                "value": [{"value": "mallory@evil.example", "primary": True}],
            }
        )
    else:
        body = user_body("jdoe@hospital.example", email="mallory@evil.example")
    response = getattr(scim, method)(f"/Users/{jane['id']}", body)
    assert_error(response, 400, "mutability", mentions="emails")
    person.refresh_from_db()
    assert person.email == "jdoe@hospital.example"
    Client().post(reverse("people:password_reset"), {"email": "mallory@evil.example"})
    assert not [m for m in mail.outbox if "mallory@evil.example" in m.to]


def test_scim_still_updates_an_operators_other_facts(scim):
    """The refusal is about the address only: the same address in another case, and a new
    name, are taken."""
    jane = provisioned(scim)
    Person.objects.filter(pk=jane["id"]).update(is_staff=True, is_superuser=True)
    body = user_body("jdoe@hospital.example", email="JDoe@Hospital.example")
    body["name"] = {"formatted": "Jane Q Doe"}
    response = scim.put(f"/Users/{jane['id']}", body)
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=jane["id"]).full_name == "Jane Q Doe"


@pytest.mark.parametrize(
    "path, value",
    [
        ("password", "hunter22hunter22"),
        ("groups", [{"value": "1"}]),
        ("roles", [{"value": "operator"}]),
        ("entitlements", [{"value": "superuser"}]),
        ("is_superuser", True),
        ("is_staff", True),
        ("id", "1"),
        ("meta.created", "2020-01-01T00:00:00Z"),
    ],
)
def test_scim_patch_cannot_set_privileges_or_a_password(scim, path, value):
    jane = provisioned(scim)
    before = Person.objects.get(pk=jane["id"])
    response = scim.patch(
        f"/Users/{jane['id']}", operations({"op": "replace", "path": path, "value": value})
    )
    assert response.status_code in (200, 400), response.content
    after = Person.objects.get(pk=jane["id"])
    assert not after.is_staff and not after.is_superuser
    assert not after.groups.exists()
    assert after.password == before.password
    assert not after.has_usable_password()


def test_scim_put_with_privileges_in_the_body_sets_none(scim):
    jane = provisioned(scim)
    body = user_body(
        "jdoe@hospital.example", password="hunter22hunter22", roles=[{"value": "operator"}]
    )
    body["is_superuser"] = True
    response = scim.put(f"/Users/{jane['id']}", body)
    assert response.status_code in (200, 400), response.content
    after = Person.objects.get(pk=jane["id"])
    assert not after.is_superuser and not after.is_staff and not after.has_usable_password()


def test_scim_does_not_see_or_touch_people_it_does_not_keep(scim):
    victim = make_person("victim@example.org", "Vic Tim", roles.DEI_ADMINISTRATOR)
    for method in ("get", "delete"):
        assert_error(getattr(scim, method)(f"/Users/{victim.pk}"), 404)
    assert_error(
        scim.patch(
            f"/Users/{victim.pk}", operations({"op": "replace", "path": "active", "value": False})
        ),
        404,
    )
    victim.refresh_from_db()
    assert victim.is_active
    listed = scim.get('/Users?filter=emails eq "victim@example.org"').json()
    assert listed["totalResults"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "startIndex=99999999999999999999999&count=10",
        "startIndex=-5&count=99999999999999",
        "startIndex=1&count=-1",
        "startIndex=1e9",
        "count=NaN",
        'filter=userName eq "x" or 1 eq 1',
        'filter=userName eq "\\u0000"',
        'filter=userName eq "%"',
        'filter=emails[value eq "a"] eq "a"',
        "filter=" + "a" * 2000,
        "attributes=" + ",".join(["x"] * 500),
    ],
)
def test_scim_list_parameters_never_500(scim, query):
    provisioned(scim)
    response = scim.get(f"/Users?{query}")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["schemas"] == [ERROR]
    else:
        # A wildcard in a value is a character, never a pattern.
        if "%" in query or "or 1 eq 1" in query:
            assert response.json()["totalResults"] == 0


@pytest.mark.parametrize("tag", ['W/"x"', "", ", ,", '"' + "a" * 5000 + '"'])
def test_scim_if_match_with_a_wrong_tag_changes_nothing(scim, tag):
    jane = provisioned(scim)
    response = scim.patch(
        f"/Users/{jane['id']}",
        operations({"op": "replace", "path": "displayName", "value": "Changed Name"}),
        HTTP_IF_MATCH=tag,
    )
    if tag.strip():
        assert_error(response, 412)
        assert Person.objects.get(pk=jane["id"]).full_name == "Jane Doe"
    else:
        assert response.status_code in (200, 412)


# -- single sign-on linking --------------------------------------------------------------------


def claims(email, **more):
    return {"email": email, "name": "Mallory", **more}


def sso(subject, email, verified=True, **more):
    """A sign-in through the provider for `subject` saying `email` (and `more` claims)."""
    return accounts.person_for(
        issuer=ISSUER, subject=subject, claims=claims(email, **more), email_verified=verified
    )


@pytest.mark.parametrize("email", ["OTTO@example.org", " otto@example.org", "otto@EXAMPLE.org"])
def test_a_provider_address_does_not_link_to_an_operator_with_a_password(settings, email):
    settings.OIDC_LINK_BY_EMAIL = False
    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    with pytest.raises(accounts.SsoRefused):
        sso("mallory", email)
    from belong.people.models import ExternalIdentity

    assert not ExternalIdentity.objects.filter(person=operator).exists()
    assert Person.objects.filter(email="otto@example.org").get().pk == operator.pk


def test_an_unverified_address_never_links_even_to_a_provisioned_account(scim, settings):
    settings.OIDC_LINK_BY_EMAIL = True
    jane = provisioned(scim)
    with pytest.raises(accounts.SsoRefused):
        sso("mallory", "jdoe@hospital.example", verified=False)
    assert Person.objects.get(pk=jane["id"]).full_name == "Jane Doe"


def test_a_new_sso_person_cannot_take_an_address_a_person_has(settings):
    settings.OIDC_LINK_BY_EMAIL = False
    make_person("victim@example.org", "Vic Tim")
    first = sso("mallory", "mallory@example.org")
    # The provider later says another address: it may not become someone else's.
    with pytest.raises(accounts.SsoRefused):
        sso("mallory", "Victim@Example.org")
    first.refresh_from_db()
    assert first.email == "mallory@example.org"


def test_an_erased_persons_address_does_not_bring_them_back(settings):
    from belong.people import personal

    settings.OIDC_LINK_BY_EMAIL = True
    gone = make_person("gone@example.org", "Gone")
    personal.erase(gone, now=timezone.now())
    person = sso("new", "gone@example.org")
    assert person.pk != gone.pk


def test_a_leaver_cannot_sign_in_again_through_the_provider():
    from belong.people.actions import mark_leaver

    person = sso("lee", "lee@example.org")
    mark_leaver(person.pk, actor=None)
    with pytest.raises(accounts.SsoRefused):
        sso("lee", "lee@example.org")


# -- the second step ---------------------------------------------------------------------------


@pytest.fixture
def owing(db):
    """A browser that typed an operator's password and owes the code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=operator, name="authenticator", confirmed=True)
    browser = Client()
    response = browser.post(
        reverse("people:login"), {"username": operator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return browser


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/people/person/", "/me/", "/me/tokens/", "/scim/v2/Users"]
)
def test_a_session_owing_its_code_reaches_no_page(owing, path):
    response = owing.get(path)
    assert response.status_code in (302, 401, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("people:two_step_verify"))


def test_a_session_owing_its_code_cannot_use_the_api(owing):
    assert owing.get("/api/v1/me").status_code in (401, 403)
    for header in ("Basic b3R0bzpwdw==", "Bearer", "Bearer ", "", "Token abc"):
        response = owing.get("/api/v1/me", HTTP_AUTHORIZATION=header)
        assert response.status_code in (401, 403), (header, response.status_code)
        assert b"otto@example.org" not in response.content


def test_a_session_owing_its_code_gets_no_htmx_fragment(owing):
    response = owing.get("/me/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"]


def test_a_session_owing_its_code_is_not_let_through_by_the_sso_pages(owing, settings):
    for name in ("people:oidc_sign_in", "people:saml_sign_in"):
        response = owing.get(reverse(name) + "?next=/admin/")
        assert response.status_code in (302, 403, 404)
    # Still owing afterwards.
    assert owing.get("/admin/").status_code == 302
    assert owing.get("/api/v1/me").status_code in (401, 403)


def test_a_client_cannot_mark_its_session_as_sso_or_outside_a_request(owing):
    from belong.people.mfa import AUTH_METHOD_KEY, OUTSIDE_REQUEST_KEY

    for key in (AUTH_METHOD_KEY, OUTSIDE_REQUEST_KEY):
        owing.post("/i18n/setlang/", {"language": "es", key: "sso", "next": "/"})
        owing.get(f"/?{key}=sso")
    session = owing.session
    assert session.get(AUTH_METHOD_KEY) != "sso"
    assert OUTSIDE_REQUEST_KEY not in session
    assert owing.get("/admin/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_no_open_redirect_through_the_saml_page(settings, target):
    settings.SHIBBOLETH_PROXIES = ["127.0.0.1"]
    browser = Client(REMOTE_ADDR="127.0.0.1")
    response = browser.get(
        reverse("people:saml_sign_in"),
        {"next": target},
        HTTP_X_BELONG_SAML_ISSUER=ISSUER,
        HTTP_X_BELONG_SAML_SUBJECT="sam",
        HTTP_X_BELONG_SAML_MAIL="sam@example.org",
    )
    assert response.status_code == 302
    assert browser.session.get("_auth_user_id")  # signed in: `next` was weighed
    assert "evil.example" not in response["Location"]


# -- passwords for operators only ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_access", "dei_administrator"])
def test_passwords_for_operators_only_hold_at_the_admin_sign_in_too(settings, who):
    """With BELONG_LOCAL_PASSWORDS=operators, Django admin's own sign-in page is a password
    sign-in as well: someone with admin access but not an operator may not use it."""
    settings.LOCAL_PASSWORDS = "operators"
    person = make_person(
        "ada@example.org",
        "Ada",
        *([roles.DEI_ADMINISTRATOR] if who == "dei_administrator" else []),
        is_staff=True,
    )
    browser = Client()
    browser.post("/admin/login/?next=/admin/", {"username": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session


def test_passwords_for_operators_only_let_operators_in_at_the_admin(settings):
    settings.LOCAL_PASSWORDS = "operators"
    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    browser = Client()
    browser.post("/admin/login/?next=/admin/", {"username": operator.email, "password": PASSWORD})
    assert browser.session.get("_auth_user_id") == str(operator.pk)
    # Signed in there with a password: still asked for the second step (enrolment here).
    assert browser.get("/admin/").status_code == 302


# -- the code page itself ------------------------------------------------------------------------


def _code(device, steps=0):
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def owing_with_device(db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=operator, name="authenticator", confirmed=True)
    browser = Client()
    browser.post(reverse("people:login"), {"username": operator.email, "password": PASSWORD})
    return browser, device


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_the_code_page_does_not_redirect_off_site(owing_with_device, target):
    browser, device = owing_with_device
    response = browser.post(
        reverse("people:two_step_verify") + f"?next={target}",
        {"code": _code(device), "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not response["Location"].startswith("javascript")


def test_wrong_codes_make_the_right_one_wait(owing_with_device):
    browser, device = owing_with_device
    page = reverse("people:two_step_verify")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    for _attempt in range(3):
        assert browser.post(page, {"code": wrong}).status_code in (400, 429)
    # The right code while the authenticator waits: refused, still owing the step.
    assert browser.post(page, {"code": _code(device)}).status_code == 429
    assert browser.get("/admin/").status_code == 302
    # Recovery-code guesses do not open it either (none exist here).
    assert browser.post(page, {"code": "abcd2345"}).status_code in (400, 429)
    assert browser.get("/admin/").status_code == 302


# -- leavers -------------------------------------------------------------------------------------


def test_a_leaver_made_by_scim_keeps_no_session_token_or_reset(scim):
    jane = provisioned(scim)
    person = Person.objects.get(pk=jane["id"])
    person.set_password(PASSWORD)
    person.save()
    secret = token_for(person)
    browser = Client()
    browser.post(reverse("people:login"), {"username": person.email, "password": PASSWORD})
    assert browser.session.get("_auth_user_id") == str(person.pk)
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 200

    assert scim.delete(f"/Users/{jane['id']}").status_code == 204

    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401
    response = browser.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
    assert browser.get("/api/v1/me").status_code == 401
    mail.outbox.clear()
    Client().post(reverse("people:password_reset"), {"email": person.email})
    assert not mail.outbox
    again = Client()
    again.post(reverse("people:login"), {"username": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in again.session
    # Re-created by SCIM later with the same address: a new userName, the same person, active.
    response = scim.post("/Users", user_body("jane.again", email=person.email))
    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(person.pk)


# -- OpenID Connect against the real provider ----------------------------------------------------


@pytest.fixture
def provider():
    from django.test import override_settings

    from tests.people.sso.provider import Provider

    peer = Provider(
        redirect_uris=["http://testserver/sso/oidc/callback/"],
        post_logout_redirect_uris=["http://testserver/"],
    )
    try:
        with override_settings(**peer.settings()):
            yield peer
    finally:
        peer.stop()


def _back_from_provider(client, subject, next_url="/me/"):
    from urllib.parse import parse_qs, urlsplit

    from tests.people.sso.conftest import at_provider

    start = client.get("/sso/oidc/", {"next": next_url})
    assert start.status_code == 302
    parts = urlsplit(at_provider(start["Location"], subject))
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_no_open_redirect_through_the_oidc_sign_in(provider, target):
    provider.set_account("sam", email="sam@example.org", email_verified=True, name="Sam")
    client = Client()
    path, query = _back_from_provider(client, "sam", next_url=target)
    response = client.get(path, query)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    assert "evil.example" not in response["Location"]


def test_a_callback_with_a_forged_state_signs_no_one_in(provider):
    provider.set_account("sam", email="sam@example.org", email_verified=True, name="Sam")
    client = Client()
    path, query = _back_from_provider(client, "sam")
    response = client.get(path, {**query, "state": "forged"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_attackers_callback_in_a_victims_browser_signs_no_one_in(provider):
    """Login CSRF: Mallory's code and state, opened in Victor's browser (which never started a
    sign-in), must not sign Victor's browser in as Mallory."""
    provider.set_account("mallory", email="mallory@example.org", email_verified=True, name="M")
    path, query = _back_from_provider(Client(), "mallory")
    victim = Client()
    response = victim.get(path, query)
    assert response.status_code in (302, 400)
    assert "_auth_user_id" not in victim.session


def test_a_code_is_used_once(provider):
    provider.set_account("sam", email="sam@example.org", email_verified=True, name="Sam")
    client = Client()
    path, query = _back_from_provider(client, "sam")
    assert client.get(path, query).status_code == 302
    assert client.session.get("_auth_user_id")
    replay = Client()
    replay.get("/sso/oidc/")  # a state of its own, not the one in the query
    replay.get(path, query)
    assert "_auth_user_id" not in replay.session


def test_an_unverified_provider_address_does_not_take_over_an_account(provider, settings):
    settings.OIDC_LINK_BY_EMAIL = True
    victim = make_person("victim@example.org", "Vic Tim")
    provider.set_account("mallory", email="Victim@Example.org", email_verified=False, name="M")
    client = Client()
    path, query = _back_from_provider(client, "mallory")
    client.get(path, query)
    assert client.session.get("_auth_user_id") != str(victim.pk)


def test_an_sso_session_cannot_be_turned_into_someone_elses_by_a_password(provider):
    """Signed in through the provider, then a password for an operator typed in the same
    browser: the session's single sign-on mark does not carry over to skip the code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=operator, name="authenticator", confirmed=True)
    provider.set_account("sam", email="sam@example.org", email_verified=True, name="Sam")
    client = Client()
    path, query = _back_from_provider(client, "sam")
    client.get(path, query)
    assert client.session.get("_auth_user_id")
    client.post(reverse("people:login"), {"username": operator.email, "password": PASSWORD})
    # The sign-in page sends a signed-in browser on (redirect_authenticated_user) or signs in
    # Otto: either way, nothing of Otto's opens without the code.
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"] != "/admin/"
    if client.session.get("_auth_user_id") == str(operator.pk):
        assert client.get("/api/v1/me").status_code in (401, 403)


# -- single sign-on: employee id collisions ------------------------------------------------------


@pytest.mark.parametrize("privilege", ["operator", "admin_access"])
def test_an_employee_id_does_not_hand_over_an_operators_password_account(settings, privilege):
    """The provider says Mallory's employee id is the operator's (a profile attribute she could
    edit at the provider, or a clerical slip): she would become the operator, without the code
    the operator's password sign-in asks for. Refused, nothing linked or changed."""
    from belong.people.models import ExternalIdentity

    settings.OIDC_LINK_BY_EMAIL = False
    operator = make_person(
        "otto@example.org",
        "Otto",
        is_staff=True,
        is_superuser=privilege == "operator",
        employee_id="E-1",
    )
    with pytest.raises(accounts.SsoRefused):
        sso("mallory", "mallory@example.org", employee_id="E-1")
    assert not ExternalIdentity.objects.filter(person=operator).exists()
    operator.refresh_from_db()
    assert (operator.email, operator.full_name) == ("otto@example.org", "Otto")


def test_an_employee_id_still_links_an_operator_hr_made_without_a_password():
    operator = Person.objects.create_user(
        email="otto@example.org",
        full_name="Otto",
        employee_id="E-1",
        is_staff=True,
        is_superuser=True,
        directory_source=Person.Source.SCIM,
    )
    found = sso("otto", "otto@example.org", employee_id="E-1")
    assert found.pk == operator.pk


def test_an_operators_password_account_is_never_linked_even_when_the_setting_allows(settings):
    settings.OIDC_LINK_BY_EMAIL = True
    make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True, employee_id="E-1")
    for subject, address in (("otto", "Otto@example.org"), ("mallory", "mallory@example.org")):
        with pytest.raises(accounts.SsoRefused):
            sso(subject, address, employee_id="E-1")
    assert not ExternalIdentity.objects.exists()


def test_a_staff_roles_password_account_is_linked_only_once_passwords_are_off(settings):
    """A DEI administrator with a working password keeps it (and its second step) as the way
    in; once passwords are for operators only, the provider is the way in and links them."""
    admin = make_person("dana@example.org", "Dana", roles.DEI_ADMINISTRATOR, employee_id="E-3")
    with pytest.raises(accounts.SsoRefused):
        sso("dana", "dana@example.org", employee_id="E-3")
    settings.LOCAL_PASSWORDS = "operators"
    assert sso("dana", "dana@example.org", employee_id="E-3").pk == admin.pk


def test_an_employee_id_still_links_a_person_without_admin_access():
    person = make_person("pat@example.org", "Pat", employee_id="E-2")
    found = sso("pat", "pat.new@example.org", employee_id="E-2", verified=False)
    assert found.pk == person.pk


def test_the_second_factor_admin_pages_are_gone(client):
    operator = make_person("otto@example.org", "Otto", is_staff=True, is_superuser=True)
    client.force_login(operator)
    for path in ("/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"):
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_a_session_owing_its_code_cannot_mint_an_api_token(owing, htmx):
    """An API token skips the second step (the token decides): minting one with a session that
    only typed the password would be a way around the code."""
    from belong.people.models import ApiToken

    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = owing.post(
        reverse("people:tokens"), {"name": "sneaky", "days": "30", "scopes": ["read"]}, **extra
    )
    assert response.status_code in (204, 302)
    assert not ApiToken.objects.exists()


def test_a_session_owing_its_code_cannot_change_the_profile(owing):
    from belong.people.models import Person

    before = Person.objects.get(email="otto@example.org")
    owing.post("/me/", {"full_name": "Pwned"})
    after = Person.objects.get(email="otto@example.org")
    assert after.full_name == before.full_name
    assert after.password == before.password


def test_a_scim_secret_is_no_api_token():
    _token, secret = create_scim_token(name="Entra")
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401


def test_admin_access_with_every_permission_does_not_see_scim_tokens(client):
    from django.contrib.auth.models import Permission

    create_scim_token(name="Entra")
    ada = make_person("ada@example.org", "Ada Admin", is_staff=True)
    ada.user_permissions.set(Permission.objects.all())
    client.force_login(ada)
    assert client.get("/admin/people/scimtoken/").status_code in (403, 404)
    assert b"Entra" not in client.get("/admin/").content


@pytest.mark.parametrize(
    "op",
    [
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": 5},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": ["a@b.c"]},
        {"op": "add", "path": 'emails[value eq "jdoe@hospital.example"]', "value": "x"},
        {"op": "remove", "path": "emails"},
        {"op": "remove", "path": "userName"},
        {"op": "replace", "path": "userName", "value": None},
        {"op": "replace", "path": "name.givenName", "value": {"a": 1}},
        {"op": "replace", "value": {"emails": "x"}},
        {"op": "replace", "value": {"userName": "Other@Example.org", "active": "maybe"}},
        {"op": "replace", "value": []},
        {"op": "replace", "path": "active", "value": "False "},
        {"op": "replace", "path": "urn:x:y:z:active", "value": False},
        {"op": "replace", "path": 'emails[type eq "work" or 1 eq 1].value', "value": "a@b.c"},
        {"op": "replace", "path": "emails[[].value", "value": "a@b.c"},
        {"op": "REPLACE", "path": "displayName", "value": "x" * 100_000},
        {"op": "move", "path": "displayName", "value": "x"},
        {"path": "displayName", "value": "x"},
        "not an object",
        None,
    ],
)
def test_scim_patch_odd_operations_never_500(scim, op):
    jane = provisioned(scim)
    before = Person.objects.get(pk=jane["id"])
    response = scim.patch(f"/Users/{jane['id']}", operations(op))
    assert response.status_code in (200, 400, 409), response.content
    if response.status_code != 200:
        assert response.json()["schemas"] == [ERROR]
        after = Person.objects.get(pk=jane["id"])
        assert (after.email, after.full_name, after.is_active) == (
            before.email,
            before.full_name,
            before.is_active,
        )


@pytest.mark.parametrize(
    "body",
    [[], "x", {"schemas": "nope"}, {"schemas": [], "Operations": {}}, {"Operations": [None]}],
)
def test_scim_patch_odd_bodies_never_500(scim, body):
    jane = provisioned(scim)
    response = scim.patch(f"/Users/{jane['id']}", body)
    assert response.status_code == 400, response.content
    assert response.json()["schemas"] == [ERROR]


def test_scim_users_without_an_address_are_refused_or_kept_apart(scim):
    answers = []
    for name in ("no-address-1", "no-address-2"):
        body = user_body(name)
        del body["emails"]
        answers.append(scim.post("/Users", body))
    for response in answers:
        assert response.status_code in (201, 400, 409), response.content
        if response.status_code != 201:
            assert "emails" in response.json()["detail"] or "userName" in response.json()["detail"]


@pytest.mark.parametrize("name", ["two_step", "two_step_set_up", "two_step_new_codes"])
def test_a_session_owing_its_code_cannot_replace_the_authenticator_or_the_codes(owing, name):
    """Setting up a new authenticator, or new recovery codes, would be a second factor of the
    attacker's own: each waits for the code like every other page."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(TOTPDevice.objects.values_list("pk", "confirmed"))
    for method in ("get", "post"):
        response = getattr(owing, method)(reverse(f"people:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:two_step_verify"))
    assert list(TOTPDevice.objects.values_list("pk", "confirmed")) == devices
    assert not StaticDevice.objects.exists()


def test_scim_adopts_no_staff_role_account_with_a_working_password(scim, settings):
    """A DEI administrator (no admin access) with a password: SCIM neither adopts the account
    by its address nor, so, moves it; with passwords for operators only it may."""
    dana = make_person("dana@hospital.example", "Dana", roles.DEI_ADMINISTRATOR)
    response = scim.post("/Users", user_body("dana@hospital.example"))
    assert response.status_code == 409
    assert ExternalIdentity.objects.filter(person=dana).count() == 0
    settings.LOCAL_PASSWORDS = "operators"
    assert scim.post("/Users", user_body("dana@hospital.example")).status_code == 201


def test_scim_does_not_switch_on_an_account_an_operator_switched_off(scim):
    off = make_person("off@hospital.example", "Off", is_active=False)
    response = scim.post("/Users", user_body("off@hospital.example"))
    assert response.status_code == 409
    off.refresh_from_db()
    assert not off.is_active and not ExternalIdentity.objects.filter(person=off).exists()


def test_saml_from_an_identity_provider_not_listed_is_refused(client, settings):
    settings.SHIBBOLETH_PROXIES = ["10.0.0.5"]
    settings.SHIBBOLETH_ISSUERS = ["https://idp.example.edu/idp/shibboleth"]
    headers = {
        "HTTP_X_BELONG_SAML_ISSUER": "https://other-member.example.org/idp",
        "HTTP_X_BELONG_SAML_SUBJECT": "someone",
        "HTTP_X_BELONG_SAML_MAIL": "someone@example.edu",
    }
    answer = client.get("/sso/saml/", REMOTE_ADDR="10.0.0.5", **headers)
    assert answer.status_code == 302 and answer["Location"] == "/sign-in/"
    assert not Person.objects.filter(email="someone@example.edu").exists()
    headers["HTTP_X_BELONG_SAML_ISSUER"] = "https://idp.example.edu/idp/shibboleth"
    assert client.get("/sso/saml/", REMOTE_ADDR="10.0.0.5", **headers)["Location"] == "/me/"

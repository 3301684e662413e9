"""The second step at sign-in: a person with an authenticator enters a code (or a recovery
code, once) before anything works; a staff role without one sets one up first, every page
sending them there and the API refusing; others are not forced; single sign-on is never
asked; API tokens are not affected."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from belong.people.mfa import AUTH_METHOD_KEY, SSO
from tests.builders import bearer, token_for
from tests.people.mfa.conftest import STAFF

pytestmark = pytest.mark.django_db

ME = reverse("people:me")
VERIFY = reverse("people:two_step_verify")
SET_UP = reverse("people:two_step_set_up")
API_ME = "/api/v1/me"


def test_an_enrolled_person_is_asked_for_a_code_after_the_password(
    alice, enrol, code_for, password_sign_in, clock
):
    device, _codes = enrol(alice)
    client, response = password_sign_in(alice, next_url="/me/tokens/")
    assert response["Location"] == f"{VERIFY}?next=/me/tokens/"
    assert client.session[AUTH_METHOD_KEY] == "password"
    # Nothing else works meanwhile: pages send to the code page, the API refuses.
    page = client.get("/collectives/")
    assert page.status_code == 302 and page["Location"].startswith(VERIFY)
    assert client.get(API_ME).status_code == 403
    assert client.get(API_ME).json()["detail"].startswith("Finish signing in first")
    assert client.get(reverse("people:two_step")).status_code == 302

    form = client.get(response["Location"])
    assert form.status_code == 200 and 'autocomplete="one-time-code"' in form.content.decode()
    wrong = client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert client.get(ME).status_code == 302
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 429  # a second's wait
    clock.advance(seconds=1)

    done = client.post(VERIFY, {"code": code_for(device), "next": "/me/tokens/"})
    assert done.status_code == 302 and done["Location"] == "/me/tokens/"
    assert client.get(ME).status_code == 200
    assert client.get(API_ME).status_code == 200
    # The code page has nothing more to ask.
    assert client.get(VERIFY)["Location"] == ME


def test_a_code_cannot_be_used_twice(alice, enrol, code_for, password_sign_in):
    """Replay: the code that signed one browser in signs in no other."""
    device, _codes = enrol(alice)
    code = code_for(device)
    first, _response = password_sign_in(alice)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second, _response = password_sign_in(alice)
    assert second.post(VERIFY, {"code": code}).status_code == 400
    assert second.get(ME).status_code == 302


def test_a_recovery_code_works_once(alice, enrol, password_sign_in, clock):
    _device, codes = enrol(alice)
    client, _response = password_sign_in(alice)
    response = client.post(VERIFY, {"code": f"  {codes[0].upper()} "}, follow=True)
    assert response.redirect_chain[-1][0] == ME
    assert "You used a recovery code" in response.content.decode()
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    again, _response = password_sign_in(alice)
    refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 400
    clock.advance(seconds=1)
    assert again.get(ME).status_code == 302
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert again.get(ME).status_code == 200


@pytest.mark.parametrize(
    "code",
    ["", "12345", "1234567890123456789", "abc", "<script>", "12 34 5", "٠١٢٣٤٥", "' OR 1=1 --"],
)
def test_malformed_codes_are_field_errors(alice, enrol, password_sign_in, code):
    enrol(alice)
    client, _response = password_sign_in(alice)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert client.get(ME).status_code == 302


def test_next_must_be_this_site(alice, enrol, code_for, password_sign_in):
    device, _codes = enrol(alice)
    client, _response = password_sign_in(alice)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == ME


@pytest.mark.parametrize("who", STAFF)
def test_each_staff_role_must_set_up_an_authenticator(request, who, password_sign_in):
    person = request.getfixturevalue(who)
    client, response = password_sign_in(person)
    assert response["Location"].startswith(SET_UP)
    for url in (ME, "/collectives/", "/admin/", reverse("people:two_step"), VERIFY):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith(SET_UP), url
    # A form posted elsewhere goes nowhere either.
    assert client.post(reverse("people:tokens"), {"name": "x"})["Location"] == SET_UP
    api = client.get(API_ME)
    assert api.status_code == 403
    assert "Set up two-step sign-in first" in api.json()["detail"]
    # Open meanwhile: the set-up page, signing out, health.
    assert client.get(SET_UP).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post(reverse("people:logout")).status_code == 302
    assert client.get(ME).status_code == 302  # signed out now
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["carol", "operator", "leader"])
def test_staff_go_on_once_set_up(request, who, password_sign_in, code_for):
    from belong.people.mfa.rules import authenticator

    person = request.getfixturevalue(who)
    client, _response = password_sign_in(person)
    client.get(SET_UP)
    device = authenticator(person, confirmed=False)
    response = client.post(SET_UP, {"code": code_for(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert client.get(ME).status_code == 200
    assert client.get(API_ME).status_code == 200


def test_people_without_a_staff_role_are_not_forced(alice, password_sign_in):
    client, response = password_sign_in(alice)
    assert response["Location"] == ME
    assert client.get(ME).status_code == 200
    assert client.get(API_ME).status_code == 200


def test_the_setting_turns_forcing_off(settings, frank, password_sign_in):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client, response = password_sign_in(frank)
    assert response["Location"] == ME
    assert client.get(ME).status_code == 200


@pytest.mark.parametrize("who", ["frank", "alice"])
def test_a_single_sign_on_session_is_never_asked(request, who, enrol):
    person = request.getfixturevalue(who)
    enrol(person)
    client = Client()
    client.force_login(person)
    session = client.session
    session.pop("belong_signed_in_outside_request")
    session[AUTH_METHOD_KEY] = SSO
    session.save()
    assert client.get(ME).status_code == 200
    assert client.get(API_ME).status_code == 200


@pytest.mark.parametrize("method", [None, "password", "saml", "SSO", ""])
def test_a_session_that_does_not_say_sso_is_asked(frank, unmarked_session, method):
    """Fail-closed: a session signed in without saying how (or saying anything but "sso")
    counts as a password sign-in."""
    client = unmarked_session(frank)
    if method is not None:
        session = client.session
        session[AUTH_METHOD_KEY] = method
        session.save()
    assert client.get(ME)["Location"].startswith(SET_UP)
    assert client.get(API_ME).status_code == 403


def test_a_session_that_owes_its_code_cannot_replace_the_authenticator(
    alice, enrol, code_for, password_sign_in
):
    """Someone with the password but not the phone cannot set up their own phone instead."""
    device, _codes = enrol(alice)
    client, _response = password_sign_in(alice)
    assert client.get(SET_UP)["Location"].startswith(VERIFY)
    assert client.post(SET_UP, {"code": "123456"})["Location"] == VERIFY
    assert client.post(reverse("people:two_step_new_codes"))["Location"] == VERIFY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert list(TOTPDevice.objects.filter(user=alice)) == [device]


def test_api_tokens_are_not_affected(frank, enrol, password_sign_in):
    secret = token_for(frank)
    fresh = Client()
    assert fresh.get(API_ME, **bearer(secret)).status_code == 200
    # Even beside a session that owes its second step: the token decides, not the session.
    client, _response = password_sign_in(frank)
    assert client.get(API_ME).status_code == 403
    assert client.get(API_ME, **bearer(secret)).status_code == 200
    assert client.get(API_ME, **bearer("blg_not-a-token")).status_code == 401


def test_the_admin_login_is_asked_too(operator, enrol):
    """Django's own admin sign-in page is a password sign-in like ours: asked for the code."""
    enrol(operator)
    client = Client()
    from tests.builders import PASSWORD

    response = client.post(
        "/admin/login/?next=/admin/", {"username": operator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith(VERIFY)


def test_force_login_sessions_are_outside_the_rules(frank):
    """The test client's force_login signs in outside any request (no one typed a password):
    the rest of the suite signs staff in that way."""
    client = Client()
    client.force_login(frank)
    assert client.get(ME).status_code == 200


def test_a_browser_signing_in_again_is_judged_afresh(alice, enrol, password_sign_in):
    """Signed in with nothing owed, then an authenticator set up elsewhere: the next sign-in
    with the password, in the same browser, asks for the code."""
    client, _response = password_sign_in(alice)
    assert client.get(ME).status_code == 200
    enrol(alice)
    assert client.get(ME).status_code == 200  # this sign-in owed nothing when it was made
    from tests.builders import PASSWORD

    client.post(reverse("people:logout"))
    response = client.post(reverse("people:login"), {"username": alice.email, "password": PASSWORD})
    assert response["Location"].startswith(VERIFY)
    assert client.get(ME)["Location"].startswith(VERIFY)


def test_a_page_asked_by_htmx_sends_the_whole_page_to_the_step(frank, password_sign_in):
    client, _response = password_sign_in(frank)
    response = client.get("/collectives/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == SET_UP


def test_a_member_asks_the_database_nothing_more_per_request(alice, password_sign_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _response = password_sign_in(alice)
    client.get(ME)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/tokens/").status_code == 200
    assert not [q for q in queries if "otp_totp" in q["sql"] or "otp_static" in q["sql"]]


def test_single_sign_on_stays_open_to_a_session_that_owes_its_step(frank, password_sign_in):
    """A person forced to set up an authenticator may sign in through their institution
    instead: the single sign-on pages are sign-in pages."""
    client, _response = password_sign_in(frank)
    for name in ("people:oidc_sign_in", "people:saml_sign_in"):
        response = client.get(reverse(name))
        assert not response.get("Location", "").startswith(SET_UP), name

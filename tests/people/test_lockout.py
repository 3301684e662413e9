import pytest
from django.urls import reverse

from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_axes():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def attempt(client, password):
    return client.post(
        reverse("people:login"),
        {"username": "alice@example.org", "password": password},
        REMOTE_ADDR="10.1.2.3",
    )


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "locked" in response.content.decode().lower()


def test_fewer_failures_than_the_limit_still_allow_sign_in(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong-password")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_lockout_of_one_account_leaves_another_alone(client, alice, dave, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    response = client.post(
        reverse("people:login"),
        {"username": "dave@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302


# --- The device cookie (belong.people.lockout): a lockout nobody can use against a person ----

NAT = "10.1.2.3"  # the hospital's one outside address: everyone behind it shares it


def sign_in_as(browser, email, password, address=NAT):
    return browser.post(
        reverse("people:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def victims_browser(client, alice):
    """Alice's own browser: she signed in with it before (so it holds a device cookie) and
    signed out."""
    assert sign_in_as(client, "alice@example.org", PASSWORD).status_code == 302
    client.post(reverse("people:logout"), REMOTE_ADDR=NAT)
    assert "_auth_user_id" not in client.session
    return client


@pytest.fixture
def attackers_browser():
    from django.test import Client

    return Client()


def test_a_colleague_behind_the_same_address_cannot_lock_out_the_persons_own_browser(
    victims_browser, attackers_browser, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_as(attackers_browser, "alice@example.org", "a-guess")
    # The guessing is stopped: from the attacker's browser even the right password is refused.
    assert sign_in_as(attackers_browser, "alice@example.org", PASSWORD).status_code == 429
    # Alice's own browser, behind the same address, signs in as ever.
    response = sign_in_as(victims_browser, "alice@example.org", PASSWORD)
    assert response.status_code == 302
    assert victims_browser.session["_auth_user_id"]


def test_the_lockout_per_account_and_address_is_in_the_database_every_process_reads(
    attackers_browser, alice, settings
):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_as(attackers_browser, "alice@example.org", "a-guess")
    attempt = AccessAttempt.objects.get(username="alice@example.org", ip_address=NAT)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_guessing_from_a_known_browser_locks_that_browser_only(
    victims_browser, attackers_browser, settings
):
    """Someone at Alice's unlocked computer guesses: her browser is locked, and only it."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in_as(victims_browser, "alice@example.org", "a-guess").status_code == 200
    assert sign_in_as(victims_browser, "alice@example.org", "a-guess").status_code == 429
    assert sign_in_as(victims_browser, "alice@example.org", PASSWORD).status_code == 429
    # Those failures were not counted against the address: another browser behind it may sign in.
    assert sign_in_as(attackers_browser, "alice@example.org", PASSWORD).status_code == 302


def test_the_persons_own_sign_ins_do_not_give_a_guesser_new_tries(
    victims_browser, attackers_browser, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in_as(attackers_browser, "alice@example.org", "a-guess")
    assert sign_in_as(victims_browser, "alice@example.org", PASSWORD).status_code == 302
    sign_in_as(attackers_browser, "alice@example.org", "a-guess")
    assert sign_in_as(attackers_browser, "alice@example.org", PASSWORD).status_code == 429


def test_a_device_cookie_of_another_account_counts_as_none(
    attackers_browser, alice, dave, settings
):
    """The attacker signs in to their own account first: that cookie names dave, not alice."""
    assert sign_in_as(attackers_browser, "dave@example.org", PASSWORD).status_code == 302
    attackers_browser.post(reverse("people:logout"), REMOTE_ADDR=NAT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_as(attackers_browser, "alice@example.org", "a-guess")
    assert sign_in_as(attackers_browser, "alice@example.org", PASSWORD).status_code == 429


def test_a_forged_device_cookie_counts_as_none(victims_browser, attackers_browser, settings):
    from belong.people import lockout

    stolen_shape = victims_browser.cookies[lockout.COOKIE].value
    attackers_browser.cookies[lockout.COOKIE] = stolen_shape[:-3] + "xyz"  # the signature broken
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_as(attackers_browser, "alice@example.org", "a-guess")
    assert sign_in_as(attackers_browser, "alice@example.org", PASSWORD).status_code == 429
    assert sign_in_as(victims_browser, "alice@example.org", PASSWORD).status_code == 302


def test_the_device_cookie_is_http_only_and_names_no_one(victims_browser):
    from belong.people import lockout

    cookie = victims_browser.cookies[lockout.COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "alice" not in cookie.value

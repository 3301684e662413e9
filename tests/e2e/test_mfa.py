"""Two-step sign-in in Chromium: a DEI administrator signs in with a password, is sent to set up
an authenticator (the QR code and the key), confirms it with a code computed from the key shown,
keeps the recovery codes; signing in again asks for a code, a wrong one is refused, a recovery
code lets them in. axe on every page."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.builders import PASSWORD
from tests.e2e.a11y import check_a11y, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in_with_password(page, person):
    visit(page, "/sign-in/")
    page.fill("#id_username", person.email)
    page.fill("#id_password", PASSWORD)
    return submit(page, "Sign in")


def code_from(key_text):
    """What the authenticator app shows now for the key typed in from the page."""
    key = key_text.replace(" ", "")
    return f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"


def test_a_staff_person_sets_up_and_then_uses_two_step_sign_in(page, frank):
    sign_in_with_password(page, frank)
    assert page.url.split("?")[0].endswith("/me/two-step/set-up/")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-step sign-in"
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").count() == 1
    key_text = page.input_value("#totp-key")
    assert len(key_text.replace(" ", "")) == 32

    # Any other page leads back here.
    page.goto("/collectives/")
    assert "/me/two-step/set-up/" in page.url
    check_a11y(page)

    page.fill("#id_code", "12")
    submit(page, "Confirm")
    assert "Enter the 6-digit code" in page.inner_text("main")

    page.fill("#id_code", code_from(key_text))
    submit(page, "Confirm")
    codes = [c.strip() for c in page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    with page.expect_navigation():
        page.get_by_role("link", name="Done: go on").click()
    check_a11y(page)
    assert page.url.endswith("/collectives/")  # where they were going

    submit(page, "Sign out")
    sign_in_with_password(page, frank)
    assert "/sign-in/code/" in page.url
    page.fill("#id_code", "000000" if code_from(key_text) != "000000" else "111111")
    submit(page, "Continue")
    assert "That code is not right" in page.inner_text("main")
    page.fill("#id_code", codes[0])
    submit(page, "Continue")
    assert page.url.endswith("/me/")
    assert "You used a recovery code" in page.inner_text("body")

    visit(page, "/me/two-step/")
    assert "Recovery codes left" in page.inner_text("main")
    submit(page, "Make new recovery codes")
    fresh = page.locator(".recovery-codes code").all_inner_texts()
    assert len(fresh) == 10 and not set(fresh) & set(codes)

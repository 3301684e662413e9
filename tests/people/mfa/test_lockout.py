"""Wrong codes are throttled by django-otp (verify_is_allowed): each wrong code doubles the wait
before the next try (1, 2, 4, 8, 16 seconds with BELONG_MFA_THROTTLE_SECONDS=1), during which
even the right code is refused with a 429 saying until when; once waited, the right code works
and the count starts again. On a pinned clock."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.people.mfa import actions
from belong.people.mfa.actions import CodeRefused

pytestmark = pytest.mark.django_db

ME = reverse("people:me")
VERIFY = reverse("people:two_step_verify")


def wrong_code(device, code_for):
    right = {code_for(device, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def test_after_five_wrong_codes_the_person_waits_sixteen_seconds(
    alice, enrol, code_for, password_sign_in, clock
):
    device, _codes = enrol(alice)
    client, _response = password_sign_in(alice)
    wrong = wrong_code(device, code_for)
    for wait in (1, 2, 4, 8, 16):
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 400
        clock.advance(seconds=wait - 1)
        refused = client.post(VERIFY, {"code": code_for(device)})  # even the right one
        assert refused.status_code == 429
        assert "Too many wrong codes: try again after" in refused.content.decode()
        clock.advance(seconds=1)
    device.refresh_from_db()
    assert device.throttling_failure_count == 5
    assert client.get(ME).status_code == 302

    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert client.get(ME).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_wait_holds_in_every_browser_and_in_the_action(
    alice, enrol, code_for, clock, password_sign_in
):
    device, _codes = enrol(alice)
    wrong = wrong_code(device, code_for)
    for _ in range(3):
        with pytest.raises(CodeRefused):
            actions.verify_code(person=alice, code=wrong)
        clock.advance(seconds=10)
    # The third wrong code asks for 4 seconds: another browser waits too.
    clock.advance(seconds=-10)
    other, _response = password_sign_in(alice)
    assert other.post(VERIFY, {"code": code_for(device)}).status_code == 429
    with pytest.raises(CodeRefused) as refused:
        actions.verify_code(person=alice, code=code_for(device))
    assert refused.value.status == 429 and refused.value.field == "code"


def test_recovery_codes_are_throttled_too(alice, enrol, clock, password_sign_in):
    _device, codes = enrol(alice)
    client, _response = password_sign_in(alice)
    for _ in range(4):
        assert client.post(VERIFY, {"code": "zzzz9999"}).status_code == 400
        clock.advance(seconds=20)
    clock.advance(seconds=-20)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 429  # 8 seconds after the 4th
    assert StaticDevice.objects.get(user=alice).throttling_failure_count == 4
    clock.advance(seconds=8)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302


def test_setting_up_is_throttled(alice, code_for, clock):
    from django.test import Client

    client = Client()
    client.force_login(alice)
    client.get(reverse("people:two_step_set_up"))
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    wrong = wrong_code(device, code_for)
    assert client.post(reverse("people:two_step_set_up"), {"code": wrong}).status_code == 400
    response = client.post(reverse("people:two_step_set_up"), {"code": code_for(device)})
    assert response.status_code == 429
    clock.advance(seconds=1)
    assert (
        client.post(reverse("people:two_step_set_up"), {"code": code_for(device)}).status_code
        == 200
    )

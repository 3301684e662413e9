"""The download says whether two-step sign-in is on, never its key or the recovery codes; an
erasure deletes every device."""

import json

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.people import personal_data

pytestmark = pytest.mark.django_db


def test_the_download_says_whether_it_is_on_and_no_secret(alice, bob, enrol):
    assert personal_data.export(alice)["account"]["two_step_sign_in"]["on"] is False
    device, codes = enrol(alice)
    text = personal_data.export_json(alice)
    part = json.loads(text)["account"]["two_step_sign_in"]
    assert part["on"] is True and part["recovery_codes_left"] == len(codes)
    assert device.key not in text
    assert not any(code in text for code in codes)


def test_erasure_deletes_the_devices(alice, bob, enrol):
    enrol(alice)
    enrol(bob)
    personal_data.erase(alice, actor=alice)
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert not StaticToken.objects.filter(device__user=alice).exists()
    assert TOTPDevice.objects.filter(user=bob).exists()  # nobody else's

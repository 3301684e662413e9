"""Setting up an authenticator: a QR code (inline SVG) and the key in text, confirmed only by a
right code; then 10 recovery codes shown once; new codes replace the old; replacing the
authenticator ends every other sign-in and keeps this one."""

from base64 import b32encode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.people.mfa import rules
from belong.people.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = reverse("people:me")
STATUS = reverse("people:two_step")
SET_UP = reverse("people:two_step_set_up")
NEW_CODES = reverse("people:two_step_new_codes")
VERIFY = reverse("people:two_step_verify")


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def test_the_set_up_page_shows_a_qr_code_and_the_key(settings, alice):
    settings.OTP_TOTP_ISSUER = "Belong at University Health"
    client = signed_in(alice)
    response = client.get(SET_UP)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    page = response.content.decode()
    device = rules.authenticator(alice, confirmed=False)
    assert '<svg role="img"' in page and "<title>QR code to scan" in page
    key = b32encode(device.bin_key).decode()
    assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in page
    assert "issuer=Belong%20at%20University%20Health" in device.config_url
    # Shown again, the same key: the app scanned a moment ago still matches.
    assert rules.authenticator(alice, confirmed=False).pk == device.pk
    client.get(SET_UP)
    assert TOTPDevice.objects.filter(user=alice).count() == 1
    # Not in use until confirmed.
    assert not rules.is_enrolled(alice)


def test_a_wrong_code_confirms_nothing(alice, clock):
    client = signed_in(alice)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "12345"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    device = rules.authenticator(alice, confirmed=False)
    wrong = "000000" if device.verify_token("000000") is False else "111111"
    clock.advance(seconds=5)
    response = client.post(SET_UP, {"code": wrong})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not rules.is_enrolled(alice)
    assert not StaticToken.objects.filter(device__user=alice).exists()


def test_a_right_code_turns_it_on_with_ten_recovery_codes_shown_once(alice, code_for):
    client = signed_in(alice)
    client.get(SET_UP)
    device = rules.authenticator(alice, confirmed=False)
    response = client.post(SET_UP, {"code": code_for(device)})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    page = response.content.decode()
    assert all(f"<code>{code}</code>" in page for code in codes)
    assert rules.is_enrolled(alice)
    assert sorted(
        StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)
    ) == sorted(codes)
    assert AuditEvent.objects.filter(actor=alice, verb="mfa.enrolled").exists()
    # The codes are never shown again.
    status = client.get(STATUS).content.decode()
    assert not any(code in status for code in codes)
    assert "Recovery codes left" in status
    # This session counts as having passed the step: it goes on.
    assert client.get(ME).status_code == 200


def test_new_recovery_codes_replace_the_old(alice, enrol, code_for, password_sign_in, clock):
    device, old = enrol(alice)
    client, _response = password_sign_in(alice)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(NEW_CODES)
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert response.context["next"] == STATUS
    assert AuditEvent.objects.filter(actor=alice, verb="mfa.recovery_codes_made").exists()

    other, _response = password_sign_in(alice)
    assert other.post(VERIFY, {"code": old[1]}).status_code == 400  # old ones stop working
    clock.advance(seconds=1)
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302
    assert other.get(ME).status_code == 200


def test_no_recovery_codes_without_an_authenticator(alice):
    client = signed_in(alice)
    response = client.post(NEW_CODES, follow=True)
    assert "Set up an authenticator app first" in response.content.decode()
    assert not StaticToken.objects.filter(device__user=alice).exists()
    assert client.get(NEW_CODES).status_code == 405


def test_replacing_the_authenticator_ends_every_other_sign_in_and_keeps_this_one(
    frank, enrol, code_for, password_sign_in, django_capture_on_commit_callbacks
):
    old, old_codes = enrol(frank)
    here, _response = password_sign_in(frank)
    here.post(VERIFY, {"code": code_for(old)})
    elsewhere, _response = password_sign_in(frank)
    elsewhere.post(VERIFY, {"code": code_for(old, steps=1)})
    assert elsewhere.get(ME).status_code == 200
    outbox = len(mail.outbox)

    assert here.get(SET_UP).status_code == 200
    new = rules.authenticator(frank, confirmed=False)
    assert new.pk != old.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(SET_UP, {"code": code_for(new)})
    assert response.status_code == 200 and response.context["replaced"]

    assert here.get(ME).status_code == 200  # this one goes on, still past its second step
    assert elsewhere.get(ME)["Location"].startswith(reverse("people:login"))
    assert list(TOTPDevice.objects.filter(user=frank)) == [new]
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    assert AuditEvent.objects.filter(actor=frank, verb="mfa.replaced").exists()
    told = mail.outbox[outbox:]
    assert [m.to for m in told] == [[frank.email]]
    assert "replaced" in told[0].body
    # The old authenticator no longer signs in.
    later, _response = password_sign_in(frank)
    assert later.post(VERIFY, {"code": code_for(old, steps=1)}).status_code == 400


def test_the_status_page(alice, frank, enrol):
    page = signed_in(alice).get(STATUS).content.decode()
    assert "Set up two-step sign-in" in page and "your role needs it" not in page
    page = signed_in(frank).get(STATUS).content.decode()
    assert "your role needs it" in page
    enrol(frank)
    page = signed_in(frank).get(STATUS).content.decode()
    assert "Make new recovery codes" in page and "Replace your authenticator" in page
    assert signed_in(frank).post(STATUS).status_code == 405


def test_me_links_to_it_with_its_state(alice, frank, enrol):
    page = signed_in(alice).get(ME).content.decode()
    assert f'href="{STATUS}"' in page and "Off: add a code" in page
    assert "Required for your role" in signed_in(frank).get(ME).content.decode()
    enrol(alice)
    assert "On: a code from your authenticator app" in signed_in(alice).get(ME).content.decode()


def test_the_pages_need_a_sign_in(client):
    for url in (STATUS, SET_UP, VERIFY):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert client.post(NEW_CODES)["Location"].startswith("/sign-in/")

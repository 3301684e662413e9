"""An operator resets a person's two-step sign-in (a lost phone): every device of theirs goes
and every sign-in of theirs ends, audited, the person told by email. No other staff role may,
through the action, the admin or any page; nobody reads another person's authenticator."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.people.mfa import actions
from belong.people.models import AuditEvent
from tests.people.mfa.conftest import STAFF, STAFF_BUT_OPERATORS

pytestmark = pytest.mark.django_db

ME = reverse("people:me")
VERIFY = reverse("people:two_step_verify")
SET_UP = reverse("people:two_step_set_up")


def devices(person):
    return (
        list(TOTPDevice.objects.filter(user=person).values_list("pk", "key")),
        list(StaticToken.objects.filter(device__user=person).values_list("token", flat=True)),
    )


def admin_client(person):
    """An admin session past its second step (force_login is outside the rules)."""
    client = Client()
    client.force_login(person)
    return client


def test_an_operator_resets_it_and_every_sign_in_of_the_person_ends(
    operator, frank, enrol, code_for, password_sign_in, django_capture_on_commit_callbacks
):
    device, _codes = enrol(frank)
    one, _response = password_sign_in(frank)
    one.post(VERIFY, {"code": code_for(device)})
    two, _response = password_sign_in(frank)
    two.post(VERIFY, {"code": code_for(device, steps=1)})
    assert one.get(ME).status_code == 200 and two.get(ME).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        actions.reset_two_step(frank.pk, actor=operator)

    assert devices(frank) == ([], [])
    assert not StaticDevice.objects.filter(user=frank).exists()
    for client in (one, two):
        response = client.get(ME)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    event = AuditEvent.objects.get(verb="mfa.reset")
    assert event.actor == operator and event.object_id == str(frank.pk)
    [told] = mail.outbox
    assert told.to == [frank.email] and "two-step sign-in was reset" in told.body
    # At the next sign-in a staff role sets up a new authenticator.
    again, response = password_sign_in(frank)
    assert response["Location"].startswith(SET_UP)


def test_the_operator_resets_it_in_the_admin(
    operator, alice, enrol, django_capture_on_commit_callbacks
):
    enrol(alice)
    client = admin_client(operator)
    changelist = client.get("/admin/people/person/").content.decode()
    assert 'value="reset_two_step"' in changelist
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/people/person/",
            {"action": "reset_two_step", "_selected_action": [str(alice.pk)]},
            follow=True,
        )
    assert response.status_code == 200
    assert "Two-step sign-in reset for 1 person" in response.content.decode()
    assert devices(alice) == ([], [])
    assert [m.to for m in mail.outbox] == [[alice.email]]


def test_an_operator_does_not_reset_their_own(operator, enrol):
    enrol(operator)
    before = devices(operator)
    with pytest.raises(PermissionDenied):
        actions.reset_two_step(operator.pk, actor=operator)
    assert devices(operator) == before
    client = admin_client(operator)
    response = client.post(
        "/admin/people/person/",
        {"action": "reset_two_step", "_selected_action": [str(operator.pk)]},
        follow=True,
    )
    assert "only operators reset someone else" in response.content.decode()
    assert devices(operator) == before


@pytest.mark.parametrize("who", STAFF_BUT_OPERATORS)
def test_no_other_staff_role_resets_anyones(request, who, alice, enrol):
    attacker = request.getfixturevalue(who)
    attacker.is_staff = True  # the worst case: admin access given to them too
    attacker.save(update_fields=["is_staff"])
    enrol(alice)
    before = devices(alice)
    epoch = alice.session_epoch
    with pytest.raises(PermissionDenied):
        actions.reset_two_step(alice.pk, actor=attacker)
    client = admin_client(attacker)
    changelist = client.get("/admin/people/person/")
    assert "reset_two_step" not in changelist.content.decode()
    client.post(
        "/admin/people/person/",
        {"action": "reset_two_step", "_selected_action": [str(alice.pk)]},
    )
    alice.refresh_from_db()
    assert devices(alice) == before and alice.session_epoch == epoch
    assert not AuditEvent.objects.filter(verb="mfa.reset").exists()
    assert not mail.outbox


@pytest.mark.parametrize("who", STAFF)
def test_nobody_reads_another_persons_authenticator(request, who, alice, enrol):
    """Not in the admin (django-otp's admins are unregistered), not on any page: the set-up
    page shows only one's own key, the status page no code."""
    reader = request.getfixturevalue(who)
    reader.is_staff = True
    reader.save(update_fields=["is_staff"])
    device, codes = enrol(alice)
    client = admin_client(reader)
    for url in (
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        "/admin/otp_static/staticdevice/",
        "/admin/otp_static/statictoken/",
    ):
        assert client.get(url).status_code in (302, 403, 404), url
    pages = [
        client.get(url).content.decode()
        for url in (f"/admin/people/person/{alice.pk}/change/", reverse("people:two_step"), SET_UP)
    ]
    for page in pages:
        assert device.key not in page
        assert not any(code in page for code in codes)
    from base64 import b32encode

    alices_key = b32encode(device.bin_key).decode()[:16]
    assert not any(alices_key[:8] in page.replace(" ", "") for page in pages)
    # Nobody's set-up page touches another's authenticator.
    assert list(TOTPDevice.objects.filter(user=alice)) == [device]


def test_a_session_past_the_password_only_reaches_nothing(alice, enrol, password_sign_in):
    """Every route the site has, for a session that owes its code: redirected to the code page
    (pages), 403 (the API), never the page itself."""
    enrol(alice)
    client, _response = password_sign_in(alice)
    open_ = {reverse("people:login"), reverse("people:logout"), VERIFY, "/healthz"}
    urls = [
        "/",
        ME,
        "/me/profile/",
        "/me/privacy/",
        "/me/privacy/download/",
        "/me/tokens/",
        "/me/two-step/",
        SET_UP,
        "/me/sign-out-everywhere/",
        "/collectives/",
        "/training/",
        "/mentorship/",
        "/insights/",
        "/admin/",
        "/admin/people/person/",
    ]
    for url in urls:
        assert url not in open_
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    for url in ("/api/v1/me", "/api/v1/me/registrations", "/api/v1/collectives"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"]
    assert client.post("/api/v1/collectives/x/membership").status_code == 403

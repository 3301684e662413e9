"""manage.py scim_token: create NAME prints the secret once (only its SHA-256 is kept),
--list shows tokens without secrets, --revoke ID_OR_NAME ends one for good; each audited."""

import pytest
from django.core.management import CommandError, call_command

from belong.people.models import AuditEvent, ScimToken
from tests.people.scim.conftest import Scim, assert_error

pytestmark = pytest.mark.django_db


def run(*args, capsys):
    call_command("scim_token", *args)
    return capsys.readouterr()


def test_create_prints_a_working_secret_once(capsys):
    out = run("create", "Microsoft", "Entra", capsys=capsys)
    secret = out.out.strip()
    assert secret.startswith("scim_") and "shown only this once" in out.err
    token = ScimToken.objects.get()
    assert token.name == "Microsoft Entra"
    assert token.digest == ScimToken.hash(secret)
    assert secret not in (token.name + token.hint + token.digest)
    assert Scim(secret).get("/ServiceProviderConfig").status_code == 200
    event = AuditEvent.objects.get(verb="scim_token.created")
    assert event.actor is None and event.object_id == str(token.pk)
    assert secret not in str(event.detail)


def test_list_shows_tokens_without_their_secrets(capsys):
    secret = run("create", "Okta", capsys=capsys).out.strip()
    Scim(secret).get("/Users")
    listing = run("--list", capsys=capsys).out
    assert "Okta" in listing and "active" in listing and "last used 20" in listing
    assert secret not in listing


def test_an_empty_list_says_so(capsys):
    assert "No SCIM tokens." in run("--list", capsys=capsys).out


@pytest.mark.parametrize("by", ["name", "id"])
def test_revoke_by_name_or_id(capsys, by):
    secret = run("create", "Okta", capsys=capsys).out.strip()
    token = ScimToken.objects.get()
    out = run("--revoke", "Okta" if by == "name" else str(token.pk), capsys=capsys).out
    assert "Revoked" in out
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(Scim(secret).get("/Users"), 401)
    assert AuditEvent.objects.filter(verb="scim_token.revoked", object_id=str(token.pk)).exists()
    assert "revoked" in run("--list", capsys=capsys).out


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("create",),
        ("make", "x"),
        ("create", "x" * 81),
        ("create", "x", "--list"),
        ("--revoke", "nobody"),
        ("--revoke", "9" * 40),
    ],
)
def test_refusals_change_nothing(args):
    with pytest.raises(CommandError):
        call_command("scim_token", *args)
    assert not ScimToken.objects.exists()


def test_two_tokens_of_one_name_are_revoked_by_id(capsys):
    run("create", "Okta", capsys=capsys)
    run("create", "Okta", capsys=capsys)
    with pytest.raises(CommandError, match="by its id"):
        call_command("scim_token", "--revoke", "Okta")
    assert not ScimToken.objects.filter(revoked_at__isnull=False).exists()


def test_a_revoked_token_is_not_revoked_again(capsys):
    run("create", "Okta", capsys=capsys)
    run("--revoke", "Okta", capsys=capsys)
    with pytest.raises(CommandError, match="No active"):
        call_command("scim_token", "--revoke", "Okta")

"""/me/tokens/: my API tokens (the secret shown once, stored hashed, revoked by me only), and
`manage.py issue_token`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from belong.people import actions
from belong.people.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db

URL = "/me/tokens/"
# What the page's form sends as it is shown (90 days, read and write).
SHOWN = {"days": "90", "scopes": ["read", "write"]}


def revoke_url(token_id):
    return f"/me/tokens/{token_id}/revoke/"


def test_anonymous_is_sent_to_sign_in(client, alice):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/me/tokens/")
    token, _secret = actions.create_token(person=alice, name="script")
    response = client.post(revoke_url(token.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_lists_my_tokens_only(client, alice, bob):
    actions.create_token(person=alice, name="Alice's calendar script")
    revoked, _secret = actions.create_token(person=alice, name="Old laptop")
    actions.revoke_token(person=alice, token=revoked)
    actions.create_token(person=bob, name="Bob's secret project")
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice&#x27;s calendar script" in html
    assert "Old laptop" in html and "Revoked" in html
    assert "Bob" not in html
    # One revoke button: the revoked token has none.
    assert html.count('/revoke/"') == 1
    assert "Never" in html  # never used


def test_create_shows_the_secret_once(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"name": "  Calendar sync  ", **SHOWN})
    assert response.status_code == 200
    token = ApiToken.objects.get(person=alice)
    assert token.name == "Calendar sync"
    secret = response.context["secret"]
    html = response.content.decode()
    assert html.count(secret) == 1
    assert "it will not be shown again" in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # Stored hashed: the secret is nowhere in the database row.
    assert token.digest == ApiToken.hash(secret)
    for value in ApiToken.objects.filter(pk=token.pk).values().get().values():
        assert secret not in str(value)
    # And not shown again.
    assert secret not in client.get(URL).content.decode()
    # It works.
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.json()["email"] == alice.email
    assert AuditEvent.objects.filter(verb="token.created", actor=alice).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the token a name."),
        ("   ", "Give the token a name."),
        ("x" * 81, "Keep the name to 80 characters or fewer (it has 81)."),
    ],
)
def test_a_bad_name_is_a_400_with_a_field_error(client, alice, name, message):
    client.force_login(alice)
    response = client.post(URL, {"name": name, **SHOWN})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert ApiToken.objects.filter(person=alice).count() == 0
    assert response.context["secret"] is None


def test_a_name_of_80_characters_is_fine(client, alice):
    client.force_login(alice)
    assert client.post(URL, {"name": "x" * 80, **SHOWN}).status_code == 200
    assert ApiToken.objects.get(person=alice).name == "x" * 80


def test_owner_revokes(client, alice):
    token, secret = actions.create_token(person=alice, name="script")
    client.force_login(alice)
    response = client.post(revoke_url(token.pk))
    assert response.status_code == 302
    assert response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="token.revoked", object_id=str(token.pk)).exists()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # Revoking twice changes nothing.
    revoked_at = token.revoked_at
    assert client.post(revoke_url(token.pk)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == revoked_at


def test_an_outsider_cannot_revoke_someone_elses_token(client, alice, dave):
    token, _secret = actions.create_token(person=alice, name="script")
    client.force_login(dave)
    assert client.post(revoke_url(token.pk)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_even_an_administrator_cannot_revoke_someone_elses_token(client, alice, frank):
    token, _secret = actions.create_token(person=alice, name="script")
    client.force_login(frank)
    assert client.post(revoke_url(token.pk)).status_code == 404


@pytest.mark.parametrize("token_id", [424242, 99999999999999999999999])
def test_revoking_an_unknown_token_is_404(client, alice, token_id):
    client.force_login(alice)
    assert client.post(revoke_url(token_id)).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_revoke_takes_post_only(client, alice, method):
    token, _secret = actions.create_token(person=alice, name="script")
    client.force_login(alice)
    assert getattr(client, method)(revoke_url(token.pk)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_tokens_page_takes_get_and_post_only(client, alice, method):
    client.force_login(alice)
    assert getattr(client, method)(URL).status_code == 405


def test_forms_need_the_csrf_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, {"name": "script", **SHOWN}).status_code == 403
    assert ApiToken.objects.count() == 0


# --- manage.py issue_token ------------------------------------------------------------------


def issue(*args):
    out, err = StringIO(), StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_issue_token_prints_a_working_token(client, alice):
    secret = issue("ALICE@example.org", "--name", "nightly export")
    assert secret.startswith(ApiToken.PREFIX)
    token = ApiToken.objects.get(person=alice)
    assert token.name == "nightly export"
    assert token.digest == ApiToken.hash(secret)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["email"] == "alice@example.org"


def test_issue_token_has_a_default_name(alice):
    issue("alice@example.org")
    assert ApiToken.objects.get(person=alice).name == "issued by manage.py issue_token"


def test_issue_token_unknown_email(db):
    with pytest.raises(CommandError, match="No person with the email address 'nobody@example.org'"):
        issue("nobody@example.org")
    assert ApiToken.objects.count() == 0


def test_issue_token_inactive_person(alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="not active"):
        issue("alice@example.org")


@pytest.mark.parametrize(("name", "message"), [("  ", "must not be empty"), ("x" * 81, "80")])
def test_issue_token_bad_name(alice, name, message):
    with pytest.raises(CommandError, match=message):
        issue("alice@example.org", "--name", name)

"""Who is calling: a bearer token or the session; a bad credential is always a 401."""

import datetime
from unittest import mock

import pytest
from django.test import RequestFactory
from django.utils import timezone
from ninja.errors import HttpError

from belong.api.auth import SessionAuth
from belong.events.models import Event
from belong.people.models import ApiToken
from tests.builders import bearer, event_row, token_for

pytestmark = pytest.mark.django_db


def test_bearer_token_identifies_the_person(client, alice):
    response = client.get("/api/v1/me", **bearer(token_for(alice)))
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.org"


def test_the_scheme_name_is_case_insensitive(client, alice):
    secret = token_for(alice)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"bearer {secret}")
    assert response.status_code == 200


def test_session_identifies_the_person(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.org"


def test_anonymous_is_401_on_signed_in_endpoints(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: send a bearer token or sign in.",
        "errors": {},
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/collectives", "/api/v1/events", "/api/v1/courses/x"]
)
def test_unknown_token_is_401_everywhere(client, db, path):
    response = client.get(path, **bearer("blg_not-a-real-token"))
    assert response.status_code == 401
    body = response.json()
    assert body["detail"] == "The token is not valid or has been revoked."
    assert body["errors"] == {}


def test_revoked_token_is_401(client, alice):
    from belong.people import actions

    token, secret = actions.create_token(person=alice, name="script")
    actions.revoke_token(person=alice, token=token)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/events", **bearer(secret)).status_code == 401


def test_token_of_an_inactive_person_is_401(client, alice):
    secret = token_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer   ", "Token abc", "Basic YTpi", "blg_abc"])
def test_malformed_authorization_header_is_401(client, db, header):
    response = client.get("/api/v1/collectives", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"] == "The Authorization header must be: Bearer <token>."


def test_a_bad_token_is_not_rescued_by_a_session(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/me", **bearer("blg_wrong")).status_code == 401


def test_token_is_stored_hashed(alice):
    secret = token_for(alice)
    token = ApiToken.objects.get(person=alice)
    assert token.digest == ApiToken.hash(secret)
    assert secret not in (token.digest, token.hint, token.name)
    assert token.hint == secret[:8] and len(token.hint) < len(secret)
    # Nowhere in the row.
    for value in ApiToken.objects.filter(pk=token.pk).values().get().values():
        assert secret not in str(value)


def test_last_used_is_written_at_most_once_a_minute(client, alice):
    secret = token_for(alice)
    token = ApiToken.objects.get(person=alice)
    assert token.last_used_at is None
    start = timezone.now()
    with mock.patch("belong.api.auth.timezone.now", return_value=start):
        client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == start

    later = start + datetime.timedelta(seconds=30)
    with mock.patch("belong.api.auth.timezone.now", return_value=later):
        client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == start  # not written again within the minute

    much_later = start + datetime.timedelta(minutes=2)
    with mock.patch("belong.api.auth.timezone.now", return_value=much_later):
        client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == much_later


def test_a_second_use_within_the_minute_costs_no_write(client, alice, django_assert_num_queries):
    secret = token_for(alice)
    client.get("/api/v1/me", **bearer(secret))
    # One query for the token and its person, one for the profile: no UPDATE.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/me", **bearer(secret)).status_code == 200


def test_public_endpoints_see_a_token_caller(client, alice):
    event_row(title="Organization only", visibility=Event.Visibility.ORGANIZATION)
    assert client.get("/api/v1/events").json()["count"] == 0
    assert client.get("/api/v1/events", **bearer(token_for(alice))).json()["count"] == 1


def test_public_endpoints_see_a_session_caller(client, alice):
    event_row(title="Organization only", visibility=Event.Visibility.ORGANIZATION)
    client.force_login(alice)
    assert client.get("/api/v1/events").json()["count"] == 1


def test_session_auth_checks_csrf_on_unsafe_methods(alice):
    """As django-ninja's session auth does: a signed-in session without the CSRF token may not
    change anything (no write endpoint exists yet, so the auth is called directly)."""
    request = RequestFactory().post("/api/v1/anything")
    request.user = alice
    request.COOKIES["sessionid"] = "x"
    with pytest.raises(HttpError) as raised:
        SessionAuth()(request)
    assert raised.value.status_code == 403


def test_session_auth_lets_safe_methods_through_without_csrf(alice):
    request = RequestFactory().get("/api/v1/anything")
    request.user = alice
    assert SessionAuth()(request) == alice


def test_session_auth_passes_on_a_visitor(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post("/api/v1/anything")
    request.user = AnonymousUser()
    assert SessionAuth()(request) is None  # so the next method (or a 401) decides

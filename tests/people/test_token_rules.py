"""API tokens expire and carry scopes (issue 16 part 8): a token lasts the days its owner chose
(90 unless said, at most BELONG_API_TOKEN_MAX_DAYS); it reads with `read`, writes with `write`,
and touches one's self-identification and consents only with `identity`. An expired token is a
401 and a token without the scope a 403, each saying why; bad choices on the page or in the
command are refused naming the field, and nothing is created."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from belong.people import actions
from belong.people.models import ApiToken
from tests.builders import bearer, make_session

pytestmark = pytest.mark.django_db

API = "/api/v1"
URL = "/me/tokens/"


def token(person, *scopes, days=None):
    return actions.create_token(person=person, name="script", days=days, scopes=scopes or None)


def test_a_new_token_lasts_90_days_and_reads_and_writes_by_default(alice, settings):
    settings.API_TOKEN_DAYS = 90
    made, _secret = token(alice)
    assert made.scopes == ["read", "write"]
    lasts = made.expires_at - made.created_at
    assert datetime.timedelta(days=90) - lasts < datetime.timedelta(seconds=5)


def test_an_expired_token_is_a_401_saying_so(client, alice):
    made, secret = token(alice)
    assert client.get(f"{API}/me", **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=made.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    response = client.get(f"{API}/me", **bearer(secret))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"] and "/me/tokens/" in response.json()["detail"]


def test_each_scope_opens_only_its_requests(client, alice):
    event = make_session(days=5)
    reader = token(alice, "read")[1]
    writer = token(alice, "write")[1]
    identity = token(alice, "identity")[1]
    register = f"{API}/events/{event.pk}/registration"
    mine = f"{API}/me/self-identification"

    assert client.get(f"{API}/events/{event.pk}", **bearer(reader)).status_code == 200
    refused = client.put(register, "{}", content_type="application/json", **bearer(reader))
    assert refused.status_code == 403 and "“write”" in refused.json()["detail"]
    assert not alice.registrations.exists()
    made = client.put(register, "{}", content_type="application/json", **bearer(writer))
    assert made.status_code in (200, 201), made.content
    assert client.get(f"{API}/events/{event.pk}", **bearer(writer)).status_code == 403

    for secret in (reader, writer):
        response = client.get(mine, **bearer(secret))
        assert response.status_code == 403 and "“identity”" in response.json()["detail"]
    assert client.get(mine, **bearer(identity)).status_code == 200
    assert client.get(f"{API}/events/{event.pk}", **bearer(identity)).status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"days": "0", "scopes": ["read"]}, "days"),
        ({"days": "366", "scopes": ["read"]}, "days"),
        ({"days": "a week", "scopes": ["read"]}, "days"),
        ({"days": "30"}, "scopes"),
        ({"days": "30", "scopes": ["admin"]}, "scopes"),
    ],
)
def test_bad_choices_on_the_page_are_a_400_naming_the_field(client, alice, settings, data, field):
    settings.API_TOKEN_MAX_DAYS = 365
    client.force_login(alice)
    response = client.post(URL, {"name": "script", **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ApiToken.objects.filter(person=alice).exists()


def test_the_page_makes_what_was_chosen_and_lists_it(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"name": "mine", "days": "7", "scopes": ["identity"]})
    assert response.status_code == 200
    made = ApiToken.objects.get(person=alice)
    assert made.scopes == ["identity"]
    assert datetime.timedelta(days=6) < made.expires_at - timezone.now() <= datetime.timedelta(7)
    html = client.get(URL).content.decode()
    assert "My self-identification and consents" in html and "expires" in html


@pytest.mark.parametrize(
    ("days", "scopes"), [(0, None), (400, None), (True, None), (30, []), (30, ["root"])]
)
def test_the_action_refuses_what_the_page_would(alice, days, scopes):
    with pytest.raises(actions.TokenRefused) as refused:
        actions.create_token(person=alice, name="x", days=days, scopes=scopes)
    assert refused.value.field in ("days", "scopes") and refused.value.status == 400
    assert not ApiToken.objects.exists()


def test_the_command_takes_days_and_scopes(alice):
    out = StringIO()
    call_command("issue_token", alice.email, "--days", "10", "--scope", "read", stdout=out)
    made = ApiToken.objects.get(person=alice)
    assert made.scopes == ["read"] and made.digest == ApiToken.hash(out.getvalue().strip())
    with pytest.raises(CommandError, match="--days"):
        call_command("issue_token", alice.email, "--days", "0", stdout=StringIO())
    assert ApiToken.objects.count() == 1

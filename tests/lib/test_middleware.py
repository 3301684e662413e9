"""belong.lib.middleware: input the databases cannot store is refused at the edge with a 400
naming the field (the API's JSON under /api/, a page elsewhere), wherever it comes: path,
query string, header, cookie, form field or JSON body. The attack's cases (issue 13) are here;
each gave a 500 on PostgreSQL before (CI runs this module on PostgreSQL too)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from belong.library.models import Resource
from tests.builders import bearer, token_for

pytestmark = pytest.mark.django_db


def api_refusal(response, field):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "The request contains characters that cannot be stored."
    assert list(body["errors"]) == [field]
    return body["errors"][field][0]


def page_refusal(response, field):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The request contains characters that cannot be stored." in page
    assert f"<strong>{field}</strong>" in page
    assert "U+0000" in page
    assert 'class="site-nav"' in page  # the site's layout


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/policies/%00",
        "/api/v1/insights/initiatives/%00",
        "/api/v1/collectives/a%00b",
        "/api/v1/nowhere/%00",
    ],
)
def test_a_nul_in_an_api_path(client, path):
    assert "U+0000" in api_refusal(client.get(path), "path")


@pytest.mark.parametrize(
    "path", ["/events/feed/%00.ics", "/me/certificates/%00.pdf", "/collectives/%00/"]
)
def test_a_nul_in_a_page_path(client, alice, path):
    client.force_login(alice)
    page_refusal(client.get(path), "path")


def test_a_nul_in_the_query_string(client):
    Resource.objects.create(title="Holistic review", summary="How", state="published")
    api_refusal(client.get("/api/v1/resources", {"q": "review\x00"}), "q")
    page_refusal(client.get("/resources/", {"q": "\x00"}), "q")
    # a bad name is shown escaped
    api_refusal(client.get("/api/v1/resources?q%00=1"), "q\\x00")


def test_a_header_with_a_nul(client):
    response = client.get("/api/v1/collectives", HTTP_USER_AGENT="x\x00y")
    api_refusal(response, "User-Agent")


def test_a_bearer_token_with_a_nul(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer abc\x00def")
    api_refusal(response, "Authorization")


def test_a_session_cookie_with_a_nul_is_as_if_none_was_sent(client):
    """``\\000`` inside a quoted cookie is a NUL once parsed: the session lookup would send it
    to the database."""
    cookie = 'sessionid="' + "\\000" * 32 + '"'
    assert client.get("/me/", HTTP_COOKIE=cookie).status_code == 302  # to sign in, as anyone
    assert client.get("/api/v1/me", HTTP_COOKIE=cookie).status_code == 401


def test_form_fields_names_and_values(client):
    response = client.post("/sign-in/", {"username": "alice@example.org\x00", "password": "x"})
    page_refusal(response, "username")
    response = client.post("/sign-in/", {"user\x00name": "a", "password": "x"})
    page_refusal(response, "user\\x00name")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"name": "laptop\\u0000"}', "name"),
        ('{"name": "laptop\\ud800"}', "name"),
        ('{"name\\u0000": "laptop"}', "name\\x00"),
    ],
)
def test_json_bodies(client, alice, body, field):
    response = client.post(
        "/api/v1/businesses", body, content_type="application/json", **bearer(token_for(alice))
    )
    api_refusal(response, field)


def test_a_json_body_is_checked_whatever_its_declared_type(client, alice):
    """ninja parses a body as JSON whatever its Content-Type."""
    response = client.post(
        "/api/v1/businesses",
        '{"name": "a\\u0000"}',
        content_type="text/plain",
        **bearer(token_for(alice)),
    )
    api_refusal(response, "name")


def test_a_json_body_too_deep_to_parse(client, alice):
    response = client.post(
        "/api/v1/businesses",
        "[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        **bearer(token_for(alice)),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["The JSON is nested too deeply."]}


def test_a_form_posted_to_the_api_is_still_readable_there(client, alice):
    """The API reads the raw body after the check has read the form."""
    response = client.post("/api/v1/businesses", {"name": "A"}, **bearer(token_for(alice)))
    assert response.status_code == 400 and set(response.json()) == {"detail", "errors"}
    response = client.post("/api/v1/businesses", {"name": "A\x00"}, **bearer(token_for(alice)))
    api_refusal(response, "name")


def test_a_put_form_body(client, alice):
    response = client.put(
        "/api/v1/businesses", "name=a%00", content_type="application/x-www-form-urlencoded"
    )
    api_refusal(response, "name")


def test_clean_input_passes_untouched(client, alice):
    response = client.post(
        "/api/v1/businesses",
        {"name": "Café 😀 \x01", "category": "Food"},
        content_type="application/json",
        **bearer(token_for(alice)),
    )
    assert response.status_code == 201, response.content
    assert client.get("/resources/", {"q": "équité 😀"}).status_code == 200


def test_nothing_reaches_the_database(alice):
    """The refusal comes before any view: nothing is written, even by the sign-in's lockout."""
    client = Client()
    client.post("/sign-in/", {"username": "alice@example.org\x00", "password": "x"})
    assert not AccessAttempt.objects.exists()

"""belong.lib.errors: every error in its shape. Under /api/ the API's JSON error shape, never a
page or a stack trace; elsewhere a friendly page in the site's layout that needs no database.
The database outage is proven on a real server in tests/lib/test_outage.py."""

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from belong.lib import errors

pytestmark = pytest.mark.django_db


def json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


def page(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert 'class="site-nav"' in text and "Traceback" not in text
    return text


@pytest.mark.parametrize("path", ["/api/", "/api/v2/collectives", "/api/v1/nowhere"])
def test_an_unknown_api_path_is_a_json_404(client, path):
    body = json_error(client.get(path), 404)
    assert path in body["detail"]


def test_an_unknown_page_is_a_friendly_404(client):
    assert "We cannot find that page" in page(client.get("/nowhere/"), 404)


def test_a_method_the_api_path_does_not_take_is_a_json_405(client):
    response = client.delete("/api/v1/collectives")
    json_error(response, 405)
    assert response["Allow"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/events/1/register"), ("get", "/me/calendar/replace"), ("put", "/sign-out/")],
)
def test_a_method_a_page_does_not_take_is_a_friendly_405(client, alice, method, path):
    """Django's require_POST answers an empty 405: a link followed to a form's address showed
    a blank page. It is the friendly page, its Allow header kept."""
    client.force_login(alice)
    response = getattr(client, method)(path)
    assert "cannot be opened that way" in page(response, 405)
    assert response["Allow"]


def test_a_head_request_a_page_does_not_take_stays_an_empty_405(client, alice):
    client.force_login(alice)
    response = client.head("/events/1/register")
    assert response.status_code == 405 and response["Allow"] and not response.content


@pytest.mark.parametrize("path", ["/api/v1/collectives", "/api/nowhere"])
def test_a_bad_host_is_a_json_400_on_the_api(client, path):
    body = json_error(client.get(path, HTTP_HOST="attacker.example"), 400)
    assert list(body["errors"]) == ["Host"]


def test_a_bad_host_is_a_page_elsewhere(client):
    assert "host name" in page(client.get("/", HTTP_HOST="attacker.example"), 400)


def test_a_body_over_the_size_limit(client, settings, alice):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = '{"name": "' + "x" * 1000 + '", "category": "Food"}'
    client.force_login(alice)
    response = client.post("/api/v1/businesses", body, content_type="application/json")
    assert json_error(response, 400)["errors"] == {
        "body": ["The request body is larger than this site accepts."]
    }
    response = client.post("/sign-in/", {"username": "x" * 1000, "password": "x"})
    assert "larger than this site accepts" in page(response, 400)


def test_too_many_fields(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = json_error(client.get("/api/v1/collectives?" + "&".join(["a=1"] * 20)), 400)
    assert list(body["errors"]) == ["body"]


@pytest.mark.urls("tests.lib.failing_urls")
def test_a_bug_is_a_json_500_without_a_stack_trace_on_the_api():
    response = Client(raise_request_exception=False).get("/api/crash")
    body = json_error(response, 500)
    assert "secret" not in response.content.decode() and "Traceback" not in body["detail"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls("tests.lib.failing_urls")
def test_a_bug_is_a_friendly_500_page_elsewhere():
    response = Client(raise_request_exception=False).get("/crash/")
    text = page(response, 500)
    assert "Something went wrong on our side" in text and "secret" not in text


def test_the_pages_need_neither_the_database_nor_the_session(django_assert_num_queries):
    """Each error page renders with a request whose person and session explode if touched."""

    def touched():
        raise AssertionError("an error page touched the person or the session")

    for status in (400, 403, 404, 413, 500, 503):
        request = RequestFactory().get("/somewhere/")
        request.user = SimpleLazyObject(touched)
        request.session = SimpleLazyObject(touched)
        with django_assert_num_queries(0):
            response = errors.error_response(request, status, "Detail for the page.")
        assert response.status_code == status
        assert 'class="site-nav"' in response.content.decode()


def test_the_database_is_told_apart_from_other_failures():
    assert errors.database_unavailable(OperationalError("connection refused"))
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as outer:
        assert errors.database_unavailable(outer)
    assert not errors.database_unavailable(RuntimeError("a bug"))
    assert not errors.database_unavailable(None)

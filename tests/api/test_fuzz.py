"""Bad input is never a 500: any value for any documented query parameter, any slug, any id,
any Authorization header gets an answer in the error shape (or a 200)."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LISTS = ["/api/v1/collectives", "/api/v1/courses", "/api/v1/events", "/api/v1/me/registrations"]
PARAMETERS = ["limit", "offset", "kind", "upcoming", "from", "to"]
# Text as a client could send it: any character except surrogates, which cannot be encoded.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
INTEGERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)


def check(response):
    assert response.status_code < 500, response.content
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"detail", "errors"}
        assert isinstance(body["detail"], str)
        assert all(isinstance(messages, list) for messages in body["errors"].values())
    else:
        assert set(body) >= {"items", "count"} or "slug" in body or "id" in body


@FUZZ
@given(
    path=st.sampled_from(LISTS),
    params=st.dictionaries(st.sampled_from(PARAMETERS), st.one_of(TEXT, INTEGERS), max_size=4),
)
def test_query_parameters(client, path, params):
    check(client.get(f"{path}?{urlencode(params)}"))


@FUZZ
@given(
    prefix=st.sampled_from(["/api/v1/collectives/", "/api/v1/courses/", "/api/v1/events/"]),
    value=st.one_of(TEXT.filter(bool), INTEGERS),
)
def test_path_parameters(client, prefix, value):
    response = client.get(prefix + quote(value, safe=""))
    assert response.status_code in (400, 404, 422), response.content
    if response.status_code == 400:  # a character the database cannot store, named at the edge
        assert list(response.json()["errors"]) == ["path"]
    check(response)


@FUZZ
@given(header=st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80))
def test_authorization_headers(client, header):
    response = client.get("/api/v1/events", HTTP_AUTHORIZATION=header)
    assert response.status_code in (200, 401)
    check(response)

"""GET /api/v1/businesses and /partners (approved entries, searched and filtered as on the
pages, paginated, a constant query count); POST to suggest (listed after review)."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belong.collectives.models import Business, FocusArea, Partner
from belong.notifications.models import OutboundMessage
from tests.builders import bearer, make_business, token_for

pytestmark = pytest.mark.django_db
API = "/api/v1"


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.fixture
def focus_areas(db):
    return [FocusArea.objects.create(name=f"Area {i}", slug=f"area-{i}", order=i) for i in range(3)]


@pytest.fixture
def headers(alice):
    return bearer(token_for(alice))


def test_visitors_get_401(client):
    for path in ("businesses", "partners"):
        assert client.get(f"{API}/{path}").status_code == 401
        response = client.post(
            f"{API}/{path}", {"name": "X", "category": "Y"}, content_type="application/json"
        )
        assert response.status_code == 401
    assert not Business.objects.exists() and not Partner.objects.exists()


def test_businesses_are_approved_searched_and_filtered(client, headers):
    make_business(
        "Mercado",
        ownership="Latinx-owned; woman-owned",
        certifications="CERT SBE",
        email="hola@example.org",
    )
    make_business("Print Co-op", category="Printing", certifications="MBE, WBE")
    make_business("Pending", category="Printing", status="suggested")
    make_business("Declined", category="Printing", status="declined")
    url = f"{API}/businesses"
    body = client.get(url, **headers).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["name"] == "Mercado" and first["email"] == "hola@example.org"
    assert first["ownership"] == "Latinx-owned; woman-owned"
    assert set(first) >= {"id", "category", "certifications", "website", "area_served"}
    assert names(client.get(url, {"q": "latinx"}, **headers)) == ["Mercado"]
    assert names(client.get(url, {"category": "PRINTING"}, **headers)) == ["Print Co-op"]
    assert names(client.get(url, {"certification": "wbe"}, **headers)) == ["Print Co-op"]
    assert names(client.get(url, {"ownership": "Woman-Owned"}, **headers)) == ["Mercado"]


def test_partners_are_filtered_by_area_of_focus(client, headers, focus_areas):
    alliance = Partner.objects.create(name="Alliance", category="Health", status="approved")
    alliance.focus_areas.set(focus_areas[:2])
    Partner.objects.create(name="Food Shelf", category="Food", status="approved")
    body = client.get(f"{API}/partners", **headers).json()
    assert body["items"][0]["focus_areas"] == [area.slug for area in focus_areas[:2]]
    assert "ownership" not in body["items"][0]
    found = client.get(f"{API}/partners", {"area": focus_areas[1].slug}, **headers)
    assert names(found) == ["Alliance"]


def test_lists_are_paginated(client, headers):
    for i in range(5):
        make_business(f"Shop {i}")
    body = client.get(f"{API}/businesses", {"limit": 2, "offset": 2}, **headers).json()
    assert body["count"] == 5 and [item["name"] for item in body["items"]] == ["Shop 2", "Shop 3"]
    bad = client.get(f"{API}/businesses", {"limit": 0}, **headers)
    assert bad.status_code == 422 and "limit" in bad.json()["errors"]
    long = client.get(f"{API}/businesses", {"q": "x" * 201}, **headers)
    assert long.status_code == 422 and "q" in long.json()["errors"]


def test_suggesting_a_business(client, alice, frank, headers):
    response = client.post(
        f"{API}/businesses",
        {"name": "Café", "category": "Coffee", "ownership": "Woman-owned", "website": "cafe.org"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert response.json()["website"] == "https://cafe.org"
    entry = Business.objects.get(name="Café")
    assert entry.status == "suggested" and entry.suggested_by == alice
    assert OutboundMessage.objects.filter(to_email=frank.email).exists()
    assert names(client.get(f"{API}/businesses", **headers)) == []


def test_suggesting_a_partner_with_areas_of_focus(client, headers, focus_areas):
    response = client.post(
        f"{API}/partners",
        {"name": "Alliance", "category": "Health", "focus_areas": [focus_areas[2].slug]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert response.json()["focus_areas"] == [focus_areas[2].slug]
    assert list(Partner.objects.get().focus_areas.all()) == [focus_areas[2]]


@pytest.mark.parametrize(
    ("path", "payload", "status", "field"),
    [
        ("partners", {"name": "X", "category": "Y", "email": "not-an-email"}, 400, "email"),
        (
            "partners",
            {"name": "X", "category": "Y", "focus_areas": ["nowhere"]},
            400,
            "focus_areas",
        ),
        ("businesses", {"name": "X", "category": "Y", "website": "javascript:x"}, 400, "website"),
        ("businesses", {"name": "", "category": "Y"}, 400, "name"),
        ("partners", {"name": "X"}, 422, "category"),
        ("businesses", {"name": "X" * 201, "category": "Y"}, 422, "name"),
        ("businesses", {"name": "X", "category": "Y", "ownership": ["a"]}, 422, "ownership"),
    ],
)
def test_bad_suggestions_name_the_field_and_change_nothing(
    client, headers, path, payload, status, field
):
    response = client.post(f"{API}/{path}", payload, content_type="application/json", **headers)
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not Business.objects.exists() and not Partner.objects.exists()


def test_a_session_needs_its_csrf_token_to_suggest(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        f"{API}/businesses", {"name": "X", "category": "Y"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get(f"{API}/businesses").status_code == 200
    assert not Business.objects.exists()


def test_wrong_methods_are_405(client, headers):
    assert client.delete(f"{API}/businesses", **headers).status_code == 405
    assert (
        client.put(f"{API}/partners", {}, content_type="application/json", **headers).status_code
        == 405
    )


@pytest.mark.parametrize("path", ["businesses", "partners"])
def test_lists_keep_their_query_count(
    client,
    headers,
    focus_areas,
    path,
    django_assert_max_num_queries,
):
    def add(count, start):
        for i in range(start, start + count):
            make_business(f"Shop {i}")
            partner = Partner.objects.create(name=f"P {i}", category="Health", status="approved")
            partner.focus_areas.set(focus_areas)

    add(2, 0)
    with django_assert_max_num_queries(8) as few:
        assert client.get(f"{API}/{path}", **headers).status_code == 200
    add(30, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{API}/{path}", **headers).status_code == 200


# -- fuzzing: any query and any body, for a signed-in person, is never a 500 ------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any character a client can send (surrogates cannot be encoded), NUL included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
VALUES = st.one_of(TEXT, st.integers(-(10**20), 10**20).map(str))
PARAMETERS = ["q", "category", "ownership", "certification", "area", "limit", "offset"]
FIELDS = ["name", "category", "email", "website", "phone", "focus_areas", "ownership", "x"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)


def answered(response):
    assert response.status_code < 500, response.content
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"detail", "errors"}, body
        assert all(isinstance(messages, list) for messages in body["errors"].values())
    return body


@FUZZ
@given(
    path=st.sampled_from(["businesses", "partners"]),
    params=st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=4),
)
def test_any_query_is_answered(client, headers, path, params):
    make_business("Mercado", ownership="Latinx-owned", certifications="MBE")
    answered(client.get(f"{API}/{path}?{urlencode(params)}", **headers))


@FUZZ
@given(
    path=st.sampled_from(["businesses", "partners"]),
    body=st.one_of(
        st.fixed_dictionaries(
            {"name": TEXT, "category": TEXT},
            optional={field: st.one_of(TEXT, JSON) for field in FIELDS[2:]},
        ).map(json.dumps),
        JSON.map(json.dumps),
        TEXT,  # not JSON at all
    ),
)
def test_any_suggestion_is_answered(client, headers, path, body):
    before = Business.objects.count() + Partner.objects.count()
    response = client.generic(
        "POST", f"{API}/{path}", body.encode(), content_type="application/json", **headers
    )
    answered(response)
    after = Business.objects.count() + Partner.objects.count()
    assert after == before + (response.status_code == 201)

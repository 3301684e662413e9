"""GET /api/v1/businesses and /partners (approved, searchable); POST to suggest."""

import pytest

from belong.collectives.models import Business, Partner
from tests.api.factories import bearer, token_for
from tests.collectives.conftest import focus_areas  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_visitors_get_401(client):
    assert client.get(f"{API}/businesses").status_code == 401
    assert client.post(f"{API}/businesses", {}, content_type="application/json").status_code == 401


def test_lists_approved_entries_with_search(client, alice, focus_areas):  # noqa: F811
    Business.objects.create(
        name="Mercado", category="Catering", ownership="Latinx-owned", status="approved"
    )
    Business.objects.create(name="Print Co-op", category="Printing", status="approved")
    Business.objects.create(name="Pending", category="Printing", status="suggested")
    partner = Partner.objects.create(name="Alliance", category="Health", status="approved")
    partner.focus_areas.set(focus_areas[:1])
    headers = bearer(token_for(alice))
    body = client.get(f"{API}/businesses", **headers).json()
    assert [item["name"] for item in body["items"]] == ["Mercado", "Print Co-op"]
    found = client.get(f"{API}/businesses", {"q": "latinx"}, **headers).json()
    assert [item["name"] for item in found["items"]] == ["Mercado"]
    printing = client.get(f"{API}/businesses", {"category": "PRINTING"}, **headers).json()
    assert [item["name"] for item in printing["items"]] == ["Print Co-op"]
    partners = client.get(f"{API}/partners", **headers).json()
    assert partners["items"][0]["focus_areas"] == [focus_areas[0].slug]


def test_suggesting_and_bad_input(client, alice):
    headers = bearer(token_for(alice))
    response = client.post(
        f"{API}/businesses",
        {"name": "Café", "category": "Coffee", "ownership": "Woman-owned"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert Business.objects.get(name="Café").status == "suggested"
    bad = client.post(
        f"{API}/partners",
        {"name": "X", "category": "Y", "email": "not-an-email"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and "email" in bad.json()["errors"]
    missing = client.post(
        f"{API}/partners", {"name": "X"}, content_type="application/json", **headers
    )
    assert missing.status_code == 422 and "category" in missing.json()["errors"]
    assert not Partner.objects.exists()

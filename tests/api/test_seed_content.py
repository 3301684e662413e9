"""The API over the real seed content: every collective and course in the lists opens."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["collectives", "courses"])
def test_every_listed_item_opens(client, content, kind):
    body = client.get(f"/api/v1/{kind}?limit=200").json()
    assert body["count"] > 0
    assert len(body["items"]) == body["count"]
    for item in body["items"]:
        response = client.get(f"/api/v1/{kind}/{item['slug']}")
        assert response.status_code == 200
        assert response.json() == item


def test_seed_collectives_carry_their_commitments(client, content):
    items = client.get("/api/v1/collectives?limit=200").json()["items"]
    assert any(item["commitments"] for item in items)

"""GET /api/v1/collectives and /api/v1/collectives/{slug}: what each collective stands for,
and nothing about who its members are."""

import pytest

from belong.collectives.models import Membership
from tests.builders import bearer, cut_release, make_collective, token_for

pytestmark = pytest.mark.django_db


def test_list_is_paginated_and_public(client):
    make_collective("black-employees", order=1, areas=["racial-equity"], commitments=["One"])
    make_collective("latine-employees", order=2)
    response = client.get("/api/v1/collectives")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["slug"] for item in body["items"]] == ["black-employees", "latine-employees"]


def test_detail_has_the_collectives_own_texts(client):
    make_collective(
        "black-employees",
        name="Black Employees",
        name_to_confirm=True,
        summary="A community.",
        mission="First.\n\nSecond.",
        vision="A vision.",
        areas=["racial-equity", "community"],
        commitments=["Listen", "Act"],
    )
    response = client.get("/api/v1/collectives/black-employees")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "black-employees",
        "name": "Black Employees",
        "name_to_confirm": True,
        "summary": "A community.",
        "mission": "First.\n\nSecond.",
        "vision": "A vision.",
        "commitments": ["Listen", "Act"],
        "focus_areas": [
            {"slug": "racial-equity", "name": "Racial-Equity"},
            {"slug": "community", "name": "Community"},
        ],
        "member_count": "—",
        "ally_count": "—",
        "counts_as_of": None,
        "my_membership": None,
    }
    release = cut_release()
    counted = client.get("/api/v1/collectives/black-employees").json()
    assert counted["member_count"] == "0" and counted["ally_count"] == "0"
    assert counted["counts_as_of"] == release.as_of.isoformat()


def test_no_names_and_only_disclosure_controlled_counts(client, alice, bob):
    collective = make_collective("pride")
    Membership.objects.create(
        person=alice, collective=collective, visibility=Membership.Visibility.ORGANIZATION
    )
    Membership.objects.create(person=bob, collective=collective)
    cut_release()
    for headers in ({}, bearer(token_for(alice))):
        response = client.get("/api/v1/collectives/pride", **headers)
        body = response.content.decode()
        assert "alice" not in body.lower() and "bob" not in body.lower()
        assert response.json()["member_count"] == "<11"
        # A zero beside a hidden count would say the hidden one is everyone: hidden too.
        assert response.json()["ally_count"] == "<11"
        listed = client.get("/api/v1/collectives", **headers).json()["items"][0]
        assert set(listed) == set(client.get("/api/v1/collectives/pride").json())


def test_unknown_slug_is_404_in_the_error_shape(client, db):
    response = client.get("/api/v1/collectives/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "No collective with the slug “nope”.", "errors": {}}


def test_an_inactive_collective_is_not_there(client):
    make_collective("retired", is_active=False)
    assert client.get("/api/v1/collectives/retired").status_code == 404
    assert client.get("/api/v1/collectives").json()["count"] == 0


def test_list_query_budget(client, alice, django_assert_max_num_queries):
    for i in range(12):
        make_collective(f"c-{i}", areas=["a", "b"], commitments=["x", "y", "z"])
    from belong.insights import serving

    secret = token_for(alice)
    cut_release()
    serving.latest()  # read once by this process (a release never changes)
    # token, count, collectives, commitments, focus areas, the latest release (+1 for the
    # last-used write)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/collectives", **bearer(secret))
    assert response.json()["count"] == 12
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/collectives").status_code == 200

"""/api/v1/me/self-identification and /api/v1/me/consents: the caller's own, only; bad
answers name their question and change nothing; never cached."""

import pytest

from belong.people import privacy
from belong.people.models import Consent
from tests.builders import bearer, token_for

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_visitors_get_a_401(client):
    assert client.get(f"{API}/me/self-identification").status_code == 401
    assert client.get(f"{API}/me/consents").status_code == 401


def test_my_answers_round_trip_and_are_mine_only(client, alice, bob):
    privacy.save_answers(person=bob, answers={"disability": {"values": ["yes"]}})
    auth = bearer(token_for(alice))
    response = client.get(f"{API}/me/self-identification", **auth)
    assert response.json() == {"answers": {}}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    body = {"answers": {"gender_identity": {"values": ["woman"], "self_description": " She "}}}
    response = client.put(
        f"{API}/me/self-identification", body, content_type="application/json", **auth
    )
    assert response.status_code == 200, response.content
    assert response.json()["answers"] == {
        "gender_identity": {"values": ["woman"], "self_description": "She"}
    }
    assert privacy.answers_of(alice) == response.json()["answers"]
    assert privacy.answers_of(bob) == {"disability": {"values": ["yes"]}}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"gender_identity": {"values": ["martian"]}}, "gender_identity"),
        ({"shoe_size": {"values": ["9"]}}, "answers"),
        ({"disability": {"values": ["yes"], "prefer_not": True}}, "disability"),
    ],
)
def test_bad_answers_name_their_question(client, alice, answers, field):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["no"]}})
    response = client.put(
        f"{API}/me/self-identification",
        {"answers": answers},
        content_type="application/json",
        **bearer(token_for(alice)),
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert privacy.answers_of(alice) == {"disability": {"values": ["no"]}}


def test_consents_are_given_listed_and_revoked(client, alice):
    auth = bearer(token_for(alice))
    response = client.put(f"{API}/me/consents/matching", **auth)
    assert response.status_code == 200 and response.json()["revoked_at"] is None
    assert client.put(f"{API}/me/consents/marketing", **auth).status_code == 422
    assert client.delete(f"{API}/me/consents/matching", **auth).status_code == 204
    assert client.delete(f"{API}/me/consents/matching", **auth).status_code == 404
    listed = client.get(f"{API}/me/consents", **auth).json()
    assert [(c["purpose"], c["revoked_at"] is not None) for c in listed] == [("matching", True)]
    assert not Consent.objects.filter(person=alice, revoked_at__isnull=True).exists()


@pytest.mark.parametrize("raw", ["[]", "null", '"x"', "1", "true", "{}", '{"answers": []}'])
def test_a_body_that_is_not_an_object_with_answers_is_422_and_erases_nothing(client, alice, raw):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["no"]}})
    response = client.generic(
        "PUT",
        f"{API}/me/self-identification",
        raw,
        content_type="application/json",
        **bearer(token_for(alice)),
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert {"payload", "answers"} & set(body["errors"]), body
    assert privacy.answers_of(alice) == {"disability": {"values": ["no"]}}


def test_an_empty_set_of_answers_erases_them(client, alice):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["no"]}})
    response = client.put(
        f"{API}/me/self-identification",
        {"answers": {}},
        content_type="application/json",
        **bearer(token_for(alice)),
    )
    assert response.status_code == 200 and response.json() == {"answers": {}}
    assert privacy.answers_of(alice) == {}

"""/api/v1/mentorship: cycles; my enrolment (enrol, change, withdraw) with the pages' rules;
my matches, meetings and goals (404 for anyone else's); the coordinator's run, review and
publish (403 for everyone else)."""

import pytest
from django.utils import timezone

from belong.mentorship.models import Enrollment, Match, Meeting
from tests.builders import bearer, open_cycle, token_for

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def cycle(erin):
    return open_cycle(erin, opened=1)


def put(client, path, data, person):
    return client.put(
        f"{API}{path}", data, content_type="application/json", **bearer(token_for(person))
    )


def post(client, path, data, person):
    return client.post(
        f"{API}{path}", data, content_type="application/json", **bearer(token_for(person))
    )


def get(client, path, person):
    return client.get(f"{API}{path}", **bearer(token_for(person)))


MENTEE = {
    "training_level": "pgy1",
    "dei_interests": ["recruitment"],
    "meeting": ["virtual"],
    "weights": {"dei": 3},
}
MENTOR = {
    "training_level": "associate",
    "capacity": 1,
    "dei_interests": ["recruitment"],
    "meeting": ["virtual"],
}


def test_cycles_for_the_signed_in(client, cycle, alice):
    assert client.get(f"{API}/mentorship/cycles").status_code == 401
    response = get(client, "/mentorship/cycles", alice)
    assert response.status_code == 200
    (listed,) = response.json()
    assert listed["academic_year"] == "2026-2027" and listed["enrolment_open"] is True


def test_enrol_change_and_withdraw(client, cycle, alice):
    path = f"/mentorship/cycles/{cycle.pk}/enrollments/mentee"
    response = put(client, path, MENTEE, alice)
    assert response.status_code == 201, response.content
    assert response.json()["weights"]["dei"] == 3
    response = put(client, path, {**MENTEE, "languages": ["es"]}, alice)
    assert response.status_code == 200 and response.json()["languages"] == ["es"]
    mine = get(client, "/me/mentorship/enrollments", alice).json()
    assert [e["role"] for e in mine] == ["mentee"]
    response = client.delete(f"{API}{path}", **bearer(token_for(alice)))
    assert response.status_code == 204 and not Enrollment.objects.exists()
    response = client.delete(f"{API}{path}", **bearer(token_for(alice)))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"training_level": "professor"}, "training_level", 400),
        ({"languages": ["xx"]}, "languages", 400),
        ({"weights": {"dei": 9}}, "weight_dei", 400),
        ({"excluded": ["nobody@example.org"]}, "excluded", 400),
        ({"program": "no-such-program"}, "program", 400),
        ({"capacity": 9}, "capacity", 422),
        # Asking for a shared aspect of identity without consent to matching.
        ({"shared_identity": ["first_generation"], "identity_weight": 2}, "shared_identity", 400),
        ({"shared_identity": ["shoe_size"], "identity_weight": 2}, "shared_identity", 400),
    ],
)
def test_bad_answers_name_their_field_and_change_nothing(
    client, cycle, alice, changes, field, status
):
    response = put(
        client, f"/mentorship/cycles/{cycle.pk}/enrollments/mentee", {**MENTEE, **changes}, alice
    )
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]
    assert not Enrollment.objects.exists()


def test_a_shared_aspect_of_identity_with_consent(client, cycle, alice):
    from belong.people import privacy

    privacy.save_answers(person=alice, answers={"first_generation": {"values": ["college"]}})
    privacy.give(person=alice, purpose="matching")
    wish = {"shared_identity": ["first_generation"], "identity_weight": 2}
    response = put(
        client, f"/mentorship/cycles/{cycle.pk}/enrollments/mentee", {**MENTEE, **wish}, alice
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["shared_identity"], body["identity_weight"]) == (["first_generation"], 2)
    assert "college" not in response.content.decode()  # the answer itself never leaves


def test_an_unknown_role_or_cycle(client, cycle, alice):
    assert (
        put(client, f"/mentorship/cycles/{cycle.pk}/enrollments/sponsor", MENTEE, alice).status_code
        == 422
    )
    assert (
        put(client, "/mentorship/cycles/999/enrollments/mentee", MENTEE, alice).status_code == 404
    )


def test_the_coordinator_runs_reviews_and_publishes_then_the_pair_logs(
    client, cycle, alice, bob, erin, dave
):
    put(client, f"/mentorship/cycles/{cycle.pk}/enrollments/mentee", MENTEE, alice)
    put(client, f"/mentorship/cycles/{cycle.pk}/enrollments/mentor", MENTOR, bob)
    assert post(client, f"/mentorship/cycles/{cycle.pk}/runs", {}, alice).status_code == 403
    response = post(client, f"/mentorship/cycles/{cycle.pk}/runs", {}, erin)
    assert response.status_code == 201, response.content
    run = response.json()
    assert [(p["mentee"], p["mentor"]) for p in run["proposals"]] == [
        ("alice@example.org", "bob@example.org")
    ]
    assert "both work on recruitment and retention for diversity" in run["proposals"][0]["reasons"]
    assert get(client, f"/mentorship/cycles/{cycle.pk}/runs/latest", erin).json()["id"] == run["id"]
    assert get(client, f"/mentorship/cycles/{cycle.pk}/runs/latest", alice).status_code == 403
    response = post(client, f"/mentorship/cycles/{cycle.pk}/publish", {"run": run["id"] + 1}, erin)
    assert response.status_code == 409
    response = post(client, f"/mentorship/cycles/{cycle.pk}/publish", {"run": run["id"]}, erin)
    assert response.status_code == 200 and response.json()["published"] is True

    (match,) = get(client, "/me/mentorship/matches", alice).json()
    assert match["role"] == "mentee" and match["other"]["email"] == "bob@example.org"
    today = timezone.localdate().isoformat()
    path = f"/mentorship/matches/{match['id']}/meetings"
    response = post(client, path, {"met_on": today, "minutes": 30, "notes": "Ours"}, bob)
    assert response.status_code == 201
    assert get(client, path, alice).json()[0]["notes"] == "Ours"
    assert get(client, path, dave).status_code == 404
    assert post(client, path, {"met_on": today, "minutes": 30}, dave).status_code == 404
    assert Meeting.objects.count() == 1
    response = post(
        client, f"/mentorship/matches/{match['id']}/goals", {"title": "An abstract"}, alice
    )
    assert response.status_code == 201
    goal = response.json()
    response = client.patch(
        f"{API}/mentorship/goals/{goal['id']}",
        {"state": "done"},
        content_type="application/json",
        **bearer(token_for(bob)),
    )
    assert response.status_code == 200 and response.json()["state"] == "done"
    response = client.patch(
        f"{API}/mentorship/goals/{goal['id']}",
        {"state": "done"},
        content_type="application/json",
        **bearer(token_for(dave)),
    )
    assert response.status_code == 404
    assert Match.objects.get().state == "active"


@pytest.mark.parametrize("met_on", [0, "0", 1700000000, "2025-1-1", "1899-12-31", "2025-02-30"])
def test_a_meeting_day_is_yyyy_mm_dd_in_the_years_events_may_hold(client, bob, met_on):
    response = post(
        client, "/mentorship/matches/1/meetings", {"met_on": met_on, "minutes": 30}, bob
    )
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["met_on"]
    assert not Meeting.objects.exists()


def test_a_nul_or_lone_surrogate_in_an_answer_is_a_400_naming_it(client, cycle, alice):
    """PostgreSQL refuses them (a 500 there before): refused at the edge (belong.lib.middleware)."""
    path = f"/mentorship/cycles/{cycle.pk}/enrollments/mentee"
    for hopes in ("a\x00b", "a\ud800b"):
        response = put(client, path, {**MENTEE, "hopes": hopes}, alice)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["hopes"]
    response = put(client, path, {**MENTEE, "career_interests": ["x\x00"]}, alice)
    assert list(response.json()["errors"]) == ["career_interests.0"]
    assert not Enrollment.objects.exists()


def test_a_nul_in_a_meeting_or_goal_is_a_400_naming_it(client, cycle, alice, bob, erin):
    put(client, f"/mentorship/cycles/{cycle.pk}/enrollments/mentee", MENTEE, alice)
    put(client, f"/mentorship/cycles/{cycle.pk}/enrollments/mentor", MENTOR, bob)
    run = post(client, f"/mentorship/cycles/{cycle.pk}/runs", {}, erin).json()
    post(client, f"/mentorship/cycles/{cycle.pk}/publish", {"run": run["id"]}, erin)
    (match,) = get(client, "/me/mentorship/matches", alice).json()
    today = timezone.localdate().isoformat()
    meetings = f"/mentorship/matches/{match['id']}/meetings"
    for field in ("topics", "notes"):
        meeting = {"met_on": today, "minutes": 30, field: "a\x00"}
        response = post(client, meetings, meeting, bob)
        assert response.status_code == 400 and list(response.json()["errors"]) == [field]
    response = post(client, f"/mentorship/matches/{match['id']}/goals", {"title": "\x00"}, alice)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["title"]
    assert not Meeting.objects.exists() and not Match.objects.get().goals.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/mentorship/cycles/{id}/enrollments/mentee"),
        ("post", "/mentorship/cycles/{id}/runs"),
        ("get", "/mentorship/cycles/{id}/runs/latest"),
        ("post", "/mentorship/matches/{id}/meetings"),
        ("get", "/mentorship/matches/{id}/goals"),
        ("patch", "/mentorship/goals/{id}"),
    ],
)
def test_an_id_beyond_what_the_database_holds_is_a_422_not_a_500(client, erin, method, path):
    """An id past the largest a row can have (lib/converters.MAX_ID) is refused before any
    query; without the bound, PostgreSQL answers an integer out of range (a 500)."""
    url, auth = f"{API}{path.format(id=2**63)}", bearer(token_for(erin))
    if method == "get":
        response = client.get(url, **auth)
    else:
        response = getattr(client, method)(url, "{}", content_type="application/json", **auth)
    assert response.status_code == 422, response.content

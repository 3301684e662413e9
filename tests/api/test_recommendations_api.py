"""The recommendations API: the tracker and one recommendation for everyone (drafts only for
those who run the collective), drafts, edits, deletion and submission for its leaders, answers
for DEI administrators; errors in the API's shape, and a list whose query count does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.collectives.actions import leaders
from belong.collectives.actions import recommendations as actions
from belong.collectives.actions.memberships import join
from belong.collectives.models import FocusArea, LeaderRole, Recommendation
from belong.notifications.models import OutboundMessage
from tests.builders import bearer, make_collective, make_person, token_for

pytestmark = pytest.mark.django_db
State = Recommendation.State

API = "/api/v1"
PINNED = datetime.datetime(2025, 3, 3, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(alice, bob, frank, dave):
    """Rainbow led by bob (alice a member), Harmony led by hugo; a submitted recommendation of
    each, answered ones, and a draft of Rainbow's."""
    rainbow = make_collective("rainbow", name="Rainbow Collective", areas=["community", "hiring"])
    harmony = make_collective("harmony", name="Harmony Collective", areas=["suppliers"])
    hugo = make_person("hugo@example.org", "Hugo Harmony")
    leaders.appoint_leader(rainbow.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)
    leaders.appoint_leader(harmony.pk, actor=frank, person=hugo, title=LeaderRole.Title.CHAIR)
    join(rainbow.pk, person=alice, visibility="organization")
    areas = {area.slug: area for area in FocusArea.objects.all()}

    def write(collective, person, title, area, **fields):
        return actions.save_draft(
            collective.pk,
            actor=person,
            title=title,
            problem="The problem.",
            proposal="The proposal.",
            focus_areas=[areas[area]],
            **fields,
        )

    adopted = write(rainbow, bob, "Inclusive benefits", "community", policies="HR-12\nHR-40")
    actions.submit(adopted.pk, actor=bob, now=PINNED - datetime.timedelta(days=40))
    actions.answer(
        adopted.pk,
        actor=frank,
        state=State.ACKNOWLEDGED,
        now=PINNED - datetime.timedelta(days=38),
    )
    actions.answer(
        adopted.pk,
        actor=frank,
        state=State.ADOPTED,
        text="Adopted from July.",
        now=PINNED - datetime.timedelta(days=28),
    )
    waiting = write(rainbow, bob, "Pronouns in the directory", "hiring")
    actions.submit(waiting.pk, actor=bob, now=PINNED - datetime.timedelta(days=5))
    suppliers = write(harmony, hugo, "Local suppliers first", "suppliers")
    actions.submit(suppliers.pk, actor=hugo, now=PINNED - datetime.timedelta(days=1))
    secret = write(rainbow, bob, "A secret draft", "community")
    for recommendation in (adopted, waiting, suppliers):
        recommendation.refresh_from_db()
    return {
        "rainbow": rainbow,
        "harmony": harmony,
        "adopted": adopted,
        "waiting": waiting,
        "suppliers": suppliers,
        "draft": secret,
        "leader": bearer(token_for(bob)),
        "other_leader": bearer(token_for(hugo)),
        "member": bearer(token_for(alice)),
        "admin": bearer(token_for(frank)),
        "outsider": bearer(token_for(dave)),
        "visitor": {},
    }


def post(client, path, body=None, **headers):
    return client.post(path, body or {}, content_type="application/json", **headers)


def patch(client, path, body, **headers):
    return client.patch(path, body, content_type="application/json", **headers)


def titles(response):
    return [item["title"] for item in response.json()["items"]]


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "member", "leader", "admin"])
def test_the_tracker_lists_every_submitted_recommendation_and_no_draft(client, world, who):
    response = client.get(f"{API}/recommendations", **world[who])
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert titles(response) == [
        "Local suppliers first",
        "Pronouns in the directory",
        "Inclusive benefits",
    ]


def test_one_recommendation_in_full(client, world):
    adopted = world["adopted"]
    body = client.get(f"{API}/recommendations/{adopted.pk}").json()
    assert body == {
        "id": adopted.pk,
        "title": "Inclusive benefits",
        "collective": {"slug": "rainbow", "name": "Rainbow Collective"},
        "focus_areas": [{"slug": "community", "name": "Community"}],
        "state": "adopted",
        "submitted_at": "2025-01-22T09:00:00-06:00",
        "latest_answer_at": "2025-02-03T09:00:00-06:00",
        "answered_at": "2025-02-03T09:00:00-06:00",
        "waited_days": 12.0,
        "problem": "The problem.",
        "proposal": "The proposal.",
        "policies": ["HR-12", "HR-40"],
        "history": [
            {"state": "submitted", "text": "", "at": "2025-01-22T09:00:00-06:00"},
            {"state": "acknowledged", "text": "", "at": "2025-01-24T09:00:00-06:00"},
            {"state": "adopted", "text": "Adopted from July.", "at": "2025-02-03T09:00:00-06:00"},
        ],
    }


def test_no_person_is_named(client, world):
    for path in (f"{API}/recommendations", f"{API}/recommendations/{world['adopted'].pk}"):
        content = client.get(path, **world["admin"]).content.decode()
        for name in ("Bob", "Frank", "Hugo", "@example.org", "author", '"by"'):
            assert name not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=adopted", ["Inclusive benefits"]),
        ("state=submitted", ["Local suppliers first", "Pronouns in the directory"]),
        ("state=declined", []),
        ("collective=harmony", ["Local suppliers first"]),
        ("collective=nowhere", []),
        ("focus_area=hiring", ["Pronouns in the directory"]),
        ("collective=rainbow&state=adopted", ["Inclusive benefits"]),
        ("limit=1&offset=1", ["Pronouns in the directory"]),
    ],
)
def test_filters(client, world, query, expected):
    response = client.get(f"{API}/recommendations?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=draft", "state"),
        ("state=approved", "state"),
        ("collective=no%20such", "collective"),
        ("limit=0", "limit"),
    ],
)
def test_bad_filters_are_422_by_name(client, world, query, field):
    response = client.get(f"{API}/recommendations?{query}")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 404),
        ("member", 404),
        ("outsider", 404),
        ("other_leader", 404),
        ("leader", 200),
        ("admin", 200),
    ],
)
def test_a_draft_is_for_those_who_run_its_collective(client, world, who, status):
    response = client.get(f"{API}/recommendations/{world['draft'].pk}", **world[who])
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["state"] == "draft"
        assert body["history"] == [] and body["waited_days"] is None
    else:
        assert response.json() == {
            "detail": f"No recommendation with the id {world['draft'].pk}.",
            "errors": {},
        }


def test_the_list_query_budget(client, world, bob, django_assert_max_num_queries):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/recommendations").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        recommendation = actions.save_draft(
            world["rainbow"].pk,
            actor=bob,
            title=f"More {i}",
            problem="p",
            proposal="q",
            focus_areas=list(FocusArea.objects.all()),
        )
        actions.submit(recommendation.pk, actor=bob)
    assert count() == few
    # count, page (with the latest answer), focus areas, history
    with django_assert_max_num_queries(4):
        assert client.get(f"{API}/recommendations").json()["count"] == 13


# --- the leaders' writes -------------------------------------------------------------------------


def test_a_leader_writes_a_draft(client, world):
    response = post(
        client,
        f"{API}/collectives/rainbow/recommendations",
        {
            "title": "Gender-neutral restrooms",
            "problem": "Too few.",
            "proposal": "One on every floor.",
            "policies": "Facilities-3",
            "focus_areas": ["community", "hiring"],
        },
        **world["leader"],
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft" and body["submitted_at"] is None
    assert body["collective"] == {"slug": "rainbow", "name": "Rainbow Collective"}
    assert [area["slug"] for area in body["focus_areas"]] == ["community", "hiring"]
    assert Recommendation.objects.get(pk=body["id"]).state == State.DRAFT


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("outsider", 403), ("other_leader", 403), ("visitor", 401), ("admin", 201)],
)
def test_who_may_write_a_draft(client, world, who, status):
    body = {"title": "T", "problem": "P", "proposal": "Q"}
    response = post(client, f"{API}/collectives/rainbow/recommendations", body, **world[who])
    assert response.status_code == status
    assert Recommendation.objects.filter(title="T").count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"title": " ", "problem": "P", "proposal": "Q"}, 400, "title"),
        ({"title": "T", "problem": "", "proposal": "Q"}, 400, "problem"),
        (
            {"title": "T", "problem": "P", "proposal": "Q", "focus_areas": ["nope"]},
            400,
            "focus_areas",
        ),
        ({"title": "T", "problem": "P"}, 422, "proposal"),
        ({"title": "T" * 201, "problem": "P", "proposal": "Q"}, 422, "title"),
        (
            {"title": "T", "problem": "P", "proposal": "Q", "focus_areas": "community"},
            422,
            "focus_areas",
        ),
    ],
)
def test_bad_drafts_name_their_field(client, world, body, status, field):
    response = post(client, f"{API}/collectives/rainbow/recommendations", body, **world["leader"])
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert Recommendation.objects.count() == 4


def test_no_such_collective(client, world):
    body = {"title": "T", "problem": "P", "proposal": "Q"}
    for slug in ("atlantis", "no%20such"):
        response = post(client, f"{API}/collectives/{slug}/recommendations", body, **world["admin"])
        assert response.status_code == 404
        assert set(response.json()) == {"detail", "errors"}


def test_the_session_needs_the_csrf_token(bob, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    body = {"title": "T", "problem": "P", "proposal": "Q"}
    response = post(client, f"{API}/collectives/rainbow/recommendations", body)
    assert response.status_code == 403
    assert not Recommendation.objects.filter(title="T").exists()


def test_a_leader_edits_a_draft_field_by_field(client, world):
    secret = world["draft"]
    response = patch(
        client,
        f"{API}/recommendations/{secret.pk}",
        {"title": "A draft no more secret", "focus_areas": ["hiring"]},
        **world["leader"],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "A draft no more secret"
    assert body["problem"] == "The problem."  # not given: unchanged
    assert [area["slug"] for area in body["focus_areas"]] == ["hiring"]
    response = patch(client, f"{API}/recommendations/{secret.pk}", {"title": ""}, **world["leader"])
    assert response.status_code == 400 and "title" in response.json()["errors"]


@pytest.mark.parametrize(
    ("which", "who", "status"),
    [
        ("draft", "member", 404),
        ("draft", "other_leader", 404),
        ("draft", "visitor", 401),
        ("waiting", "member", 403),
        ("waiting", "outsider", 403),
        ("waiting", "leader", 409),
        ("waiting", "admin", 409),
    ],
)
def test_edits_refused(client, world, which, who, status):
    recommendation = world[which]
    response = patch(
        client, f"{API}/recommendations/{recommendation.pk}", {"title": "Changed"}, **world[who]
    )
    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors"}
    if status == 409:
        assert "state" in response.json()["errors"]
    recommendation.refresh_from_db()
    assert recommendation.title != "Changed"


def test_a_leader_deletes_a_draft_but_not_a_submitted_one(client, world):
    assert (
        client.delete(f"{API}/recommendations/{world['draft'].pk}", **world["member"]).status_code
        == 404
    )
    response = client.delete(f"{API}/recommendations/{world['draft'].pk}", **world["leader"])
    assert response.status_code == 204
    assert not Recommendation.objects.filter(pk=world["draft"].pk).exists()
    response = client.delete(f"{API}/recommendations/{world['waiting'].pk}", **world["leader"])
    assert response.status_code == 409
    assert (
        client.delete(f"{API}/recommendations/{world['waiting'].pk}", **world["member"]).status_code
        == 403
    )


def test_a_leader_submits_a_draft(client, world, frank):
    secret = world["draft"]
    assert (
        post(client, f"{API}/recommendations/{secret.pk}/submit", **world["member"]).status_code
        == 404
    )
    response = post(client, f"{API}/recommendations/{secret.pk}/submit", **world["leader"])
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "submitted" and body["submitted_at"] is not None
    assert [entry["state"] for entry in body["history"]] == ["submitted"]
    assert OutboundMessage.objects.filter(
        key=f"recommendation:{secret.pk}:submitted:{frank.pk}"
    ).exists()
    again = post(client, f"{API}/recommendations/{secret.pk}/submit", **world["leader"])
    assert again.status_code == 409
    assert again.json()["errors"] == {"state": ["This recommendation has already been submitted."]}
    assert (
        post(client, f"{API}/recommendations/{secret.pk}/submit", **world["member"]).status_code
        == 403
    )


# --- the DEI administrators' answers -----------------------------------------------------------


def test_an_administrator_answers(client, world, bob):
    waiting = world["waiting"]
    response = post(
        client,
        f"{API}/recommendations/{waiting.pk}/answer",
        {"state": "partly_adopted", "text": "For nursing first."},
        **world["admin"],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "partly_adopted" and body["answered_at"] is not None
    assert body["history"][-1]["text"] == "For nursing first."
    [told] = OutboundMessage.objects.filter(person=bob, key__contains=f":{waiting.pk}:update:")
    assert told.subject == "Your recommendation “Pronouns in the directory”: Partly adopted"


@pytest.mark.parametrize("who", ["leader", "member", "outsider", "other_leader"])
def test_only_administrators_answer(client, world, who):
    waiting = world["waiting"]
    response = post(
        client,
        f"{API}/recommendations/{waiting.pk}/answer",
        {"state": "acknowledged"},
        **world[who],
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("which", "body", "status", "field"),
    [
        ("waiting", {"state": "adopted"}, 400, "text"),
        ("waiting", {"state": "submitted"}, 422, "state"),
        ("waiting", {"state": "draft"}, 422, "state"),
        ("waiting", {}, 422, "state"),
        ("adopted", {"state": "declined", "text": "No."}, 409, "state"),
        ("draft", {"state": "acknowledged"}, 409, "state"),
    ],
)
def test_answers_refused(client, world, which, body, status, field):
    recommendation = world[which]
    before = recommendation.state
    response = post(
        client, f"{API}/recommendations/{recommendation.pk}/answer", body, **world["admin"]
    )
    assert response.status_code == status
    assert field in response.json()["errors"]
    recommendation.refresh_from_db()
    assert recommendation.state == before


def test_the_answer_to_an_unknown_recommendation(client, world):
    response = post(
        client, f"{API}/recommendations/999999/answer", {"state": "acknowledged"}, **world["admin"]
    )
    assert response.status_code == 404
    response = post(
        client, f"{API}/recommendations/{2**63}/answer", {"state": "acknowledged"}, **world["admin"]
    )
    assert response.status_code == 422


def test_the_document_lists_the_operations(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert set(paths["/api/v1/recommendations"]) == {"get"}
    assert set(paths["/api/v1/recommendations/{id}"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/recommendations/{id}/submit"]) == {"post"}
    assert set(paths["/api/v1/recommendations/{id}/answer"]) == {"post"}
    assert set(paths["/api/v1/collectives/{slug}/recommendations"]) == {"post"}
    signed_in = [{"BearerAuth": []}, {"SessionAuth": []}]
    assert paths["/api/v1/recommendations/{id}/answer"]["post"]["security"] == signed_in
    assert {} in paths["/api/v1/recommendations"]["get"]["security"]


def test_wrong_methods(client, world):
    response = client.put(f"{API}/recommendations/{world['waiting'].pk}", **world["leader"])
    assert response.status_code == 405
    assert set(response.json()) == {"detail", "errors"}
    assert (
        client.get(
            f"{API}/recommendations/{world['waiting'].pk}/submit", **world["leader"]
        ).status_code
        == 405
    )

"""The collectives API and memberships: disclosure-controlled counts, my membership (join,
change, leave), my memberships, and the members the caller may see (the visibility matrix).

The collectives' fixtures (tests/collectives/conftest.py) are imported, so tests name them as
arguments: hence no F811 in this file."""
# ruff: noqa: F811

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belong.collectives.actions import memberships
from belong.collectives.models import Collective, Membership, MembershipCount
from tests.builders import bearer, cut_release, exact_releases, make_person, token_for
from tests.collectives.conftest import (  # noqa: F401
    collective,
    focus_areas,
    join,
    leads,
    other_collective,
)
from tests.collectives.visibility_matrix import CASES, THE_MEMBER, viewers  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1"
MEMBERSHIP = f"{API}/collectives/rainbow/membership"
MEMBERS = f"{API}/collectives/rainbow/members"


def put(client, headers, body=None, url=MEMBERSHIP):
    data = b"" if body is None else json.dumps(body).encode()
    return client.put(url, data, content_type="application/json", **headers)


@pytest.fixture
def alice_token(alice):
    return bearer(token_for(alice))


# -- counts and my_membership ---------------------------------------------------------------


def test_counts_are_published_strings_never_summed(client, settings, collective):
    settings.DISCLOSURE_THRESHOLD = 11
    for i in range(12):
        memberships.join(collective.pk, person=make_person(f"m{i}@example.org", f"M{i}"))
    for i in range(3):
        memberships.join(
            collective.pk, person=make_person(f"a{i}@example.org", f"A{i}"), kind="ally"
        )
    exact_releases(settings)  # the counts as counted (the perturbation has tests of its own)
    cut_release()
    body = client.get(f"{API}/collectives/rainbow").json()
    assert (body["member_count"], body["ally_count"]) == ("12", "<11")
    listed = {item["slug"]: item for item in client.get(f"{API}/collectives").json()["items"]}
    assert (listed["rainbow"]["member_count"], listed["rainbow"]["ally_count"]) == ("12", "<11")
    assert "15" not in json.dumps(body)


def test_my_membership_for_the_signed_in(
    client, alice, alice_token, collective, other_collective, join
):
    join(alice, collective, kind="ally", visibility="members")
    mine = client.get(f"{API}/collectives/rainbow", **alice_token).json()["my_membership"]
    assert mine["kind"] == "ally" and mine["visibility"] == "members"
    assert mine["joined_at"].endswith(("-05:00", "-06:00"))
    assert client.get(f"{API}/collectives/harmony", **alice_token).json()["my_membership"] is None
    assert client.get(f"{API}/collectives/rainbow").json()["my_membership"] is None
    items = client.get(f"{API}/collectives", **alice_token).json()["items"]
    assert {i["slug"]: bool(i["my_membership"]) for i in items} == {
        "rainbow": True,
        "harmony": False,
    }


def test_another_persons_membership_is_never_my_membership(client, alice, dave, collective, join):
    join(alice, collective, visibility="organization")
    body = client.get(f"{API}/collectives/rainbow", **bearer(token_for(dave))).json()
    assert body["my_membership"] is None
    assert "Alice" not in json.dumps(body)


# -- PUT: join or change ------------------------------------------------------------------


def test_joining_with_defaults(client, alice, alice_token, collective):
    response = put(client, alice_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["collective"] == {"slug": "rainbow", "name": "Rainbow Collective"}
    assert (body["kind"], body["visibility"]) == ("member", "leaders")
    membership = Membership.objects.get(person=alice, collective=collective)
    assert (membership.kind, membership.visibility) == ("member", "leaders")
    row = MembershipCount.objects.get(collective=collective)
    assert (row.members, row.allies) == (1, 0)


def test_joining_as_an_ally_then_changing_who_may_see_it(client, alice, alice_token, collective):
    assert put(client, alice_token, {"kind": "ally"}).json()["visibility"] == "leaders"
    response = put(client, alice_token, {"visibility": "organization"})
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["visibility"]) == ("ally", "organization")
    assert Membership.objects.get(person=alice).visibility == "organization"
    assert Membership.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "friend"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"visibility": "public"}, "visibility"),
        ({"kind": "ally", "visibility": "everyone"}, "visibility"),
    ],
)
def test_a_value_that_is_not_a_choice_is_a_400_naming_the_field(
    client, alice, alice_token, collective, join, body, field
):
    join(alice, collective, kind="member", visibility="members")
    response = put(client, alice_token, body)
    assert response.status_code == 400
    answer = response.json()
    assert set(answer) == {"detail", "errors"}
    assert list(answer["errors"]) == [field] and answer["errors"][field] == [answer["detail"]]
    membership = Membership.objects.get(person=alice)
    assert (membership.kind, membership.visibility) == ("member", "members")


@pytest.mark.parametrize("raw", [b"[]", b'"ally"', b'{"kind": 3}', b"not json"])
def test_a_body_that_is_not_an_object_of_strings_is_refused(client, alice_token, collective, raw):
    response = client.put(MEMBERSHIP, raw, content_type="application/json", **alice_token)
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"detail", "errors"}
    assert not Membership.objects.exists()


def test_unknown_or_inactive_collectives_are_404(client, alice_token, collective):
    assert put(client, alice_token, url=f"{API}/collectives/nope/membership").status_code == 404
    Collective.objects.filter(pk=collective.pk).update(is_active=False)
    assert put(client, alice_token).status_code == 404
    assert client.delete(MEMBERSHIP, **alice_token).status_code == 404
    assert client.get(MEMBERS, **alice_token).status_code == 404
    assert not Membership.objects.exists()


def test_a_visitor_gets_401_everywhere_and_nothing_changes(client, collective):
    assert put(client, {}, {"kind": "ally"}).status_code == 401
    assert client.delete(MEMBERSHIP).status_code == 401
    assert client.get(MEMBERS).status_code == 401
    assert client.get(f"{API}/me/memberships").status_code == 401
    assert not Membership.objects.exists()


def test_a_session_needs_the_csrf_token(alice, collective):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert put(client, {}, {"kind": "ally"}).status_code == 403
    assert not Membership.objects.exists()


def test_wrong_methods_are_405(client, alice_token, collective):
    for method, url in (("post", MEMBERSHIP), ("get", MEMBERSHIP), ("post", MEMBERS)):
        response = getattr(client, method)(url, **alice_token)
        assert response.status_code == 405
        assert set(response.json()) == {"detail", "errors"}


# -- DELETE: leave ------------------------------------------------------------------------


def test_leaving(client, alice, alice_token, collective, join):
    join(alice, collective, kind="ally")
    response = client.delete(MEMBERSHIP, **alice_token)
    assert response.status_code == 204 and response.content == b""
    assert not Membership.objects.filter(person=alice).exists()
    row = MembershipCount.objects.get(collective=collective)
    assert (row.members, row.allies) == (0, 0)
    again = client.delete(MEMBERSHIP, **alice_token)
    assert again.status_code == 404
    assert again.json()["detail"] == "You have not joined this collective."


def test_leaving_touches_only_my_membership(client, alice, dave, collective, join):
    join(alice, collective)
    assert client.delete(MEMBERSHIP, **bearer(token_for(dave))).status_code == 404
    assert Membership.objects.filter(person=alice).exists()


# -- GET /me/memberships ----------------------------------------------------------------------


def test_my_memberships(client, alice, dave, alice_token, collective, other_collective, join):
    join(alice, collective, kind="ally", visibility="organization")
    join(alice, other_collective)
    join(dave, collective, visibility="organization")
    body = client.get(f"{API}/me/memberships", **alice_token).json()
    assert body["count"] == 2
    assert [(i["collective"]["slug"], i["kind"], i["visibility"]) for i in body["items"]] == [
        ("harmony", "member", "leaders"),
        ("rainbow", "ally", "organization"),
    ]


# -- GET members: the visibility matrix --------------------------------------------------------


def headers_for(person):
    return bearer(token_for(person)) if person.is_authenticated else {}


@pytest.mark.parametrize(("visibility", "viewer", "sees"), CASES)
def test_the_visibility_matrix_on_the_members_endpoint(
    client,
    viewers,
    collective,
    join,
    visibility,
    viewer,
    sees,
):
    join(viewers["self"], collective, visibility=visibility)
    person = viewers[viewer]
    response = client.get(MEMBERS, **headers_for(person))
    if not person.is_authenticated:
        assert response.status_code == 401
        assert not sees
        return
    assert response.status_code == 200
    names = [item["name"] for item in response.json()["items"]]
    assert (THE_MEMBER in names) is sees
    # The collective's detail never names anybody, whoever asks.
    detail = client.get(f"{API}/collectives/rainbow", **headers_for(person)).content.decode()
    assert THE_MEMBER not in detail


def test_members_items_are_names_and_kinds_only(client, alice, dave, collective, join):
    join(alice, collective, kind="ally", visibility="organization")
    body = client.get(MEMBERS, **bearer(token_for(dave))).json()
    assert body == {"items": [{"name": "Alice Member", "kind": "ally"}], "count": 1}


def test_a_leader_sees_every_membership_and_a_dei_administrator_none(
    client, bob, frank, leads, collective, join
):
    for i in range(3):
        join(make_person(f"x{i}@example.org", f"Private {i}"), collective)
    assert client.get(MEMBERS, **bearer(token_for(bob))).json()["count"] == 3
    assert client.get(MEMBERS, **bearer(token_for(frank))).json() == {"items": [], "count": 0}


def test_members_query_count_does_not_grow(client, dave, collective):
    secret = token_for(dave)

    def grow(n, start):
        for i in range(start, start + n):
            person = make_person(f"q{i}@example.org", f"Q {i}")
            memberships.join(collective.pk, person=person, visibility="organization")

    grow(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MEMBERS, **bearer(secret)).json()["count"] == 2
    grow(20, 100)
    with CaptureQueriesContext(connection) as many:
        assert client.get(MEMBERS, **bearer(secret)).json()["count"] == 22
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_my_memberships_query_count_does_not_grow(client, alice, alice_token):
    def grow(n, start):
        for i in range(start, start + n):
            collective = Collective.objects.create(name=f"C{i}", slug=f"c-{i}")
            memberships.join(collective.pk, person=alice)

    grow(2, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/me/memberships", **alice_token)
    grow(20, 100)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{API}/me/memberships", **alice_token).json()["count"] == 22
    assert len(many.captured_queries) <= len(few.captured_queries)


# -- the document and the fuzz ----------------------------------------------------------------


def test_the_document_lists_the_membership_operations(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert set(paths[f"{API}/collectives/{{slug}}/membership"]) == {"put", "delete"}
    for path, method in (
        (f"{API}/collectives/{{slug}}/membership", "put"),
        (f"{API}/collectives/{{slug}}/membership", "delete"),
        (f"{API}/collectives/{{slug}}/members", "get"),
        (f"{API}/me/memberships", "get"),
    ):
        operation = paths[path][method]
        assert operation["security"] == [{"BearerAuth": []}, {"SessionAuth": []}], path
        assert "401" in operation["responses"]
    assert "400" in paths[f"{API}/collectives/{{slug}}/membership"]["put"]["responses"]
    listed = paths[f"{API}/collectives"]["get"]
    assert {"BearerAuth": []} in listed["security"] and {} in listed["security"]


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    TEXT,
    st.sampled_from(["member", "ally", "leaders", "members", "organization"]),
    st.lists(TEXT, max_size=2),
)


@FUZZ
@given(
    body=st.one_of(
        st.dictionaries(st.sampled_from(["kind", "visibility", "x"]), VALUES, max_size=3).map(
            json.dumps
        ),
        TEXT,
    ),
    method=st.sampled_from(["PUT", "DELETE"]),
)
def test_membership_never_answers_500(client, alice_token, collective, body, method):
    response = client.generic(
        method, MEMBERSHIP, body.encode(), content_type="application/json", **alice_token
    )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "errors"}
    # Whatever happened, a membership is one of the choices.
    for membership in Membership.objects.all():
        assert membership.kind in ("member", "ally")
        assert membership.visibility in ("leaders", "members", "organization")

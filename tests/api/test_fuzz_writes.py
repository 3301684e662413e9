"""The write and coordinator endpoints never answer 500: any id, any body (JSON or not), any
query parameter, for a member and for a coordinator; errors always in the API's shape. A last
test walks every operation of the OpenAPI document the same way, so a new endpoint is fuzzed
as soon as it is documented."""

import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belong.events.models import Event, Registration
from tests.builders import bearer, event_row, make_course, make_registration, token_for

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
INTEGERS = st.integers(min_value=-(10**30), max_value=10**30)
JSON = st.recursive(
    st.none() | st.booleans() | INTEGERS | st.floats(allow_nan=False) | TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["invitation_code", "attended", "no_show", "state", "x"]) | TEXT,
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@pytest.fixture
def world(alice, bob, carol):
    """Events in every situation the rules distinguish, a member's and a coordinator's token."""
    course = make_course("fuzz")
    session = {"kind": Event.Kind.SESSION, "host": course}
    events = [
        event_row(capacity=1, **session),
        event_row(days=-1, **session),
        event_row(status=Event.Status.CANCELLED, **session),
        event_row(visibility=Event.Visibility.INVITATION, invitation_code="code-1", **session),
        event_row(visibility=Event.Visibility.ORGANIZATION, kind=Event.Kind.COLLECTIVE),
    ]
    registrations = [make_registration(events[0], bob), make_registration(events[1], bob)]
    make_registration(events[1], alice, Registration.State.WAITLISTED)
    return {
        "ids": [event.pk for event in events],
        "registrations": [r.pk for r in registrations],
        "member": bearer(token_for(alice)),
        "coordinator": bearer(token_for(carol)),
    }


def check(response):
    assert response.status_code < 500, response.content
    if response.status_code == 204:
        assert response.content == b""
        return
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"detail", "errors"}, body
        assert isinstance(body["detail"], str)
        assert all(isinstance(messages, list) for messages in body["errors"].values())


def ids(world):
    return st.one_of(
        st.sampled_from(world["ids"]).map(str), INTEGERS.map(str), TEXT.filter(bool)
    ).map(lambda value: quote(value, safe=""))


def bodies(world):
    marks = st.lists(st.one_of(st.sampled_from(world["registrations"]), INTEGERS), max_size=5)
    return st.one_of(
        JSON.map(json.dumps),
        st.fixed_dictionaries({}, optional={"attended": marks, "no_show": marks}).map(json.dumps),
        st.fixed_dictionaries(
            {"invitation_code": st.sampled_from(["code-1", "", "wrong"]) | TEXT}
        ).map(json.dumps),
        TEXT,  # not JSON at all
    )


@FUZZ
@given(data=st.data())
def test_registration(client, world, data):
    id_ = data.draw(ids(world))
    who = data.draw(st.sampled_from(["member", "coordinator"]))
    method = data.draw(st.sampled_from(["PUT", "DELETE"]))
    body = data.draw(st.one_of(st.none(), bodies(world)))
    response = client.generic(
        method,
        f"/api/v1/events/{id_}/registration",
        (body or "").encode(),
        content_type="application/json",
        **world[who],
    )
    check(response)


@FUZZ
@given(data=st.data())
def test_attendance(client, world, data):
    id_ = data.draw(ids(world))
    who = data.draw(st.sampled_from(["member", "coordinator"]))
    body = data.draw(bodies(world))
    response = client.generic(
        "POST",
        f"/api/v1/events/{id_}/attendance",
        body.encode(),
        content_type="application/json",
        **world[who],
    )
    check(response)


@FUZZ
@given(data=st.data())
def test_roster(client, world, data):
    id_ = data.draw(ids(world))
    who = data.draw(st.sampled_from(["member", "coordinator"]))
    params = data.draw(
        st.dictionaries(
            st.sampled_from(["state", "limit", "offset"]),
            st.one_of(TEXT, INTEGERS.map(str), st.sampled_from(["waitlisted", "cancelled"])),
            max_size=3,
        )
    )
    response = client.get(f"/api/v1/events/{id_}/roster?{urlencode(params)}", **world[who])
    check(response)


@pytest.fixture
def operations(client):
    document = client.get("/api/v1/openapi.json").json()
    return sorted((path, method) for path, item in document["paths"].items() for method in item)


@FUZZ
@given(data=st.data())
def test_every_documented_operation(client, world, operations, data):
    path, method = data.draw(st.sampled_from(operations))
    for name in ("id", "slug"):
        path = path.replace("{" + name + "}", data.draw(ids(world)))
    who = data.draw(st.sampled_from(["member", "coordinator", "visitor"]))
    body = data.draw(st.one_of(st.none(), bodies(world)))
    response = client.generic(
        method.upper(),
        path,
        (body or "").encode(),
        content_type="application/json",
        **world.get(who, {}),
    )
    check(response)


def test_the_document_lists_every_operation_fuzzed_here(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/events/{id}/registration"]) == {"put", "delete"}
    assert set(paths["/api/v1/events/{id}/roster"]) == {"get"}
    assert set(paths["/api/v1/events/{id}/attendance"]) == {"post"}
    # Signed in only: a token or the session, never a visitor.
    for path, method in (
        ("/api/v1/events/{id}/registration", "put"),
        ("/api/v1/events/{id}/registration", "delete"),
        ("/api/v1/events/{id}/roster", "get"),
        ("/api/v1/events/{id}/attendance", "post"),
    ):
        operation = paths[path][method]
        assert operation["security"] == [{"BearerAuth": []}, {"SessionAuth": []}], path
        assert "401" in operation["responses"]
    put = paths["/api/v1/events/{id}/registration"]["put"]
    assert {"200", "201", "403", "404", "409", "503"} <= set(put["responses"])
    assert put["requestBody"]["required"] is False
    attendance = paths["/api/v1/events/{id}/attendance"]["post"]
    assert attendance["requestBody"]["required"] is True

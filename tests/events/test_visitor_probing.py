"""A visitor (not signed in) cannot tell which event ids exist. Every page and API address that
takes an event id answers a visitor the same for an event they may not see (for the
organization, members only, by invitation, cancelled or not) as for an id no event has: the
pages ask them to sign in (and come back to the event's page), the API says there is no such
event (or that it needs a credential). Tried from a visitor's client, comparing the answers
with the id taken out."""

import re

import pytest

from belong.events import actions
from belong.events.models import Event
from tests.builders import make_event

pytestmark = pytest.mark.django_db

V = Event.Visibility


@pytest.fixture
def hidden(db):
    """Events a visitor may not see, and an id no event has."""
    events = {
        "organization": make_event(visibility=V.ORGANIZATION),
        "members": make_event(kind=Event.Kind.COLLECTIVE, visibility=V.MEMBERS),
        "invitation": make_event(visibility=V.INVITATION),
        "cancelled": make_event(visibility=V.ORGANIZATION),
        "past": make_event(visibility=V.ORGANIZATION, days=-5),
    }
    actions.cancel_event(events["cancelled"].pk, actor=None, reason="Snow")
    ids = {name: e.pk for name, e in events.items()}
    ids["unknown"] = max(ids.values()) + 1000
    return ids


def answer(response, pk):
    """What a visitor can observe, with the id taken out (the id as a whole number only: an id
    of 3 must not also eat the 3 of an escaped "%3F")."""
    without_id = re.compile(rf"(?<![0-9%]){pk}(?![0-9])")
    return (
        response.status_code,
        without_id.sub("ID", response.get("Location", "")),
        response.get("Content-Type", ""),
        without_id.sub("ID", response.content.decode()),
    )


PAGES = [
    ("get", "/events/{}/"),
    ("get", "/events/{}/?code=not-the-code"),
    ("get", "/events/{}.ics"),
    ("get", "/events/{}.ics?code=not-the-code"),
    ("post", "/events/{}/register"),
    ("post", "/events/{}/cancel"),
    ("post", "/events/{}/prework"),
    ("get", "/api/v1/events/{}"),
    ("put", "/api/v1/events/{}/registration"),
    ("delete", "/api/v1/events/{}/registration"),
    ("get", "/api/v1/events/{}/roster"),
    ("post", "/api/v1/events/{}/attendance"),
]


@pytest.mark.parametrize(("method", "address"), PAGES, ids=[f"{m} {a}" for m, a in PAGES])
def test_an_event_a_visitor_may_not_see_answers_as_an_unknown_id(client, hidden, method, address):
    answers = {
        name: answer(getattr(client, method)(address.format(pk)), pk) for name, pk in hidden.items()
    }
    assert len(set(answers.values())) == 1, answers
    status, location, _type, _body = answers["unknown"]
    if address.startswith("/api/"):
        assert status in (401, 404)
    else:
        assert status == 302 and location.startswith("/sign-in/?next=/events/ID/")


def test_the_sign_in_leads_back_to_the_event_and_then_the_rule_decides(client, hidden, alice):
    response = client.get(f"/events/{hidden['organization']}/")
    assert response["Location"] == f"/sign-in/?next=/events/{hidden['organization']}/"
    client.force_login(alice)
    assert client.get(f"/events/{hidden['organization']}/").status_code == 200
    for name in ("members", "invitation", "unknown"):
        assert client.get(f"/events/{hidden[name]}/").status_code == 404


def test_a_public_event_and_an_invitation_with_its_code_still_open_to_visitors(client):
    public = make_event(visibility=V.PUBLIC)
    assert client.get(f"/events/{public.pk}/").status_code == 200
    assert client.get(f"/events/{public.pk}.ics").status_code == 200
    assert client.get(f"/api/v1/events/{public.pk}").status_code == 200
    private = make_event(visibility=V.INVITATION)
    code = private.invitation_code
    assert client.get(f"/events/{private.pk}/?code={code}").status_code == 200
    assert client.get(f"/events/{private.pk}.ics?code={code}").status_code == 200

"""GET /api/v1/events and /api/v1/events/{id}: seats, waitlist, status, visibility, and join
details for registrants only."""

import datetime

import pytest
from django.utils import timezone

from belong.events.models import Event, Registration, Series
from belong.people import roles
from tests.builders import (
    bearer,
    event_row,
    make_collective,
    make_course,
    make_person,
    make_registration,
    token_for,
)

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_detail_has_seats_waitlist_minimum_and_status(client, alice, bob, carol, dave):
    event = event_row(
        title="Allyship 101",
        kind=Event.Kind.SESSION,
        capacity=2,
        minimum=6,
        status=Event.Status.CONFIRMED,
        place="Room 4",
        format=Event.Format.HYBRID,
    )
    make_registration(event, alice)
    make_registration(event, bob, Registration.State.ATTENDED)
    make_registration(event, carol, Registration.State.WAITLISTED)
    make_registration(event, dave, Registration.State.CANCELLED)
    body = client.get(f"/api/v1/events/{event.pk}").json()
    assert body["id"] == event.pk
    assert body["title"] == "Allyship 101"
    assert body["capacity"] == 2
    assert body["seats_left"] == 0
    assert body["waitlist_count"] == 1
    assert body["minimum"] == 6
    assert body["status"] == "confirmed"
    assert body["format"] == "hybrid"
    assert body["place"] == "Room 4"
    assert body["registration_state"] is None
    assert body["online_join_details"] is None
    assert "registered_count" not in body


def test_no_capacity_means_seats_left_null(client):
    event = event_row(capacity=None)
    assert client.get(f"/api/v1/events/{event.pk}").json()["seats_left"] is None


def test_times_are_iso_8601_with_offset(client):
    event = event_row()
    body = client.get(f"/api/v1/events/{event.pk}").json()
    for key in ("start", "end"):
        parsed = datetime.datetime.fromisoformat(body[key])
        assert parsed.utcoffset() == timezone.localtime(getattr(event, key)).utcoffset()
        assert abs(parsed - getattr(event, key)) < datetime.timedelta(milliseconds=1)
    assert body["start"][-6] in "+-"  # an explicit offset such as -06:00, not a bare time


def test_host_and_series(client):
    course = make_course("implicit-bias", title="Implicit Bias")
    series = Series.objects.create(name="Dean's Lecture Series", slug="deans-lecture-series")
    session = event_row(host=course, kind=Event.Kind.SESSION)
    lecture = event_row(kind=Event.Kind.LECTURE, series=series)
    collective = make_collective("pride", name="Pride")
    gathering = event_row(host=collective)
    assert client.get(f"/api/v1/events/{session.pk}").json()["host"] == {
        "type": "course",
        "slug": "implicit-bias",
        "name": "Implicit Bias",
    }
    body = client.get(f"/api/v1/events/{lecture.pk}").json()
    assert body["host"] is None
    assert body["series"] == {"slug": "deans-lecture-series", "name": "Dean's Lecture Series"}
    assert client.get(f"/api/v1/events/{gathering.pk}").json()["host"]["type"] == "collective"


@pytest.mark.parametrize(
    ("state", "sees"),
    [
        (Registration.State.REGISTERED, True),
        (Registration.State.ATTENDED, True),
        (Registration.State.WAITLISTED, False),
        (Registration.State.CANCELLED, False),
        (None, False),
    ],
)
def test_join_details_only_for_a_seat_holder(client, alice, state, sees):
    event = event_row(online_join_details="https://meet.example.org/secret-room")
    if state:
        make_registration(event, alice, state)
    headers = bearer(token_for(alice))
    detail = client.get(f"/api/v1/events/{event.pk}", **headers).json()
    listed = client.get("/api/v1/events", **headers).json()["items"][0]
    for body in (detail, listed):
        assert body["registration_state"] == state
        if sees:
            assert body["online_join_details"] == "https://meet.example.org/secret-room"
        else:
            assert body["online_join_details"] is None
    # Never for a visitor.
    assert "secret-room" not in client.get(f"/api/v1/events/{event.pk}").content.decode()


def test_someone_elses_registration_shows_nothing(client, alice, bob):
    event = event_row(online_join_details="https://meet.example.org/secret-room")
    make_registration(event, bob)
    body = client.get(f"/api/v1/events/{event.pk}", **bearer(token_for(alice))).json()
    assert body["online_join_details"] is None
    assert body["registration_state"] is None


def test_visibility(client, alice, bob, dave):
    public = event_row(title="public", days=1)
    organization = event_row(title="organization", days=2, visibility=Event.Visibility.ORGANIZATION)
    invitation = event_row(title="invitation", days=3, visibility=Event.Visibility.INVITATION)
    make_registration(invitation, bob)
    cancelled_invite = event_row(
        title="invitation, cancelled registration",
        days=4,
        visibility=Event.Visibility.INVITATION,
    )
    make_registration(cancelled_invite, dave, Registration.State.CANCELLED)

    # A visitor: public only.
    assert ids(client.get("/api/v1/events")) == [public.pk]
    assert client.get(f"/api/v1/events/{organization.pk}").status_code == 404
    assert client.get(f"/api/v1/events/{invitation.pk}").status_code == 404
    # Signed in without a registration: no invitation-only events.
    for person in (alice, dave):
        headers = bearer(token_for(person))
        assert ids(client.get("/api/v1/events", **headers)) == [public.pk, organization.pk]
        assert client.get(f"/api/v1/events/{invitation.pk}", **headers).status_code == 404
        assert client.get(f"/api/v1/events/{cancelled_invite.pk}", **headers).status_code == 404
    # The registrant sees the invitation-only event.
    headers = bearer(token_for(bob))
    assert ids(client.get("/api/v1/events", **headers)) == [
        public.pk,
        organization.pk,
        invitation.pk,
    ]
    assert client.get(f"/api/v1/events/{invitation.pk}", **headers).status_code == 200


def test_the_people_who_run_an_invitation_only_event_get_it_by_id(client, alice, carol, frank):
    """Those for whom the roster answers 200 (belong.events.access.can_manage) also get the
    event itself, with no registration and no invitation code; others still get 404. The list
    stays what the caller may see as a participant (the catalog's rule)."""
    fay = make_person("fay@example.org", "Fay Facilitator", roles.FACILITATOR)
    session = event_row(
        title="By invitation", kind=Event.Kind.SESSION, visibility=Event.Visibility.INVITATION
    )
    session.facilitators.add(fay)
    gathering = event_row(
        title="A collective's private gathering", visibility=Event.Visibility.INVITATION
    )
    for person in (carol, fay, frank):
        headers = bearer(token_for(person))
        assert client.get(f"/api/v1/events/{session.pk}/roster", **headers).status_code == 200
        response = client.get(f"/api/v1/events/{session.pk}", **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["id"] == session.pk
        assert body["registration_state"] is None
        assert session.pk not in ids(client.get("/api/v1/events", **headers))
    # A DEI administrator runs every event; a coordinator only sessions and lectures, and a
    # facilitator only the ones they facilitate.
    assert (
        client.get(f"/api/v1/events/{gathering.pk}", **bearer(token_for(frank))).status_code == 200
    )
    assert (
        client.get(f"/api/v1/events/{gathering.pk}", **bearer(token_for(carol))).status_code == 404
    )
    assert client.get(f"/api/v1/events/{gathering.pk}", **bearer(token_for(fay))).status_code == 404
    other_fay = make_person("fay2@example.org", "Another Facilitator", roles.FACILITATOR)
    for headers in (bearer(token_for(alice)), bearer(token_for(other_fay)), {}):
        assert client.get(f"/api/v1/events/{session.pk}", **headers).status_code == 404


def test_upcoming_by_default(client):
    past = event_row(days=-3)
    cancelled = event_row(days=3, status=Event.Status.CANCELLED)
    future = event_row(days=5)
    assert ids(client.get("/api/v1/events")) == [future.pk]
    assert ids(client.get("/api/v1/events?upcoming=true")) == [future.pk]
    assert ids(client.get("/api/v1/events?upcoming=false")) == [past.pk, cancelled.pk, future.pk]


def test_from_and_to_dates_replace_the_upcoming_default(client):
    past = event_row(days=-3)
    near = event_row(days=3)
    far = event_row(days=30)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    window = f"from={today - 4 * day}&to={today + 4 * day}"
    assert ids(client.get(f"/api/v1/events?{window}")) == [past.pk, near.pk]
    assert ids(client.get(f"/api/v1/events?{window}&upcoming=true")) == [near.pk]
    assert ids(client.get(f"/api/v1/events?from={today + 10 * day}")) == [far.pk]
    assert ids(client.get(f"/api/v1/events?to={today}")) == [past.pk]
    # "to" is inclusive of its whole day.
    on = timezone.localdate(near.start)
    assert ids(client.get(f"/api/v1/events?from={on}&to={on}")) == [near.pk]


def test_kind_filter(client):
    lecture = event_row(kind=Event.Kind.LECTURE)
    event_row(kind=Event.Kind.SESSION)
    assert ids(client.get("/api/v1/events?kind=lecture")) == [lecture.pk]


@pytest.mark.parametrize(
    ("query", "field", "fragment"),
    [
        ("kind=party", "kind", "'session', 'lecture', 'collective' or 'program'"),
        ("upcoming=perhaps", "upcoming", "boolean"),
        ("from=2025-02-30", "from", "date"),
        ("to=tomorrow", "to", "date"),
        ("from=0001-01-01", "from", "1900-01-01"),
        ("to=9999-12-31", "to", "2999-12-31"),
        # Numbers are not days (pydantic would read them as seconds since 1970), nor is
        # anything but YYYY-MM-DD.
        ("to=0", "to", "YYYY-MM-DD"),
        ("from=1700000000", "from", "YYYY-MM-DD"),
        ("to=-1", "to", "YYYY-MM-DD"),
        ("to=1e9", "to", "YYYY-MM-DD"),
        ("from=2025-1-1", "from", "YYYY-MM-DD"),
        ("from=2025-01-01T00:00:00", "from", "YYYY-MM-DD"),
        ("to=%202025-01-01", "to", "YYYY-MM-DD"),
        ("to=1899-12-31", "to", "1900-01-01"),
        ("from=3000-01-01", "from", "2999-12-31"),
        ("limit=0", "limit", "greater than or equal to 1"),
        ("limit=201", "limit", "less than or equal to 200"),
        ("limit=ten", "limit", "integer"),
        ("offset=-1", "offset", "greater than or equal to 0"),
        ("offset=99999999999999999999999", "offset", "less than or equal to"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_field(client, db, query, field, fragment):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Some request parameters are not valid."
    assert list(body["errors"]) == [field]
    assert fragment in body["errors"][field][0]


def test_to_before_from_is_an_empty_range(client, db):
    day = timezone.localdate(event_row(days=3).start)
    before = day - datetime.timedelta(days=1)
    response = client.get(f"/api/v1/events?from={day}&to={day}")
    assert response.status_code == 200 and response.json()["count"] == 1
    response = client.get(f"/api/v1/events?from={day}&to={before}")
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] == 0


@pytest.mark.parametrize("bad", ["abc", "1.5", "99999999999999999999999"])
def test_an_id_that_cannot_be_one_is_422(client, db, bad):
    response = client.get(f"/api/v1/events/{bad}")
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["id"]


@pytest.mark.parametrize("unknown", ["424242", "0", "-1"])
def test_an_unknown_id_is_404(client, db, unknown):
    response = client.get(f"/api/v1/events/{unknown}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"No event with the id {unknown}.", "errors": {}}


def test_pagination_shape(client):
    events = [event_row(days=d) for d in range(1, 6)]
    body = client.get("/api/v1/events?limit=2&offset=2").json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 5
    assert [item["id"] for item in body["items"]] == [e.pk for e in events[2:4]]
    assert client.get("/api/v1/events?offset=50").json() == {"items": [], "count": 5}


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_query_budget(client, alice, bob, signed_in, django_assert_max_num_queries):
    course = make_course("c")
    collective = make_collective("k")
    series = Series.objects.create(name="S", slug="s")
    for i in range(15):
        event = event_row(
            days=1 + i,
            host=course if i % 3 == 0 else collective if i % 3 == 1 else None,
            kind=Event.Kind.COLLECTIVE if i % 3 == 1 else Event.Kind.SESSION,
            series=series if i % 3 == 2 else None,
            capacity=10,
        )
        make_registration(event, bob)
        make_registration(event, alice, Registration.State.WAITLISTED)
    headers = bearer(token_for(alice)) if signed_in else {}
    # (token, last-used write,) count, events, courses, collectives (+ content types, once)
    with django_assert_max_num_queries(7 if signed_in else 5):
        body = client.get("/api/v1/events", **headers).json()
    assert body["count"] == 15
    # A collective's events keep their counts private (Event.counts_private); the others say.
    for item in body["items"]:
        if item["kind"] == "collective":
            assert item["counts_private"] is True, item
            assert (item["waitlist_count"], item["seats_left"]) == (None, None), item
        else:
            assert item["counts_private"] is False, item
            assert (item["waitlist_count"], item["seats_left"]) == (1, 9), item
    assert {item["kind"] for item in body["items"]} == {"collective", "session"}

"""/events/<pk>.ics: the event as a calendar download, parsed back with icalendar."""

import icalendar
import pytest

from belong.events import actions
from belong.events.models import Event
from tests.builders import make_event

pytestmark = pytest.mark.django_db

JOIN = "https://zoom.example.org/j/555 passcode 4242"


def ics_url(pk, code=""):
    return f"/events/{pk}.ics" + (f"?code={code}" if code else "")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    return calendar, vevent


def test_anyone_downloads_a_public_event_without_join_details(client):
    session = make_event(title="Implicit Bias", online_join_details=JOIN, place="Room 5")
    response = client.get(ics_url(session.pk))
    calendar, vevent = parse(response)

    assert response["Content-Disposition"] == f'attachment; filename="event-{session.pk}.ics"'
    assert "METHOD" not in calendar
    assert str(vevent["UID"]) == session.uid
    assert int(vevent["SEQUENCE"]) == session.sequence
    assert str(vevent["SUMMARY"]) == "Implicit Bias"
    assert vevent["DTSTART"].params["TZID"] == "America/Chicago"
    assert vevent.decoded("DTSTART") == session.start.replace(microsecond=0)
    assert vevent.decoded("DTEND") == session.end.replace(microsecond=0)
    assert str(vevent["LOCATION"]) == "Room 5"
    assert "zoom.example.org" not in response.content.decode()
    assert "ATTENDEE" not in vevent
    assert calendar.walk("VTIMEZONE")


def test_a_seat_holder_gets_the_join_details(client, alice):
    session = make_event(online_join_details=JOIN)
    actions.register(session.pk, person=alice)
    client.force_login(alice)
    response = client.get(ics_url(session.pk))
    _, vevent = parse(response)
    assert "zoom.example.org/j/555" in str(vevent["DESCRIPTION"])
    assert "private" in response["Cache-Control"]


def test_the_waitlist_and_other_members_get_no_join_details(client, alice, bob, dave):
    session = make_event(online_join_details=JOIN, capacity=1, minimum=0)
    actions.register(session.pk, person=alice)
    actions.register(session.pk, person=bob)
    for person in (bob, dave):
        client.force_login(person)
        _, vevent = parse(client.get(ics_url(session.pk)))
        assert "zoom.example.org" not in str(vevent.get("DESCRIPTION", ""))


def test_a_changed_event_keeps_its_uid_and_raises_its_sequence(client, carol):
    session = make_event()
    _, before = parse(client.get(ics_url(session.pk)))
    actions.update_event(session.pk, actor=carol, place="Another room")
    _, after = parse(client.get(ics_url(session.pk)))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1


def test_a_cancelled_event_downloads_as_cancelled(client, carol):
    session = make_event()
    actions.cancel_event(session.pk, actor=carol, reason="Snow")
    calendar, vevent = parse(client.get(ics_url(session.pk)))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "METHOD" not in calendar


def test_an_invitation_only_event_needs_its_code(client, dave):
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(dave)
    assert client.get(ics_url(private.pk)).status_code == 404
    parse(client.get(ics_url(private.pk, private.invitation_code)))


def test_a_visitor_is_asked_to_sign_in_for_an_organization_event(client):
    internal = make_event(visibility=Event.Visibility.ORGANIZATION)
    response = client.get(ics_url(internal.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_unknown_events_are_404_once_signed_in(client, dave):
    # A visitor is asked to sign in, as for any event they may not see (test_visitor_probing).
    assert client.get(ics_url(987654)).status_code == 302
    assert client.get(ics_url(2**70)).status_code == 404  # no event can have this id
    client.force_login(dave)
    assert client.get(ics_url(987654)).status_code == 404


def test_the_download_is_read_only(client):
    session = make_event()
    assert client.post(ics_url(session.pk)).status_code == 405

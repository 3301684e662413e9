"""The personal calendar feed: /me/calendar/ (the address, replacing it) and
/events/feed/<token>.ics (no sign-in; the token is the secret), parsed back with icalendar."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.events import actions
from belong.events.models import CalendarFeed, Event
from tests.builders import make_event, new_people, text

pytestmark = pytest.mark.django_db

JOIN = "https://zoom.example.org/j/777"


def feed_path(token):
    return f"/events/feed/{token}.ics"


def feed_of(person):
    return CalendarFeed.objects.get_or_create(person=person)[0]


def vevents(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


# --- /me/calendar/ -----------------------------------------------------------------------------


def test_the_page_needs_sign_in(client):
    response = client.get("/me/calendar/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/me/calendar/"
    assert not CalendarFeed.objects.exists()


def test_the_first_visit_makes_the_address_and_later_visits_keep_it(client, alice):
    client.force_login(alice)
    response = client.get("/me/calendar/")
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(person=alice)
    body = text(response)
    assert f"http://127.0.0.1:8000/events/feed/{feed.token}.ics" in body
    assert f"webcal://127.0.0.1:8000/events/feed/{feed.token}.ics" in body
    for name in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert name in body
    assert 'action="/me/calendar/replace"' in body
    assert "no-cache" in response["Cache-Control"]

    client.get("/me/calendar/")
    assert CalendarFeed.objects.get(person=alice).token == feed.token


def test_my_page_links_to_the_calendar_page(client, alice):
    client.force_login(alice)
    assert 'href="/me/calendar/"' in text(client.get("/me/"))


def test_replacing_the_address_revokes_the_old_one_at_once(client, alice):
    session = make_event()
    actions.register(session.pk, person=alice)
    old = feed_of(alice).token
    assert client.get(feed_path(old)).status_code == 200

    client.force_login(alice)
    response = client.post("/me/calendar/replace")
    assert response.status_code == 302
    assert response["Location"] == "/me/calendar/"
    new = CalendarFeed.objects.get(person=alice).token
    assert new != old

    client.logout()
    assert client.get(feed_path(old)).status_code == 404
    assert session.uid in vevents(client.get(feed_path(new)))


def test_replacing_is_post_only_and_needs_sign_in(client, alice):
    old = feed_of(alice).token
    assert client.get("/me/calendar/replace").status_code == 405
    response = client.post("/me/calendar/replace")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    client.force_login(alice)
    assert client.get("/me/calendar/replace").status_code == 405
    assert CalendarFeed.objects.get(person=alice).token == old


def test_one_person_cannot_replace_another_persons_address(client, alice, dave):
    alices = feed_of(alice).token
    client.force_login(dave)
    client.post("/me/calendar/replace")
    assert CalendarFeed.objects.get(person=alice).token == alices


# --- the feed -----------------------------------------------------------------------------------


def test_an_unknown_token_is_404(client):
    assert client.get(feed_path("no-such-token")).status_code == 404
    assert client.get(feed_path("x" * 300)).status_code == 404


def test_the_feed_of_an_inactive_person_is_404(client, alice):
    token = feed_of(alice).token
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(feed_path(token)).status_code == 404


def test_the_feed_holds_the_seats_from_60_days_ago_on(client, alice, bob, carol):
    now = timezone.now()
    seated = make_event(title="Seated", online_join_details=JOIN, capacity=1, minimum=0)
    actions.register(seated.pk, person=alice)

    waitlisted = make_event(title="Waitlisted", capacity=1, minimum=0)
    actions.register(waitlisted.pk, person=bob)
    actions.register(waitlisted.pk, person=alice)

    withdrawn = make_event(title="Withdrawn")
    actions.register(withdrawn.pk, person=alice)
    actions.cancel_registration(withdrawn.pk, person=alice)

    cancelled = make_event(title="Cancelled by the coordinator")
    actions.register(cancelled.pk, person=alice)
    actions.cancel_event(cancelled.pk, actor=carol, reason="Snow")

    recent = make_event(title="Recent", start=now + datetime.timedelta(days=1))
    registration = actions.register(recent.pk, person=alice).registration
    actions.mark_attendance(
        recent.pk, actor=carol, attended=[registration.pk], now=now + datetime.timedelta(days=2)
    )
    Event.objects.filter(pk=recent.pk).update(
        start=now - datetime.timedelta(days=40), end=now - datetime.timedelta(days=40, hours=-1)
    )

    old = make_event(title="Old", start=now + datetime.timedelta(days=1))
    actions.register(old.pk, person=alice)
    Event.objects.filter(pk=old.pk).update(
        start=now - datetime.timedelta(days=61), end=now - datetime.timedelta(days=61, hours=-1)
    )

    others = make_event(title="Someone else's")
    actions.register(others.pk, person=bob)

    items = vevents(client.get(feed_path(feed_of(alice).token)))

    assert set(items) == {seated.uid, cancelled.uid, recent.uid}
    assert str(items[cancelled.uid]["STATUS"]) == "CANCELLED"
    assert str(items[seated.uid]["STATUS"]) == "CONFIRMED"
    assert "zoom.example.org/j/777" in str(items[seated.uid]["DESCRIPTION"])
    dtstart = items[seated.uid]["DTSTART"]
    assert dtstart.params["TZID"] == "America/Chicago"
    assert items[seated.uid].decoded("DTSTART") == seated.start.replace(microsecond=0)


def test_the_feed_keeps_the_uid_and_raises_the_sequence_on_a_change(client, alice, carol):
    session = make_event()
    actions.register(session.pk, person=alice)
    token = feed_of(alice).token
    before = vevents(client.get(feed_path(token)))[session.uid]
    actions.update_event(
        session.pk,
        actor=carol,
        start=session.start + datetime.timedelta(hours=1),
        end=session.end + datetime.timedelta(hours=1),
    )
    after = vevents(client.get(feed_path(token)))[session.uid]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == datetime.timedelta(hours=1)


def test_the_feed_is_named_and_not_cached_by_others(client, alice):
    response = client.get(feed_path(feed_of(alice).token))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "my sessions" in str(calendar["X-WR-CALNAME"])
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_the_feed_answers_only_get(client, alice):
    assert client.post(feed_path(feed_of(alice).token)).status_code == 405


def test_the_feed_costs_the_same_for_few_and_many_sessions(client, alice):
    token = feed_of(alice).token

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            vevents(client.get(feed_path(token)))
        return len(ctx.captured_queries)

    actions.register(make_event(capacity=None).pk, person=alice)
    few = cost()
    for _ in range(15):
        session = make_event(capacity=None)
        actions.register(session.pk, person=alice)
        for person in new_people(2):
            actions.register(session.pk, person=person)
    assert cost() == few

"""Who comes to a collective's event is the hosts' leaders' to know (Event.counts_private).

Tried as an attacker would: a member of the collective reads everything Belong shows them about
a members-only event (its page and .ics, the collective's page, the area of focus, the home page,
the collectives list, /me/, their calendar feed, the API's events, the event and their own
registrations, their personal data download, the mail they receive) before and after another
member registers, takes the last seat, joins the waitlist, leaves it from ahead of them, or
reaches the event's minimum; not one byte changes (the rule shows no band: only the capacity the
hosts set and the reader's own state). The hosts' leaders still see the roster, and the number
of people appears nowhere else: not to a DEI administrator who runs the collective's pages, not
in the short-of-minimum mail. Workshop sessions keep their seats left (docs/privacy.md)."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from belong.events import actions as engine
from belong.events import feed_actions
from belong.events.models import Event, Registration
from belong.notifications.models import OutboundMessage
from tests.builders import bearer, make_collective_event, new_person, text, token_for

pytestmark = pytest.mark.django_db

State = Registration.State
NOISE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"'), r'\1"'),
    (re.compile(r'(nonce=")[^"]*"'), r'\1"'),
    (re.compile(r"^DTSTAMP:.*$", re.M), "DTSTAMP:"),
]


def _plain(body: str) -> str:
    for pattern, replacement in NOISE:
        body = pattern.sub(replacement, body)
    return body


@pytest.fixture
def watcher(collective, join):
    """The attacker: a member of the collective, as any member could be."""
    someone = new_person("watcher")
    join(someone, collective)
    return someone


@pytest.fixture
def target(collective, join):
    """The colleague whose attendance the watcher wants to learn."""
    someone = new_person("target")
    join(someone, collective, kind="ally")
    return someone


@pytest.fixture
def others(collective, join):
    people = [new_person("other") for _ in range(4)]
    for someone in people:
        join(someone, collective)
    return people


@pytest.fixture
def gathering(collective, leads, bob, focus_areas):
    return make_collective_event(
        collective,
        bob,
        title="Coming Out Stories",
        capacity=3,
        minimum=3,
        focus_areas=[focus_areas[0]],
        online_join_details="https://meet.example.org/stories",
    )


def everything_seen(client, reader, event, collective, focus_area):
    """What `reader` can read about the event, as text, with nothing that changes from one read
    to the next (CSRF tokens, CSP nonces, calendar stamps) blanked out."""
    client.force_login(reader)
    headers = bearer(token_for(reader))
    feed = feed_actions.calendar_feed(person=reader)
    pages = [
        reverse("events:detail", args=[event.pk]),
        reverse("events:ics", args=[event.pk]),
        reverse("events:feed", args=[feed.token]),
        collective.get_absolute_url(),
        reverse("collectives:focus_area", args=[focus_area.slug]),
        reverse("collectives:list"),
        "/",
        reverse("people:me"),
    ]
    seen = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen[url] = _plain(text(response))
    for url in [
        f"/api/v1/events/{event.pk}",
        "/api/v1/events",
        "/api/v1/me/registrations",
        f"/api/v1/collectives/{collective.slug}",
    ]:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.content)
        seen[url] = _plain(text(response))
    # The download's events part (the rest holds the moment of the download and its audit).
    download = client.get(reverse("people:privacy_download"))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    seen["download"] = json.loads(body)["events"]
    seen["mail"] = sorted(
        OutboundMessage.objects.filter(to_email=reader.email).values_list("pk", flat=True)
    )
    return seen


def assert_nothing_moves(client, watcher, event, collective, focus_area, change):
    before = everything_seen(client, watcher, event, collective, focus_area)
    again = everything_seen(client, watcher, event, collective, focus_area)
    assert again == before, "the reads themselves must be stable for the comparison to mean much"
    change()
    after = everything_seen(client, watcher, event, collective, focus_area)
    moved = [where for where in before if before[where] != after[where]]
    assert not moved, f"the watcher sees the change in {moved}"


@pytest.fixture
def watch(client, watcher, gathering, collective, focus_areas):
    """`watch(change)`: the watcher reads everything before and after `change`."""

    def _watch(change):
        assert_nothing_moves(client, watcher, gathering, collective, focus_areas[0], change)

    return _watch


def test_a_colleague_taking_a_seat_changes_nothing_the_watcher_sees(
    watch, watcher, target, gathering
):
    engine.register(gathering.pk, person=watcher)
    watch(lambda: engine.register(gathering.pk, person=target))
    assert Registration.objects.get(event=gathering, person=target).state == State.REGISTERED


def test_taking_the_last_seat_and_reaching_the_minimum_changes_nothing(
    watch, client, watcher, target, others, gathering
):
    """The third seat is the last one and the minimum: today's "Full", "0 seats left" and
    "Confirmed" would all name who took it."""
    engine.register(gathering.pk, person=watcher)
    engine.register(gathering.pk, person=others[0])
    watch(lambda: engine.register(gathering.pk, person=target))
    gathering.refresh_from_db()
    assert gathering.status == Event.Status.SCHEDULED  # confirmed at the cutoff, not now
    assert not OutboundMessage.objects.filter(subject__startswith="It will run").exists()


def test_joining_the_waitlist_changes_nothing(watch, client, watcher, target, others, gathering):
    engine.register(gathering.pk, person=others[0])
    engine.register(gathering.pk, person=others[1])
    engine.register(gathering.pk, person=watcher)  # the last seat
    watch(lambda: engine.register(gathering.pk, person=target))
    assert Registration.objects.get(event=gathering, person=target).state == State.WAITLISTED


def test_someone_ahead_leaving_the_waitlist_changes_nothing_for_one_behind(
    watch, client, watcher, target, others, gathering
):
    """The watcher waits behind the target: today their place moved from 2 to 1."""
    for someone in others[:3]:
        engine.register(gathering.pk, person=someone)
    engine.register(gathering.pk, person=target)
    engine.register(gathering.pk, person=watcher)
    watch(lambda: engine.cancel_registration(gathering.pk, person=target))
    mine = client.get(reverse("events:detail", args=[gathering.pk]))
    assert "You are on the waitlist." in text(mine)
    assert "number" not in text(mine)


def test_a_colleague_leaving_a_seat_changes_nothing(watch, watcher, target, gathering):
    engine.register(gathering.pk, person=watcher)
    engine.register(gathering.pk, person=target)
    watch(lambda: engine.cancel_registration(gathering.pk, person=target))


def test_from_empty_to_full_and_a_waitlist_a_member_sees_one_and_the_same_event(
    client, watcher, others, target, gathering, collective
):
    """No band: the event reads the same with no one, some, every seat taken and people
    waiting, to a member who has not registered (who would otherwise watch it fill)."""
    client.force_login(watcher)
    headers = bearer(token_for(watcher))
    urls = [reverse("events:detail", args=[gathering.pk]), collective.get_absolute_url()]

    def view():
        pages = [_plain(text(client.get(url))) for url in urls]
        return pages + [client.get(f"/api/v1/events/{gathering.pk}", **headers).json()]

    empty = view()
    for someone in [*others, target]:  # 3 seats, then 2 waiting
        engine.register(gathering.pk, person=someone)
        assert view() == empty
    assert Registration.objects.filter(event=gathering, state=State.WAITLISTED).count() == 2


def test_an_organization_wide_collective_event_is_as_private(
    client, watcher, target, others, collective, leads, bob, focus_areas
):
    """Registering for any of a collective's events tells something of who belongs to it."""
    open_event = make_collective_event(
        collective,
        bob,
        title="Open Panel",
        capacity=1,
        visibility=Event.Visibility.ORGANIZATION,
        focus_areas=[focus_areas[0]],
    )
    engine.register(open_event.pk, person=others[0])  # the only seat
    outsider = new_person("outsider")
    assert_nothing_moves(
        client,
        outsider,
        open_event,
        collective,
        focus_areas[0],
        lambda: engine.register(open_event.pk, person=target),
    )


def test_what_the_page_and_the_api_say_instead(client, watcher, others, gathering):
    for someone in others[:3]:
        engine.register(gathering.pk, person=someone)
    outcome = engine.register(gathering.pk, person=watcher)
    assert outcome.state == State.WAITLISTED
    client.force_login(watcher)
    page = text(client.get(reverse("events:detail", args=[gathering.pk])))
    assert "Room for 3 people." in page
    assert "How many have registered or are waiting is not shown" in page
    for counted in ("seats left", "seat left", "Full", "on the waitlist, number", "needs"):
        assert counted not in page, counted
    body = client.get(f"/api/v1/events/{gathering.pk}", **bearer(token_for(watcher))).json()
    assert body["counts_private"] is True and body["capacity"] == 3
    assert (body["seats_left"], body["waitlist_count"]) == (None, None)
    mine = client.get("/api/v1/me/registrations", **bearer(token_for(watcher))).json()
    assert mine["items"][0]["state"] == "waitlisted"
    assert mine["items"][0]["waitlist_position"] is None
    again = client.put(
        f"/api/v1/events/{gathering.pk}/registration", **bearer(token_for(watcher))
    ).json()
    assert again["waitlist_position"] is None and again["event"]["seats_left"] is None
    # Mail about a collective's event is private: its key is a digest, so found by its subject.
    mail = OutboundMessage.objects.get(
        to_email=watcher.email, subject__startswith="You are on the waitlist"
    )
    assert "Every seat is taken, so you are on the waitlist." in mail.body_text
    assert "number" not in mail.body_text


def test_a_seat_or_the_waitlist_is_said_only_to_who_asked(client, watcher, others, gathering):
    for someone in others[:3]:
        engine.register(gathering.pk, person=someone)
    client.force_login(watcher)
    page = text(client.get(reverse("events:detail", args=[gathering.pk])))
    assert ">Register</button>" in page and "Join the waitlist" not in page
    response = client.post(reverse("events:register", args=[gathering.pk]), follow=True)
    assert "Every seat is taken, so you are on the waitlist." in text(response)


def test_the_hosts_leaders_still_see_the_roster(client, bob, target, watcher, gathering):
    engine.register(gathering.pk, person=watcher)
    engine.register(gathering.pk, person=target)
    client.force_login(bob)
    roster = text(client.get(reverse("collectives:event_roster", args=["rainbow", gathering.pk])))
    assert target.display_name in roster and watcher.display_name in roster
    listing = text(client.get(reverse("collectives:events", args=["rainbow"])))
    assert "2 of 3" in listing
    api = client.get(f"/api/v1/events/{gathering.pk}/roster", **bearer(token_for(bob))).json()
    assert api["count"] == 2
    assert {entry["person"]["email"] for entry in api["items"]} == {target.email, watcher.email}


def test_a_dei_administrator_running_the_collectives_pages_gets_no_count(
    client, frank, target, watcher, gathering
):
    engine.register(gathering.pk, person=watcher)
    engine.register(gathering.pk, person=target)
    client.force_login(frank)
    listing = text(client.get(reverse("collectives:events", args=["rainbow"])))
    assert "Coming Out Stories" in listing
    assert "2 of 3" not in listing and "For its leaders only" in listing
    confirm = text(client.get(reverse("collectives:event_cancel", args=["rainbow", gathering.pk])))
    assert "Everyone registered or on the waitlist will be told." in confirm
    assert "2 people" not in confirm


def test_the_minimum_is_decided_at_the_cutoff_and_the_short_mail_has_no_count(
    settings, watcher, target, others, gathering, frank
):
    engine.register(gathering.pk, person=watcher)
    engine.register(gathering.pk, person=target)
    later = gathering.start - datetime.timedelta(days=settings.MINIMUM_CUTOFF_DAYS, hours=-1)
    assert engine.check_minimums(now=later) == 1
    short = OutboundMessage.objects.get(to_email=frank.email, key__contains=":short:")
    assert "Fewer have registered so far." in short.body_text
    assert "2 people" not in short.body_text and "One more" not in short.body_text

    full = make_collective_event(
        gathering.host, gathering.host.leader_roles.first().person, capacity=3, minimum=2
    )
    engine.register(full.pk, person=watcher)
    engine.register(full.pk, person=target)
    full.refresh_from_db()
    assert full.status == Event.Status.SCHEDULED
    engine.check_minimums(now=full.start - datetime.timedelta(days=1))
    full.refresh_from_db()
    assert full.status == Event.Status.CONFIRMED
    told = OutboundMessage.objects.filter(subject__startswith="It will run")
    assert {message.to_email for message in told} == {watcher.email, target.email}


def test_a_workshop_session_keeps_its_seats_left(client, alice):
    from tests.builders import make_session

    workshop = make_session(capacity=10)
    engine.register(workshop.pk, person=alice)
    assert not workshop.counts_private
    page = text(client.get(reverse("events:detail", args=[workshop.pk])))
    assert "9 seats left" in page
    assert client.get(f"/api/v1/events/{workshop.pk}").json()["seats_left"] == 9

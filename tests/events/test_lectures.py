"""/lectures/: the Dean's Lecture Series, upcoming lectures with seats and the person's state,
and the archive of past ones with their recordings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event
from belong.people.models import OrgUnit
from tests.builders import make_event, make_lecture, new_people, text
from tests.clock import local_day_at

pytestmark = pytest.mark.django_db


def ago(days):
    return local_day_at(-days)


def test_upcoming_lectures_link_to_their_pages_with_seats(client):
    upcoming = make_lecture(title="Health Equity Now", capacity=100, speakers="Dr. Grace Hopper")
    actions.register(upcoming.pk, person=new_people(1)[0])
    make_event(title="A workshop session")  # not a lecture

    body = text(client.get("/lectures/"))

    assert f'<a href="/events/{upcoming.pk}/">Health Equity Now</a>' in body
    assert "99 seats left" in body
    assert "Dr. Grace Hopper" in body
    assert "A workshop session" not in body


def test_a_member_sees_their_registration_state(client, alice, bob):
    registered = make_lecture(title="Registered one", capacity=1)
    waitlisted = make_lecture(title="Waitlisted one", capacity=1)
    make_lecture(title="Open one")
    actions.register(registered.pk, person=alice)
    actions.register(waitlisted.pk, person=bob)
    actions.register(waitlisted.pk, person=alice)

    client.force_login(alice)
    body = text(client.get("/lectures/"))
    assert body.count("You are registered") == 1
    assert body.count("You are on the waitlist") == 1
    assert body.index("You are registered") < body.index("Waitlisted one")


def test_the_archive_lists_past_lectures_with_recordings(client, carol):
    with_recording = make_lecture(
        title="Recorded lecture", start=ago(30), recording_url="https://video.example.org/1"
    )
    make_lecture(title="Unrecorded lecture", start=ago(60))
    cancelled = make_lecture(title="Cancelled lecture", start=local_day_at(1))
    actions.cancel_event(cancelled.pk, actor=carol)
    Event.objects.filter(pk=cancelled.pk).update(
        start=ago(10), end=ago(10) + datetime.timedelta(hours=1)
    )

    body = text(client.get("/lectures/"))
    past = body[body.index('id="past-title"') :]
    assert f'<a href="/events/{with_recording.pk}/">Recorded lecture</a>' in past
    assert 'href="https://video.example.org/1"' in past
    assert "Unrecorded lecture" in past
    assert past.count("Watch the recording") == 1
    assert "Cancelled lecture" not in body
    assert past.index("Recorded lecture") < past.index("Unrecorded lecture")


def test_the_archive_is_paged(client):
    for n in range(23):
        make_lecture(title=f"Past lecture {n:02d}", start=ago(n + 1))
    first = text(client.get("/lectures/"))
    assert "Past lecture 00" in first and "Past lecture 19" in first
    assert "Past lecture 20" not in first
    assert "Page 1 of 2" in first
    second = text(client.get("/lectures/?page=2"))
    assert "Past lecture 22" in second and "Past lecture 00" not in second
    assert client.get("/lectures/?page=nonsense").status_code == 200
    assert client.get("/lectures/?page=99999999999999999999").status_code == 200


def test_organization_lectures_are_for_members(client, alice):
    make_lecture(title="Internal lecture", visibility=Event.Visibility.ORGANIZATION)
    assert "Internal lecture" not in text(client.get("/lectures/"))
    client.force_login(alice)
    assert "Internal lecture" in text(client.get("/lectures/"))


def test_the_page_is_read_only(client):
    assert client.post("/lectures/").status_code == 405


def add_lectures(count, campus):
    for _ in range(count):
        upcoming = make_lecture(capacity=50, campus=campus)
        for person in new_people(2):
            actions.register(upcoming.pk, person=person)
        make_lecture(start=ago(5), campus=campus, recording_url="https://video.example.org/x")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_costs_the_same_for_few_and_many_lectures(client, alice, signed_in):
    campus = OrgUnit.objects.create(name="Twin Cities", kind=OrgUnit.Kind.CAMPUS)
    if signed_in:
        client.force_login(alice)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/lectures/").status_code == 200
        return len(ctx.captured_queries)

    add_lectures(1, campus)
    few = cost()
    add_lectures(12, campus)
    alice_lecture = Event.objects.filter(kind=Event.Kind.LECTURE, start__gt=timezone.now()).first()
    actions.register(alice_lecture.pk, person=alice)
    assert cost() == few

"""The transcript on /me/: sessions, waitlist positions, attendance, completed trainings, the
foundational path and certificate downloads; a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.training.models import Certificate
from tests.builders import (
    event_row,
    make_attended_session,
    make_course,
    make_person,
    make_registration,
)
from tests.training.html_support import accessible_name, parse

pytestmark = pytest.mark.django_db

ME = reverse("people:me")


def page(client, person):
    client.force_login(person)
    response = client.get(ME)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(ME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


def test_upcoming_sessions_with_their_state(client, alice):
    workshop = make_course(title="Allyship in Practice")
    registered = event_row(host=workshop, days=5, title="Allyship in Practice")
    make_registration(registered, alice, state=Registration.State.REGISTERED)
    cancelled = event_row(host=make_course(title="Gone"), days=6, status=Event.Status.CANCELLED)
    make_registration(cancelled, alice, state=Registration.State.REGISTERED)
    withdrawn = event_row(host=make_course(title="Withdrawn From"), days=7)
    make_registration(withdrawn, alice, state=Registration.State.CANCELLED)

    html = page(client, alice)

    assert f'href="{reverse("events:detail", args=[registered.pk])}"' in html
    text = text_of(html)
    assert "Allyship in Practice" in text
    assert "Registered" in text
    assert "Session cancelled" in text
    assert "Withdrawn From" not in text  # a registration the person cancelled is not listed


def test_a_waitlisted_person_sees_their_position(client, alice):
    event = event_row(host=make_course(title="Full Workshop"), days=5, capacity=1)
    asked = timezone.now() - datetime.timedelta(hours=3)
    make_registration(event, make_person("seat@example.org", "Seated"), state="registered")
    make_registration(
        event, make_person("w1@example.org", "First"), state="waitlisted", requested_at=asked
    )
    # Same moment as alice: the earlier row (lower pk) is ahead of her.
    make_registration(
        event,
        make_person("w2@example.org", "Second"),
        state="waitlisted",
        requested_at=asked + datetime.timedelta(hours=1),
    )
    make_registration(
        event, alice, state="waitlisted", requested_at=asked + datetime.timedelta(hours=1)
    )
    make_registration(
        event,
        make_person("w4@example.org", "Later"),
        state="waitlisted",
        requested_at=asked + datetime.timedelta(hours=2),
    )
    make_registration(
        event,
        make_person("gone@example.org", "Left"),
        state="cancelled",
        requested_at=asked - datetime.timedelta(hours=1),
    )

    text = text_of(page(client, alice))

    assert "Waitlisted: number 3 in line" in text


def test_past_sessions_show_attendance(client, alice):
    attended = make_attended_session(make_course(title="Implicit Bias"), alice, days=-10)
    missed = event_row(host=make_course(title="Microaggressions"), days=-20)
    make_registration(missed, alice, state=Registration.State.NO_SHOW)
    unmarked = event_row(host=make_course(title="Cultural Humility"), days=-1)
    make_registration(unmarked, alice, state=Registration.State.REGISTERED)

    html = page(client, alice)

    text = text_of(html)
    assert "Attended" in text
    assert "Did not attend" in text
    assert "Not recorded yet" in text
    assert f'href="{reverse("events:detail", args=[attended.pk])}"' in html
    # The most recent first.
    assert (
        text.index("Cultural Humility")
        < text.index("Implicit Bias")
        < text.index("Microaggressions")
    )


def test_completed_trainings_with_their_date_and_certificate(client, alice):
    workshop = make_course(title="Inclusive Teaching")
    make_attended_session(
        workshop,
        alice,
        start=datetime.datetime(2025, 3, 4, 3, 0, tzinfo=datetime.UTC),  # March 3 in Chicago
    )

    html = page(client, alice)

    certificate = Certificate.objects.get(person=alice, course=workshop)  # issued by the page
    assert f'href="{reverse("certificates:pdf", args=[certificate.code])}"' in html
    assert 'datetime="2025-03-03"' in html
    assert certificate.code in html
    assert f'href="{reverse("training:certificate_verify")}"' in html


def test_the_foundational_path_shows_progress_and_the_certificate(client, alice):
    foundational = [
        make_course(title=f"Foundation {n}", foundational=True, order=n) for n in range(1, 4)
    ]
    make_attended_session(foundational[0], alice)

    text = text_of(page(client, alice))
    assert "1 of 3 foundational trainings completed" in text
    assert not Certificate.objects.filter(kind="foundational").exists()

    make_attended_session(foundational[1], alice)
    make_attended_session(foundational[2], alice)
    html = page(client, alice)

    assert "3 of 3 foundational trainings completed" in text_of(html)
    certificate = Certificate.objects.get(person=alice, kind="foundational")
    assert f'href="{reverse("certificates:pdf", args=[certificate.code])}"' in html


def test_the_seeded_foundational_path(client, alice, content):
    from belong.training.models import Course

    total = Course.objects.filter(foundational=True, is_active=True).count()
    assert total > 1
    make_attended_session(Course.objects.filter(foundational=True).first(), alice)

    text = text_of(page(client, alice))

    assert f"1 of {total} foundational trainings completed" in text


def test_nothing_yet(client, dave):
    text = text_of(page(client, dave))

    assert "You are not registered for an upcoming session." in text
    assert "Trainings you attend appear here" in text


def test_the_tables_scroll_by_keyboard_in_named_regions(client, alice):
    """Each table's scrolling box takes the focus (so arrow keys scroll it) and is a region
    named by the table's heading; no region shares its name with an enclosing section, which
    axe's landmark-unique rule would refuse."""
    make_attended_session(make_course(title="Implicit Bias"), alice, days=-10)
    make_registration(
        event_row(host=make_course(title="Allyship"), days=5),
        alice,
        state=Registration.State.REGISTERED,
    )

    document = parse(page(client, alice))

    boxes = [box for box in document.find_all("div", cls="table-scroll") if box.find("table")]
    assert len(boxes) == 3  # upcoming, past, completed trainings
    names = []
    for box in boxes:
        assert box.attrs.get("tabindex") == "0"
        assert box.attrs.get("role") == "region"
        name = accessible_name(document, box)
        assert name == accessible_name(document, box.find("table"))
        for section in box.ancestors():
            if section.tag == "section" or section.attrs.get("role") == "region":
                assert accessible_name(document, section) != name
        names.append(name)
    assert names == ["Upcoming", "Past", "Completed trainings"]


def _rows(person, count):
    for n in range(count):
        workshop = make_course(title=f"Workshop row {n}", foundational=n % 2 == 0)
        make_attended_session(workshop, person, days=-30 + n)
        upcoming = event_row(host=workshop, days=(5 + n), capacity=1)
        make_registration(
            upcoming, make_person(f"holder{person.pk}-{n}@example.org", "Holder"), "registered"
        )
        make_registration(upcoming, person, state=Registration.State.WAITLISTED)
        make_registration(
            event_row(host=workshop, days=-60 + n), person, state=Registration.State.NO_SHOW
        )


def _queries(client, person):
    client.force_login(person)
    client.get(ME)  # the first view issues the certificates
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_registrations(client, django_assert_max_num_queries):
    few = make_person("few@example.org", "Few")
    many = make_person("many@example.org", "Many")
    _rows(few, 1)
    _rows(many, 12)

    assert _queries(client, few) == _queries(client, many)
    client.force_login(many)
    with django_assert_max_num_queries(20):
        client.get(ME)

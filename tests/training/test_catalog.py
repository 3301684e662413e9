"""The catalog at /training/: filters (alone, combined, bad values), which sessions are listed
to whom, the "start here" path and its completion marks, and the query budget."""

import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.home.demo import COURSE_TOPICS, TOPICS
from belong.training.models import Course, Topic
from tests.builders import (
    fill,
    make_campuses,
    make_catalog_session,
    make_course,
    make_topic,
    new_people,
)
from tests.clock import local_day_at

pytestmark = pytest.mark.django_db

URL = "/training/"
Format = Event.Format


@pytest.fixture
def world(db):
    """Four offered courses and a retired one:

    Speak Up (communication, foundational 1): virtual in 5 days (30 seats), in person at the
        Twin Cities in 12 days (2 seats, full)
    Stand By (allyship, foundational 2): hybrid at Duluth in 20 days (no seat limit)
    Lead Well (no topic): in person at Duluth in 8 days (10 seats, 1 taken)
    Someday (communication): no sessions
    Retired (inactive, foundational 0): virtual in 6 days
    """
    twin_cities, duluth = make_campuses()
    communication, allyship = make_topic("Communication", 1), make_topic("Allyship", 2)
    w = SimpleNamespace(twin_cities=twin_cities, duluth=duluth)
    w.speak_up = make_course(title="Speak Up", topics=[communication], foundational=True, order=1)
    w.stand_by = make_course(title="Stand By", topics=[allyship], foundational=True, order=2)
    w.lead_well = make_course(title="Lead Well", order=3)
    w.someday = make_course(title="Someday", topics=[communication], order=4)
    w.retired = make_course(title="Retired", foundational=True, order=0, is_active=False)
    w.speak_up_virtual = make_catalog_session(w.speak_up, days=5, capacity=30)
    w.speak_up_full = make_catalog_session(
        w.speak_up, days=12, format=Format.IN_PERSON, campus=twin_cities, capacity=2
    )
    fill(w.speak_up_full, new_people(2))
    w.stand_by_hybrid = make_catalog_session(
        w.stand_by, days=20, format=Format.HYBRID, campus=duluth, capacity=None
    )
    w.lead_well_duluth = make_catalog_session(
        w.lead_well, days=8, format=Format.IN_PERSON, campus=duluth, capacity=10
    )
    fill(w.lead_well_duluth, new_people(1))
    w.retired_virtual = make_catalog_session(w.retired, days=6)
    return w


def listing(client, status=200, **params):
    response = client.get(URL, params)
    assert response.status_code == status, response.content.decode()[:500]
    return response


def titles(response):
    return [c.title for c in response.context["courses"]]


def sessions(response):
    """{course title: [session pks listed]}"""
    return {c.title: [s.pk for s in c.upcoming_sessions] for c in response.context["courses"]}


# --- no filters ---------------------------------------------------------------------------------


def test_without_filters_every_offered_course_is_listed_in_order(client, world):
    response = listing(client)
    assert titles(response) == ["Speak Up", "Stand By", "Lead Well", "Someday"]
    html = response.content.decode()
    assert "4 workshops" in html
    assert "Retired" not in html
    assert "Clear filters" not in html
    assert f'href="{reverse("training:request")}"' in html
    assert sessions(response)["Speak Up"] == [world.speak_up_virtual.pk, world.speak_up_full.pk]


def test_the_catalog_only_answers_reading(client, world):
    assert client.post(URL, {"topic": "communication"}).status_code == 405
    assert client.head(URL).status_code == 200


def test_the_filter_form_is_a_labelled_get_search_form(client, world):
    html = listing(client).content.decode()
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", html).group(0)
    assert 'method="get"' in form
    for name in ["topic", "format", "campus", "from", "to", "has_seats"]:
        assert f'for="id_{name}"' in html, name
        assert f'name="{name}"' in html, name
    assert 'type="date"' in html
    # topics and campuses are the choices
    assert '<option value="communication">Communication</option>' in html
    assert '<option value="duluth">Duluth</option>' in html


def test_each_session_shows_when_format_campus_seats_and_what_it_needs(client, world):
    html = listing(client).content.decode()
    assert reverse("events:detail", args=[world.speak_up_virtual.pk]) in html
    assert reverse("events:detail", args=[world.stand_by_hybrid.pk]) in html
    assert "30 seats left" in html
    assert "Full: join the waitlist" in html  # the Twin Cities session
    assert "No seat limit" in html  # the hybrid one
    assert "9 seats left" in html  # Lead Well, one taken
    assert "6 more registrants needed to run" in html
    assert "5 more registrants needed to run" in html
    assert "Twin Cities campus" in html and "Duluth campus" in html
    assert "Hybrid" in html and "In person" in html and "Virtual" in html
    # facts whose separators never dangle when they wrap (tests/e2e/test_training_layout.py)
    shown = sum(min(len(pks), 3) for pks in sessions(listing(client)).values())
    assert html.count('<ul class="event__meta event__meta--facts">') == shown > 0
    assert '<ul class="event__meta">' not in html
    # shown in the installation's zone: noon there, whatever the hour in UTC
    start = Event.objects.get(pk=world.speak_up_virtual.pk).start
    assert f'<time datetime="{timezone.localtime(start).isoformat()}">' in html
    local_start = timezone.localtime(start)
    assert f"{local_start:%B} {local_start.day}, {local_start.year}, 12:00" in html


def test_past_and_cancelled_sessions_are_not_listed(client, world):
    past = make_catalog_session(world.lead_well, days=-3)
    cancelled = make_catalog_session(world.lead_well, days=9, status=Event.Status.CANCELLED)
    listed = sessions(listing(client))["Lead Well"]
    assert listed == [world.lead_well_duluth.pk]
    assert past.pk not in listed and cancelled.pk not in listed


def test_a_course_with_many_sessions_shows_three_and_links_to_the_rest(client, world):
    for days in range(30, 34):
        make_catalog_session(world.someday, days=days)
    html = listing(client).content.decode()
    assert "and 1 more date of Someday" in html


# --- each filter alone ---------------------------------------------------------------------------


def test_topic_lists_the_courses_with_that_topic_even_without_sessions(client, world):
    response = listing(client, topic="communication")
    assert titles(response) == ["Speak Up", "Someday"]
    assert len(sessions(response)["Speak Up"]) == 2  # a topic filters courses, not sessions
    html = response.content.decode()
    assert "2 workshops match these filters." in html
    assert f'href="{URL}"' in html and "Clear filters" in html


def test_virtual_matches_virtual_and_hybrid_sessions(client, world):
    response = listing(client, format="virtual")
    assert sessions(response) == {
        "Speak Up": [world.speak_up_virtual.pk],
        "Stand By": [world.stand_by_hybrid.pk],
    }


def test_in_person_matches_in_person_and_hybrid_sessions(client, world):
    response = listing(client, format="in_person")
    assert sessions(response) == {
        "Speak Up": [world.speak_up_full.pk],
        "Stand By": [world.stand_by_hybrid.pk],
        "Lead Well": [world.lead_well_duluth.pk],
    }


def test_a_session_of_unknown_format_matches_no_format(client, world):
    unknown = make_catalog_session(world.someday, days=3, format="")
    assert "Someday" not in titles(listing(client, format="virtual"))
    assert "Someday" not in titles(listing(client, format="in_person"))
    assert sessions(listing(client))["Someday"] == [unknown.pk]


def test_campus(client, world):
    assert sessions(listing(client, campus="duluth")) == {
        "Stand By": [world.stand_by_hybrid.pk],
        "Lead Well": [world.lead_well_duluth.pk],
    }
    assert sessions(listing(client, campus="twin-cities")) == {"Speak Up": [world.speak_up_full.pk]}


def test_dates_include_both_days(client, world):
    response = listing(client, **{"from": local_day_at(8).date(), "to": local_day_at(12).date()})
    assert sessions(response) == {
        "Speak Up": [world.speak_up_full.pk],
        "Lead Well": [world.lead_well_duluth.pk],
    }
    assert titles(listing(client, **{"from": local_day_at(13).date()})) == ["Stand By"]
    assert titles(listing(client, to=local_day_at(5).date())) == ["Speak Up"]


def test_dates_are_days_in_the_installations_zone(client, world, settings):
    assert settings.TIME_ZONE == "America/Chicago"
    late = make_catalog_session(world.someday, days=30, hour=23, minute=30, minutes=20)
    assert late.start.astimezone(local_day_at(0).tzinfo).date() == local_day_at(30).date()
    day = local_day_at(30).date()
    # 23:30 in Chicago is the next day in UTC: still the 30th here
    assert sessions(listing(client, **{"from": day, "to": day})) == {"Someday": [late.pk]}
    assert "Someday" not in titles(listing(client, **{"from": local_day_at(31).date()}))


def test_has_seats_leaves_out_full_sessions(client, world):
    response = listing(client, has_seats="on")
    assert sessions(response) == {
        "Speak Up": [world.speak_up_virtual.pk],
        "Stand By": [world.stand_by_hybrid.pk],  # no limit
        "Lead Well": [world.lead_well_duluth.pk],
    }
    assert "Full: join the waitlist" not in response.content.decode()


def test_has_seats_drops_a_course_whose_sessions_are_all_full(client, world):
    fill(world.lead_well_duluth, new_people(9))
    assert "Lead Well" not in titles(listing(client, has_seats="on"))
    assert "Lead Well" in titles(listing(client))


def test_waitlisted_and_cancelled_registrations_take_no_seat(client, world):
    fill(world.lead_well_duluth, new_people(9), state=Registration.State.WAITLISTED)
    fill(world.lead_well_duluth, new_people(3), state=Registration.State.CANCELLED)
    assert "Lead Well" in titles(listing(client, has_seats="on"))


def test_an_unchecked_or_empty_filter_is_no_filter(client, world):
    everything = titles(listing(client))
    assert titles(listing(client, topic="", format="", campus="", to="")) == everything
    assert titles(listing(client, has_seats="false")) == everything


# --- combined -------------------------------------------------------------------------------------


def test_topic_and_format(client, world):
    assert sessions(listing(client, topic="communication", format="in_person")) == {
        "Speak Up": [world.speak_up_full.pk]
    }


def test_topic_format_and_seats_can_match_nothing(client, world):
    response = listing(client, topic="communication", format="in_person", has_seats="on")
    assert titles(response) == []
    html = response.content.decode()
    assert "0 workshops match these filters." in html
    assert "No workshop has upcoming sessions that match these filters." in html
    assert "Clear filters" in html


def test_campus_format_seats_and_dates(client, world):
    params = {
        "campus": "duluth",
        "format": "virtual",
        "has_seats": "on",
        "from": local_day_at(1).date(),
        "to": local_day_at(25).date(),
    }
    assert sessions(listing(client, **params)) == {"Stand By": [world.stand_by_hybrid.pk]}
    params["to"] = local_day_at(19).date()
    assert titles(listing(client, **params)) == []


# --- bad values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"topic": "astrology"}, "topic", "There is no topic “astrology”"),
        ({"format": "hybrid"}, "format", "The format must be “virtual” or “in person”"),
        ({"format": "carrier-pigeon"}, "format", "not “carrier-pigeon”"),
        ({"campus": "mars"}, "campus", "There is no campus “mars”"),
        ({"from": "2025-02-30"}, "from", "“From” is not a date"),
        ({"from": "14/03/2025"}, "from", "“From” is not a date"),
        ({"to": "next week"}, "to", "“To” is not a date"),
        ({"from": "2025-03-10", "to": "2025-03-01"}, "to", "“To” must be the same day"),
    ],
)
def test_a_bad_value_is_400_naming_the_field(client, world, params, field, message):
    response = listing(client, status=400, **params)
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert 'aria-invalid="true"' in html
    assert re.search(r"<title>Error:", html)
    assert response.context["courses"] == []
    assert "Correct the filters above" in html
    # the "start here" path is still there
    assert [c.title for c in response.context["start_here"]] == ["Speak Up", "Stand By"]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "9999-12-31"},
        {"to": "0001-01-01"},
        {"topic": "x" * 5000},
        {"from": "2025-01-01\x00"},
    ],
)
def test_extreme_values_never_fail(client, world, params):
    response = client.get(URL, params)
    assert response.status_code in (200, 400)


def test_the_far_past_and_future_are_open_ends(client, world):
    everything_with_sessions = ["Speak Up", "Stand By", "Lead Well"]
    assert titles(listing(client, **{"from": "0001-01-01"})) == everything_with_sessions
    assert titles(listing(client, to="9999-12-31")) == everything_with_sessions


# --- who sees which sessions ---------------------------------------------------------------------


@pytest.fixture
def private(world, bob):
    """Lead Well gets an organization session and an invitation-only one bob is invited to."""
    organization = make_catalog_session(
        world.lead_well, days=9, visibility=Event.Visibility.ORGANIZATION, capacity=20
    )
    invitation = make_catalog_session(
        world.lead_well,
        days=10,
        visibility=Event.Visibility.INVITATION,
        invitation_code="secret-code",
        capacity=20,
    )
    fill(invitation, [bob])
    return SimpleNamespace(organization=organization, invitation=invitation)


def test_visitors_see_public_sessions_only(client, world, private):
    assert sessions(listing(client))["Lead Well"] == [world.lead_well_duluth.pk]
    html = listing(client).content.decode()
    assert reverse("events:detail", args=[private.organization.pk]) not in html
    assert reverse("events:detail", args=[private.invitation.pk]) not in html


def test_signed_in_people_see_organization_sessions_but_not_invitations(
    client, world, private, dave
):
    client.force_login(dave)
    assert sessions(listing(client))["Lead Well"] == [
        world.lead_well_duluth.pk,
        private.organization.pk,
    ]


def test_the_invited_see_their_invitation_only_session(client, world, private, bob):
    client.force_login(bob)
    assert sessions(listing(client))["Lead Well"] == [
        world.lead_well_duluth.pk,
        private.organization.pk,
        private.invitation.pk,
    ]


def test_a_course_whose_only_matches_are_hidden_is_not_listed(client, world, private, dave):
    # Only the hidden sessions are on the 9th and 10th.
    params = {"from": local_day_at(9).date(), "to": local_day_at(10).date()}
    assert titles(listing(client, **params)) == []
    client.force_login(dave)
    assert sessions(listing(client, **params)) == {"Lead Well": [private.organization.pk]}


def test_a_cancelled_invitation_no_longer_shows_the_session(client, world, private, bob):
    Registration.objects.filter(event=private.invitation, person=bob).update(
        state=Registration.State.CANCELLED
    )
    client.force_login(bob)
    assert private.invitation.pk not in sessions(listing(client))["Lead Well"]


# --- start here -----------------------------------------------------------------------------------


def start_path(html):
    return re.search(r'<ol class="numbered start-path">(.*?)</ol>', html, re.S).group(1)


def test_start_here_lists_the_offered_foundational_courses_in_order(client, world):
    response = listing(client)
    items = re.findall(r"<li[^>]*>(.*?)</li>", start_path(response.content.decode()), re.S)
    assert [re.search(r">([^<]+)</a>", item).group(1) for item in items] == [
        "Speak Up",
        "Stand By",
    ]
    assert "Completed" not in start_path(response.content.decode())
    assert "You have completed" not in response.content.decode()


def test_start_here_comes_before_the_filters(client, world):
    html = listing(client).content.decode()
    assert html.index("start-path") < html.index('role="search"')


def test_start_here_marks_completed_courses_in_text(client, world, alice):
    held = make_catalog_session(world.speak_up, days=-20, status=Event.Status.COMPLETED)
    fill(held, [alice], state=Registration.State.ATTENDED)
    client.force_login(alice)
    html = listing(client).content.decode()
    items = re.findall(r"<li[^>]*>(.*?)</li>", start_path(html), re.S)
    assert "Speak Up" in items[0] and "Completed" in items[0]
    assert "Stand By" in items[1] and "Completed" not in items[1]
    assert "You have completed 1 of 2 foundational trainings." in html


def test_registered_or_no_show_is_not_completed(client, world, alice, bob):
    held = make_catalog_session(world.speak_up, days=-20)
    fill(held, [alice], state=Registration.State.NO_SHOW)
    fill(world.stand_by_hybrid, [alice])
    client.force_login(alice)
    html = listing(client).content.decode()
    assert "Completed" not in start_path(html)
    assert "You have completed 0 of 2 foundational trainings." in html


def test_someone_elses_attendance_is_not_mine(client, world, alice, bob):
    held = make_catalog_session(world.speak_up, days=-20)
    fill(held, [bob], state=Registration.State.ATTENDED)
    client.force_login(alice)
    assert "Completed" not in start_path(listing(client).content.decode())


def test_start_here_ignores_the_filters(client, world):
    response = listing(client, topic="allyship", format="virtual")
    assert titles(response) == ["Stand By"]
    assert [c.title for c in response.context["start_here"]] == ["Speak Up", "Stand By"]


# --- the demo topics -------------------------------------------------------------------------------


def test_demo_topics_tag_the_seeded_courses_once(client, settings, content):
    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert sorted(Topic.objects.values_list("slug", flat=True)) == sorted(s for s, _ in TOPICS)
    for slug, topic_slugs in COURSE_TOPICS.items():
        course = Course.objects.get(slug=slug)  # every mapped course is a seeded one
        assert sorted(course.topics.values_list("slug", flat=True)) == sorted(topic_slugs)
    expected = [
        c.title
        for c in Course.objects.order_by("order", "title")
        if "allyship" in COURSE_TOPICS.get(c.slug, [])
    ]
    assert expected and titles(listing(client, topic="allyship")) == expected


# --- query budget ---------------------------------------------------------------------------------


def grow(count, communication, campus):
    for _ in range(count):
        made = make_course(title="Grown", topics=[communication], foundational=True)
        make_catalog_session(made, days=4, capacity=40)
        hybrid = make_catalog_session(made, days=7, format=Format.HYBRID, campus=campus, capacity=2)
        fill(hybrid, new_people(2))
        make_catalog_session(made, days=9, format=Format.IN_PERSON, campus=campus, capacity=None)


def count_queries(client, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["courses"]
    return len(context.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "params",
    [{}, {"topic": "communication", "format": "in_person", "campus": "duluth", "has_seats": "on"}],
)
def test_the_catalog_costs_the_same_for_few_and_many_courses(
    client, world, alice, signed_in, params, django_assert_max_num_queries
):
    if signed_in:
        client.force_login(alice)
        held = make_catalog_session(world.speak_up, days=-20)
        fill(held, [alice], state=Registration.State.ATTENDED)
    communication = Topic.objects.get(slug="communication")
    grow(1, communication, world.duluth)
    few = count_queries(client, params)
    grow(15, communication, world.duluth)
    many = count_queries(client, params)
    assert many == few
    with django_assert_max_num_queries(11 if signed_in else 8):
        client.get(URL, params)

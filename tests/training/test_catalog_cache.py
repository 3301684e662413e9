"""The visitors' catalog cache (belong.training.catalog_cache): a visitor's second look costs no
query and shows the same page; every change to what the catalog shows is there at the next
look; signed-in people are never served from it and never fill it; each visitor keeps their
own CSRF token; languages and filters are kept apart; bad filters are not cached."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.events import actions
from belong.events.models import Event, Registration
from belong.training import catalog_cache
from belong.training.models import Contact, LearningObjective, TrainingPage
from tests.builders import (
    fill,
    make_campuses,
    make_catalog_session,
    make_course,
    make_person,
    make_topic,
)

pytestmark = pytest.mark.django_db

URL = "/training/"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.CATALOG_CACHE_SECONDS = 30


@pytest.fixture
def world(db):
    twin_cities, _duluth = make_campuses()
    communication = make_topic("Communication", 1)
    speak_up = make_course(title="Speak Up", topics=[communication], foundational=True, order=1)
    lead_well = make_course(title="Lead Well", order=2)
    public = make_catalog_session(speak_up, days=5, capacity=30)
    in_person = make_catalog_session(
        lead_well, days=8, format=Event.Format.IN_PERSON, campus=twin_cities, capacity=10
    )
    internal = make_catalog_session(
        lead_well, days=9, capacity=10, visibility=Event.Visibility.ORGANIZATION
    )
    return {
        "speak_up": speak_up,
        "lead_well": lead_well,
        "public": public,
        "in_person": in_person,
        "internal": internal,
        "communication": communication,
        "twin_cities": twin_cities,
    }


def look(client, **params):
    """(status, html without the things each response has of its own, queries run)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)
    html = re.sub(r'nonce="[^"]+"', "NONCE", html)
    return response.status_code, html, len(queries)


def test_a_visitors_second_look_costs_no_query_and_shows_the_same_page(client, world):
    status, fresh, queries = look(client)
    assert status == 200 and queries > 0
    assert "Speak Up" in fresh and "30 seats left" in fresh
    status, cached, queries = look(client)
    assert (status, queries) == (200, 0)
    assert cached == fresh
    # Another visitor too.
    assert look(Client()) == (200, fresh, 0)


def test_the_cache_keeps_the_site_header_out_each_visitor_has_their_own_csrf_token(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        html = visitor.get(URL).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        # The language form works with the token this visitor's page carries.
        response = visitor.post(
            reverse("set_language"), {"language": "es", "next": URL, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_registration_shows_at_the_next_look(client, world, django_capture_on_commit_callbacks):
    assert "30 seats left" in look(client)[1]
    learner = make_person("learner@example.org", "Learner")
    with django_capture_on_commit_callbacks(execute=True):
        actions.register(world["public"].pk, person=learner)
    status, html, queries = look(client)
    assert "29 seats left" in html and "30 seats left" not in html
    assert queries > 0
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_registration(world["public"].pk, person=learner)
    assert "30 seats left" in look(client)[1]


def test_a_change_bumps_the_version_at_once_and_again_at_commit(
    world, django_capture_on_commit_callbacks
):
    learner = make_person("learner@example.org", "Learner")
    versions = [catalog_cache.lookup("any")[0]]
    with django_capture_on_commit_callbacks() as callbacks:
        actions.register(world["public"].pk, person=learner)
        versions.append(catalog_cache.lookup("any")[0])  # at once: before the commit
    assert versions[1] != versions[0]
    for callback in callbacks:
        callback()
    assert catalog_cache.lookup("any")[0] not in versions  # and again after it


@pytest.mark.parametrize(
    "change",
    [
        "course title",
        "course retired",
        "topic added",
        "topic renamed",
        "objective added",
        "session added",
        "session cancelled",
        "session deleted",
        "campus renamed",
        "contact added",
        "page title",
        "registration deleted",
    ],
)
def test_every_change_to_what_the_catalog_shows_is_there_at_the_next_look(client, world, change):
    _status, before, _queries = look(client)
    speak_up, lead_well = world["speak_up"], world["lead_well"]
    if change == "course title":
        speak_up.title = "Speak Up Now"
        speak_up.save()
        expected = "Speak Up Now"
    elif change == "course retired":
        lead_well.is_active = False
        lead_well.save()
        expected = None
    elif change == "topic added":
        lead_well.topics.add(make_topic("Leadership", 2))
        expected = "Leadership"
    elif change == "topic renamed":
        world["communication"].name = "Speaking"
        world["communication"].save()
        expected = "Speaking"
    elif change == "objective added":
        LearningObjective.objects.create(course=lead_well, text="Lead", order=1)
        expected = "1 learning objective"
    elif change == "session added":
        make_catalog_session(speak_up, days=15, capacity=7)
        expected = "7 seats left"
    elif change == "session cancelled":
        world["in_person"].status = Event.Status.CANCELLED
        world["in_person"].save()
        expected = None
    elif change == "session deleted":
        world["in_person"].delete()
        expected = None
    elif change == "campus renamed":
        campus = world["twin_cities"]
        campus.name = "Minneapolis"
        campus.save()
        expected = "Minneapolis campus"
    elif change == "contact added":
        Contact.objects.create(name="Casey Contact", order=1)
        expected = "Casey Contact"
    elif change == "page title":
        TrainingPage.objects.create(title="Learning together")
        expected = "Learning together"
    else:  # "registration deleted"
        learner = make_person("learner@example.org", "Learner")
        actions.register(world["in_person"].pk, person=learner)
        _status, before, _queries = look(client)
        assert "9 seats left" in before
        Registration.objects.get(person=learner).delete()
        expected = "10 seats left"
    _status, after, queries = look(client)
    assert queries > 0, "served the old page from the cache"
    assert after != before
    if expected:
        assert expected in after


def test_signed_in_people_are_never_served_from_the_cache_nor_fill_it(client, world, alice):
    """A visitor's page must not reach a signed-in person (who also sees organization sessions
    and their completion marks), and a signed-in person's page must not reach a visitor."""
    held = make_catalog_session(world["speak_up"], days=-20, status=Event.Status.COMPLETED)
    fill(held, [alice], state=Registration.State.ATTENDED)
    _status, visitors, _queries = look(client)
    assert "Completed" not in visitors
    client.force_login(alice)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(URL).content.decode()
        assert len(queries) > 0
        assert "You have completed 1 of 1 foundational training." in html
        assert "Completed</span>" in html
        assert len(re.findall(r"\d+ seats left", html)) == 3  # the organization session too
    visitor = Client()
    _status, html, queries = look(visitor)
    assert queries == 0 and html == visitors
    assert "You have completed" not in html and len(re.findall(r"\d+ seats left", html)) == 2


def test_a_signed_in_look_stores_nothing(client, world, alice):
    client.force_login(alice)
    client.get(URL)
    client.get(URL, {"format": "virtual"})
    assert look(Client())[2] > 0  # the first visitor renders the page


def test_each_language_has_its_own_entry(world):
    english, spanish = Client(), Client(HTTP_ACCEPT_LANGUAGE="es")
    _status, en, _queries = look(english)
    with CaptureQueriesContext(connection) as queries:
        es = spanish.get(URL).content.decode()
    assert len(queries) > 0
    assert "Find a workshop" in en and "Find a workshop" not in es
    with CaptureQueriesContext(connection) as queries:
        again = spanish.get(URL).content.decode()
    assert len(queries) == 0
    assert "Find a workshop" not in again


def test_each_set_of_filters_has_its_own_entry(client, world):
    _status, everything, _queries = look(client)
    status, virtual, queries = look(client, format="in_person")
    assert status == 200 and queries > 0
    assert "Lead Well" in virtual and "Speak Up" not in virtual.split('id="results-title"')[1]
    assert look(client, format="in_person") == (200, virtual, 0)
    assert look(client) == (200, everything, 0)


def test_bad_filters_are_not_cached(client, world):
    for _ in range(2):
        status, html, queries = look(client, format="carrier-pigeon")
        assert status == 400 and queries > 0
        assert "The format must be" in html


def test_a_page_rendered_while_the_data_changed_is_not_kept(client, world, monkeypatch):
    """The version is read before the page's queries: a change made while a page is being
    rendered leaves that page stored under the old version, so it is not served."""
    from belong.training import catalog_queries

    offered = catalog_queries.offered_courses

    def offered_while_someone_registers(*args, **kwargs):
        courses = offered(*args, **kwargs)
        catalog_cache.bump()  # what a registration's commit does
        return courses

    monkeypatch.setattr(catalog_queries, "offered_courses", offered_while_someone_registers)
    look(client)
    monkeypatch.setattr(catalog_queries, "offered_courses", offered)
    assert look(client)[2] > 0


def test_no_cache_when_turned_off(client, world, settings):
    settings.CATALOG_CACHE_SECONDS = 0
    for _ in range(2):
        assert look(client)[2] > 0

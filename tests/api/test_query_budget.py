"""Every list endpoint costs the same number of queries for few rows as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.events.models import Registration, Series
from tests.builders import (
    bearer,
    event_row,
    make_collective,
    make_course,
    make_registration,
    token_for,
)

pytestmark = pytest.mark.django_db


def grow_collectives(n, start, person):
    for i in range(start, start + n):
        make_collective(f"c-{i}", areas=["a", "b"], commitments=["x", "y"])


def grow_courses(n, start, person):
    for i in range(start, start + n):
        make_course(f"course-{i}", objectives=["o", "p"], sessions=2)


def grow_events(n, start, person):
    course = make_course(f"host-{start}")
    collective = make_collective(f"host-{start}")
    series = Series.objects.create(name=f"S{start}", slug=f"s-{start}")
    for i in range(n):
        host = (course, collective, None)[i % 3]
        event = event_row(days=1 + i, host=host, series=series if host is None else None)
        make_registration(event, person, Registration.State.WAITLISTED if i % 2 else "registered")


def count_queries(client, path, headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "grow", "signed_in"),
    [
        ("/api/v1/collectives", grow_collectives, False),
        ("/api/v1/collectives", grow_collectives, True),
        ("/api/v1/courses", grow_courses, False),
        ("/api/v1/courses", grow_courses, True),
        ("/api/v1/events", grow_events, False),
        ("/api/v1/events", grow_events, True),
        ("/api/v1/me/registrations", grow_events, True),
    ],
)
def test_list_endpoints_cost_the_same_for_few_and_many_rows(client, alice, path, grow, signed_in):
    if signed_in:
        client.force_login(alice)
    grow(2, 0, alice)
    count_queries(client, path, {})  # warm the content type cache
    few = count_queries(client, path, {})
    grow(20, 100, alice)
    many = count_queries(client, path, {})
    assert many == few, f"{path}: {few} queries with few rows, {many} with many"


def test_token_auth_costs_no_more_than_the_session(client, alice):
    grow_events(3, 0, alice)
    secret = token_for(alice)
    client.get("/api/v1/events", **bearer(secret))  # the first use writes last_used_at
    client.force_login(alice)
    with_session = count_queries(client, "/api/v1/events", {})
    client.logout()
    with_token = count_queries(client, "/api/v1/events", bearer(secret))
    assert with_token <= with_session

"""List pages keep a constant number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.collectives.models import Collective, FocusArea
from tests.builders import make_course

pytestmark = pytest.mark.django_db


def add_collectives(n, start):
    areas = list(FocusArea.objects.all()[:3])
    for i in range(start, start + n):
        collective = Collective.objects.create(
            name=f"Collective {i}", slug=f"c-{i}", summary="s", mission="m"
        )
        collective.focus_areas.add(*areas)


def add_courses(n, start):
    for i in range(start, start + n):
        make_course(f"course-{i}", title=f"Course {i}", objectives=["o"], sessions=3)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "grow"),
    [("/collectives/", add_collectives), ("/training/", add_courses), ("/", add_courses)],
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_list_pages_cost_the_same_for_few_and_many_rows(
    client, content, alice, path, grow, signed_in
):
    if signed_in:
        client.force_login(alice)
    grow(2, 0)
    few = count_queries(client, path)
    grow(20, 100)
    many = count_queries(client, path)
    assert many == few, f"{path}: {few} queries with few rows, {many} with many"


def test_catalog_query_budget(client, content, django_assert_max_num_queries):
    add_courses(15, 0)
    with django_assert_max_num_queries(8):
        assert client.get("/training/").status_code == 200


def test_collectives_query_budget(client, content, django_assert_max_num_queries):
    from belong.insights import serving
    from tests.builders import cut_release

    add_collectives(15, 0)
    cut_release()
    serving.latest()  # read once by this process (a release never changes)
    # +1: the latest release, whose counts the cards show
    with django_assert_max_num_queries(7):
        assert client.get("/collectives/").status_code == 200

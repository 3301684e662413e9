"""The resources page, the curation page, the initiatives list and the dashboards keep a
constant number of queries however many rows they show."""

import itertools

import pytest

from belong.insights import initiatives
from belong.library import resources
from belong.library.models import Policy, PolicyVersion
from tests.builders import make_person, queries_for

pytestmark = pytest.mark.django_db
_serial = itertools.count()


def add_resources(erin, n, *, publish=True):
    for _ in range(n):
        k = next(_serial)
        made = resources.suggest(
            person=erin,
            title=f"Resource {k}",
            summary="s",
            tags=["retention"],
            link="https://e.org",
        )
        if publish:
            resources.curate(made.pk, actor=erin, state="published")
        policy = Policy.objects.create(slug=f"policy-{k}", title=f"Policy {k}")
        PolicyVersion.objects.create(policy=policy, number=1, body="text")


def add_initiatives(frank, n):
    for _ in range(n):
        k = next(_serial)
        initiatives.create_initiative(
            actor=frank,
            title=f"Initiative {k}",
            lead=frank,
            unit=None,
            disparity="d",
            population="p",
            status="active",
        )


def test_resources_page(client, erin):
    add_resources(erin, 2)
    few = queries_for(client, "/resources/")
    add_resources(erin, 8)
    assert queries_for(client, "/resources/") == few


def test_curation_page(client, erin):
    client.force_login(erin)
    add_resources(erin, 2, publish=False)
    few = queries_for(client, "/resources/curate/")
    add_resources(erin, 8, publish=False)
    assert queries_for(client, "/resources/curate/") == few


def test_initiatives_list(client, frank):
    client.force_login(frank)
    add_initiatives(frank, 2)
    few = queries_for(client, "/insights/initiatives/")
    add_initiatives(frank, 8)
    assert queries_for(client, "/insights/initiatives/") == few


def test_representation_dashboard(client, grace):
    from belong.people import privacy

    def add_people(n):
        for _ in range(n):
            k = next(_serial)
            person = make_person(f"w{k}@example.org", f"W {k}", kind="staff")
            privacy.save_answers(person=person, answers={"gender_identity": {"values": ["woman"]}})
            privacy.give(person=person, purpose="reporting")

    client.force_login(grace)
    add_people(3)
    few = queries_for(client, "/insights/representation/")
    add_people(12)
    assert queries_for(client, "/insights/representation/") == few

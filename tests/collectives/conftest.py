"""Collectives' fixtures: a collective ("Rainbow") led by bob, a second one ("Harmony"), `join`
to make memberships through the real action, and the people around them who do not run
Rainbow: a former leader and the chair of Harmony; the writer of experiences and the rate
limit's clock pinned in the middle of an hour."""

import types

import pytest

from belong.collectives.models import LeaderRole
from belong.lib import ratelimit
from tests.builders import (
    appoint,
    make_collective,
    make_focus_area,
    make_former_leader,
    make_membership,
    make_other_leader,
    make_person,
)


@pytest.fixture
def focus_areas(db):
    return [
        make_focus_area(slug, name=name, order=index)
        for index, (name, slug) in enumerate(
            [
                ("Community partnership", "community-partnership"),
                ("Recruitment and retention", "recruitment-and-retention"),
                ("Local minority-owned businesses", "local-minority-owned-businesses"),
            ]
        )
    ]


@pytest.fixture
def collective(db, focus_areas):
    return make_collective(
        "rainbow",
        name="Rainbow Collective",
        summary="LGBTQ+ team members and allies.",
        mission="We build belonging.",
        vision="A place where everyone belongs.",
        areas=focus_areas[:2],
        commitments=["Advocate for inclusive benefits."],
    )


@pytest.fixture
def other_collective(db, focus_areas):
    return make_collective(
        "harmony",
        name="Harmony Collective",
        summary="Another collective.",
        mission="",
        vision="",
        areas=focus_areas[2:],
    )


@pytest.fixture
def leads(bob, collective, frank):
    """bob chairs the Rainbow Collective (appointed by frank, the DEI administrator)."""
    return appoint(collective, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)


@pytest.fixture
def join():
    return make_membership


@pytest.fixture
def former_leader(collective, frank):
    """Someone who co-chaired Rainbow until yesterday."""
    return make_former_leader(
        collective, actor=frank, email="former@example.org", name="Former Leader"
    )


@pytest.fixture
def other_leader(other_collective, frank):
    """The chair of Harmony."""
    return make_other_leader(
        other_collective, actor=frank, email="harmony.chair@example.org", name="Harmony Chair"
    )


@pytest.fixture
def writer(db):
    """Someone whose identifiers are distinctive enough to be searched for anywhere."""
    return make_person("wren.writer@example.org", "Wren Quillfeather", pk=987654)


@pytest.fixture
def pinned_hour(monkeypatch):
    """The rate limit's clock, pinned in the middle of an hour (tests move it forward); the
    experiences' modules use it for every test."""
    clock = types.SimpleNamespace(now=1_741_950_000.0)
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: clock.now))
    return clock

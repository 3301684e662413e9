"""Collectives' fixtures: a collective ("Rainbow") led by bob, a second one ("Harmony"), and
`join` to make memberships through the real action."""

import pytest

from belong.collectives.actions import memberships
from belong.collectives.models import Collective, FocusArea, LeaderRole
from tests.collectives.leader_support import appoint


@pytest.fixture
def focus_areas(db):
    return [
        FocusArea.objects.create(name=name, slug=slug, order=index)
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
    rainbow = Collective.objects.create(
        name="Rainbow Collective",
        slug="rainbow",
        summary="LGBTQ+ team members and allies.",
        mission="We build belonging.",
        vision="A place where everyone belongs.",
    )
    rainbow.focus_areas.set(focus_areas[:2])
    rainbow.commitments.create(order=0, text="Advocate for inclusive benefits.")
    return rainbow


@pytest.fixture
def other_collective(db, focus_areas):
    harmony = Collective.objects.create(
        name="Harmony Collective", slug="harmony", summary="Another collective."
    )
    harmony.focus_areas.set(focus_areas[2:])
    return harmony


@pytest.fixture
def leads(bob, collective, frank):
    """bob chairs the Rainbow Collective (appointed by frank, the DEI administrator)."""
    return appoint(collective.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)


@pytest.fixture
def join():
    def _join(person, collective, kind="member", visibility="leaders"):
        return memberships.join(
            collective.pk, person=person, kind=kind, visibility=visibility
        ).membership

    return _join

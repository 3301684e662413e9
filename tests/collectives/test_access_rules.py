"""belong.collectives.access: the membership visibility rule, for each choice and each viewer,
both as a Q over memberships (lists) and for one loaded membership; and who runs a collective."""

import datetime

import pytest
from django.utils import timezone

from belong.collectives import access
from belong.collectives.models import LeaderRole, Membership
from tests.collectives.visibility_matrix import CASES, viewers  # noqa: F401

pytestmark = pytest.mark.django_db


def fresh(person):
    """The person as a new request would load it: no cached collective ids."""
    if person.is_authenticated:
        access.forget_cached(person)
    return person


@pytest.mark.parametrize(("visibility", "viewer", "sees"), CASES)
def test_the_visibility_matrix(viewers, collective, join, visibility, viewer, sees):  # noqa: F811
    membership = join(viewers["self"], collective, visibility=visibility)
    person = fresh(viewers[viewer])
    listed = access.visible_memberships(person, Membership.objects.filter(collective=collective))
    assert listed.filter(pk=membership.pk).exists() is sees
    assert access.can_see_membership(person, membership) is sees


def test_a_viewer_sees_their_own_membership_of_another_collective_only_if_opened(
    viewers,  # noqa: F811
    collective,
    other_collective,
    join,
):
    """The member of another collective (organization) is seen by everyone signed in, and the
    Rainbow members see nothing of Harmony's leaders-only members."""
    hidden = join(viewers["outsider"], other_collective)
    ally = fresh(viewers["ally"])
    assert not access.can_see_membership(ally, hidden)
    names = set(access.visible_memberships(ally).values_list("person__full_name", flat=True))
    assert "Olga Elsewhere" in names and "Dave Outsider" not in names


def test_a_leader_whose_term_ended_no_longer_sees_leaders_only_memberships(
    bob, frank, alice, collective, join
):
    from belong.collectives.actions import leaders

    today = timezone.localdate()
    leaders.appoint_leader(
        collective.pk,
        actor=frank,
        person=bob,
        title=LeaderRole.Title.CHAIR,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
    )
    membership = join(alice, collective)
    assert not access.can_see_membership(fresh(bob), membership)
    assert not access.visible_memberships(fresh(bob)).exists()


def test_a_leader_sees_only_the_collective_they_lead(
    bob, alice, dave, collective, other_collective, leads, join
):
    mine = join(alice, collective)
    elsewhere = join(dave, other_collective)
    seen = set(access.visible_memberships(fresh(bob)).values_list("pk", flat=True))
    assert seen == {mine.pk}
    assert not access.can_see_membership(bob, elsewhere)


def test_who_runs_a_collective(
    bob, frank, grace, alice, dave, collective, other_collective, leads, join
):
    join(alice, collective, visibility="organization")
    assert access.can_run(fresh(bob), collective)
    assert not access.can_run(bob, other_collective)
    assert access.can_run(frank, collective) and access.can_run(frank, other_collective)
    for person in (alice, dave, grace):
        assert not access.can_run(fresh(person), collective)
    # The members list is for the leaders only, not DEI administrators.
    assert access.can_see_members(bob, collective)
    assert not access.can_see_members(frank, collective)
    assert not access.can_see_members(alice, collective)

"""An area of focus's page (belong.collectives.views.focus): the collectives that list it, and
the events, announcements and recommendations tagged with it, each only as far as the viewer
may see them; a constant number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from belong.collectives.actions import announcements, events
from belong.collectives.models import Announcement, Collective, Recommendation
from belong.events.models import Event
from tests.builders import make_collective_event, queries_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(focus_areas):
    return focus_areas[0]  # Community partnership: listed by Rainbow only


def url(area):
    return reverse("collectives:focus_area", args=[area.slug])


def recommend(collective, area, title, state):
    recommendation = Recommendation.objects.create(
        collective=collective,
        title=title,
        problem="p",
        proposal="q",
        state=state,
        submitted_at=None if state == Recommendation.State.DRAFT else timezone.now(),
    )
    recommendation.focus_areas.add(area)
    return recommendation


@pytest.fixture
def activity(collective, other_collective, leads, bob, area, focus_areas):
    """In this area: a public event, a members-only one co-hosted by Harmony, a cancelled one;
    a public and a members-only announcement; a submitted recommendation and a draft. Out of
    it: an event, an announcement and a recommendation of another area."""
    make_collective_event(
        collective, bob, title="Park Cleanup", visibility="public", focus_areas=[area]
    )
    make_collective_event(
        collective, bob, title="Members Circle", cohosts=[other_collective], focus_areas=[area]
    )
    gone = make_collective_event(
        collective, bob, title="Rained Out", visibility="public", focus_areas=[area]
    )
    events.cancel_collective_event(gone.pk, actor=bob, reason="Rain")
    make_collective_event(
        collective, bob, title="Other Area Fair", visibility="public", focus_areas=focus_areas[1:2]
    )
    for title, audience, areas in (
        ("Partner news", "public", [area]),
        ("Inside news", "members", [area]),
        ("Recruiting news", "public", focus_areas[1:2]),
    ):
        announcements.post_announcement(
            collective.pk, actor=bob, title=title, body="b", audience=audience, focus_areas=areas
        )
    recommend(collective, area, "Fund partners", Recommendation.State.UNDER_REVIEW)
    recommend(collective, area, "Half-written idea", Recommendation.State.DRAFT)
    recommend(collective, focus_areas[1], "Hire widely", Recommendation.State.SUBMITTED)


def test_an_unknown_area_is_a_404(client, focus_areas):
    assert client.get("/collectives/focus/no-such-area/").status_code == 404


def test_the_page_gathers_the_collectives_that_list_the_area(
    client, area, collective, other_collective, focus_areas
):
    body = text(client.get(url(area)))
    assert "<h1>Community partnership</h1>" in body
    assert collective.get_absolute_url() in body
    assert other_collective.get_absolute_url() not in body
    for other in focus_areas:  # every area is linked
        assert reverse("collectives:focus_area", args=[other.slug]) in body
    Collective.objects.filter(pk=collective.pk).update(is_active=False)
    assert collective.get_absolute_url() not in text(client.get(url(area)))


def test_a_visitor_sees_public_activity_and_no_drafts(client, area, activity):
    body = text(client.get(url(area)))
    assert "Park Cleanup" in body and "Partner news" in body and "Fund partners" in body
    for hidden in (
        "Members Circle",
        "Rained Out",
        "Other Area Fair",
        "Inside news",
        "Recruiting news",
        "Half-written idea",
        "Hire widely",
    ):
        assert hidden not in body


def test_a_member_also_sees_members_only_activity(client, area, activity, alice, collective, join):
    join(alice, collective)
    client.force_login(alice)
    body = text(client.get(url(area)))
    assert "Members Circle" in body and "Inside news" in body
    assert "Hosted by" in body and "Harmony Collective" in body  # its co-host
    assert "Half-written idea" not in body


def test_a_cohosts_member_sees_the_event_but_not_the_other_collectives_announcement(
    client, area, activity, alice, other_collective, join
):
    join(alice, other_collective)
    client.force_login(alice)
    body = text(client.get(url(area)))
    assert "Members Circle" in body
    assert "Inside news" not in body


def test_an_outsider_sees_no_members_only_activity(client, area, activity, dave):
    client.force_login(dave)
    body = text(client.get(url(area)))
    assert "Park Cleanup" in body
    assert "Members Circle" not in body and "Inside news" not in body
    assert "Half-written idea" not in body


def test_the_leader_does_not_see_drafts_here_either(client, area, activity, bob):
    client.force_login(bob)
    body = text(client.get(url(area)))
    assert "Members Circle" in body and "Inside news" in body
    assert "Half-written idea" not in body


def test_wrong_method_is_405(client, area):
    assert client.post(url(area)).status_code == 405


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_costs_the_same_for_few_and_many_rows(
    client, collective, other_collective, leads, bob, alice, join, area, signed_in
):
    join(alice, collective)
    if signed_in:
        client.force_login(alice)

    def grow(start, n):
        for i in range(start, start + n):
            made = Collective.objects.create(name=f"Collective {i}", slug=f"c-{i}")
            made.focus_areas.add(area)
            make_collective_event(
                collective,
                bob,
                title=f"Event {i}",
                days=i + 1,
                visibility=Event.Visibility.MEMBERS if i % 2 else Event.Visibility.PUBLIC,
                cohosts=[other_collective],
                focus_areas=[area],
            )
            announcements.post_announcement(
                collective.pk,
                actor=bob,
                title=f"News {i}",
                body="b",
                audience=Announcement.Audience.MEMBERS if i % 2 else "public",
                focus_areas=[area],
            )
            recommend(collective, area, f"Idea {i}", Recommendation.State.SUBMITTED)

    grow(0, 1)
    few = queries_for(client, url(area))
    grow(1, 8)
    assert queries_for(client, url(area)) == few

"""/collectives/: every active collective with its summary, areas of focus, disclosure-controlled
member and ally counts (never their total), its next event the viewer may see, and a way to
join; in a constant number of queries."""

import re

import pytest

from belong.collectives.models import Collective, EventHosting
from belong.events.models import Event, Registration
from tests.builders import cut_release, exact_releases, make_hosted_event, make_person

pytestmark = pytest.mark.django_db


def card(html, name):
    """The list item of one collective."""
    for item in re.findall(r"<li>\s*<article class=\"card\">.*?</article>\s*</li>", html, re.S):
        if name in item:
            return item
    raise AssertionError(f"no card for {name}")


def crowd(collective, n, kind="member", start=0):
    from belong.collectives.actions import memberships

    for i in range(start, start + n):
        person = make_person(f"p{collective.slug}{kind}{i}@example.org", f"Person {i}")
        memberships.join(collective.pk, person=person, kind=kind)


def test_every_active_collective_with_its_summary_and_areas(client, collective, other_collective):
    Collective.objects.create(name="Retired Collective", slug="retired", is_active=False)
    html = client.get("/collectives/").content.decode()
    assert "Rainbow Collective" in html and "Harmony Collective" in html
    assert "Retired Collective" not in html
    rainbow = card(html, "Rainbow Collective")
    assert "LGBTQ+ team members and allies." in rainbow
    assert "Community partnership" in rainbow and "Recruitment and retention" in rainbow
    assert "Local minority-owned businesses" not in rainbow


def test_counts_are_disclosure_controlled_and_never_summed(client, settings, collective):
    settings.DISCLOSURE_THRESHOLD = 11
    exact_releases(settings)
    crowd(collective, 12, "member")
    crowd(collective, 3, "ally")
    cut_release()
    rainbow = card(client.get("/collectives/").content.decode(), "Rainbow Collective")
    assert re.search(r"<dt>Members</dt><dd>about 12</dd>", rainbow)
    assert re.search(r"<dt>Allies</dt><dd>fewer than 11</dd>", rainbow)
    assert "As of" in rainbow
    # 12 + 3 would give the hidden 3 away.
    assert "15" not in rainbow


def test_no_count_before_the_first_release(client, collective):
    crowd(collective, 12, "member")
    rainbow = card(client.get("/collectives/").content.decode(), "Rainbow Collective")
    assert "<dt>Members</dt><dd>not published yet</dd>" in rainbow and "12" not in rainbow


def test_zero_shows_as_zero(client, collective):
    cut_release()
    rainbow = card(client.get("/collectives/").content.decode(), "Rainbow Collective")
    assert "<dt>Members</dt><dd>about 0</dd>" in rainbow
    assert "<dt>Allies</dt><dd>about 0</dd>" in rainbow


def test_the_threshold_is_the_setting(client, settings, collective):
    settings.DISCLOSURE_THRESHOLD = 3
    exact_releases(settings)
    crowd(collective, 4, "member")
    crowd(collective, 2, "ally")
    cut_release()
    rainbow = card(client.get("/collectives/").content.decode(), "Rainbow Collective")
    assert "<dt>Members</dt><dd>about 4</dd>" in rainbow
    assert "<dt>Allies</dt><dd>fewer than 3</dd>" in rainbow


def test_the_next_event_is_the_soonest_upcoming_one_hosted(client, collective, other_collective):
    make_hosted_event(collective, days=9, title="Later gathering")
    make_hosted_event(collective, days=2, title="Soon gathering")
    make_hosted_event(collective, days=-2, title="Past gathering")
    make_hosted_event(
        collective, days=1, title="Cancelled gathering", status=Event.Status.CANCELLED
    )
    co_hosted = make_hosted_event(other_collective, days=4, title="Solidarity walk")
    EventHosting.objects.create(event=co_hosted, collective=collective)
    html = client.get("/collectives/").content.decode()
    rainbow = card(html, "Rainbow Collective")
    assert "Soon gathering" in rainbow
    for other in ("Later gathering", "Past gathering", "Cancelled gathering"):
        assert other not in rainbow
    assert "Solidarity walk" in card(html, "Harmony Collective")


def test_the_next_event_is_one_the_viewer_may_see(client, alice, dave, collective, join):
    make_hosted_event(
        collective, days=2, title="Members circle", visibility=Event.Visibility.MEMBERS
    )
    make_hosted_event(
        collective, days=3, title="Staff mixer", visibility=Event.Visibility.ORGANIZATION
    )
    make_hosted_event(collective, days=4, title="Open house")
    secret = make_hosted_event(
        collective, days=1, title="Invited lunch", visibility=Event.Visibility.INVITATION
    )
    join(alice, collective, kind="ally")

    assert "Open house" in card(client.get("/collectives/").content.decode(), "Rainbow")
    client.force_login(dave)
    assert "Staff mixer" in card(client.get("/collectives/").content.decode(), "Rainbow")
    client.force_login(alice)
    assert "Members circle" in card(client.get("/collectives/").content.decode(), "Rainbow")
    Registration.objects.create(event=secret, person=alice)
    assert "Invited lunch" in card(client.get("/collectives/").content.decode(), "Rainbow")


def test_visitors_get_a_sign_in_link_to_join(client, collective):
    rainbow = card(client.get("/collectives/").content.decode(), "Rainbow Collective")
    assert 'href="/sign-in/?next=/collectives/rainbow/join/"' in rainbow.replace("%2F", "/")
    assert "Sign in to join" in rainbow


def test_signed_in_people_get_a_join_button_or_their_membership(
    client, alice, collective, other_collective, join
):
    join(alice, collective, kind="ally")
    client.force_login(alice)
    html = client.get("/collectives/").content.decode()
    rainbow = card(html, "Rainbow Collective")
    assert "You are an ally" in rainbow
    assert 'href="/collectives/rainbow/join/"' in rainbow and ">change<" in rainbow
    harmony = card(html, "Harmony Collective")
    assert 'href="/collectives/harmony/join/"' in harmony and "Join" in harmony
    assert "You are" not in harmony


def test_no_names_of_members_on_the_list(client, alice, dave, collective, join):
    join(alice, collective, visibility="organization")
    client.force_login(dave)
    assert "Alice" not in client.get("/collectives/").content.decode()


def grow(n, start, focus_areas, viewer):
    from belong.collectives.actions import memberships

    for i in range(start, start + n):
        collective = Collective.objects.create(
            name=f"Collective {i}", slug=f"c-{i}", summary="s", mission="m"
        )
        collective.focus_areas.set(focus_areas)
        make_hosted_event(collective, days=2 + i % 5, title=f"Event {i}")
        make_hosted_event(
            collective, days=1, title=f"Members {i}", visibility=Event.Visibility.MEMBERS
        )
        memberships.join(collective.pk, person=viewer, kind="ally")


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_the_collectives(
    client, alice, focus_areas, signed_in, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from belong.insights import serving

    if signed_in:
        client.force_login(alice)
    grow(2, 0, focus_areas, alice)
    cut_release()
    serving.latest()  # read once by this process (a release never changes)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/collectives/").status_code == 200
    grow(15, 100, focus_areas, alice)
    # with the cache off (as in every test): the upcoming events by collective (2), those the
    # viewer may see, the cards (3), the latest release, the page, the areas of focus; and for
    # the signed-in their session, themselves, their memberships
    budget = 9 if not signed_in else 12
    with django_assert_max_num_queries(budget):
        response = client.get("/collectives/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 17
    with CaptureQueriesContext(connection) as many:
        client.get("/collectives/")
    assert len(many.captured_queries) == len(few.captured_queries)

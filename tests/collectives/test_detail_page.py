"""A collective's page: mission, vision, commitments, image and its description, current leaders
with their titles, disclosure-controlled counts, the viewer's own membership with its controls,
and the members and allies the viewer may see (the visibility matrix on the page)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from belong.collectives.actions import leaders, memberships
from belong.collectives.models import Collective, LeaderRole
from tests.builders import cut_release, exact_releases, make_person
from tests.collectives.visibility_matrix import CASES, THE_MEMBER, viewers  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/collectives/rainbow/"


def page(client, person=None):
    if person is not None and person.is_authenticated:
        client.force_login(person)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def roster(html):
    """The members-and-allies panel, or None when the page has none."""
    found = re.search(r'<section class="panel membership-roster".*?</section>', html, re.S)
    return found.group(0) if found else None


def test_the_collectives_own_texts(client, collective):
    html = page(client)
    for text in (
        "Rainbow Collective",
        "LGBTQ+ team members and allies.",
        "We build belonging.",
        "A place where everyone belongs.",
        "Advocate for inclusive benefits.",
        "Community partnership",
    ):
        assert text in html


def test_the_image_with_its_description(client, collective, settings, tmp_path):
    settings.PUBLIC_MEDIA_ROOT = tmp_path
    collective.image = SimpleUploadedFile("banner.png", b"\x89PNG\r\n\x1a\n", "image/png")
    collective.image_alt = "Members marching with a rainbow banner"
    collective.save()
    html = page(client)
    assert re.search(
        r'<img src="/media/collectives/banner[^"]*\.png" alt="Members marching with a rainbow '
        r'banner">',
        html,
    )


def test_no_image_no_img(client, collective):
    assert "<img" not in page(client).split('id="main"', 1)[-1].split("</main>")[0]


def test_current_leaders_with_their_titles(client, collective, bob, frank, alice, dave):
    today = timezone.localdate()
    leaders.appoint_leader(collective.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)
    leaders.appoint_leader(
        collective.pk,
        actor=frank,
        person=alice,
        title=LeaderRole.Title.OTHER,
        other_title="Treasurer",
    )
    leaders.appoint_leader(
        collective.pk,
        actor=frank,
        person=dave,
        title=LeaderRole.Title.CO_CHAIR,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    )
    future = make_person("fay@example.org", "Fay Future")
    leaders.appoint_leader(
        collective.pk,
        actor=frank,
        person=future,
        title=LeaderRole.Title.EXECUTIVE_SPONSOR,
        starts_on=today + datetime.timedelta(days=30),
    )
    html = page(client)
    panel = re.search(r'<ul class="leader-list">.*?</ul>', html, re.S).group(0)
    assert "Bob Leader" in panel and "Chair" in panel
    assert "Alice Member" in panel and "Treasurer" in panel
    assert "Dave Outsider" not in html and "Fay Future" not in html


def test_counts_as_on_the_list(client, settings, collective):
    settings.DISCLOSURE_THRESHOLD = 11
    exact_releases(settings)
    for i in range(11):
        person = make_person(f"m{i}@example.org", f"M {i}")
        memberships.join(collective.pk, person=person)
    ally = make_person("a@example.org", "An Ally")
    memberships.join(collective.pk, person=ally, kind="ally")
    cut_release()
    html = page(client)
    assert "<dt>Members</dt><dd>about 11</dd>" in html
    assert "<dt>Allies</dt><dd>fewer than 11</dd>" in html
    assert "As of" in html
    assert "12" not in re.sub(r"<[^>]+>", " ", html).split()


def test_a_visitor_is_asked_to_sign_in_to_join(client, collective):
    html = page(client)
    assert "Sign in to join" in html
    assert "/sign-in/?next=%2Fcollectives%2Frainbow%2Fjoin%2F" in html
    assert roster(html) is None


def test_a_signed_in_person_who_has_not_joined_gets_the_join_button(client, dave, collective):
    html = page(client, dave)
    assert 'href="/collectives/rainbow/join/"' in html and "Join this collective" in html
    assert "/leave/" not in html
    # Nothing opened to dave: no panel of names.
    assert roster(html) is None


def test_a_member_sees_their_membership_and_its_controls(client, alice, collective, join):
    join(alice, collective, kind="ally", visibility="members")
    html = page(client, alice)
    assert "You are an ally" in html
    assert "Members of this collective" in html
    assert "everyone who has joined this collective" in html
    assert 'href="/collectives/rainbow/join/"' in html
    assert 'href="/collectives/rainbow/leave/"' in html
    assert "Join this collective" not in html
    panel = roster(html)
    assert "Alice Member" in panel and "(ally, you)" in panel


def manage_route_exists():
    try:
        reverse("collectives:manage", args=["rainbow"])
    except NoReverseMatch:
        return False
    return True


@pytest.mark.parametrize(("who", "runs"), [("bob", True), ("frank", True), ("alice", False)])
def test_the_manage_link_is_for_those_who_run_it(client, request, collective, leads, who, runs):
    person = request.getfixturevalue(who)
    client.force_login(person)
    response = client.get(URL)
    expected = runs and manage_route_exists()
    assert (response.context["manage_url"] is not None) is expected
    assert ("Manage this collective" in response.content.decode()) is expected


def test_the_manage_link_is_never_shown_to_visitors_or_outsiders(client, dave, collective):
    assert "Manage this collective" not in page(client)
    assert "Manage this collective" not in page(client, dave)


@pytest.mark.parametrize(("visibility", "viewer", "sees"), CASES)
def test_the_visibility_matrix_on_the_page(
    client,
    viewers,  # noqa: F811
    collective,
    join,
    visibility,
    viewer,
    sees,
):
    join(viewers["self"], collective, visibility=visibility)
    html = page(client, viewers[viewer])
    panel = roster(html) or ""
    assert (THE_MEMBER in panel) is sees
    if not sees:
        # Nor anywhere else on the page.
        assert THE_MEMBER not in html


def test_the_panel_names_only_what_the_rule_allows(client, alice, dave, collective, join):
    for i, visibility in enumerate(["leaders", "members", "organization"]):
        person = make_person(f"v{i}@example.org", f"Visible {visibility}")
        join(person, collective, visibility=visibility)
    join(alice, collective)
    alice_panel = roster(page(client, alice))
    assert "Visible members" in alice_panel and "Visible organization" in alice_panel
    assert "Visible leaders" not in alice_panel
    client.logout()
    dave_panel = roster(page(client, dave))
    assert "Visible organization" in dave_panel
    assert "Visible members" not in dave_panel and "Visible leaders" not in dave_panel


def test_an_inactive_or_unknown_collective_is_404(client, collective):
    Collective.objects.filter(pk=collective.pk).update(is_active=False)
    assert client.get(URL).status_code == 404
    assert client.get("/collectives/nope/").status_code == 404


def grow(collective, n, start, frank):
    for i in range(start, start + n):
        person = make_person(f"g{i}@example.org", f"Grown {i}")
        memberships.join(
            collective.pk, person=person, kind=("member", "ally")[i % 2], visibility="organization"
        )
        leaders.appoint_leader(
            collective.pk, actor=frank, person=person, title="other", other_title=f"Role {i}"
        )
        collective.commitments.create(order=i + 1, text=f"Commitment {i}")


@pytest.mark.parametrize("who", ["visitor", "alice", "bob"])
def test_query_count_does_not_grow_with_members_leaders_or_commitments(
    client, request, collective, leads, frank, join, who, django_assert_max_num_queries
):
    if who != "visitor":
        person = request.getfixturevalue(who)
        client.force_login(person)
    join(request.getfixturevalue("alice"), collective, visibility="members")
    grow(collective, 2, 0, frank)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    grow(collective, 25, 100, frank)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200

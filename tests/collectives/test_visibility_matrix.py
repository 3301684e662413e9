"""The membership visibility matrix across every surface that lists people: for each visibility
Alice chooses and each viewer, her name appears exactly where the rule allows, on every page,
export and endpoint; and never where no membership should be shown at all (the collectives
list, the areas of focus, the recommendations tracker, the API's collective answers, other
people's /me/, the Django admin, the outbox).

The rule itself is tested in test_access_rules.py; this module checks that every surface asks it.
"""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from belong.collectives.actions import announcements
from belong.collectives.models import Announcement
from belong.notifications.models import OutboundMessage
from tests.collectives.visibility_matrix import (  # noqa: F401
    CASES,
    SEES,
    THE_MEMBER,
    VIEWERS,
    viewers,
)

pytestmark = pytest.mark.django_db


def client_for(person):
    client = Client()
    if person.is_authenticated:
        client.force_login(person)
    return client


def text(response):
    return response.content.decode() if response.status_code == 200 else ""


# Surfaces that list members: the name shows exactly for the viewers the rule allows.
LISTING = [
    "/collectives/rainbow/",
    "/api/v1/collectives/rainbow/members",
]
# Surfaces that must never name a member, whoever looks.
NEVER = [
    "/collectives/",
    "/collectives/recommendations/",
    "/api/v1/collectives",
    "/api/v1/collectives/rainbow",
    "/api/v1/events",
]


def leader_surfaces():
    """The leaders' members page and its CSV export (only for whom can_see_members)."""
    try:
        return [
            reverse("collectives:manage_members", args=["rainbow"]),
            reverse("collectives:manage_members_csv", args=["rainbow"]),
        ]
    except NoReverseMatch:  # pragma: no cover - the leaders' pages are part of this release
        pytest.fail("the leaders' members page and export are missing")


@pytest.mark.parametrize(("visibility", "viewer", "sees"), CASES)
def test_every_surface_follows_the_rule(
    viewers,  # noqa: F811
    collective,
    focus_areas,
    join,
    visibility,
    viewer,
    sees,
):
    join(viewers["self"], collective, visibility=visibility)
    person = viewers[viewer]
    client = client_for(person)

    for path in LISTING:
        body = text(client.get(path))
        assert (THE_MEMBER in body) is sees, (path, visibility, viewer)

    for path in [*NEVER, f"/collectives/focus/{focus_areas[0].slug}/"]:
        response = client.get(path)
        assert response.status_code in (200, 401), path
        assert THE_MEMBER not in text(response), path

    # The leaders' members page and export: the leader sees every membership; nobody else
    # opens them at all.
    for path in leader_surfaces():
        response = client.get(path)
        if viewer == "leader":
            assert response.status_code == 200
            assert THE_MEMBER in response.content.decode()
        else:
            assert response.status_code in (302, 403), (path, viewer)
            assert THE_MEMBER not in text(response)

    # /me/ (and the API's) lists one's own memberships only.
    if person.is_authenticated:
        mine = client.get("/me/").content.decode()
        api_mine = client.get("/api/v1/me/memberships").content.decode()
        for body in (mine, api_mine):
            if viewer == "self":
                assert "Rainbow Collective" in body
            else:  # someone else's page lists their own memberships, never Alice's
                assert THE_MEMBER not in body


@pytest.mark.parametrize("visibility", list(SEES))
def test_with_the_pages_cache_on_every_viewer_in_turn_sees_what_the_rule_allows(
    settings,
    viewers,  # noqa: F811
    collective,
    join,
    visibility,
):
    """The pages keep shared parts in the cache for the signed-in too: viewers one after the
    other (twice round, so that each is served what the others left in the cache) still see
    exactly what the rule allows."""
    settings.COLLECTIVES_CACHE_SECONDS = 30
    join(viewers["self"], collective, visibility=visibility)
    clients = {viewer: client_for(viewers[viewer]) for viewer in VIEWERS}
    for _round in range(2):
        for viewer in VIEWERS:
            for path in ("/collectives/rainbow/", "/collectives/"):
                body = text(clients[viewer].get(path))
                sees = viewer in SEES[visibility] and path != "/collectives/"
                assert (THE_MEMBER in body) is sees, (path, visibility, viewer)


def test_the_admin_shows_no_membership_even_to_a_superuser(viewers, collective, join):  # noqa: F811
    alice = viewers["self"]
    join(alice, collective)
    client = client_for(viewers["superuser"])
    assert client.get("/admin/collectives/membership/").status_code == 404
    person_page = client.get(f"/admin/people/person/{alice.pk}/change/")
    assert person_page.status_code == 200
    assert "Rainbow" not in person_page.content.decode()
    collective_page = client.get(f"/admin/collectives/collective/{collective.pk}/change/")
    assert collective_page.status_code == 200
    assert THE_MEMBER not in collective_page.content.decode()


def test_an_announcement_reaches_each_member_alone_and_the_outbox_keeps_it_private(
    viewers,  # noqa: F811
    collective,
    join,
    settings,
):
    alice, leader = viewers["self"], viewers["leader"]
    join(alice, collective)  # leaders only
    announcements.post_announcement(
        collective.pk,
        actor=leader,
        title="Potluck on Friday",
        body="Bring a dish.",
        audience=Announcement.Audience.MEMBERS,
    )
    messages = list(OutboundMessage.objects.all())
    recipients = [message.to_email for message in messages]
    assert alice.email in recipients
    for message in messages:
        assert message.private
        assert message.key.startswith("private:")
        assert "rainbow" not in message.key.lower()
        # No message names another recipient.
        others = {email for email in recipients if email != message.to_email}
        assert not any(email in message.body_text for email in others)
        assert THE_MEMBER not in message.body_text or message.to_email == alice.email

    # The outbox admin shows a superuser neither whom it went to nor what it said.
    admin = client_for(viewers["superuser"])
    listing = admin.get("/admin/notifications/outboundmessage/").content.decode()
    assert alice.email not in listing and "Potluck" not in listing
    found = admin.get("/admin/notifications/outboundmessage/", {"q": alice.email})
    assert "0 results" in found.content.decode()  # a search never finds a private message
    detail = admin.get(f"/admin/notifications/outboundmessage/{messages[0].pk}/change/")
    assert detail.status_code == 200
    assert "Potluck" not in detail.content.decode()

"""The Django admin's page asking to delete a collective counts nobody (issue 14).

Django lists and counts there every row that would go with the collective: "Memberships: 2",
each membership by its person's id, the monthly membership counts as they stand, every shared
experience. A DEI administrator (who edits collectives in the admin and never sees who belongs)
opening it before and after one person joins, or shares an experience anonymously, would read
that person's change. The page names those rows, never how many."""

import re

import pytest
from django.test import Client

from belong.collectives.actions import experiences
from belong.collectives.actions.memberships import record_month
from belong.people import roles
from tests.builders import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def frank_with_admin(db):
    """The DEI administrator, with admin access (what an operator gives them to edit content)."""
    return make_person("frank@example.org", "Frank Admin", roles.DEI_ADMINISTRATOR, is_staff=True)


def confirmation(client, collective, *, bulk=False):
    """What the page lists and counts: from its summary to its form (which holds the token).
    `bulk`: the list's "delete selected" action asks on a page of its own."""
    if bulk:
        response = client.post(
            "/admin/collectives/collective/",
            {"action": "delete_selected", "_selected_action": [collective.pk]},
        )
    else:
        response = client.get(f"/admin/collectives/collective/{collective.pk}/delete/")
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r"<h2>Summary</h2>(.*?)<form", html, re.S)
    assert found, html
    return found.group(1)


@pytest.mark.parametrize("bulk", [False, True], ids=["delete", "delete selected"])
def test_one_join_and_one_anonymous_experience_do_not_move_the_page(
    frank_with_admin, collective, join, alice, bob, dave, bulk
):
    join(bob, collective)
    record_month(collective)
    client = Client()
    client.force_login(frank_with_admin)
    before = confirmation(client, collective, bulk=bulk)

    join(alice, collective, kind="ally")
    record_month(collective)  # the month's count now says 1 member and 1 ally
    experiences.share(
        collective.pk, person=dave, text="It happened.", anonymous=True, consent_to_publish=False
    )
    after = confirmation(client, collective, bulk=bulk)

    assert after == before
    named = [
        "Memberships, if any: how many is not shown",
        "Monthly membership counts, if any: how many is not shown",
        "Experiences, if any: how many is not shown",
    ]
    rest = after
    for line in named:
        assert line in rest, line
        rest = rest.replace(line, "")
    # Nothing else of them: no row (a membership names its person's id), no count.
    for told in ("Membership", "membership", "Experience", f" in {collective.pk} ("):
        assert told not in rest, told
    # What is not about people still shows: the collective itself, and what goes with it.
    assert "Collectives: 1" in after and "Commitments: 1" in after


def test_the_page_is_the_same_with_nobody_in_the_collective(
    frank_with_admin, collective, join, alice
):
    """Not even whether anyone belongs: the first join changes nothing on it either."""
    client = Client()
    client.force_login(frank_with_admin)
    before = confirmation(client, collective)
    join(alice, collective)
    assert confirmation(client, collective) == before


def test_deleting_still_deletes_the_memberships(frank_with_admin, collective, join, alice):
    join(alice, collective)
    client = Client()
    client.force_login(frank_with_admin)
    response = client.post(
        f"/admin/collectives/collective/{collective.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not alice.memberships.exists()

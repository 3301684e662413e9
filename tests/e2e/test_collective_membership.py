"""Joining a collective in Chromium, with axe-core on every page passed through: a member joins
as an ally with the default visibility ("leaders only"), changes who may see it, leaves from
their page; a wrong submission shows the error summary; a visitor is asked to sign in."""

import re

import pytest

from belong.collectives.models import Collective, Membership
from tests.builders import make_hosted_event
from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_join_as_an_ally_change_who_may_see_it_and_leave(page, content, alice, sign_in):
    collective = Collective.objects.filter(is_active=True).order_by("order", "name").first()
    sign_in(alice)
    visit(page, "/collectives/")
    visit(page, collective.get_absolute_url())
    follow(page, "Join this collective", exact=False)

    # The default is preselected: leaders only. Nothing chosen for "member or ally" yet.
    assert page.get_by_label("Leaders only").is_checked()
    # Submitting without choosing is refused with the error summary, nothing changed.
    response = submit(page, "Join")
    assert response.status == 400
    assert "I join as" in page.locator(".error-summary").inner_text()
    assert not Membership.objects.filter(person=alice).exists()

    page.get_by_role("radio", name=re.compile(r"^Ally\b")).check()
    submit(page, "Join")
    assert "You are an ally" in page.locator("main").inner_text()
    assert "Who may see it: leaders only" in page.locator(".messages").inner_text()
    membership = Membership.objects.get(person=alice, collective=collective)
    assert (membership.kind, membership.visibility) == ("ally", "leaders")

    follow(page, "Change how you belong", exact=False)
    page.get_by_label("Members of this collective").check()
    submit(page, "Save")
    membership.refresh_from_db()
    assert membership.visibility == "members"
    assert "Alice Member" in page.locator(".membership-roster").inner_text()

    visit(page, "/me/")
    assert "Who may see it: Members of this collective" in page.locator("main").inner_text()
    follow(page, f"Leave {collective.name}", exact=False)
    assert "your membership is deleted" in page.locator("main").inner_text()
    submit(page, "Leave the collective")
    assert page.url.endswith("/me/")
    assert "anonymous monthly count" in page.locator(".messages").inner_text()
    assert not Membership.objects.filter(person=alice).exists()


def test_a_visitor_is_asked_to_sign_in(page, content):
    collective = Collective.objects.filter(is_active=True).first()
    visit(page, collective.get_absolute_url())
    follow(page, "Sign in to join", exact=False)
    assert "/sign-in/" in page.url and "join" in page.url


def test_a_leaders_view_of_the_list_and_the_page(page, content, alice, bob, frank, sign_in):

    from belong.collectives.actions import leaders, memberships

    collective = Collective.objects.filter(is_active=True).order_by("order", "name").first()
    leaders.appoint_leader(collective.pk, actor=frank, person=bob, title="chair")
    memberships.join(collective.pk, person=alice, kind="ally", visibility="organization")
    memberships.join(collective.pk, person=bob, visibility="members")
    make_hosted_event(collective, days=4, title="Community potluck")
    sign_in(bob)
    visit(page, "/collectives/")
    assert "Community potluck" in page.locator("main").inner_text()
    assert "You are a member" in page.locator("main").inner_text()
    visit(page, collective.get_absolute_url())
    roster = page.locator(".membership-roster").inner_text()
    assert "Alice Member" in roster and "Bob Leader" in roster
    assert "Chair" in page.locator(".leader-list").inner_text()

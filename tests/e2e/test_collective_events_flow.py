"""A collective's events and announcements in Chromium, with axe-core on every page passed
through: a leader holds a members-only event co-hosted by another collective (a bad time first
shows the error summary), a member registers on the event's page (which says who sees the
registrations) and the leader opens the roster from there, then edits and cancels it; the
leader posts an announcement (a missing text first); a visitor reads an area of focus's page."""

import datetime

import pytest
from django.utils import timezone

from belong.collectives.actions import leaders, memberships
from belong.collectives.models import Announcement, Collective, FocusArea, LeaderRole
from belong.events.models import Event, Registration
from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_leader_holds_an_event_a_member_registers_and_the_leader_announces(
    page, browser_context, content, alice, bob, frank, sign_in
):
    rainbow, harmony = Collective.objects.filter(is_active=True).order_by("order", "name")[:2]
    leaders.appoint_leader(rainbow.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)
    memberships.join(rainbow.pk, person=alice, kind="ally")
    day = (timezone.localdate() + datetime.timedelta(days=12)).isoformat()

    sign_in(bob)
    visit(page, rainbow.get_absolute_url())
    follow(page, "Hold an event")
    page.get_by_label("Title").fill("Solidarity Supper")
    page.get_by_label("Date").fill(day)
    page.get_by_label("Starts").fill("18:00")
    page.get_by_label("Ends").fill("17:00")
    page.get_by_label("Capacity").fill("20")
    page.get_by_label(harmony.name, exact=True).check()
    response = submit(page, "Add the event")
    assert response.status == 400
    assert "The end must be after the start." in page.locator(".error-summary").inner_text()
    page.get_by_label("Ends").fill("20:00")
    submit(page, "Add the event")
    event = Event.objects.get(title="Solidarity Supper")
    assert event.visibility == Event.Visibility.MEMBERS
    assert "Solidarity Supper" in page.locator("table").inner_text()

    browser_context.clear_cookies()
    sign_in(alice)
    visit(page, f"/events/{event.pk}/")
    main = page.locator("main").inner_text()
    assert "Members only" in main and harmony.name in main
    assert "see who registered" in page.locator(".registration-panel").inner_text()
    submit(page, "Register")
    assert Registration.objects.get(event=event, person=alice).state == "registered"
    visit(page, rainbow.get_absolute_url())
    assert "Solidarity Supper" in page.locator(".collective-events").inner_text()

    browser_context.clear_cookies()
    sign_in(bob)
    visit(page, f"/events/{event.pk}/")
    follow(page, "Manage this event", exact=False)
    assert alice.email in page.locator("table").inner_text()
    follow(page, "Edit the event", exact=False)
    page.get_by_label("Place").fill("The Commons")
    submit(page, "Save the event")
    assert "has been told" in page.locator(".messages").inner_text()
    visit(page, f"/collectives/{rainbow.slug}/manage/events/{event.pk}/cancel/")
    submit(page, "Cancel the event")  # the reason is required
    page.get_by_label("Reason for cancelling").fill("The room flooded.")
    submit(page, "Cancel the event")
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED

    visit(page, rainbow.get_absolute_url())
    follow(page, "Write an announcement")
    page.get_by_label("Title").fill("Supper moved online")
    response = submit(page, "Publish and send")
    assert response.status == 400
    page.get_by_label("Text").fill("We meet **online** instead.\n\n- same time\n- same people")
    page.get_by_label("Members and allies only").check()
    area = FocusArea.objects.order_by("order", "name").first()
    page.get_by_label(area.name, exact=True).check()
    submit(page, "Publish and send")
    announcement = Announcement.objects.get()
    assert "on its way by email" in page.locator(".messages").inner_text()  # never to how many
    assert "Emailed to the members and allies" in page.locator("main").inner_text()
    assert "online" in page.locator(".announcement__body").inner_text()
    visit(page, rainbow.get_absolute_url())
    assert "Supper moved online" in page.locator(".announcements").inner_text()
    visit(page, f"/collectives/focus/{area.slug}/")
    assert "Supper moved online" in page.locator("main").inner_text()  # bob leads Rainbow

    browser_context.clear_cookies()
    assert list(announcement.focus_areas.all()) == [area]
    visit(page, f"/collectives/focus/{area.slug}/")
    assert area.name in page.locator("h1").inner_text()
    assert "Supper moved online" not in page.locator("main").inner_text()  # members only
    visit(page, rainbow.get_absolute_url())
    assert "Supper moved online" not in page.locator("main").inner_text()

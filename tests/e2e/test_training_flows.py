"""The training flows in Chromium, with axe-core on every page they pass through.

- A learner, by keyboard only: finds a course in the catalog, registers for a session with
  seats, joins the waitlist of a full one, and leaves it again.
- A coordinator turns a group's training request into an invitation-only session, and a person
  of that group registers with the invitation link.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.training.actions import requests as request_actions
from belong.training.models import Course, GroupRequest
from tests.builders import make_person, make_session
from tests.e2e.a11y import check_a11y, visit
from tests.e2e.test_keyboard import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _session(course, *, days, capacity):
    return make_session(
        course,
        days=days,
        format=Event.Format.VIRTUAL,
        capacity=capacity,
        online_join_details="https://video.example.org/join/123",
    )


def press_enter_and_wait(page):
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200, f"{page.url} answered {navigation.value.status}"
    check_a11y(page)
    return navigation.value


def test_a_learner_registers_waitlists_and_cancels_by_keyboard(page, content, alice, sign_in):
    course = Course.objects.get(slug="implicit-bias")
    open_session = _session(course, days=10, capacity=20)
    full_session = _session(course, days=12, capacity=1)
    actions.register(full_session.pk, person=make_person("holder@example.org", "Seat Holder"))
    sign_in(alice)

    # The catalog: from the top of the page to the course, by keyboard.
    visit(page, "/training/")
    course_path = f"/training/{course.slug}/"
    tab_to(page, lambda f: f["tag"] == "a" and f["path"] == course_path, "the course's link")
    press_enter_and_wait(page)
    assert urlsplit(page.url).path == course_path
    assert page.get_by_text("never recorded").count() >= 1

    # The open session: register.
    open_path = f"/events/{open_session.pk}/"
    tab_to(page, lambda f: f["tag"] == "a" and f["path"] == open_path, "the open session")
    press_enter_and_wait(page)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Register", "Register")
    press_enter_and_wait(page)
    assert "You are registered" in page.locator("main").inner_text()
    assert page.locator(".join-details").inner_text().strip().startswith("https://video")
    assert Registration.objects.get(event=open_session, person=alice).state == "registered"

    # Back to the course, and the full session: the waitlist.
    visit(page, course_path)
    full_path = f"/events/{full_session.pk}/"
    tab_to(page, lambda f: f["tag"] == "a" and f["path"] == full_path, "the full session")
    press_enter_and_wait(page)
    assert "Full" in page.locator("main").inner_text()
    tab_to(
        page, lambda f: f["tag"] == "button" and f["text"] == "Join the waitlist", "the waitlist"
    )
    press_enter_and_wait(page)
    assert "You are on the waitlist, number 1" in page.locator("main").inner_text()
    assert page.locator(".join-details").count() == 0, "no join details without a seat"

    # Leave the waitlist: a confirmation step, then it is done.
    tab_to(
        page,
        lambda f: f["tag"] == "button" and f["text"] == "Leave the waitlist",
        "Leave the waitlist",
    )
    press_enter_and_wait(page)
    tab_to(
        page,
        lambda f: f["tag"] == "button" and f["text"] == "Yes, leave the waitlist",
        "the confirmation",
    )
    press_enter_and_wait(page)
    assert Registration.objects.get(event=full_session, person=alice).state == "cancelled"
    assert Registration.objects.get(event=open_session, person=alice).state == "registered"

    # My page lists the registration that remains.
    visit(page, "/me/")
    assert page.get_by_role("link", name=course.title).count() >= 1


def test_a_coordinator_turns_a_group_request_into_a_session(
    browser_context, page, content, alice, carol, dave, sign_in
):
    course = Course.objects.get(slug="cultural-humility")
    today = timezone.localdate()
    group_request = request_actions.submit_request(
        person=alice,
        group_name="Pediatrics residency, PGY-2 class",
        courses=[course],
        expected_participants=14,
        windows=[(today + datetime.timedelta(days=20), today + datetime.timedelta(days=40))],
        format=Event.Format.VIRTUAL,
        tailoring="Examples from pediatric clinics, please.",
    )
    sign_in(carol)

    # The queue, then the request.
    visit(page, "/training/manage/requests/")
    page.get_by_role("link", name="Pediatrics residency, PGY-2 class").first.click()
    page.wait_for_load_state("load")
    check_a11y(page)
    assert "Examples from pediatric clinics" in page.locator("main").inner_text()

    # Schedule it: a date within the window, virtual, with the video link.
    day = today + datetime.timedelta(days=25)
    form = page.locator(f"form[action$='/manage/requests/{group_request.pk}/schedule/']")
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_label("Starts at").fill("13:00")
    form.get_by_label("Ends at").fill("15:00")
    form.get_by_label("Virtual", exact=True).check()
    form.get_by_label("Online join details").fill("https://video.example.org/join/peds")
    with page.expect_navigation():
        form.get_by_role("button", name="Schedule the session").click()
    check_a11y(page)

    group_request.refresh_from_db()
    assert group_request.status == GroupRequest.Status.SCHEDULED
    event = group_request.event
    assert event.visibility == Event.Visibility.INVITATION and event.host == course
    assert timezone.localtime(event.start).hour == 13
    link = request_actions.invitation_link(event)
    shown = page.get_by_label("Invitation link", exact=True).input_value()
    assert shown == link, "the coordinator sees the link to share"

    # Someone of the group follows the invitation link and registers.
    browser_context.clear_cookies()
    sign_in(dave)
    split = urlsplit(link)
    visit(page, f"{split.path}?{split.query}")
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()
    check_a11y(page)
    assert "You are registered" in page.locator("main").inner_text()
    assert Registration.objects.get(event=event, person=dave).state == "registered"

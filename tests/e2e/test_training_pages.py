"""The training pages of coordinators, facilitators and attendees, in Chromium: each answers,
passes axe-core, has one h1, and fits a 320px-wide screen."""

import datetime

import pytest

from belong.events import actions
from belong.events.models import Event
from belong.training.models import Course
from tests.builders import (
    evaluation_answers,
    evaluation_invite,
    event_row,
    make_attended,
    make_session,
    published_evaluation,
)
from tests.e2e.a11y import visit
from tests.e2e.test_pages import NARROW, assert_h1, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def sessions(content, carol, alice):
    """An upcoming session with a registrant, a past one with attendees and answers (its
    evaluation open), and an older one whose evaluation results are published."""
    course = Course.objects.get(slug="implicit-bias")
    upcoming = make_session(course, actor=carol, days=8, format=Event.Format.VIRTUAL, capacity=20)
    upcoming.facilitators.add(carol)
    actions.register(upcoming.pk, person=alice)
    # Its evaluation is open (BELONG_EVALUATION_WINDOW_DAYS after it).
    past = event_row(host=course, days=-4, status=Event.Status.COMPLETED)
    evaluation_answers(past, course, 6)
    token = evaluation_invite(make_attended(past, alice))
    evaluated = event_row(host=course, days=-32, status=Event.Status.COMPLETED)
    published_evaluation(
        evaluated, course, 6, comment="A long comment that has to wrap on a phone {i}"
    )
    return {
        "course": course,
        "upcoming": upcoming,
        "past": past,
        "evaluated": evaluated,
        "token": token,
    }


def staff_pages(sessions):
    course, upcoming, past = sessions["course"], sessions["upcoming"], sessions["past"]
    lecture = actions.create_event(
        actor=None,
        kind=Event.Kind.LECTURE,
        title="Health Equity Now",
        start=upcoming.start + datetime.timedelta(days=2),
        end=upcoming.start + datetime.timedelta(days=2, hours=1),
        recording_url="https://video.example.org/dean/1",
    )
    return {
        "/training/manage/lectures/": None,
        "/training/manage/lectures/new/": None,
        f"/training/manage/lectures/{lecture.pk}/edit/": None,
        f"/training/manage/lectures/{lecture.pk}/cancel/": None,
        "/training/manage/": "training",
        "/training/manage/requests/": None,
        "/training/manage/courses/new/": None,
        f"/training/manage/courses/{course.pk}/edit/": course.title,
        f"/training/manage/courses/{course.pk}/sessions/new/": None,
        f"/training/manage/sessions/{upcoming.pk}/": course.title,
        f"/training/manage/sessions/{upcoming.pk}/edit/": None,
        f"/training/manage/sessions/{upcoming.pk}/cancel/": None,
        f"/training/manage/sessions/{past.pk}/evaluations/": None,
        f"/training/manage/sessions/{sessions['evaluated'].pk}/evaluations/": None,
        f"/training/manage/courses/{course.slug}/evaluations/": None,
    }


def test_coordinator_pages(page, sessions, carol, sign_in):
    sign_in(carol)
    for path, heading in staff_pages(sessions).items():
        visit(page, path)
        assert_h1(page, path, heading)


def test_coordinator_pages_fit_a_narrow_screen(page, sessions, carol, sign_in):
    sign_in(carol)
    page.set_viewport_size(NARROW)
    for path in staff_pages(sessions):
        visit(page, path)
        assert_no_horizontal_scroll(page, path)


def test_attendee_pages(page, sessions, alice, sign_in):
    sign_in(alice)
    paths = [
        f"/events/{sessions['upcoming'].pk}/",
        f"/training/evaluate/{sessions['token']}/",
        "/me/",
    ]
    for path in paths:
        visit(page, path)
        assert_h1(page, path, None)
        page.set_viewport_size(NARROW)
        visit(page, path)
        assert_no_horizontal_scroll(page, path)
        page.set_viewport_size({"width": 1280, "height": 900})

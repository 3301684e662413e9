"""The coordinators' queue of group requests at /training/manage/requests/: who may see it, the
transitions (review, decline, schedule) and the refused ones, the mail at every step, and
scheduling that creates one invitation-only session even when two coordinators press at once."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import dateformat

from belong.events import actions as event_actions
from belong.events.models import Event
from belong.notifications.models import OutboundMessage
from belong.people.models import AuditEvent
from belong.training.actions import requests as actions
from belong.training.models import Course, GroupRequest
from tests.builders import local_date, make_campuses, make_course, make_group_request
from tests.concurrency.test_outbox_race import run_together

pytestmark = pytest.mark.django_db
Status = GroupRequest.Status

QUEUE = "/training/manage/requests/"


def page_url(group_request):
    return f"{QUEUE}{group_request.pk}/"


def action_url(group_request, verb):
    return f"{QUEUE}{group_request.pk}/{verb}/"


@pytest.fixture
def courses(db):
    return [make_course("implicit-bias", order=1), make_course("allyship", order=2)]


@pytest.fixture
def group_request(alice, courses):
    return make_group_request(
        alice, courses, group_name="Pediatrics residents", expected_participants=14
    )


def schedule_data(course, **overrides):
    data = {
        "course": str(course.pk),
        "date": local_date(21).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "format": "virtual",
        "campus": "",
        "place": "",
        "online_join_details": "https://meet.example.org/peds (passcode 1234)",
        "capacity": "",
    }
    data.update(overrides)
    return data


def mail_to(mailoutbox, email):
    return [message for message in mailoutbox if message.to == [email]]


# --- who may see the queue -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 403), ("dave", 403), ("grace", 403), ("carol", 200), ("frank", 200)],
)
def test_the_queue_and_a_request_page_by_role(client, request, group_request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(QUEUE).status_code == status
    assert client.get(page_url(group_request)).status_code == status


def test_visitors_are_sent_to_sign_in(client, group_request):
    for url in (QUEUE, page_url(group_request)):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]
    for verb in ("review", "decline", "schedule"):
        response = client.post(action_url(group_request, verb))
        assert response.status_code == 302
        assert "next=" in response["Location"]
    group_request.refresh_from_db()
    assert group_request.status == Status.NEW


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_members_and_outsiders_cannot_change_a_request(client, request, group_request, who):
    client.force_login(request.getfixturevalue(who))
    course = group_request.courses.first()
    assert client.post(action_url(group_request, "review")).status_code == 403
    assert client.post(action_url(group_request, "decline"), {"reason": "No"}).status_code == 403
    assert (
        client.post(action_url(group_request, "schedule"), schedule_data(course)).status_code == 403
    )
    group_request.refresh_from_db()
    assert group_request.status == Status.NEW
    assert Event.objects.count() == 0


def test_an_unknown_request_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get(f"{QUEUE}999999/").status_code == 404
    assert client.get(f"{QUEUE}{2**64}/").status_code == 404
    assert client.post(f"{QUEUE}999999/review/").status_code == 404


def test_the_actions_refuse_a_request_that_is_gone(carol):
    with pytest.raises(actions.RequestRefused) as refused:
        actions.start_review(999999, actor=carol)
    assert refused.value.status == 404
    with pytest.raises(actions.RequestRefused) as refused:
        actions.decline(999999, actor=carol, reason="Gone")
    assert refused.value.status == 404


@pytest.mark.parametrize("verb", ["review", "decline", "schedule"])
def test_changes_are_post_only(client, carol, group_request, verb):
    client.force_login(carol)
    assert client.get(action_url(group_request, verb)).status_code == 405
    assert client.put(action_url(group_request, verb)).status_code == 405


@pytest.mark.parametrize("url", [QUEUE, None])
def test_the_queue_pages_are_read_only(client, carol, group_request, url):
    client.force_login(carol)
    assert client.post(url or page_url(group_request)).status_code == 405


# --- the list --------------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_with_how_long_each_waited(client, carol, alice, courses):
    now = datetime.datetime.now(tz=datetime.UTC)
    old = make_group_request(
        alice, courses, group_name="Oldest group", now=now - datetime.timedelta(days=9)
    )
    new = make_group_request(
        alice, courses, group_name="Newest group", now=now - datetime.timedelta(hours=3)
    )
    middle = make_group_request(
        alice, courses, group_name="Middle group", now=now - datetime.timedelta(days=2)
    )
    actions.start_review(middle.pk, actor=carol)
    client.force_login(carol)

    response = client.get(QUEUE)

    page = response.content.decode()
    assert page.index("Oldest group") < page.index("Middle group") < page.index("Newest group")
    assert "1\xa0week, 2\xa0days" in page
    assert "3\xa0hours" in page
    assert list(response.context["group_requests"]) == [old, middle, new]


def test_the_queue_filters_by_status(client, carol, alice, courses):
    waiting = make_group_request(alice, courses, group_name="Waiting group")
    turned_down = make_group_request(alice, courses, group_name="Declined group")
    actions.decline(turned_down.pk, actor=carol, reason="No facilitator that month.")
    client.force_login(carol)

    open_page = client.get(QUEUE)
    declined_page = client.get(QUEUE, {"status": "declined"})
    everything = client.get(QUEUE, {"status": "all"})

    assert list(open_page.context["group_requests"]) == [waiting]
    assert list(declined_page.context["group_requests"]) == [turned_down]
    assert "decided after" in declined_page.content.decode()
    assert list(everything.context["group_requests"]) == [waiting, turned_down]


def test_an_unknown_status_filter_is_a_clear_400(client, carol, alice, courses):
    make_group_request(alice, courses)
    client.force_login(carol)
    response = client.get(QUEUE, {"status": "bogus"})
    assert response.status_code == 400
    assert "Choose a status from the list." in response.content.decode()


def test_the_queue_query_count_is_constant(
    client, carol, alice, courses, django_assert_max_num_queries
):
    make_group_request(alice, courses)
    client.force_login(carol)
    with django_assert_max_num_queries(15) as one:
        assert client.get(QUEUE, {"status": "all"}).status_code == 200
    twin_cities, _duluth = make_campuses()
    for n in range(20):
        make_group_request(
            alice,
            courses,
            format=Event.Format.IN_PERSON,
            campus=twin_cities,
            org_unit=twin_cities,
            windows=[(local_date(10 + n), local_date(12 + n)), (local_date(40), local_date(41))],
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(QUEUE, {"status": "all"})
    assert response.status_code == 200
    assert len(response.context["group_requests"]) == 21


def test_a_request_page_query_count_is_constant(
    client, carol, alice, courses, django_assert_max_num_queries
):
    small = make_group_request(alice, courses[:1], windows=[(local_date(5), local_date(6))])
    big = make_group_request(
        alice,
        courses,
        windows=[
            (local_date(5), local_date(6)),
            (local_date(9), local_date(10)),
            (local_date(20), local_date(30)),
        ],
    )
    actions.start_review(big.pk, actor=carol)
    client.force_login(carol)
    with django_assert_max_num_queries(20) as one:
        assert client.get(page_url(small)).status_code == 200
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(page_url(big)).status_code == 200


# --- start review ----------------------------------------------------------------------------------


def test_starting_the_review_tells_the_requester(
    client, carol, group_request, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(group_request, "review"), {"note": "We will confirm a facilitator."}
        )

    assert response.status_code == 302
    assert response["Location"] == page_url(group_request)
    group_request.refresh_from_db()
    assert group_request.status == Status.IN_REVIEW
    change = group_request.changes.last()
    assert (change.status, change.by, change.note) == (
        "in_review",
        carol,
        "We will confirm a facilitator.",
    )
    assert AuditEvent.objects.filter(
        verb="group_request.in_review", object_id=str(group_request.pk), actor=carol
    ).exists()
    [message] = mail_to(mailoutbox, "alice@example.org")
    assert message.subject == "Your training request for Pediatrics residents is in review"
    assert "We will confirm a facilitator." in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "We will confirm a facilitator." in html
    assert f"/training/requests/{group_request.pk}/" in html


def test_a_request_cannot_go_in_review_twice(client, carol, frank, group_request):
    actions.start_review(group_request.pk, actor=carol)
    client.force_login(frank)
    response = client.post(action_url(group_request, "review"))
    assert response.status_code == 409
    assert "This request is already in review." in response.content.decode()
    assert group_request.changes.count() == 2
    assert OutboundMessage.objects.filter(key__endswith=":in_review").count() == 1


# --- decline ---------------------------------------------------------------------------------------


def test_declining_needs_a_reason(client, carol, group_request):
    client.force_login(carol)
    for reason in ("", "   "):
        response = client.post(action_url(group_request, "decline"), {"reason": reason})
        assert response.status_code == 400
        assert response.context["decline_form"].errors["reason"] == [
            "Give the reason for declining: the requester is told."
        ]
    group_request.refresh_from_db()
    assert group_request.status == Status.NEW
    assert group_request.changes.count() == 1
    with pytest.raises(actions.RequestRefused) as refused:
        actions.decline(group_request.pk, actor=carol, reason="  ")
    assert refused.value.field == "reason"


def test_declining_tells_the_requester_why(
    client, carol, group_request, mailoutbox, django_capture_on_commit_callbacks
):
    actions.start_review(group_request.pk, actor=carol)
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(group_request, "decline"),
            {"reason": "No facilitator is free before the summer."},
        )

    assert response.status_code == 302
    group_request.refresh_from_db()
    assert group_request.status == Status.DECLINED
    assert group_request.decline_reason == "No facilitator is free before the summer."
    assert [change.status for change in group_request.changes.all()] == [
        "new",
        "in_review",
        "declined",
    ]
    assert AuditEvent.objects.filter(verb="group_request.declined", actor=carol).exists()
    declined = [m for m in mail_to(mailoutbox, "alice@example.org") if "declined" in m.subject]
    [message] = declined
    assert message.subject == "Your training request for Pediatrics residents was declined"
    assert "No facilitator is free before the summer." in message.body
    [(html, _mimetype)] = message.alternatives
    assert "No facilitator is free before the summer." in html

    client.force_login(group_request.requester)
    page = client.get(f"/training/requests/{group_request.pk}/").content.decode()
    assert "No facilitator is free before the summer." in page


def test_a_declined_request_cannot_change(client, carol, group_request):
    actions.decline(group_request.pk, actor=carol, reason="Not this year.")
    client.force_login(carol)
    course = group_request.courses.first()

    review = client.post(action_url(group_request, "review"))
    again = client.post(action_url(group_request, "decline"), {"reason": "Still no."})
    scheduled = client.post(action_url(group_request, "schedule"), schedule_data(course))

    assert review.status_code == 409
    assert "This request was declined: it can no longer change." in review.content.decode()
    assert again.status_code == 409
    assert "This request has already been declined." in again.content.decode()
    assert scheduled.status_code == 409
    assert "This request was declined: it can no longer change." in scheduled.content.decode()
    assert Event.objects.count() == 0
    group_request.refresh_from_db()
    assert group_request.status == Status.DECLINED
    assert group_request.decline_reason == "Not this year."


def test_the_page_of_a_closed_request_offers_no_actions(client, carol, group_request):
    actions.decline(group_request.pk, actor=carol, reason="Not this year.")
    client.force_login(carol)
    page = client.get(page_url(group_request)).content.decode()
    assert "Schedule the session" not in page
    assert "Start the review" not in page
    assert "Not this year." in page


# --- schedule --------------------------------------------------------------------------------------


def test_scheduling_creates_one_invitation_only_session(
    client, carol, group_request, courses, mailoutbox, django_capture_on_commit_callbacks
):
    course = courses[1]
    client.force_login(carol)
    page = client.get(page_url(group_request))
    form = page.context["schedule_form"]
    assert form.initial["capacity"] == 14
    assert form.initial["format"] == "virtual"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(group_request, "schedule"), schedule_data(course))

    assert response.status_code == 302
    assert response["Location"] == page_url(group_request)
    event = Event.objects.get()
    zone = ZoneInfo(settings.TIME_ZONE)
    assert event.kind == Event.Kind.SESSION
    assert event.visibility == Event.Visibility.INVITATION
    assert event.invitation_code
    assert event.host == course
    assert event.host_type == ContentType.objects.get_for_model(Course)
    assert event.title == course.title
    assert event.start == datetime.datetime.combine(local_date(21), datetime.time(10), tzinfo=zone)
    assert event.end == datetime.datetime.combine(local_date(21), datetime.time(12), tzinfo=zone)
    assert event.capacity == 14  # the expected participants, by default
    assert event.minimum == 6
    assert event.format == Event.Format.VIRTUAL
    assert event.online_join_details == "https://meet.example.org/peds (passcode 1234)"
    group_request.refresh_from_db()
    assert group_request.status == Status.SCHEDULED
    assert group_request.event == event
    assert group_request.changes.last().status == "scheduled"
    assert AuditEvent.objects.filter(verb="group_request.scheduled", actor=carol).exists()
    assert AuditEvent.objects.filter(verb="event.created", object_id=str(event.pk)).exists()

    link = f"{settings.SITE_URL}/events/{event.pk}/?code={event.invitation_code}"
    assert actions.invitation_link(event) == link
    [message] = mail_to(mailoutbox, "alice@example.org")
    assert message.subject.startswith("Scheduled for Pediatrics residents: ")
    assert link in message.body
    when = f"{dateformat.format(local_date(21), 'l, F j, Y')}, 10:00 AM–12:00 PM"
    assert f"When: {when}" in message.body
    assert "passcode" not in message.body  # join details are for registrants only
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html.replace("&amp;", "&")
    assert when in html

    coordinator_page = client.get(response["Location"]).content.decode()
    assert f'readonly spellcheck="false" autocomplete="off">{link}</textarea>' in coordinator_page
    assert "Schedule the session" not in coordinator_page
    client.force_login(group_request.requester)
    requester_page = client.get(f"/training/requests/{group_request.pk}/").content.decode()
    assert f">{link}</textarea>" in requester_page
    # the box keeps its distance from the heading after it (tests/e2e/test_training_layout.py)
    for page in (coordinator_page, requester_page):
        assert '<section class="note note--important note--spaced"' in page


def test_a_cancelled_session_no_longer_shows_its_invitation_link(
    client, carol, group_request, courses
):
    client.force_login(carol)
    client.post(action_url(group_request, "schedule"), schedule_data(courses[0]))
    event = Event.objects.get()
    event_actions.cancel_event(event.pk, actor=carol, reason="Facilitator ill")
    link = actions.invitation_link(event)

    coordinator_page = client.get(page_url(group_request)).content.decode()
    client.force_login(group_request.requester)
    requester_page = client.get(f"/training/requests/{group_request.pk}/").content.decode()

    for page in (coordinator_page, requester_page):
        assert link not in page
        assert "Cancelled" in page


def test_scheduling_in_person_uses_the_campus_and_place(client, frank, group_request, courses):
    _twin_cities, duluth = make_campuses()
    client.force_login(frank)
    data = schedule_data(
        courses[0],
        format="in_person",
        campus=str(duluth.pk),
        place="Room 210, Medical Building",
        online_join_details="",
        capacity="20",
    )
    response = client.post(action_url(group_request, "schedule"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.format, event.campus, event.place, event.capacity) == (
        "in_person",
        duluth,
        "Room 210, Medical Building",
        20,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "The end must be after the start."),
        ({"date": local_date(-1).isoformat()}, "date", "Choose a date and time in the future."),
        ({"date": "2031-02-30"}, "date", "Enter a date, for example 2031-05-14."),
        (
            {"format": "in_person", "place": "Room 1"},
            "campus",
            "Choose the campus for an in-person or hybrid session.",
        ),
        (
            {"format": "in_person", "online_join_details": ""},
            "place",
            "Give the place: building and room.",
        ),
        (
            {"online_join_details": ""},
            "online_join_details",
            "Give the online join details: the meeting link and any passcode.",
        ),
        ({"capacity": "0"}, "capacity", "Enter a capacity of at least 1."),
        ({"format": "teleport"}, "format", "Choose a format from the list."),
    ],
)
def test_scheduling_refuses_bad_input(
    client, carol, group_request, courses, overrides, field, message
):
    client.force_login(carol)
    response = client.post(
        action_url(group_request, "schedule"), schedule_data(courses[0], **overrides)
    )
    assert response.status_code == 400
    assert message in response.context["schedule_form"].errors[field]
    assert Event.objects.count() == 0
    group_request.refresh_from_db()
    assert group_request.status == Status.NEW


def test_only_a_requested_course_can_be_scheduled(client, carol, alice, courses):
    other = make_course("other")
    one_course = make_group_request(alice, courses[:1])
    client.force_login(carol)
    response = client.post(action_url(one_course, "schedule"), schedule_data(other))
    assert response.status_code == 400
    assert response.context["schedule_form"].errors["course"] == [
        "Choose one of the trainings the group asked for."
    ]
    with pytest.raises(actions.RequestRefused) as refused:
        actions.schedule(
            one_course.pk,
            actor=carol,
            course=other,
            start=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=3),
            end=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=3, hours=2),
            format=Event.Format.VIRTUAL,
        )
    assert refused.value.field == "course"
    assert Event.objects.count() == 0


def test_scheduling_twice_is_refused_without_a_second_session(
    client, carol, frank, group_request, courses, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(action_url(group_request, "schedule"), schedule_data(courses[0]))
    client.force_login(frank)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(
            action_url(group_request, "schedule"),
            schedule_data(courses[1], date=local_date(30).isoformat()),
        )
        declined = client.post(action_url(group_request, "decline"), {"reason": "Too late"})

    assert first.status_code == 302
    assert second.status_code == 409
    assert "This request has already been scheduled: its session exists." in (
        second.content.decode()
    )
    assert declined.status_code == 409
    assert Event.objects.count() == 1
    group_request.refresh_from_db()
    assert group_request.status == Status.SCHEDULED
    assert group_request.event.host == courses[0]
    assert len([m for m in mailoutbox if m.subject.startswith("Scheduled for")]) == 1


def test_the_history_is_shown_with_who_did_what(client, carol, frank, group_request, courses):
    actions.start_review(group_request.pk, actor=carol, note="Looking for a facilitator.")
    client.force_login(frank)
    page = client.get(page_url(group_request)).content.decode()
    assert "Request sent" in page
    assert "In review" in page
    assert "by Carol Coordinator" in page
    assert "Looking for a facilitator." in page
    assert "Schedule the session" in page
    assert "Decline the request" in page
    assert "Start the review" not in page


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_scheduling_at_once_make_one_session(alice, carol, frank):
    course = make_course("race")
    group_request = make_group_request(alice, [course])
    start = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=10)
    coordinators = [carol, frank]
    lock = threading.Lock()

    def press():
        with lock:
            actor = coordinators.pop()
        return actions.schedule(
            group_request.pk,
            actor=actor,
            course=course,
            start=start,
            end=start + datetime.timedelta(hours=2),
            format=Event.Format.VIRTUAL,
            online_join_details="https://meet.example.org/x",
        )

    results, errors = run_together(press, workers=2)

    assert len(results) == 1
    [error] = errors
    assert isinstance(error, actions.RequestRefused)
    assert error.status == 409
    assert Event.objects.count() == 1
    group_request.refresh_from_db()
    assert group_request.status == Status.SCHEDULED
    assert group_request.changes.filter(status="scheduled").count() == 1

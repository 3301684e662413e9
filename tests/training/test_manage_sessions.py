"""The coordinators' overview and their session pages: several dates at once, editing (people
told of a new time), cancelling with a reason, keeping a short session running."""

import datetime

import pytest
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.people.models import AuditEvent, OrgUnit
from tests.builders import (
    date_field,
    event_form_data,
    event_row,
    make_course,
    make_registration,
    make_session,
    new_facilitator,
    new_person,
    queries_for,
    seat_and_waitlist,
)
from tests.clock import local_day_at

pytestmark = pytest.mark.django_db

State = Registration.State
OVERVIEW = "/training/manage/"


def new_url(host):
    return f"/training/manage/courses/{host.pk}/sessions/new/"


def edit_url(event):
    return f"/training/manage/sessions/{event.pk}/edit/"


def cancel_url(event):
    return f"/training/manage/sessions/{event.pk}/cancel/"


def keep_url(event):
    return f"/training/manage/sessions/{event.pk}/keep/"


def schedule_data(rows, **shared):
    """POST data: `rows` is a list of (date, start, end) strings; five rows in all."""
    data = {
        "dates-TOTAL_FORMS": "5",
        "dates-INITIAL_FORMS": "0",
        "dates-MIN_NUM_FORMS": "0",
        "dates-MAX_NUM_FORMS": "30",
        "format": "virtual",
        "campus": "",
        "place": "",
        "online_join_details": "https://meet.example.org/abc",
        "capacity": "20",
        "minimum": "6",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": "public",
        "prework": "Read the article.",
    }
    for index in range(5):
        date, start, end = rows[index] if index < len(rows) else ("", "", "")
        data[f"dates-{index}-date"] = date
        data[f"dates-{index}-start_time"] = start
        data[f"dates-{index}-end_time"] = end
    data.update(shared)
    return data


def edit_data(event, **changes):
    return event_form_data(
        event, **{"minimum": str(event.minimum), "prework": event.prework, **changes}
    )


# --- the overview --------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/training/manage/")


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_people_without_a_training_role_are_refused(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(OVERVIEW).status_code == 403


@pytest.mark.parametrize("who", ["carol", "frank"])
def test_coordinators_and_administrators_see_every_session(client, who, request):
    host = make_course(title="Implicit Bias")
    make_session(host, place="Room 101")
    make_session(host, days=12, place="Room 202")
    client.force_login(request.getfixturevalue(who))
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert response.content.decode().count("/training/manage/sessions/") >= 2
    assert "no-store" in response["Cache-Control"]


def test_a_facilitator_sees_only_their_own_sessions(client):
    fay, other = new_facilitator(), new_facilitator()
    host = make_course(title="Implicit Bias")
    mine = make_session(host, facilitators=[fay])
    theirs = make_session(host, days=11, facilitators=[other])
    client.force_login(fay)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/training/manage/sessions/{mine.pk}/" in page
    assert f"/training/manage/sessions/{theirs.pk}/" not in page
    assert "New course" not in page  # the catalog is the coordinators'


def test_the_overview_shows_numbers_and_flags_a_short_session(client, carol):
    host = make_course(title="Implicit Bias")
    soon = make_session(host, days=2, capacity=2, minimum=6)
    later = make_session(host, days=20, capacity=10, minimum=6)
    for person in (new_person("learner"), new_person("learner"), new_person("learner")):
        actions.register(soon.pk, person=person)
    actions.register(later.pk, person=new_person("learner"))
    client.force_login(carol)
    response = client.get(OVERVIEW)
    upcoming = {event.pk: event for event in response.context["upcoming"]}
    assert upcoming[soon.pk].registered_count == 2
    assert upcoming[soon.pk].waitlist_count == 1
    assert upcoming[soon.pk].needed == 4
    assert upcoming[soon.pk].short is True
    assert upcoming[later.pk].short is False  # short, but not yet within the cutoff
    assert "Short of its minimum" in response.content.decode()


def test_a_kept_session_is_not_flagged(client, carol):
    host = make_course()
    soon = make_session(host, days=1, minimum=6)
    actions.keep_short_event(soon.pk, actor=carol)
    client.force_login(carol)
    response = client.get(OVERVIEW)
    assert [event.short for event in response.context["upcoming"]] == [False]


def test_recent_sessions_without_attendance_are_listed(client, carol):
    host = make_course(title="Allyship")
    done = event_row(host=host, ago=datetime.timedelta(hours=3), minimum=6)
    waiting = event_row(host=host, ago=datetime.timedelta(days=2), minimum=6)
    make_registration(done, new_person("learner"), state=State.ATTENDED)
    make_registration(waiting, new_person("learner"))
    client.force_login(carol)
    response = client.get(OVERVIEW)
    assert [event.pk for event in response.context["unmarked"]] == [waiting.pk]


def test_the_overview_makes_as_many_queries_for_many_sessions_as_for_one(
    client, carol, django_assert_max_num_queries
):
    campus = OrgUnit.objects.create(name="Duluth", slug="duluth", kind=OrgUnit.Kind.CAMPUS)
    host = make_course()
    first = make_session(host, campus=campus)
    make_registration(first, new_person("learner"))
    make_registration(
        event_row(host=host, ago=datetime.timedelta(hours=3), minimum=6), new_person("learner")
    )
    client.force_login(carol)
    one = queries_for(client, OVERVIEW)
    for days in range(11, 31):
        event = make_session(make_course(), days=days, campus=campus)
        make_registration(event, new_person("learner"))
        make_registration(
            event_row(host=host, ago=datetime.timedelta(days=days - 10), minimum=6),
            new_person("learner"),
        )
    many = queries_for(client, OVERVIEW)
    assert many == one
    with django_assert_max_num_queries(8):
        client.get(OVERVIEW)


# --- several dates at once -----------------------------------------------------------------


def test_several_dates_make_as_many_sessions(client, carol):
    host = make_course(title="Implicit Bias")
    fay = new_facilitator()
    client.force_login(carol)
    rows = [
        (date_field(10), "12:00", "13:30"),
        (date_field(17), "12:00", "13:30"),
        (date_field(24), "09:00", "10:00"),
    ]
    response = client.post(new_url(host), schedule_data(rows, facilitators=[str(fay.pk)]))
    assert response.status_code == 302
    events = list(Event.objects.filter(course=host).order_by("start"))
    assert len(events) == 3
    first = events[0]
    assert first.kind == Event.Kind.SESSION and first.host == host
    assert first.title == "Implicit Bias"
    assert first.capacity == 20 and first.minimum == 6
    assert first.online_join_details == "https://meet.example.org/abc"
    assert list(first.facilitators.all()) == [fay]
    local = timezone.localtime(first.start)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (date_field(10), "12:00")
    assert timezone.localtime(events[2].end).strftime("%H:%M") == "10:00"
    assert AuditEvent.objects.filter(verb="course.sessions_scheduled").count() == 1
    assert AuditEvent.objects.filter(verb="event.created").count() == 3


def test_the_minimum_defaults_to_the_workshop_minimum(client, carol, settings):
    settings.WORKSHOP_MINIMUM = 8
    host = make_course()
    client.force_login(carol)
    response = client.get(new_url(host))
    assert response.context["details"]["minimum"].value() == 8


def test_an_end_before_the_start_names_the_row_and_creates_nothing(client, carol):
    host = make_course()
    client.force_login(carol)
    rows = [(date_field(10), "12:00", "13:00"), (date_field(11), "14:00", "13:00")]
    response = client.post(new_url(host), schedule_data(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Date 2, Ends: The end must be after the start." in page
    assert "No session was created." in page
    assert not Event.objects.exists()


def test_a_date_that_has_passed_is_refused(client, carol):
    host = make_course()
    client.force_login(carol)
    response = client.post(new_url(host), schedule_data([(date_field(-1), "12:00", "13:00")]))
    assert response.status_code == 400
    assert "Date 1, Date: This date and time has already passed." in response.content.decode()
    assert not Event.objects.exists()


def test_an_incomplete_row_is_named(client, carol):
    host = make_course()
    client.force_login(carol)
    response = client.post(new_url(host), schedule_data([(date_field(5), "12:00", "")]))
    assert response.status_code == 400
    assert "Date 1, Ends: Enter the end time." in response.content.decode()


def test_no_dates_at_all_is_refused(client, carol):
    host = make_course()
    client.force_login(carol)
    response = client.post(new_url(host), schedule_data([]))
    assert response.status_code == 400
    assert "Enter at least one date." in response.content.decode()
    assert not Event.objects.exists()


def test_the_same_date_twice_is_refused(client, carol):
    host = make_course()
    client.force_login(carol)
    rows = [(date_field(5), "12:00", "13:00"), (date_field(5), "12:00", "13:00")]
    response = client.post(new_url(host), schedule_data(rows))
    assert response.status_code == 400
    assert "Dates 1 and 2 are the same." in response.content.decode()


def test_a_capacity_below_the_minimum_is_refused(client, carol):
    host = make_course()
    client.force_login(carol)
    response = client.post(
        new_url(host), schedule_data([(date_field(5), "12:00", "13:00")], capacity="4", minimum="6")
    )
    assert response.status_code == 400
    assert "The capacity (4) is below the minimum (6)" in response.content.decode()
    assert not Event.objects.exists()


def test_a_closing_before_the_opening_is_refused(client, carol):
    host = make_course()
    client.force_login(carol)
    data = schedule_data(
        [(date_field(9), "12:00", "13:00")],
        registration_opens_at=f"{date_field(3)}T09:00",
        registration_closes_at=f"{date_field(2)}T09:00",
    )
    response = client.post(new_url(host), data)
    assert response.status_code == 400
    assert "Registration must close after it opens." in response.content.decode()


def test_an_invitation_session_gets_an_invitation_code(client, carol):
    host = make_course()
    client.force_login(carol)
    client.post(
        new_url(host), schedule_data([(date_field(5), "12:00", "13:00")], visibility="invitation")
    )
    assert Event.objects.get().invitation_code


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_scheduling_is_refused_without_the_role(client, who, request):
    host = make_course()
    client.force_login(request.getfixturevalue(who))
    assert client.get(new_url(host)).status_code == 403
    assert (
        client.post(new_url(host), schedule_data([(date_field(5), "12:00", "13:00")])).status_code
        == 403
    )
    assert not Event.objects.exists()


def test_a_facilitator_cannot_schedule(client):
    client.force_login(new_facilitator())
    assert client.get(new_url(make_course())).status_code == 403


def test_scheduling_sends_a_visitor_to_sign_in(client):
    response = client.get(new_url(make_course()))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_scheduling_for_a_missing_course_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get("/training/manage/courses/999999/sessions/new/").status_code == 404


def test_scheduling_refuses_other_methods(client, carol):
    client.force_login(carol)
    assert client.put(new_url(make_course())).status_code == 405


# --- editing one session -------------------------------------------------------------------


def test_the_edit_form_says_that_people_are_told(client, carol):
    event = make_session(make_course())
    client.force_login(carol)
    response = client.get(edit_url(event))
    assert response.status_code == 200
    assert "Changing the date, times, format, campus, place or online details tells people." in (
        response.content.decode()
    )


def test_a_new_time_tells_registrants(
    client, carol, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_session(make_course(title="Implicit Bias"), capacity=1, minimum=0)
    holder, waiting = seat_and_waitlist(event)
    make_registration(event, new_person("learner"), state=State.CANCELLED)
    mailoutbox.clear()
    client.force_login(carol)
    later = timezone.localtime(event.start) + datetime.timedelta(days=1)
    data = edit_data(event, date=later.date().isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert timezone.localtime(event.start).date() == later.date()
    told = {message.to[0]: message for message in mailoutbox}
    assert set(told) == {holder.email, waiting.email}  # not the cancelled registration

    def invites(message):
        return [item for item in message.attachments if item[0] == "invite.ics"]

    assert "SEQUENCE:1" in invites(told[holder.email])[0][1]  # the seat holder: a new invite
    assert invites(told[waiting.email]) == []  # no seat, no calendar entry
    follow = client.get(response["Location"])
    assert "has been told about the new time or place" in follow.content.decode()


def test_a_change_of_campus_counts_as_a_change_of_place(
    client, carol, mailoutbox, django_capture_on_commit_callbacks
):
    campus = OrgUnit.objects.create(name="Duluth", slug="duluth", kind=OrgUnit.Kind.CAMPUS)
    event = make_session(make_course(), minimum=0)
    actions.register(event.pk, person=new_person("learner"))
    mailoutbox.clear()
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(event), edit_data(event, campus=str(campus.pk)))
    event.refresh_from_db()
    assert event.campus == campus and event.sequence == 1
    assert len(mailoutbox) == 1


def test_other_changes_tell_no_one(client, carol, mailoutbox, django_capture_on_commit_callbacks):
    event = make_session(make_course(), capacity=10, minimum=0)
    actions.register(event.pk, person=new_person("learner"))
    mailoutbox.clear()
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(event), edit_data(event, prework="New reading"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.prework == "New reading" and event.sequence == 0
    assert mailoutbox == []


def test_more_capacity_promotes_from_the_waitlist(client, carol):
    event = make_session(make_course(), capacity=1, minimum=0)
    _first, second = seat_and_waitlist(event)
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, capacity="2"))
    assert response.status_code == 302
    assert Registration.objects.get(person=second).state == State.REGISTERED


def test_an_edit_with_the_end_before_the_start_is_refused(client, carol):
    event = make_session(make_course())
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, start_time="15:00", end_time="14:00"))
    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()
    before = event.start
    event.refresh_from_db()
    assert event.start == before


def test_editing_a_cancelled_session_is_refused(client, carol):
    event = make_session(make_course())
    actions.cancel_event(event.pk, actor=carol, reason="Ill")
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, place="Elsewhere"))
    assert response.status_code == 409
    event.refresh_from_db()
    assert event.place == ""


def test_a_facilitator_cannot_edit_their_session(client):
    fay = new_facilitator()
    event = make_session(make_course(), facilitators=[fay])
    client.force_login(fay)
    assert client.get(edit_url(event)).status_code == 403
    assert client.post(edit_url(event), edit_data(event, place="X")).status_code == 403


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_editing_is_refused_without_the_role(client, who, request):
    event = make_session(make_course())
    client.force_login(request.getfixturevalue(who))
    assert client.post(edit_url(event), edit_data(event, place="X")).status_code == 403


def test_editing_refuses_other_methods(client, carol):
    client.force_login(carol)
    assert client.delete(edit_url(make_session(make_course()))).status_code == 405


def test_editing_a_missing_session_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get("/training/manage/sessions/999999/edit/").status_code == 404


# --- cancelling ----------------------------------------------------------------------------


def test_cancelling_asks_first(client, carol):
    event = make_session(make_course())
    actions.register(event.pk, person=new_person("learner"))
    client.force_login(carol)
    response = client.get(cancel_url(event))
    assert response.status_code == 200
    assert "1 person registered or on the waitlist will be told." in response.content.decode()
    event.refresh_from_db()
    assert event.status != Event.Status.CANCELLED


def test_cancelling_needs_a_reason(client, carol):
    event = make_session(make_course())
    client.force_login(carol)
    response = client.post(cancel_url(event), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the session is cancelled" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancelling_tells_everyone(client, carol, mailoutbox, django_capture_on_commit_callbacks):
    event = make_session(make_course(), capacity=1, minimum=0)
    holder, waiting = seat_and_waitlist(event)
    mailoutbox.clear()
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(event), {"reason": "The facilitator is ill."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.cancellation_reason == "The facilitator is ill."
    assert sorted(message.to[0] for message in mailoutbox) == sorted([holder.email, waiting.email])


def test_a_facilitator_cannot_cancel(client):
    fay = new_facilitator()
    event = make_session(make_course(), facilitators=[fay])
    client.force_login(fay)
    assert client.post(cancel_url(event), {"reason": "No"}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancelling_refuses_other_methods(client, carol):
    client.force_login(carol)
    assert client.put(cancel_url(make_session(make_course()))).status_code == 405


# --- keeping a short session ----------------------------------------------------------------


def test_keeping_a_short_session_confirms_it(client, carol):
    event = make_session(make_course(), days=2, minimum=6)
    actions.register(event.pk, person=new_person("learner"))
    client.force_login(carol)
    roster = client.get(f"/training/manage/sessions/{event.pk}/")
    assert "This session is short of its minimum" in roster.content.decode()
    response = client.post(keep_url(event))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.kept_short_at is not None and event.status == Event.Status.CONFIRMED
    assert AuditEvent.objects.filter(verb="event.kept_short").exists()


def test_keeping_is_a_post(client, carol):
    client.force_login(carol)
    assert client.get(keep_url(make_session(make_course()))).status_code == 405


def test_keeping_is_refused_to_facilitators_and_members(client, alice):
    fay = new_facilitator()
    event = make_session(make_course(), facilitators=[fay])
    for person in (fay, alice):
        client.force_login(person)
        assert client.post(keep_url(event)).status_code == 403
    event.refresh_from_db()
    assert event.kept_short_at is None


def test_cancelling_with_an_empty_post_names_the_reason(client, carol):
    event = make_session(make_course())
    client.force_login(carol)
    response = client.post(cancel_url(event))
    assert response.status_code == 400
    assert 'href="#id_reason"' in response.content.decode()


def test_the_action_creates_all_the_dates_or_none(carol):
    from belong.events.actions import Refused
    from belong.training.actions import catalog

    host = make_course()
    start = local_day_at(5)
    hour = datetime.timedelta(hours=1)
    with pytest.raises(Refused) as refusal:
        catalog.schedule_sessions(
            host.pk, actor=carol, dates=[(start, start + hour), (start + hour, start)]
        )
    assert (
        refusal.value.message
        == "Date 2: The end must be after the start (check times near a daylight-saving change)."
    )
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(verb="event.created").exists()

"""The coordinators' lecture pages (/training/manage/lectures/): who may use them, creating a
lecture in the Dean's Lecture Series, editing it (a recording link; a new time tells people),
cancelling it with a reason, the list of every lecture and its query budget, and the lectures
section of the overview."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration, Series
from belong.people.models import AuditEvent, OrgUnit
from tests.builders import (
    date_field,
    event_form_data,
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
LIST = "/training/manage/lectures/"
NEW = "/training/manage/lectures/new/"


def edit_url(event):
    return f"/training/manage/lectures/{event.pk}/edit/"


def cancel_url(event):
    return f"/training/manage/lectures/{event.pk}/cancel/"


def lecture(*, days=10, hours=1, start=None, **fields):
    """A lecture through the real action."""
    start = start or local_day_at(days)
    fields.setdefault("title", "Health Equity Now")
    return actions.create_event(
        actor=None,
        kind=Event.Kind.LECTURE,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        **fields,
    )


def past_lecture(*, days_ago=30, **fields):
    """A lecture that took place (written directly: the action is for the future)."""
    start = local_day_at(-days_ago)
    fields.setdefault("title", "A past lecture")
    return Event.objects.create(
        kind=Event.Kind.LECTURE, start=start, end=start + datetime.timedelta(hours=1), **fields
    )


def new_data(**changes):
    data = {
        "title": "Health Equity Now",
        "speakers": "Dr. Ana Ruiz, MD",
        "description": "What health equity asks of us.",
        "date": date_field(14),
        "start_time": "12:00",
        "end_time": "13:00",
        "format": "hybrid",
        "campus": "",
        "place": "Moos Tower auditorium",
        "online_join_details": "https://stream.example.org/dean",
        "capacity": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": "public",
        "series": "",
    }
    data.update(changes)
    return data


def edit_data(event, **changes):
    lecture_fields = {
        "title": event.title,
        "speakers": event.speakers,
        "description": event.description,
        "series": event.series_id or "",
        "recording_url": event.recording_url,
    }
    return event_form_data(event, **{**lecture_fields, **changes})


@pytest.fixture
def deans(content):
    return Series.objects.get(slug="deans-lecture-series")


# --- who may -------------------------------------------------------------------------------


def _pages():
    event = lecture()
    return [LIST, NEW, edit_url(event), cancel_url(event)]


def test_a_visitor_is_sent_to_sign_in(client):
    for path in _pages():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"/sign-in/?next={path}"), path


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 403), ("dave", 403), ("carol", 200), ("frank", 200)]
)
def test_the_role_table(client, who, status, request):
    pages = _pages()
    client.force_login(request.getfixturevalue(who))
    for path in pages:
        assert client.get(path).status_code == status, path


def test_a_facilitator_cannot_create_a_lecture(client):
    fay = new_facilitator()
    client.force_login(fay)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_data()).status_code == 403
    assert not Event.objects.filter(kind=Event.Kind.LECTURE).exists()


def test_a_facilitator_of_a_lecture_cannot_change_or_cancel_it(client):
    fay = new_facilitator()
    event = lecture(facilitators=[fay], place="Room 1")
    client.force_login(fay)
    assert client.post(edit_url(event), edit_data(event, place="X")).status_code == 403
    assert client.post(cancel_url(event), {"reason": "No"}).status_code == 403
    event.refresh_from_db()
    assert event.place == "Room 1" and event.status == Event.Status.SCHEDULED
    # ... but they see its roster, like any session they facilitate.
    assert client.get(f"/training/manage/sessions/{event.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "list"), ("put", "new"), ("delete", "edit"), ("put", "cancel"), ("patch", "edit")],
)
def test_wrong_methods_are_refused(client, carol, method, path):
    event = lecture()
    url = {"list": LIST, "new": NEW, "edit": edit_url(event), "cancel": cancel_url(event)}[path]
    client.force_login(carol)
    assert getattr(client, method)(url).status_code == 405


def test_a_missing_lecture_or_a_session_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get("/training/manage/lectures/999999/edit/").status_code == 404
    workshop = make_session(make_course())
    assert client.get(edit_url(workshop)).status_code == 404
    assert client.post(cancel_url(workshop), {"reason": "No"}).status_code == 404


def test_an_outsider_is_not_told_an_invitation_lecture_exists(client, dave):
    private = lecture(visibility=Event.Visibility.INVITATION)
    client.force_login(dave)
    assert client.get(edit_url(private)).status_code == 404


# --- creating ------------------------------------------------------------------------------


def test_the_new_form_defaults_to_the_deans_series_and_public(client, carol, deans):
    client.force_login(carol)
    response = client.get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["series"].value() == deans.pk
    assert form["visibility"].value() == "public"
    assert "recording_url" not in form.fields  # the recording comes once there is one


def test_creating_a_lecture_in_the_series_with_times_in_the_zone(client, carol, deans):
    campus = OrgUnit.objects.create(name="Duluth", slug="duluth", kind=OrgUnit.Kind.CAMPUS)
    client.force_login(carol)
    data = new_data(series=str(deans.pk), campus=str(campus.pk), visibility="organization")
    response = client.post(NEW, data)
    assert response.status_code == 302
    assert response["Location"] == LIST
    event = Event.objects.get(kind=Event.Kind.LECTURE)
    assert event.kind == Event.Kind.LECTURE
    assert event.series == deans
    zone = ZoneInfo(settings.TIME_ZONE)
    date = datetime.date.fromisoformat(data["date"])
    assert event.start == datetime.datetime.combine(date, datetime.time(12, 0), tzinfo=zone)
    assert event.end == datetime.datetime.combine(date, datetime.time(13, 0), tzinfo=zone)
    assert timezone.localtime(event.start).strftime("%H:%M") == "12:00"
    assert event.capacity is None  # empty: no limit
    assert event.minimum == 0  # lectures need no minimum
    assert event.visibility == Event.Visibility.ORGANIZATION
    assert event.campus == campus
    assert event.speakers == "Dr. Ana Ruiz, MD"
    assert event.status == Event.Status.SCHEDULED
    assert AuditEvent.objects.filter(verb="event.created").exists()
    listed = client.get(response["Location"])
    assert "Health Equity Now" in listed.content.decode()
    assert "is scheduled" in listed.content.decode()


def test_a_new_lecture_is_listed_on_the_public_page(client, carol, deans):
    client.force_login(carol)
    client.post(NEW, new_data(series=str(deans.pk), capacity="150"))
    client.logout()
    body = client.get("/lectures/").content.decode()
    assert "Health Equity Now" in body
    assert "150 seats left" in body


def test_an_end_before_the_start_is_named_and_nothing_is_saved(client, carol):
    client.force_login(carol)
    data = new_data(start_time="14:00", end_time="13:00", title="Kept title")
    response = client.post(NEW, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end must be after the start." in page
    assert 'href="#id_end_time"' in page  # the error summary names and links the field
    assert 'value="Kept title"' in page  # what was typed is kept
    assert 'value="Moos Tower auditorium"' in page
    assert "<title>Error:" in page
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": date_field(-1)}, "date", "This date and time has already passed."),
        ({"title": "   "}, "title", "This field is required."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"visibility": "invitation"}, "visibility", "Select a valid choice."),
        (
            {
                "registration_opens_at": f"{date_field(5)}T09:00",
                "registration_closes_at": f"{date_field(4)}T09:00",
            },
            "registration_closes_at",
            "Registration must close after it opens.",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, carol, changes, field, message):
    client.force_login(carol)
    response = client.post(NEW, new_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_an_empty_post_is_a_400_not_a_500(client, carol):
    client.force_login(carol)
    assert client.post(NEW, {}).status_code == 400
    assert not Event.objects.exists()


# --- editing -------------------------------------------------------------------------------


def test_the_edit_form_says_that_people_are_told(client, carol):
    event = lecture(place="Moos Tower")
    client.force_login(carol)
    response = client.get(edit_url(event))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changing the date, times, format, campus, place or online details tells people." in page
    assert 'value="Moos Tower"' in page


def test_a_recording_added_shows_on_the_lecture_pages(client, carol):
    event = past_lecture(title="Racism as a Public Health Crisis")
    client.force_login(carol)
    url = "https://video.example.org/dean/42"
    response = client.post(edit_url(event), edit_data(event, recording_url=url))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.recording_url == url
    assert event.sequence == 0  # no change of time or place
    listed = client.get(LIST).content.decode()
    assert url in listed
    client.logout()
    archive = client.get("/lectures/").content.decode()
    past = archive[archive.index('id="past-title"') :]
    assert f'href="{url}"' in past and "Watch the recording" in past
    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert f'href="{url}"' in detail


@pytest.mark.parametrize(
    "url",
    ["http://video.example.org/1", "ftp://video.example.org/1", "javascript:alert(1)", "not a url"],
)
def test_a_recording_link_must_be_https(client, carol, url):
    event = past_lecture()
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, recording_url=url, title="Typed"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a secure web address that starts with https://." in page
    assert 'href="#id_recording_url"' in page
    assert 'value="Typed"' in page
    event.refresh_from_db()
    assert event.recording_url == "" and event.title == "A past lecture"


def test_a_new_time_tells_registrants(
    client, carol, mailoutbox, django_capture_on_commit_callbacks
):
    event = lecture(title="Health Equity Now", capacity=1)
    holder, waiting = seat_and_waitlist(event)
    make_registration(event, new_person("learner"), state=State.CANCELLED)
    mailoutbox.clear()
    client.force_login(carol)
    later = timezone.localtime(event.start) + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(event), edit_data(event, date=later.date().isoformat()))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert timezone.localtime(event.start).date() == later.date()
    told = {message.to[0]: message for message in mailoutbox}
    assert set(told) == {holder.email, waiting.email}
    invites = [item for item in told[holder.email].attachments if item[0] == "invite.ics"]
    assert "SEQUENCE:1" in invites[0][1]
    follow = client.get(response["Location"])
    assert "has been told about the new time or place" in follow.content.decode()


def test_other_changes_tell_no_one(client, carol, mailoutbox, django_capture_on_commit_callbacks):
    event = lecture()
    actions.register(event.pk, person=new_person("learner"))
    mailoutbox.clear()
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(event), edit_data(event, speakers="Dr. New Speaker", capacity="300")
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.speakers == "Dr. New Speaker" and event.capacity == 300
    assert event.sequence == 0
    assert mailoutbox == []


def test_moving_a_lecture_into_the_past_is_refused(client, carol):
    event = lecture()
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, date=date_field(-2)))
    assert response.status_code == 400
    assert "A lecture can only be moved to a time still ahead." in response.content.decode()
    before = event.start
    event.refresh_from_db()
    assert event.start == before


def test_an_edit_with_the_end_before_the_start_is_refused(client, carol):
    event = lecture()
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, start_time="15:00", end_time="14:00"))
    assert response.status_code == 400
    assert 'href="#id_end_time"' in response.content.decode()


def test_editing_a_cancelled_lecture_is_refused(client, carol):
    event = lecture()
    actions.cancel_event(event.pk, actor=carol, reason="The speaker is ill.")
    client.force_login(carol)
    page = client.get(edit_url(event))
    assert "This lecture has been cancelled." in page.content.decode()
    response = client.post(edit_url(event), edit_data(event, place="Elsewhere"))
    assert response.status_code == 409
    event.refresh_from_db()
    assert event.place == ""


def test_editing_keeps_an_invitation_only_lecture_so(client, carol):
    event = lecture(visibility=Event.Visibility.INVITATION)
    client.force_login(carol)
    response = client.post(edit_url(event), edit_data(event, speakers="Someone"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.visibility == Event.Visibility.INVITATION and event.speakers == "Someone"


# --- cancelling ----------------------------------------------------------------------------


def test_cancelling_asks_first(client, carol):
    event = lecture()
    actions.register(event.pk, person=new_person("learner"))
    client.force_login(carol)
    response = client.get(cancel_url(event))
    assert response.status_code == 200
    assert "1 person registered or on the waitlist will be told." in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancelling_needs_a_reason(client, carol):
    event = lecture()
    client.force_login(carol)
    response = client.post(cancel_url(event), {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why the lecture is cancelled" in page
    assert 'href="#id_reason"' in page
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancelling_tells_everyone(client, carol, mailoutbox, django_capture_on_commit_callbacks):
    event = lecture(capacity=1)
    holder, waiting = seat_and_waitlist(event)
    mailoutbox.clear()
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(event), {"reason": "The speaker is ill."})
    assert response.status_code == 302
    assert response["Location"] == LIST
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.cancellation_reason == "The speaker is ill."
    assert sorted(message.to[0] for message in mailoutbox) == sorted([holder.email, waiting.email])
    follow = client.get(LIST).content.decode()
    assert "The lecture is cancelled. 2 people were told." in follow
    assert "Cancelled" in follow
    assert edit_url(event) not in follow  # nothing left to edit


def test_cancelling_twice_is_a_conflict(client, carol):
    event = lecture()
    actions.cancel_event(event.pk, actor=carol, reason="Once")
    client.force_login(carol)
    response = client.post(cancel_url(event), {"reason": "Twice"})
    assert response.status_code == 409
    event.refresh_from_db()
    assert event.cancellation_reason == "Once"


# --- the list of every lecture -------------------------------------------------------------


def test_the_list_shows_upcoming_first_then_past_with_their_numbers(client, carol):
    later = lecture(title="Later lecture", days=20, capacity=50)
    sooner = lecture(title="Sooner lecture", days=3)
    recent = past_lecture(title="Recent lecture", days_ago=5, recording_url="https://v.example/1")
    older = past_lecture(title="Older lecture", days_ago=50)
    for person in (new_person("learner"), new_person("learner")):
        actions.register(later.pk, person=person)
    client.force_login(carol)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [event.pk for event in response.context["page"]] == [
        sooner.pk,
        later.pk,
        recent.pk,
        older.pk,
    ]
    page = response.content.decode()
    assert page.index("Upcoming lectures") < page.index("Sooner lecture")
    assert page.index("Later lecture") < page.index("Past lectures") < page.index("Recent lecture")
    assert "2 of 50" in page
    assert "Took place" in page
    assert page.count(">Linked<") == 1
    for event in (sooner, later, recent, older):
        assert edit_url(event) in page
        assert f"/training/manage/sessions/{event.pk}/" in page
    assert "no-store" in response["Cache-Control"]


def test_the_list_is_paged(client, carol):
    for n in range(30):
        past_lecture(title=f"Lecture {n:02d}", days_ago=n + 1)
    client.force_login(carol)
    first = client.get(LIST)
    assert len(first.context["page"]) == 25
    second = client.get(LIST + "?page=2").content.decode()
    assert "Lecture 29" in second and "Lecture 00" not in second
    assert client.get(LIST + "?page=abc").status_code == 200


def test_the_list_makes_as_many_queries_for_many_lectures_as_for_one(
    client, carol, deans, django_assert_max_num_queries
):
    first = lecture(series=deans, capacity=10)
    make_registration(first, new_person("learner"))
    client.force_login(carol)
    one = queries_for(client, LIST)
    for n in range(1, 15):
        event = lecture(series=deans, days=10 + n, capacity=10)
        make_registration(event, new_person("learner"))
        make_registration(
            past_lecture(series=deans, days_ago=n, recording_url="https://v.example/1"),
            new_person("learner"),
        )
    many = queries_for(client, LIST)
    assert many == one
    with django_assert_max_num_queries(8):
        client.get(LIST)


# --- the overview --------------------------------------------------------------------------


def test_the_overview_lists_upcoming_lectures_for_coordinators(client, carol):
    event = lecture(title="Health Equity Now", capacity=80)
    actions.register(event.pk, person=new_person("learner"))
    gone = lecture(title="Cancelled lecture", days=4)
    actions.cancel_event(gone.pk, actor=carol)
    past_lecture(title="Old lecture")
    client.force_login(carol)
    page = client.get("/training/manage/").content.decode()
    assert 'id="lectures-title"' in page
    assert NEW in page and LIST in page
    assert "Health Equity Now" in page and "1 of 80" in page
    assert edit_url(event) in page
    assert "Cancelled lecture" not in page and "Old lecture" not in page


def test_the_overview_has_no_lectures_for_facilitators(client):
    fay = new_facilitator()
    lecture(title="Health Equity Now")
    client.force_login(fay)
    page = client.get("/training/manage/").content.decode()
    assert 'id="lectures-title"' not in page
    assert NEW not in page


def test_the_pages_speak_spanish(client, carol):
    event = lecture()
    carol.language = "es"
    carol.save(update_fields=["language"])
    client.force_login(carol)
    assert "Nueva conferencia" in client.get(NEW).content.decode()
    assert "Enlace a la grabación" in client.get(edit_url(event)).content.decode()
    assert "Gestionar las conferencias" in client.get(LIST).content.decode()

"""Asking for a group training: the form at /training/request/ and the action behind it, and
the requester's own pages at /training/requests/."""

import pytest

from belong.events.models import Event
from belong.notifications.models import OutboundMessage
from belong.people.models import AuditEvent
from belong.training.actions import requests as actions
from belong.training.models import GroupRequest, GroupRequestChange, GroupRequestWindow
from tests.builders import (
    group_request_form_data,
    local_date,
    make_campuses,
    make_course,
    make_group_request,
)

pytestmark = pytest.mark.django_db

URL = "/training/request/"
MINIMUM = "A minimum of 6 registrants is required."


@pytest.fixture
def courses(db):
    return [make_course("implicit-bias", order=1), make_course("allyship", order=2)]


def nothing_saved():
    assert GroupRequest.objects.count() == 0
    assert GroupRequestWindow.objects.count() == 0
    assert GroupRequestChange.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def error_of(response, field):
    return response.context["form"].errors.get(field)


# --- the form ------------------------------------------------------------------------------------


def test_the_form_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=/training/request/" in response["Location"]


def test_the_form_lists_active_courses_and_preselects_one(client, alice, courses):
    make_course("retired", title="Retired workshop", is_active=False)
    client.force_login(alice)

    response = client.get(URL, {"course": "allyship"})

    assert response.status_code == 200
    page = response.content.decode()
    assert MINIMUM in page
    assert "Retired workshop" not in page
    assert page.count('type="checkbox" name="courses"') == 2
    allyship, implicit = courses[1], courses[0]
    assert f'value="{allyship.pk}" id="id_courses_1" checked>' in page
    assert f'value="{implicit.pk}" id="id_courses_0">' in page
    for name in ("window_1_from", "window_1_to", "window_3_to", "expected_participants"):
        assert f'name="{name}"' in page
    assert '<label class="field__label" for="id_window_1_from">Option 1: from' in page


def test_an_unknown_course_in_the_address_preselects_nothing(client, alice, courses):
    client.force_login(alice)
    response = client.get(URL, {"course": "no-such-course" * 20})
    assert response.status_code == 200
    assert "courses" not in response.context["form"].initial


def test_five_participants_are_refused_with_the_reason(client, alice, courses):
    client.force_login(alice)

    response = client.post(URL, group_request_form_data(courses, expected_participants="5"))

    assert response.status_code == 400
    assert error_of(response, "expected_participants") == [MINIMUM]
    page = response.content.decode()
    assert f"Expected participants: {MINIMUM}" in page  # the error summary names the field
    assert "<title>Error:" in page
    nothing_saved()


@pytest.mark.parametrize("value", ["0", "-3", "1"])
def test_fewer_than_six_is_always_the_same_reason(client, alice, courses, value):
    client.force_login(alice)
    response = client.post(URL, group_request_form_data(courses, expected_participants=value))
    assert response.status_code == 400
    assert error_of(response, "expected_participants") == [MINIMUM]
    nothing_saved()


@pytest.mark.parametrize(
    ("value", "message"),
    [("six", "Enter a whole number."), ("99999999999999999999999", "Enter a number up to 1000.")],
)
def test_participants_must_be_a_sensible_number(client, alice, courses, value, message):
    client.force_login(alice)
    response = client.post(URL, group_request_form_data(courses, expected_participants=value))
    assert response.status_code == 400
    assert error_of(response, "expected_participants") == [message]
    nothing_saved()


def test_a_window_ending_before_it_starts_is_refused(client, alice, courses):
    client.force_login(alice)
    data = group_request_form_data(
        courses,
        window_2_from=local_date(40).isoformat(),
        window_2_to=local_date(35).isoformat(),
    )

    response = client.post(URL, data)

    assert response.status_code == 400
    assert error_of(response, "window_2_to") == [
        "The “to” date must be on or after the “from” date."
    ]
    assert error_of(response, "window_1_to") is None
    assert "Option 2: to: The “to” date must be on or after the “from” date." in (
        response.content.decode()
    )
    nothing_saved()


def test_windows_must_be_in_the_future_and_whole(client, alice, courses):
    client.force_login(alice)
    data = group_request_form_data(
        courses,
        window_1_from=local_date(0).isoformat(),
        window_1_to=local_date(3).isoformat(),
        window_3_from=local_date(20).isoformat(),
        window_3_to="",
    )

    response = client.post(URL, data)

    assert response.status_code == 400
    assert error_of(response, "window_1_from") == ["Choose a date after today."]
    assert error_of(response, "window_3_to") == ["Give both dates of this option, or neither."]
    nothing_saved()


def test_a_window_on_a_single_day_is_fine(client, alice, courses):
    client.force_login(alice)
    data = group_request_form_data(
        courses, window_1_from=local_date(9).isoformat(), window_1_to=local_date(9).isoformat()
    )
    response = client.post(URL, data)
    assert response.status_code == 302
    window = GroupRequestWindow.objects.get()
    assert window.earliest == window.latest == local_date(9)


def test_in_person_needs_a_campus(client, alice, courses):
    make_campuses()
    client.force_login(alice)

    response = client.post(URL, group_request_form_data(courses, format="in_person", campus=""))

    assert response.status_code == 400
    assert error_of(response, "campus") == ["Choose the campus for an in-person session."]
    nothing_saved()


def test_only_a_campus_can_be_the_campus(client, alice, courses):
    twin_cities, _duluth = make_campuses()
    client.force_login(alice)
    response = client.post(
        URL, group_request_form_data(courses, format="in_person", campus=str(twin_cities.parent_id))
    )
    assert response.status_code == 400
    assert error_of(response, "campus") == ["Choose a campus from the list."]
    nothing_saved()


def test_hybrid_is_not_offered_to_requesters(client, alice, courses):
    client.force_login(alice)
    response = client.post(URL, group_request_form_data(courses, format="hybrid"))
    assert response.status_code == 400
    assert error_of(response, "format") == ["Choose virtual or in person."]
    nothing_saved()


def test_an_empty_form_names_each_missing_field(client, alice, courses):
    client.force_login(alice)

    response = client.post(URL, {})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["group_name"] == ["Name the team, division or department."]
    assert errors["courses"] == ["Choose at least one training."]
    assert errors["expected_participants"] == ["Enter how many people expect to take part."]
    assert errors["window_1_from"] == ["Give at least one range of dates."]
    assert errors["format"] == ["Choose virtual or in person."]
    page = response.content.decode()
    for label in ("Team, division or department:", "Trainings:", "Format:"):
        assert label in page
    nothing_saved()


def test_a_retired_course_cannot_be_requested(client, alice, courses):
    retired = make_course("retired", is_active=False)
    client.force_login(alice)
    response = client.post(URL, group_request_form_data([retired]))
    assert response.status_code == 400
    assert error_of(response, "courses") == ["Choose trainings from the current catalog."]
    nothing_saved()


def test_a_request_is_saved_with_its_history_and_both_emails(
    client, alice, carol, frank, courses, mailoutbox, django_capture_on_commit_callbacks
):
    twin_cities, _duluth = make_campuses()
    client.force_login(alice)
    data = group_request_form_data(
        courses,
        format="in_person",
        campus=str(twin_cities.pk),
        org_unit=str(twin_cities.pk),
        window_2_from=local_date(45).isoformat(),
        window_2_to=local_date(50).isoformat(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)

    group_request = GroupRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/requests/{group_request.pk}/"
    assert group_request.requester == alice
    assert group_request.group_name == "Emergency Medicine nursing"
    assert set(group_request.courses.all()) == set(courses)
    assert group_request.expected_participants == 12
    assert group_request.format == Event.Format.IN_PERSON
    assert group_request.campus == twin_cities
    assert group_request.org_unit == twin_cities
    assert group_request.tailoring == "Cases from the emergency department, please."
    assert group_request.status == GroupRequest.Status.NEW
    assert [(w.earliest, w.latest) for w in group_request.windows.all()] == [
        (local_date(14), local_date(28)),
        (local_date(45), local_date(50)),
    ]
    [change] = group_request.changes.all()
    assert (change.status, change.by) == ("new", alice)
    assert AuditEvent.objects.filter(
        verb="group_request.submitted", object_id=str(group_request.pk), actor=alice
    ).exists()

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"alice@example.org", "carol@example.org"}  # not frank
    confirmation = by_recipient["alice@example.org"]
    assert "We received your training request for Emergency Medicine nursing" in (
        confirmation.subject
    )
    assert f"/training/requests/{group_request.pk}/" in confirmation.body
    assert courses[0].title in confirmation.body
    [(html, mimetype)] = confirmation.alternatives
    assert mimetype == "text/html"
    assert f"/training/requests/{group_request.pk}/" in html
    assert courses[1].title in html

    notice = by_recipient["carol@example.org"]
    assert notice.subject == "New group training request: Emergency Medicine nursing"
    assert "Alice Member (alice@example.org)" in notice.body
    assert f"/training/manage/requests/{group_request.pk}/" in notice.body
    assert "Cases from the emergency department" in notice.body
    [(html, mimetype)] = notice.alternatives
    assert mimetype == "text/html"
    assert f"/training/manage/requests/{group_request.pk}/" in html
    assert "Twin Cities" in html

    keys = set(OutboundMessage.objects.values_list("key", flat=True))
    assert keys == {
        f"group-request:{group_request.pk}:received",
        f"group-request:{group_request.pk}:new:{carol.pk}",
    }

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "your request was sent to the training coordinators" in page.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_form_takes_get_and_post_only(client, alice, method):
    client.force_login(alice)
    assert getattr(client, method)(URL).status_code == 405


# --- the action checks the same rules ------------------------------------------------------------


def test_the_action_refuses_fewer_than_six(alice, courses):
    with pytest.raises(actions.RequestRefused) as refused:
        make_group_request(alice, courses, expected_participants=5)
    assert refused.value.message == MINIMUM
    assert refused.value.field == "expected_participants"
    assert refused.value.status == 400
    assert GroupRequest.objects.count() == 0


def test_the_action_refuses_bad_windows_and_in_person_without_campus(alice, courses):
    with pytest.raises(actions.RequestRefused) as refused:
        make_group_request(alice, courses, windows=[(local_date(10), local_date(5))])
    assert refused.value.field == "window_1_to"
    with pytest.raises(actions.RequestRefused) as refused:
        make_group_request(alice, courses, windows=[(local_date(1), local_date(2))] * 4)
    assert refused.value.message == "Give at most 3 ranges of dates."
    with pytest.raises(actions.RequestRefused) as refused:
        make_group_request(alice, courses, format=Event.Format.IN_PERSON)
    assert refused.value.field == "campus"
    assert GroupRequest.objects.count() == 0


# --- my requests ---------------------------------------------------------------------------------


def test_my_requests_lists_only_mine(client, alice, bob, courses):
    mine = make_group_request(alice, courses, group_name="Alice's clinic")
    make_group_request(bob, courses, group_name="Bob's lab")
    client.force_login(alice)

    response = client.get("/training/requests/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice&#x27;s clinic" in page
    assert "Bob&#x27;s lab" not in page
    assert f'href="/training/requests/{mine.pk}/"' in page


def test_my_requests_is_empty_for_someone_who_never_asked(client, dave):
    client.force_login(dave)
    response = client.get("/training/requests/")
    assert response.status_code == 200
    assert "You have not requested a training for a group yet." in response.content.decode()


def test_my_request_shows_its_details_and_history(client, alice, courses):
    group_request = make_group_request(alice, courses, tailoring="Night shift examples")
    client.force_login(alice)

    response = client.get(f"/training/requests/{group_request.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{group_request.group_name}</h1>" in page
    assert "Night shift examples" in page
    assert "Request sent" in page
    assert courses[0].title in page


def test_someone_elses_request_is_not_found(client, alice, bob, carol, courses):
    theirs = make_group_request(bob, courses)
    for person in (alice, carol):  # even a coordinator: their page is the queue's
        client.force_login(person)
        assert client.get(f"/training/requests/{theirs.pk}/").status_code == 404
    assert client.get("/training/requests/999999/").status_code == 404
    assert client.get(f"/training/requests/{2**64}/").status_code == 404


def test_my_requests_need_sign_in(client, alice, courses):
    group_request = make_group_request(alice, courses)
    for url in ("/training/requests/", f"/training/requests/{group_request.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_my_requests_are_read_only(client, alice, courses, method):
    group_request = make_group_request(alice, courses)
    client.force_login(alice)
    for url in ("/training/requests/", f"/training/requests/{group_request.pk}/"):
        assert getattr(client, method)(url).status_code == 405


def test_my_requests_query_budget_is_constant(
    client, alice, courses, django_assert_max_num_queries
):
    make_group_request(alice, courses)
    client.force_login(alice)
    with django_assert_max_num_queries(12) as one:
        assert client.get("/training/requests/").status_code == 200
    for _n in range(15):
        make_group_request(alice, courses)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/training/requests/").status_code == 200

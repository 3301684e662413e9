"""Cycles and enrolment: the coordinator opens a cycle; residents, fellows and faculty enrol as
mentees or mentors while its window is open, change their answers or withdraw; bad answers are
refused with the field named and change nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.mentorship.actions import cycles as actions
from belong.mentorship.models import Cycle, Enrollment
from belong.people.models import AuditEvent
from tests.builders import make_person

pytestmark = pytest.mark.django_db

NEW_CYCLE = "/mentorship/manage/cycles/new/"
MENTEE = "/mentorship/enrol/mentee/"
MENTOR = "/mentorship/enrol/mentor/"


def text(response):
    return response.content.decode()


def cycle_data(today, **changes):
    data = {
        "title": "2027-2028 mentorship cycle",
        "academic_year": "2027-2028",
        "enrolment_opens_on": (today + datetime.timedelta(days=300)).isoformat(),
        "enrolment_closes_on": (today + datetime.timedelta(days=330)).isoformat(),
        "matching_on": (today + datetime.timedelta(days=335)).isoformat(),
        "mode": "optimal",
        "min_score": "1.5",
    }
    data.update(changes)
    return data


def mentee_data(**changes):
    data = {
        "training_level": "pgy1",
        "specialty": "Internal medicine",
        "career_interests": ["academic", "research"],
        "dei_interests": ["recruitment", "sdoh"],
        "languages": ["en", "es"],
        "meeting": ["virtual"],
        "availability": ["weekday_evening"],
        "hopes": "Someone who has done community work.",
        "excluded": "",
        "preferred": "",
    }
    for factor in (
        "program",
        "department",
        "career",
        "dei",
        "languages",
        "meeting",
        "campus",
        "availability",
    ):
        data[f"weight_{factor}"] = "1"
    data["weight_dei"] = "3"
    data.update(changes)
    return data


def mentor_data(**changes):
    data = {
        "training_level": "associate",
        "career_interests": ["academic"],
        "dei_interests": ["recruitment"],
        "languages": ["es"],
        "meeting": ["virtual", "in_person"],
        "availability": ["weekday_evening"],
        "capacity": "2",
        "excluded": "",
    }
    data.update(changes)
    return data


# --- cycles ------------------------------------------------------------------------------------


def test_a_coordinator_opens_a_cycle(client, erin, today):
    client.force_login(erin)
    response = client.post(NEW_CYCLE, cycle_data(today))
    cycle = Cycle.objects.get(academic_year="2027-2028")
    assert response.status_code == 302
    assert response["Location"] == f"/mentorship/manage/cycles/{cycle.pk}/"
    assert str(cycle.min_score) == "1.50"
    assert AuditEvent.objects.filter(verb="mentorship.cycle_created").exists()
    listing = text(client.get("/mentorship/manage/"))
    assert "2027-2028 mentorship cycle" in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"academic_year": "2027"}, "academic_year", "two following years"),
        ({"academic_year": "2027-2029"}, "academic_year", "two following years"),
        (
            {"enrolment_closes_on": "2020-01-01"},
            "enrolment_closes_on",
            "on or after the day it opens",
        ),
        ({"matching_on": "2020-01-01"}, "matching_on", "on or after the day enrolment closes"),
        ({"min_score": "-1"}, "min_score", "greater than or equal to 0"),
        ({"mode": "greedy"}, "mode", "Select a valid choice"),
    ],
)
def test_a_bad_cycle_is_refused_with_its_field_named(client, erin, today, changes, field, message):
    client.force_login(erin)
    response = client.post(NEW_CYCLE, cycle_data(today, **changes))
    assert response.status_code == 400
    page = text(response)
    assert f'href="#id_{field}' in page and message in page
    assert not Cycle.objects.exists()


def test_enrolment_windows_never_overlap(client, erin, cycle, today):
    client.force_login(erin)
    response = client.post(
        NEW_CYCLE,
        cycle_data(
            today,
            enrolment_opens_on=today.isoformat(),
            enrolment_closes_on=(today + datetime.timedelta(days=40)).isoformat(),
            matching_on=(today + datetime.timedelta(days=41)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert "overlaps the one of 2026-2027 mentorship cycle" in text(response)
    assert Cycle.objects.count() == 1


def test_a_coordinator_changes_a_cycle(client, erin, cycle, today):
    client.force_login(erin)
    url = f"/mentorship/manage/cycles/{cycle.pk}/edit/"
    assert 'value="2026-2027"' in text(client.get(url))
    data = cycle_data(
        today,
        title="Renamed",
        academic_year="2026-2027",
        enrolment_opens_on=cycle.enrolment_opens_on.isoformat(),
        enrolment_closes_on=cycle.enrolment_closes_on.isoformat(),
        matching_on=cycle.matching_on.isoformat(),
    )
    assert client.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.title == "Renamed" and str(cycle.min_score) == "1.50"


@pytest.mark.parametrize("path", ["/mentorship/manage/", NEW_CYCLE])
def test_only_coordinators_run_cycles(client, alice, frank, path):
    assert client.get(path).status_code == 302  # visitors: sign in
    client.force_login(alice)
    assert client.get(path).status_code == 403
    client.force_login(frank)  # a DEI administrator may
    assert client.get(path).status_code == 200


# --- the program page ----------------------------------------------------------------------------


def test_the_program_page_invites_to_enrol_while_the_window_is_open(client, alice, cycle):
    visitor = text(client.get("/mentorship/"))
    assert "Enrolment is open" in visitor and "Sign in to enrol" in visitor
    client.force_login(alice)
    page = text(client.get("/mentorship/"))
    assert 'href="/mentorship/enrol/mentee/"' in page and "Enrol as a mentee" in page


def test_no_enrolment_outside_the_window(client, alice, cycle, today):
    Cycle.objects.filter(pk=cycle.pk).update(enrolment_opens_on=today + datetime.timedelta(days=1))
    assert "Enrolment is open" not in text(client.get("/mentorship/"))
    client.force_login(alice)
    response = client.post(MENTEE, mentee_data())
    assert response.status_code == 302 and not Enrollment.objects.exists()
    with pytest.raises(actions.Refused) as refusal:
        actions.enrol(cycle.pk, person=alice, role="mentee", today=today, training_level="pgy1")
    assert refusal.value.status == 409


# --- enrolling --------------------------------------------------------------------------------


def test_a_resident_enrols_as_a_mentee(client, alice, bob, cycle, units):
    client.force_login(alice)
    assert client.get(MENTEE).status_code == 200
    data = mentee_data(
        program=str(units["program"].pk),
        campus=str(units["campus"].pk),
        preferred="bob@example.org",
        excluded="BOB@example.org",
    )
    response = client.post(MENTEE, data)
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(person=alice, role="mentee")
    assert enrollment.dei_interests == ["recruitment", "sdoh"]
    assert enrollment.languages == ["en", "es"]
    assert enrollment.weights["dei"] == 3 and enrollment.weights["campus"] == 1
    assert enrollment.capacity == 0 and enrollment.program == units["program"]
    assert list(enrollment.preferred.all()) == [bob] == list(enrollment.excluded.all())
    page = text(client.get("/mentorship/", follow=True))
    assert "You are enrolled in 2026-2027 mentorship cycle as a mentee." in page
    assert "Your answers as a mentee" in page


def test_changing_the_answers_keeps_one_enrolment(client, alice, cycle):
    client.force_login(alice)
    client.post(MENTEE, mentee_data())
    form = text(client.get(MENTEE))  # the answers given, as given
    assert 'value="academic" id="id_career_interests_1" checked>' in form
    assert 'value="3" id="id_weight_dei_3" required checked>' in form
    client.post(MENTEE, mentee_data(languages=["so"]))
    enrollment = Enrollment.objects.get(person=alice)
    assert enrollment.languages == ["so"]
    assert Enrollment.objects.count() == 1


def test_faculty_enrol_as_mentors_with_a_capacity(client, bob, cycle):
    client.force_login(bob)
    assert client.post(MENTOR, mentor_data()).status_code == 302
    enrollment = Enrollment.objects.get(person=bob)
    assert (enrollment.role, enrollment.capacity, enrollment.weights) == ("mentor", 2, {})


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        (
            MENTEE,
            mentee_data(training_level="professor"),
            "training_level",
            "Select a valid choice",
        ),
        (MENTOR, mentor_data(training_level="pgy2"), "training_level", "Select a valid choice"),
        (MENTOR, mentor_data(capacity="9"), "capacity", "Select a valid choice"),
        (MENTEE, mentee_data(languages=["xx"]), "languages", "Select a valid choice"),
        (MENTEE, mentee_data(weight_dei="7"), "weight_dei", "Select a valid choice"),
        (MENTEE, mentee_data(excluded="nobody@example.org"), "excluded", "nobody@example.org"),
        (MENTEE, mentee_data(excluded="alice@example.org"), "excluded", "not yourself"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(
    client, alice, cycle, url, data, field, message
):
    client.force_login(alice)
    response = client.post(url, data)
    assert response.status_code == 400
    page = text(response)
    assert f'href="#id_{field}' in page and message in page
    assert not Enrollment.objects.exists()


def test_the_action_refuses_what_a_form_cannot_send(alice, cycle, today):
    with pytest.raises(actions.Refused) as refusal:
        actions.enrol(
            cycle.pk, person=alice, role="mentee", today=today, training_level="associate"
        )
    assert refusal.value.field == "training_level"
    with pytest.raises(actions.Refused) as refusal:
        actions.enrol(
            cycle.pk, person=alice, role="mentor", today=today, training_level="pgy5", capacity=0
        )
    assert refusal.value.field == "capacity"
    with pytest.raises(actions.Refused) as refusal:
        actions.enrol(
            cycle.pk,
            person=alice,
            role="mentee",
            today=today,
            training_level="pgy1",
            weights={"identity": 3},
        )
    assert refusal.value.field == "weights"
    assert not Enrollment.objects.exists()


def test_a_double_submit_keeps_one_enrolment(alice, cycle, today):
    first, created = actions.enrol(
        cycle.pk, person=alice, role="mentee", today=today, training_level="pgy1"
    )
    again, created_again = actions.enrol(
        cycle.pk, person=alice, role="mentee", today=today, training_level="pgy2"
    )
    assert created and not created_again and first.pk == again.pk
    assert Enrollment.objects.get().training_level == "pgy2"


def test_withdrawing_deletes_the_answers(client, alice, cycle):
    client.force_login(alice)
    client.post(MENTEE, mentee_data())
    assert "Withdraw from the cycle?" in text(client.get("/mentorship/enrol/mentee/withdraw/"))
    response = client.post("/mentorship/enrol/mentee/withdraw/")
    assert response.status_code == 302 and not Enrollment.objects.exists()


def test_an_unknown_role_is_404(client, alice, cycle):
    client.force_login(alice)
    assert client.get("/mentorship/enrol/sponsor/").status_code == 404


# --- the coordinator's view of who enrolled ------------------------------------------------------


def test_the_coordinator_sees_who_enrolled_with_their_answers(client, erin, alice, bob, cycle):
    client.force_login(alice)
    client.post(MENTEE, mentee_data(excluded="bob@example.org"))
    client.force_login(bob)
    client.post(MENTOR, mentor_data())
    client.force_login(erin)
    page = text(client.get(f"/mentorship/manage/cycles/{cycle.pk}/"))
    assert "1 mentee" in page and "1 mentor" in page
    assert "Alice Member" in page and "Bob Leader" in page
    assert "Recruitment and retention for diversity" in page
    assert "takes 2 mentees" in page
    # Alice's exclusion is shown to the coordinator, never to Bob.
    mentees = page[page.index('id="mentees-title"') : page.index('id="mentors-title"')]
    assert "Bob Leader" in mentees
    client.force_login(bob)
    for path in ("/mentorship/", MENTOR):
        assert "Alice" not in text(client.get(path))


def test_the_cycle_page_takes_the_same_queries_for_more_people(client, erin, cycle, today):
    def enrol_some(n, start):
        for i in range(start, start + n):
            person = make_person(f"p{i}@example.org", f"Person {i}")
            actions.enrol(
                cycle.pk, person=person, role="mentee", today=today, training_level="pgy1"
            )

    client.force_login(erin)
    enrol_some(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/mentorship/manage/cycles/{cycle.pk}/").status_code == 200
    enrol_some(10, 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/mentorship/manage/cycles/{cycle.pk}/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_my_page_shows_my_enrolments(client, alice, erin, cycle, today):
    client.force_login(alice)
    assert "You are not enrolled in the mentorship program." in text(client.get("/me/"))
    client.post(MENTEE, mentee_data())
    page = text(client.get("/me/"))
    assert "Your mentorship" in page and "2026-2027 mentorship cycle" in page
    assert 'href="/mentorship/enrol/mentee/">Change your answers' in page
    assert "Run the mentorship cycles" not in page
    Cycle.objects.filter(pk=cycle.pk).update(enrolment_closes_on=today - datetime.timedelta(days=1))
    assert "Change your answers" not in text(client.get("/me/"))
    client.force_login(erin)
    assert 'href="/mentorship/manage/"' in text(client.get("/me/"))


# --- the kickoff ---------------------------------------------------------------------------------


def kickoff_data(day, **changes):
    data = {
        "title": "Kickoff: meet your cohort",
        "description": "Dinner and introductions.",
        "date": day.isoformat(),
        "start_time": "17:30",
        "end_time": "19:00",
        "format": "in_person",
        "campus": "",
        "place": "Mayo Building, room 3-100",
        "online_join_details": "",
        "capacity": "60",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": "organization",
    }
    data.update(changes)
    return data


def test_the_coordinator_schedules_the_kickoff_and_people_register(
    client, erin, alice, cycle, today
):
    from belong.events import actions as event_actions
    from belong.notifications.models import OutboundMessage

    client.force_login(erin)
    url = f"/mentorship/manage/cycles/{cycle.pk}/kickoff/"
    assert "Kickoff: 2026-2027 mentorship cycle" in text(client.get(url))
    day = today + datetime.timedelta(days=30)
    response = client.post(url, kickoff_data(day))
    assert response.status_code == 302
    cycle.refresh_from_db()
    event = cycle.kickoff
    assert (event.kind, event.title, event.capacity) == ("program", "Kickoff: meet your cohort", 60)
    assert "Kickoff: meet your cohort" in text(client.get(f"/mentorship/manage/cycles/{cycle.pk}/"))
    # People register through the events engine and are told when it moves.
    event_actions.register(event.pk, person=alice)
    client.force_login(alice)
    assert "Kickoff: meet your cohort" in text(client.get("/mentorship/"))
    client.force_login(erin)
    before = OutboundMessage.objects.count()
    response = client.post(url, kickoff_data(day, start_time="18:00", end_time="19:30"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert OutboundMessage.objects.count() == before + 1


def test_a_kickoff_in_the_past_is_refused(client, erin, cycle, today):
    client.force_login(erin)
    url = f"/mentorship/manage/cycles/{cycle.pk}/kickoff/"
    response = client.post(url, kickoff_data(today - datetime.timedelta(days=1)))
    assert response.status_code == 400
    assert "already passed" in text(response)
    cycle.refresh_from_db()
    assert cycle.kickoff is None

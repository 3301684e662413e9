"""The Django admin's pages asking to delete a session or a course count no evaluation (issue 14).

Django lists and counts there every row that would go with the object: "Evaluations: 3" and
"Objective ratings: 6" for a session, and the same for every session of a course (its sessions
go with it). A training coordinator (who edits sessions and courses in the admin) opening them
before and after one attendee answers would read the count live, answer by answer, before the
evaluation closes, and forever for a session that closes with fewer than 5 answers, whose
results are never published. The pages name those rows, never how many."""

import re

import pytest
from django.test import Client

from belong.people import roles
from belong.training.actions.evaluations import submit_evaluation
from tests.builders import (
    OBJECTIVES,
    evaluation_invite,
    event_row,
    make_attended,
    make_course,
    make_person,
    new_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    """A training coordinator with admin access (what an operator gives them for courses)."""
    return make_person(
        "carol@example.org", "Carol Coordinator", roles.TRAINING_COORDINATOR, is_staff=True
    )


@pytest.fixture
def session(db):
    return event_row(host=make_course(objectives=OBJECTIVES), days=-1)


@pytest.fixture
def course(session):
    return session.host


@pytest.fixture
def attendees(session):
    """Three attendees, each invited to evaluate: who came is on the roster the coordinator
    reads; who answered is nobody's to know, nor how many did until the results are out."""
    people = [new_person() for _ in range(3)]
    return [(person, evaluation_invite(make_attended(session, person))) for person in people]


def answer(attendee, course):
    person, token = attendee
    ratings = {objective.pk: 4 for objective in course.objectives.all()}
    submit_evaluation(person=person, token=token, session_rating=4, objective_ratings=ratings)


def confirmation(client, url):
    """What the page lists and counts: from its summary to its form (which holds the token)."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r"<h2>Summary</h2>(.*?)<form", html, re.S)
    assert found, html
    return found.group(1)


@pytest.mark.parametrize("target", ["session", "course"])
def test_one_answer_does_not_move_the_page(coordinator, session, course, attendees, target):
    url = {
        "session": f"/admin/events/event/{session.pk}/delete/",
        "course": f"/admin/training/course/{course.pk}/delete/",
    }[target]
    answer(attendees[0], course)
    client = Client()
    client.force_login(coordinator)
    before = confirmation(client, url)

    answer(attendees[1], course)
    after = confirmation(client, url)

    assert after == before
    rest = after
    named = [
        "Evaluations, if any: how many is not shown",  # the course's sessions go with it
        "Objective ratings, if any: how many is not shown",
    ]
    for line in named:
        assert line in rest, line
        rest = rest.replace(line, "")
    for told in ("valuation:", "valuations:", "bjective rating"):
        assert told not in rest, told


def test_not_even_whether_anyone_answered(coordinator, session, course, attendees):
    client = Client()
    client.force_login(coordinator)
    url = f"/admin/events/event/{session.pk}/delete/"
    before = confirmation(client, url)
    answer(attendees[0], course)
    assert confirmation(client, url) == before

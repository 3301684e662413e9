"""Evaluation results are published once, when the session's evaluation window closes: the
subtraction of issue 14 (item 7) reproduced and closed, sessions below the minimum never shown,
and the publishing job (`evaluation_results` in runperiodic) idempotent."""

import datetime
import re

import pytest
from django.utils import timezone

from belong.events.models import Event
from belong.home import periodic
from belong.training.actions.evaluations import (
    EvaluationRefused,
    closes_at,
    publish_due_evaluations,
    publish_evaluation,
    submit_evaluation,
)
from belong.training.models import PublishedEvaluation
from tests.builders import (
    bearer,
    close_evaluation_window,
    evaluation_answers,
    evaluation_invite,
    event_row,
    make_attended,
    new_person,
    published_evaluation,
    token_for,
)

pytestmark = pytest.mark.django_db


def answer(event, course, *, rating, comment):
    """One attendee answers through the real action (invitation, token, submission)."""
    person = new_person()
    token = evaluation_invite(make_attended(event, person))
    return submit_evaluation(
        person=person,
        token=token,
        session_rating=rating,
        objective_ratings={objective.pk: rating for objective in course.objectives.all()},
        comment=comment,
    )


class Reader:
    """What a training coordinator can read of a session's results: the session's page, the
    course's page and the API's two answers (the parts that hold results, not the page's
    navigation or the clock)."""

    def __init__(self, client, person, event, course):
        self.client, self.event, self.course = client, event, course
        client.force_login(person)
        self.headers = bearer(token_for(person))

    def page(self, url):
        response = self.client.get(url)
        assert response.status_code == 200
        return response.content.decode().split('class="evaluation-results"', 1)[1]

    def view(self):
        session = self.client.get(f"/api/v1/events/{self.event.pk}/evaluations", **self.headers)
        course = self.client.get(f"/api/v1/courses/{self.course.slug}/evaluations", **self.headers)
        assert session.status_code == course.status_code == 200
        return {
            "session page": self.page(f"/training/manage/sessions/{self.event.pk}/evaluations/"),
            "course page": self.page(f"/training/manage/courses/{self.course.slug}/evaluations/"),
            "session api": session.json(),
            "course api": course.json(),
        }


def test_one_more_answer_cannot_be_read_as_the_difference_of_two_views(
    client, carol, session, course
):
    """Issue 14, item 7: results appeared at 5 answers, and each answer after that could be
    read as the difference between two views. Now nothing shows while answers come in, the
    results appear once when the window closes, and they never change after that."""
    for i in range(5):
        answer(session, course, rating=4, comment=f"Fine {i}")
    reader = Reader(client, carol, session, course)
    at_five = reader.view()

    answer(session, course, rating=1, comment="The one that would stand out")
    at_six = reader.view()

    assert at_six == at_five
    for seen in at_six.values():
        assert "stand out" not in str(seen)
    assert at_six["session api"]["state"] == "open"
    assert at_six["session api"]["results"] is None
    assert at_six["course api"]["results"] is None

    close_evaluation_window(session)
    closed = reader.view()
    assert closed["session api"]["state"] == "closed"
    assert closed["session api"]["results"] is None
    assert "stand out" not in str(closed)

    assert publish_due_evaluations() == 1
    after = reader.view()
    results = after["session api"]["results"]
    assert after["session api"]["state"] == "published"
    assert results["responses"] == 6
    assert results["overall"]["distribution"] == [1, 0, 0, 5, 0]
    assert "The one that would stand out" in results["comments"]
    assert after["course api"]["results"]["responses"] == 6

    # Nothing can change it afterwards: a late answer is refused, and even an answer written
    # straight into the table (or a second run of the job) leaves every view as it was.
    late = new_person()
    token = evaluation_invite(make_attended(session, late))
    with pytest.raises(EvaluationRefused) as refused:
        submit_evaluation(
            person=late,
            token=token,
            session_rating=2,
            objective_ratings={objective.pk: 2 for objective in course.objectives.all()},
        )
    assert refused.value.code == "closed"
    evaluation_answers(session, course, 3, rating=2, comment="Written behind its back {i}")
    assert publish_due_evaluations() == 0
    assert publish_evaluation(event_id=session.pk) is None
    assert reader.view() == after


def test_the_course_moves_only_when_a_session_is_published(client, carol, course):
    first, second = event_row(host=course, days=-1), event_row(host=course, days=-1)
    published_evaluation(first, course, 5, rating=5, comment="First {i}")
    reader = Reader(client, carol, first, course)
    before = reader.view()["course api"]

    evaluation_answers(second, course, 6, rating=1, comment="Second {i}")
    assert reader.view()["course api"] == before  # answers in another session: nothing moves

    close_evaluation_window(second)
    publish_evaluation(event_id=second.pk)
    after = reader.view()["course api"]

    assert after["results"]["responses"] == before["results"]["responses"] + 6
    assert after["results"]["overall"]["distribution"] == [6, 0, 0, 0, 5]
    assert [s["event"] for s in after["sessions"]] == [first.pk, second.pk]


@pytest.mark.parametrize("answers", [0, 1, 4])
def test_a_session_below_the_minimum_never_shows(client, carol, session, course, answers):
    evaluation_answers(session, course, answers, rating=2, comment="Quiet {i}")
    reader = Reader(client, carol, session, course)
    open_view = reader.view()
    close_evaluation_window(session)

    row = publish_evaluation(event_id=session.pk)

    assert row.shown is False
    assert row.responses == 0  # not even how many answered is kept
    assert row.results == {}
    view = reader.view()
    assert view["session api"]["state"] == "not_published"
    assert view["session api"]["results"] is None
    assert view["course api"]["results"] is None
    assert view["course api"]["not_published"] == 1
    assert "Quiet" not in str(view)
    assert "Quiet" not in str(open_view)
    assert "<table" not in view["session page"]
    # Answers that reach the table afterwards change nothing: it stays unpublished.
    evaluation_answers(session, course, 5, rating=2, comment="Quiet later {i}")
    assert publish_due_evaluations() == 0
    assert reader.view() == view


# --- the job ------------------------------------------------------------------------------------


def test_the_job_publishes_the_sessions_whose_window_has_closed(course):
    now = timezone.now()
    closed = event_row(host=course, days=-15)
    still_open = event_row(host=course, days=-13)
    upcoming = event_row(host=course, days=2)
    cancelled = event_row(host=course, days=-20, status=Event.Status.CANCELLED)
    lecture = Event.objects.create(
        kind=Event.Kind.LECTURE,
        title="L",
        start=now - datetime.timedelta(days=30),
        end=now - datetime.timedelta(days=29),
    )
    for event in (closed, still_open, cancelled):
        evaluation_answers(event, course, 5)

    assert publish_due_evaluations(now=now) == 1

    assert list(PublishedEvaluation.objects.values_list("event", flat=True)) == [closed.pk]
    row = PublishedEvaluation.objects.get()
    assert row.shown and row.responses == 5 and row.threshold == 5
    assert row.published_at == now
    assert publish_evaluation(event_id=lecture.pk, now=now) is None  # no course hosts it
    assert publish_evaluation(event_id=upcoming.pk, now=now) is None


def test_the_window_follows_the_setting(course, settings):
    settings.EVALUATION_WINDOW_DAYS = 3
    event = event_row(host=course, days=-4)
    assert closes_at(event) == event.end + datetime.timedelta(days=3)
    assert publish_due_evaluations() == 1


def test_the_job_is_idempotent_and_the_results_never_change(course, settings):
    event = event_row(host=course, days=-15)
    evaluation_answers(event, course, 5, rating=3, comment="Kept {i}")

    first = periodic.JOBS["evaluation_results"]()
    row = PublishedEvaluation.objects.get()
    stored = (row.published_at, row.threshold, row.shown, row.responses, row.results)
    settings.EVALUATION_MIN_RESPONSES = 10  # a later change of the threshold changes nothing
    second = periodic.JOBS["evaluation_results"]()

    assert first == "1 session evaluation(s) published"
    assert second == "0 session evaluation(s) published"
    row.refresh_from_db()
    assert (row.published_at, row.threshold, row.shown, row.responses, row.results) == stored
    assert PublishedEvaluation.objects.count() == 1


def test_publishing_a_session_whose_window_is_open_does_nothing(session, course):
    evaluation_answers(session, course, 5)
    assert publish_evaluation(event_id=session.pk) is None
    assert not PublishedEvaluation.objects.exists()


def test_the_published_comments_carry_no_order_of_arrival(course):
    event = event_row(host=course, days=-1)
    texts = [f"Remark {i:02d}" for i in range(12)]
    for text in texts:
        evaluation_answers(event, course, 1, comment=text)
    row = published_evaluation(event, course)

    assert sorted(row.results["comments"]) == texts
    assert row.results["comments"] != texts
    assert not re.search(r"\d{4}-\d{2}-\d{2}", str(row.results))

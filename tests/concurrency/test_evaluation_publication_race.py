"""Publishing evaluation results on PostgreSQL: schedulers racing publish each session once,
and an answer racing the publication is either in the published results or refused, never
lost in between."""

import datetime
import threading

import pytest
from django.db import connections
from django.utils import timezone

from belong.training.actions.evaluations import (
    EvaluationRefused,
    closes_at,
    publish_due_evaluations,
    publish_evaluation,
    submit_evaluation,
)
from belong.training.models import Evaluation, PublishedEvaluation
from tests.builders import (
    OBJECTIVES,
    evaluation_answers,
    evaluation_invite,
    event_row,
    make_attended,
    make_course,
    new_person,
)
from tests.concurrency.test_outbox_race import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_schedulers_publish_each_session_once():
    course = make_course(objectives=OBJECTIVES)
    sessions = [event_row(host=course, days=-15) for _ in range(4)]
    for event in sessions:
        evaluation_answers(event, course, 5)

    published, errors = run_together(publish_due_evaluations, workers=6)

    assert errors == []
    assert sum(published) == 4  # all of them, each by exactly one scheduler
    assert PublishedEvaluation.objects.count() == 4
    assert all(row.shown and row.responses == 5 for row in PublishedEvaluation.objects.all())


def test_an_answer_racing_the_publication_is_published_or_refused():
    course = make_course(objectives=OBJECTIVES)
    event = event_row(host=course, days=-1)
    evaluation_answers(event, course, 5)
    person = new_person()
    token = evaluation_invite(make_attended(event, person))
    # Both happen at the very moment the window closes: the answer just before, the
    # publication at it. Whichever takes the event's lock first, the other sees it.
    at = closes_at(event)
    outcomes = {}
    barrier = threading.Barrier(2)

    def answer():
        try:
            barrier.wait(timeout=30)
            submit_evaluation(
                person=person,
                token=token,
                session_rating=1,
                objective_ratings={o.pk: 1 for o in course.objectives.all()},
                comment="Raced",
                now=at - datetime.timedelta(microseconds=1),
            )
            outcomes["answer"] = "taken"
        except EvaluationRefused as refused:
            outcomes["answer"] = refused.code
        finally:
            connections.close_all()

    def publish():
        try:
            barrier.wait(timeout=30)
            outcomes["publish"] = publish_evaluation(event_id=event.pk, now=at)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer), threading.Thread(target=publish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    row = PublishedEvaluation.objects.get(event=event)
    answers = Evaluation.objects.filter(event=event).count()
    if outcomes["answer"] == "taken":
        assert answers == 6
        assert row.responses == 6
        assert "Raced" in row.results["comments"]
    else:
        assert outcomes["answer"] == "closed"
        assert answers == 5
        assert row.responses == 5
    assert timezone.is_aware(row.published_at)

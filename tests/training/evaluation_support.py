"""Builders shared by the evaluation tests: a course with learning objectives, a session that
has ended, attendees, invitations with a known token, answers, the evaluation window closing and
the results' publication."""

import datetime
import itertools

from django.db.models import F
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.training.actions.evaluations import (
    closes_at,
    objective_field,
    publish_evaluation,
    token_digest,
)
from belong.training.models import Course, Evaluation, EvaluationInvite, LearningObjective
from tests.conftest import make_person

_numbers = itertools.count(1)


def make_course(slug="inclusive-teaching", objectives=("Name bias", "Practise allyship")):
    course = Course.objects.create(title=f"Course {slug}", slug=slug, description="d")
    for order, text in enumerate(objectives, start=1):
        LearningObjective.objects.create(course=course, text=text, order=order)
    return course


def make_session(course, *, ended_ago=datetime.timedelta(days=1), **fields):
    end = timezone.now() - ended_ago
    return Event.objects.create(
        host=course,
        title=course.title,
        kind=Event.Kind.SESSION,
        start=end - datetime.timedelta(hours=2),
        end=end,
        **fields,
    )


def new_person(prefix="attendee"):
    n = next(_numbers)
    return make_person(f"{prefix}{n}@example.org", f"{prefix.title()} {n}")


def register(event, person, state=Registration.State.ATTENDED):
    return Registration.objects.create(event=event, person=person, state=state)


def invite(registration, token=None):
    """An invitation with a token the test knows (the real one is only in the email)."""
    token = token or f"token-{registration.pk}-{next(_numbers)}"
    EvaluationInvite.objects.create(registration=registration, token=token_digest(token))
    return token


def form_data(course, *, rating="4", session_rating="5", comment=""):
    data = {objective_field(objective.pk): rating for objective in course.objectives.all()}
    data["session_rating"] = session_rating
    data["comment"] = comment
    return data


def add_answers(event, course, n, *, rating=4, comment="Comment {i}"):
    """n anonymous answers, written directly (as submit_evaluation writes them)."""
    from belong.training.models import ObjectiveRating

    objectives = list(course.objectives.all())
    for i in range(n):
        evaluation = Evaluation.objects.create(
            event=event,
            session_rating=rating,
            comment=comment.format(i=i),
            submitted_on=timezone.localdate(),
        )
        ObjectiveRating.objects.bulk_create(
            ObjectiveRating(evaluation=evaluation, objective=objective, rating=rating)
            for objective in objectives
        )


def close_window(event):
    """Time passes until just after the evaluation window of `event` closed: the session's dates
    move back (no clock is faked; everything that reads the time sees the window closed)."""
    shift = closes_at(event) - timezone.now() + datetime.timedelta(minutes=1)
    Event.objects.filter(pk=event.pk).update(start=F("start") - shift, end=F("end") - shift)
    event.refresh_from_db()
    return event


def published(event, course, n=0, **answers):
    """A session whose window has closed with `n` answers, published by the real action."""
    add_answers(event, course, n, **answers)
    close_window(event)
    return publish_evaluation(event_id=event.pk)

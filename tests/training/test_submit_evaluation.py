"""submit_evaluation: one anonymous answer per invitation, and each refusal with its message."""

import datetime
import threading

import pytest
from django.db import connections
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.training.actions.evaluations import EvaluationRefused, closes_at, submit_evaluation
from belong.training.models import Evaluation, EvaluationInvite, ObjectiveRating
from tests.builders import (
    OBJECTIVES,
    close_evaluation_window,
    evaluation_invite,
    event_row,
    make_attended,
    make_course,
    published_evaluation,
)

pytestmark = pytest.mark.django_db


def ratings(course, value=4):
    return {objective.pk: value for objective in course.objectives.all()}


def submit(person, token, course, **overrides):
    arguments = {
        "person": person,
        "token": token,
        "session_rating": 5,
        "objective_ratings": ratings(course),
        "comment": "  Useful and kind.  ",
    }
    arguments.update(overrides)
    return submit_evaluation(**arguments)


def test_an_answer_is_stored_without_the_person(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))

    evaluation = submit(alice, token, course)

    evaluation.refresh_from_db()
    assert evaluation.event == session
    assert evaluation.session_rating == 5
    assert evaluation.comment == "Useful and kind."
    assert evaluation.submitted_on == timezone.localdate()
    assert sorted(evaluation.ratings.values_list("objective__text", "rating")) == [
        ("Name bias", 4),
        ("Practise allyship", 4),
    ]
    assert EvaluationInvite.objects.get().used is True


def test_no_field_of_an_evaluation_refers_to_a_person():
    person_model = Registration._meta.get_field("person").related_model
    for model in (Evaluation, ObjectiveRating):
        for field in model._meta.get_fields():
            if field.is_relation:
                assert field.related_model not in (person_model, Registration, EvaluationInvite)
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"person", "registration", "invite", "created_at", "submitted_at"}
    assert Evaluation._meta.pk.get_internal_type() == "UUIDField"


def test_a_second_answer_is_refused(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    submit(alice, token, course)

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course, session_rating=1)

    assert refused.value.status == 409
    assert refused.value.message == "You have already answered; thank you."
    assert Evaluation.objects.count() == 1


def test_another_persons_token_is_refused_as_unknown(session, course, alice, dave):
    token = evaluation_invite(make_attended(session, alice))

    with pytest.raises(EvaluationRefused) as refused:
        submit(dave, token, course)

    assert refused.value.status == 404
    assert not Evaluation.objects.exists()
    assert EvaluationInvite.objects.get().used is False


def test_an_unknown_token_is_refused(course, alice):
    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, "no-such-token", course)
    assert refused.value.status == 404


def test_a_cancelled_session_is_refused(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    session.status = Event.Status.CANCELLED
    session.save(update_fields=["status"])

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course)

    assert refused.value.status == 409
    assert "cancelled" in refused.value.message
    assert not Evaluation.objects.exists()


def test_attendance_corrected_to_no_show_is_refused(session, course, alice):
    registration = make_attended(session, alice)
    token = evaluation_invite(registration)
    registration.state = Registration.State.NO_SHOW
    registration.save(update_fields=["state"])

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course)

    assert refused.value.message == "Only people who attended the session can evaluate it."


@pytest.mark.parametrize("bad", [0, 6, "x", None, True, "4.5"])
def test_a_session_rating_out_of_range_is_refused(session, course, alice, bad):
    token = evaluation_invite(make_attended(session, alice))

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course, session_rating=bad)

    assert refused.value.status == 400
    assert refused.value.field == "session_rating"
    assert "from 1 (not at all) to 5 (completely)" in refused.value.message
    assert not Evaluation.objects.exists()
    assert EvaluationInvite.objects.get().used is False


def test_a_missing_objective_rating_names_the_objective(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    first, second = course.objectives.all()

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course, objective_ratings={first.pk: 3})

    assert refused.value.field == f"objective_{second.pk}"
    assert refused.value.message.startswith("Practise allyship:")
    assert not Evaluation.objects.exists()


def test_an_objective_rating_out_of_range_is_refused(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    first, second = course.objectives.all()

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course, objective_ratings={first.pk: 3, second.pk: 9})

    assert refused.value.field == f"objective_{second.pk}"
    assert refused.value.status == 400


def test_a_rating_for_another_courses_objective_is_refused(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    other = make_course(slug="other", objectives=("Elsewhere",))

    with pytest.raises(EvaluationRefused) as refused:
        submit(
            alice,
            token,
            course,
            objective_ratings={**ratings(course), other.objectives.get().pk: 3},
        )

    assert refused.value.field == "objective_ratings"
    assert not Evaluation.objects.exists()


def test_a_comment_too_long_is_refused(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course, comment="x" * 4001)

    assert refused.value.field == "comment"
    assert "4000 characters or fewer (it has 4001)" in refused.value.message


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_with_one_token_give_one_evaluation():
    from tests.builders import make_person

    course = make_course(objectives=OBJECTIVES)
    session = event_row(host=course, days=-1)
    alice = make_person("alice@example.org", "Alice Member")
    token = evaluation_invite(make_attended(session, alice))
    workers = 4
    barrier = threading.Barrier(workers)
    lock = threading.Lock()
    outcomes = []

    def work():
        try:
            barrier.wait(timeout=30)
            submit(alice, token, course)
            outcome = "stored"
        except EvaluationRefused as refusal:
            outcome = refusal.code
        except BaseException as exc:  # reported by the assertion below
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["already_answered"] * (workers - 1) + ["stored"]
    assert Evaluation.objects.count() == 1
    assert ObjectiveRating.objects.count() == 2


# --- the evaluation window ----------------------------------------------------------------------


def test_an_answer_after_the_window_closed_is_refused_politely(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    close_evaluation_window(session)

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course)

    assert refused.value.status == 409
    assert refused.value.code == "closed"
    assert refused.value.message.startswith("The evaluation of this session closed on ")
    assert "Thank you for wanting to answer." in refused.value.message
    assert not Evaluation.objects.exists()
    assert EvaluationInvite.objects.get().used is False


def test_the_last_moment_of_the_window_still_counts(session, course, alice):
    token = evaluation_invite(make_attended(session, alice))
    just_before = closes_at(session) - datetime.timedelta(seconds=1)

    submit(alice, token, course, now=just_before)

    assert Evaluation.objects.count() == 1


def test_an_answer_after_publication_is_refused_even_if_the_session_moved_later(
    session, course, alice, bob
):
    published_evaluation(session, course, 5)
    token = evaluation_invite(make_attended(session, alice))
    # The session is moved (a coordinator's late correction): its window would be open again,
    # but its results are published and stay as they were.
    Event.objects.filter(pk=session.pk).update(end=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(EvaluationRefused) as refused:
        submit(alice, token, course)

    assert refused.value.code == "closed"
    assert Evaluation.objects.count() == 5

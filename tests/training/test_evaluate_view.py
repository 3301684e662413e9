"""The evaluation form at /training/evaluate/<token>/ and the thank-you page."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from belong.events.models import Event, Registration
from belong.training.actions.evaluations import closes_at
from belong.training.models import Evaluation, EvaluationInvite
from tests.builders import (
    close_evaluation_window,
    evaluation_form_data,
    evaluation_invite,
    make_attended,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(session, alice):
    return evaluation_invite(make_attended(session, alice))


def url(token):
    return f"/training/evaluate/{token}/"


def test_the_form_shows_the_course_the_objectives_and_the_anonymity_note(
    client, alice, course, token
):
    client.force_login(alice)
    response = client.get(url(token))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{course.title}</h1>" in page
    assert "Your answers are anonymous" in page
    assert "You can answer until" in page
    assert "once, when the evaluation closes, and only if at least 5 people answered" in page
    assert page.index("Your answers are anonymous") < page.index('class="evaluation-form"')
    for objective in course.objectives.all():
        assert f"<legend>{objective.text}" in page
    assert "<legend>The session overall" in page
    assert page.count("1 = not at all") == 3
    assert page.count("5 = completely") == 3
    assert page.count('type="radio"') == 15
    assert '<textarea name="comment"' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_complete_answer_is_stored_and_thanked(client, alice, course, session, token):
    client.force_login(alice)
    response = client.post(url(token), evaluation_form_data(course, comment="Loved the cases."))

    assert response.status_code == 302
    assert response["Location"] == "/training/evaluate/thanks/"
    evaluation = Evaluation.objects.get()
    assert evaluation.event == session
    assert evaluation.session_rating == 5
    assert evaluation.comment == "Loved the cases."
    assert set(evaluation.ratings.values_list("rating", flat=True)) == {4}
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your evaluation" in thanks.content.decode()


def test_a_used_link_says_so_without_a_form(client, alice, course, token):
    client.force_login(alice)
    client.post(url(token), evaluation_form_data(course))

    for response in (client.get(url(token)), client.post(url(token), evaluation_form_data(course))):
        assert response.status_code == 409
        page = response.content.decode()
        assert "You have already answered; thank you" in page
        assert "evaluation-form" not in page
        assert 'type="radio"' not in page
    assert Evaluation.objects.count() == 1


def test_another_persons_link_is_not_found(client, dave, course, token):
    client.force_login(dave)

    assert client.get(url(token)).status_code == 404
    assert client.post(url(token), evaluation_form_data(course)).status_code == 404
    assert not Evaluation.objects.exists()


def test_an_unknown_link_is_not_found(client, alice):
    client.force_login(alice)
    assert client.get(url("not-a-real-token")).status_code == 404
    assert client.get(url("x" * 200)).status_code == 404


def test_visitors_are_sent_to_sign_in(client, course, token):
    for response in (client.get(url(token)), client.post(url(token), evaluation_form_data(course))):
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=/training/evaluate/")
    assert not Evaluation.objects.exists()


def test_a_missing_rating_re_renders_with_the_field_named(client, alice, course, token):
    client.force_login(alice)
    data = evaluation_form_data(course)
    del data["session_rating"]

    response = client.post(url(token), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "There is a problem" in page
    assert "The session overall: Choose a rating from 1 (not at all) to 5 (completely)." in page
    assert not Evaluation.objects.exists()
    assert EvaluationInvite.objects.get().used is False


def test_an_objective_rating_out_of_range_re_renders(client, alice, course, token):
    client.force_login(alice)
    objective = course.objectives.first()
    data = evaluation_form_data(course)
    data[f"objective_{objective.pk}"] = "7"

    response = client.post(url(token), data)

    assert response.status_code == 400
    assert (
        f"{objective.text}: Choose a rating from 1 (not at all) to 5 (completely)."
        in response.content.decode()
    )
    assert 'value="4"' in response.content.decode() and "checked" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_an_empty_post_names_every_field(client, alice, course, token):
    client.force_login(alice)
    response = client.post(url(token), {})

    assert response.status_code == 400
    page = response.content.decode()
    for objective in course.objectives.all():
        assert f"{objective.text}: Choose a rating" in page
    assert "The session overall: Choose a rating" in page


def test_a_comment_too_long_re_renders(client, alice, course, token):
    client.force_login(alice)
    response = client.post(url(token), evaluation_form_data(course, comment="x" * 4001))

    assert response.status_code == 400
    assert "Comment: Keep the comment to 4000 characters or fewer" in response.content.decode()


def test_a_cancelled_session_cannot_be_evaluated(client, alice, course, session, token):
    session.status = Event.Status.CANCELLED
    session.save(update_fields=["status"])
    client.force_login(alice)

    response = client.post(url(token), evaluation_form_data(course))

    assert response.status_code == 409
    assert "This session was cancelled" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_attendance_corrected_to_no_show_closes_the_form(client, alice, course, session, token):
    registration = session.registrations.get(person=alice)
    registration.state = Registration.State.NO_SHOW
    registration.save(update_fields=["state"])
    client.force_login(alice)

    for response in (client.get(url(token)), client.post(url(token), evaluation_form_data(course))):
        assert response.status_code == 409
        assert "Only people who attended the session can evaluate it." in (
            response.content.decode()
        )
    assert not Evaluation.objects.exists()


def test_wrong_methods_are_refused(client, alice, token):
    client.force_login(alice)
    assert client.put(url(token)).status_code == 405
    assert client.delete(url(token)).status_code == 405
    assert client.post("/training/evaluate/thanks/").status_code == 405


def test_the_thanks_page_needs_sign_in(client):
    response = client.get("/training/evaluate/thanks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# --- the evaluation window ----------------------------------------------------------------------


def test_after_the_window_closed_the_link_says_so_politely(client, alice, course, session, token):
    close_evaluation_window(session)
    client.force_login(alice)

    for response in (client.get(url(token)), client.post(url(token), evaluation_form_data(course))):
        assert response.status_code == 409
        page = response.content.decode()
        assert "This evaluation has closed" in page
        assert "Thank you for wanting to answer." in page
        assert "evaluation-form" not in page
    assert not Evaluation.objects.exists()
    assert EvaluationInvite.objects.get().used is False


def test_the_form_says_until_when_answers_are_taken(client, alice, session, token):
    client.force_login(alice)
    page = client.get(url(token)).content.decode()
    day = date_format(timezone.localtime(closes_at(session)), "DATE_FORMAT")
    assert f"You can answer until {day}." in page

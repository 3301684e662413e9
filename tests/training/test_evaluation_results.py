"""Evaluation results for a session and for a course: who may see them, the threshold, the
aggregates, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.training.models import LearningObjective

from .evaluation_support import add_answers, make_course, make_session, new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def session(course):
    return make_session(course)


def session_url(event):
    return f"/training/manage/sessions/{event.pk}/evaluations/"


def course_url(course):
    return f"/training/manage/courses/{course.slug}/evaluations/"


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- who may see them ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "grace"])
def test_members_and_other_roles_are_refused(request, client, session, course, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(session_url(session)).status_code == 403
    assert client.get(course_url(course)).status_code == 403


@pytest.mark.parametrize("who", ["carol", "frank"])
def test_coordinators_and_dei_administrators_may_see_them(request, client, session, course, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(session_url(session)).status_code == 200
    assert client.get(course_url(course)).status_code == 200


def test_the_sessions_facilitator_may_see_them(client, session, course, bob):
    session.facilitators.add(bob)
    client.force_login(bob)
    assert client.get(session_url(session)).status_code == 200
    assert client.get(course_url(course)).status_code == 200


def test_a_facilitator_of_another_session_sees_the_course_but_not_this_session(
    client, session, course, bob
):
    other = make_session(course)
    other.facilitators.add(bob)
    client.force_login(bob)
    assert client.get(session_url(session)).status_code == 403
    assert client.get(course_url(course)).status_code == 200


def test_visitors_are_sent_to_sign_in(client, session, course):
    for url in (session_url(session), course_url(course)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=/training/manage/")


def test_unknown_sessions_and_courses_are_not_found(client, carol):
    client.force_login(carol)
    assert client.get("/training/manage/sessions/999999/evaluations/").status_code == 404
    assert client.get(f"/training/manage/sessions/{2**70}/evaluations/").status_code == 404
    assert client.get("/training/manage/courses/no-such-course/evaluations/").status_code == 404


def test_an_event_that_no_course_hosts_is_not_found(client, carol):
    import datetime

    from django.utils import timezone

    from belong.events.models import Event

    start = timezone.now()
    lecture = Event.objects.create(
        kind=Event.Kind.LECTURE, title="L", start=start, end=start + datetime.timedelta(hours=1)
    )
    client.force_login(carol)
    assert client.get(session_url(lecture)).status_code == 404


def test_results_pages_answer_get_only(client, carol, session, course):
    client.force_login(carol)
    for url in (session_url(session), course_url(course)):
        assert client.post(url).status_code == 405
        assert client.put(url).status_code == 405


# --- the threshold ------------------------------------------------------------------------------


def test_four_responses_show_no_figure_and_no_comment(client, carol, session, course):
    add_answers(session, course, 4, rating=3, comment="Secret remark {i}")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "4 of 5 needed responses so far." in page
    assert "Secret remark" not in page
    assert "<table" not in page
    assert "Mean" not in page
    # No mean (3.0) among the results (the page head's times may hold "3.0" in their seconds).
    results = page.split('class="evaluation-results"', 1)[1]
    assert "3.0" not in results


def test_five_responses_show_the_aggregates_and_comments(client, carol, session, course):
    add_answers(session, course, 3, rating=5, comment="Great {i}")
    add_answers(session, course, 2, rating=2, comment="")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "needed responses" not in page
    assert '<span class="stat__figure">5</span>' in page
    assert '<th scope="col">Mean</th>' in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", page, re.S)
    labels = [label for label, _ in rows]
    assert labels == ["Name bias", "Practise allyship", "The session overall"]
    for _, cells in rows:
        figures = re.findall(r"<td>(.*?)</td>", cells)
        # responses, mean (3*5 + 2*2) / 5 = 3.8, then how many gave 1, 2, 3, 4, 5
        assert figures == ["5", "3.8", "0", "2", "0", "0", "3"]
    for i in range(3):
        assert f"Great {i}" in page
    assert page.count("<blockquote>") == 3


def test_the_threshold_follows_the_setting(client, carol, session, course, settings):
    settings.EVALUATION_MIN_RESPONSES = 7
    add_answers(session, course, 6)
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "6 of 7 needed responses so far." in page
    assert "<table" not in page


def test_an_objective_with_fewer_ratings_than_the_threshold_is_not_shown(
    client, carol, session, course
):
    add_answers(session, course, 5)
    LearningObjective.objects.create(course=course, text="Added later", order=9)
    add_answers(session, course, 1, rating=1, comment="")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    row = re.search(r'<th scope="row">Added later</th>(.*?)</tr>', page, re.S).group(1)
    assert "Not shown: fewer than 5 ratings." in row
    assert "<td>1</td>" not in row


def test_comments_carry_no_dates(client, carol, session, course):
    add_answers(session, course, 5)
    client.force_login(carol)

    page = page_of(client, session_url(session))
    comments = page[page.index('class="comment-list"') :]
    comments = comments[: comments.index("</ul>")]

    assert "<time" not in comments
    assert str(session.evaluations.first().submitted_on.year) not in comments


# --- the course page ----------------------------------------------------------------------------


def test_the_course_adds_up_only_sessions_above_the_threshold(client, carol, course):
    shown = make_session(course)
    hidden = make_session(course)
    add_answers(shown, course, 5, rating=5, comment="Shown {i}")
    add_answers(hidden, course, 4, rating=1, comment="Hidden {i}")
    client.force_login(carol)

    page = page_of(client, course_url(course))

    assert '<span class="stat__figure">5</span>' in page
    assert "Shown 0" in page
    assert "Hidden" not in page
    assert "1 session with fewer responses is not included" in page
    assert f'href="{session_url(shown)}"' in page
    assert session_url(hidden) not in page


def test_a_course_without_enough_answers_shows_nothing(client, carol, course):
    session = make_session(course)
    add_answers(session, course, 4, comment="Quiet {i}")
    client.force_login(carol)

    page = page_of(client, course_url(course))

    assert "No session of this workshop has 5 responses yet." in page
    assert "Quiet" not in page
    assert "<table" not in page


def test_a_facilitator_sees_links_only_to_their_own_sessions(client, bob, course):
    mine = make_session(course)
    theirs = make_session(course)
    mine.facilitators.add(bob)
    add_answers(mine, course, 5)
    add_answers(theirs, course, 5)
    client.force_login(bob)

    page = page_of(client, course_url(course))

    assert f'href="{session_url(mine)}"' in page
    assert f'href="{session_url(theirs)}"' not in page
    assert '<span class="stat__figure">10</span>' in page


# --- queries ------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(course, sessions, answers, objectives):
    for i in range(objectives):
        LearningObjective.objects.create(course=course, text=f"Objective {i}", order=10 + i)
    for _ in range(sessions):
        event = make_session(course)
        event.facilitators.add(new_person("facilitator"))
        add_answers(event, course, answers)


@pytest.mark.parametrize("who", ["carol", "bob"])
def test_results_cost_the_same_for_few_and_many_rows(
    request, client, django_assert_max_num_queries, who
):
    person = request.getfixturevalue(who)
    client.force_login(person)
    few_course, many_course = make_course("few"), make_course("many")
    grow(few_course, 1, 5, 0)
    grow(many_course, 6, 30, 8)
    few_session = few_course.sessions.first()
    many_session = many_course.sessions.first()
    for event in (few_session, many_session):
        event.facilitators.add(person)

    few = count_queries(client, session_url(few_session))
    many = count_queries(client, session_url(many_session))
    assert many == few
    few = count_queries(client, course_url(few_course))
    many = count_queries(client, course_url(many_course))
    assert many == few

    with django_assert_max_num_queries(12):
        client.get(session_url(many_session))
    with django_assert_max_num_queries(12):
        client.get(course_url(many_course))

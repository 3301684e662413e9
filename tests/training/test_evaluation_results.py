"""Evaluation results for a session and for a course: who may see them, nothing before the
evaluation closes and its results are published, the threshold, the aggregates, comments in an
order that tells nothing, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.events.models import Event
from belong.training.actions.evaluations import publish_evaluation
from belong.training.models import LearningObjective
from tests.builders import (
    OBJECTIVES,
    close_evaluation_window,
    evaluation_answers,
    event_row,
    make_course,
    new_person,
    published_evaluation,
)

pytestmark = pytest.mark.django_db


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
    other = event_row(host=course, days=-1)
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


# --- what is shown, and when --------------------------------------------------------------------


def results_part(page):
    return page.split('class="evaluation-results"', 1)[1]


def test_an_open_evaluation_shows_nothing_not_even_how_many_answered(
    client, carol, session, course
):
    evaluation_answers(session, course, 7, rating=3, comment="Secret remark {i}")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "The evaluation is open until" in page
    assert "Secret remark" not in page
    assert "<table" not in page
    assert "7" not in results_part(page)
    assert "3.0" not in results_part(page)


def test_a_closed_evaluation_shows_nothing_until_it_is_published(client, carol, session, course):
    evaluation_answers(session, course, 6, comment="Secret remark {i}")
    close_evaluation_window(session)
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "its results are being published" in page
    assert "Secret remark" not in page
    assert "<table" not in page


def test_four_responses_are_never_published(client, carol, session, course):
    published_evaluation(session, course, 4, rating=3, comment="Secret remark {i}")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "with fewer than 5 answers, so its results are not published" in page
    assert "Secret remark" not in page
    assert "<table" not in page
    assert "Mean" not in page
    assert "4" not in results_part(page).split("</p>", 1)[1]
    assert "3.0" not in results_part(page)


def test_five_responses_show_the_aggregates_and_comments(client, carol, session, course):
    evaluation_answers(session, course, 3, rating=5, comment="Great {i}")
    published_evaluation(session, course, 2, rating=2, comment="")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "Published on" in page
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
    published_evaluation(session, course, 6)
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "with fewer than 7 answers, so its results are not published" in page
    assert "<table" not in page


def test_an_objective_with_fewer_ratings_than_the_threshold_is_not_shown(
    client, carol, session, course
):
    evaluation_answers(session, course, 5)
    LearningObjective.objects.create(course=course, text="Added later", order=9)
    published_evaluation(session, course, 1, rating=1, comment="")
    client.force_login(carol)

    page = page_of(client, session_url(session))

    row = re.search(r'<th scope="row">Added later</th>(.*?)</tr>', page, re.S).group(1)
    assert "Not shown: fewer than 5 ratings." in row
    assert "<td>1</td>" not in row


def test_a_cancelled_session_has_no_evaluation(client, carol, session, course):
    evaluation_answers(session, course, 5)
    session.status = Event.Status.CANCELLED
    session.save(update_fields=["status"])
    client.force_login(carol)

    page = page_of(client, session_url(session))

    assert "This session was cancelled, so it has no evaluation." in page
    assert "<table" not in page


def test_comments_carry_no_dates(client, carol, session, course):
    published_evaluation(session, course, 5)
    client.force_login(carol)

    page = page_of(client, session_url(session))
    comments = page[page.index('class="comment-list"') :]
    comments = comments[: comments.index("</ul>")]

    assert "<time" not in comments
    assert str(session.evaluations.first().submitted_on.year) not in comments


def comments_on(page):
    return re.findall(r"<blockquote><p>(.*?)</p></blockquote>", page)


def test_comments_come_in_an_order_that_tells_nothing_about_time(client, carol, course):
    """The same comments given in opposite orders are shown in the same order: one that
    depends only on their text (not on when they came, nor on their random keys)."""
    texts = [f"Remark {letter}" for letter in "ABCDEFGH"]
    first, second = event_row(host=course, days=-1), event_row(host=course, days=-1)
    for text in texts:
        evaluation_answers(first, course, 1, comment=text)
    for text in reversed(texts):
        evaluation_answers(second, course, 1, comment=text)
    for event in (first, second):
        close_evaluation_window(event)
        publish_evaluation(event_id=event.pk)
    client.force_login(carol)

    shown_first = comments_on(page_of(client, session_url(first)))
    shown_second = comments_on(page_of(client, session_url(second)))

    assert sorted(shown_first) == texts
    assert sorted(shown_second) == texts
    assert shown_first != texts  # not the order they were given in
    assert shown_first != list(reversed(texts))
    assert comments_on(page_of(client, session_url(first))) == shown_first  # stable


# --- the course page ----------------------------------------------------------------------------


def test_the_course_adds_up_only_published_sessions(client, carol, course):
    shown = event_row(host=course, days=-1)
    hidden = event_row(host=course, days=-1)
    still_open = event_row(host=course, days=-1)
    published_evaluation(shown, course, 5, rating=5, comment="Shown {i}")
    published_evaluation(hidden, course, 4, rating=1, comment="Hidden {i}")
    evaluation_answers(still_open, course, 9, rating=2, comment="Open {i}")
    client.force_login(carol)

    page = page_of(client, course_url(course))

    assert '<span class="stat__figure">5</span>' in page
    assert "Shown 0" in page
    assert "Hidden" not in page
    assert "Open" not in page
    assert "1 session closed with fewer than 5 answers and is not included" in page
    assert "1 session is still being evaluated" in page
    assert f'href="{session_url(shown)}"' in page
    assert session_url(hidden) not in page
    assert session_url(still_open) not in page


def test_a_course_without_published_results_shows_nothing(client, carol, course):
    session = event_row(host=course, days=-1)
    evaluation_answers(session, course, 6, comment="Quiet {i}")
    client.force_login(carol)

    page = page_of(client, course_url(course))

    assert "No session of this workshop has published results yet." in page
    assert "Quiet" not in page
    assert "<table" not in page


def added_later_row(page):
    return re.search(r'<th scope="row">Added later</th>(.*?)</tr>', page, re.S).group(1)


def test_the_course_adds_an_objective_only_where_its_session_shows_it(client, carol, course):
    """An objective hidden on a session's own results (too few ratings) is not added to the
    course's: otherwise the course's row before and after that session's publication would
    give the hidden ratings by subtraction."""
    earlier, later = event_row(host=course, days=-1), event_row(host=course, days=-1)
    evaluation_answers(later, course, 5, rating=4)  # before the objective existed
    LearningObjective.objects.create(course=course, text="Added later", order=9)
    published_evaluation(earlier, course, 5, rating=5)
    evaluation_answers(later, course, 1, rating=1)  # the one rating of the new objective there
    client.force_login(carol)
    before = added_later_row(page_of(client, course_url(course)))

    close_evaluation_window(later)
    publish_evaluation(event_id=later.pk)

    assert "Not shown: fewer than 5 ratings." in added_later_row(
        page_of(client, session_url(later))
    )
    after = added_later_row(page_of(client, course_url(course)))
    assert re.findall(r"<td>(.*?)</td>", before)[:2] == ["5", "5.0"]
    assert after == before


def test_a_facilitator_sees_links_only_to_their_own_sessions(client, bob, course):
    mine = event_row(host=course, days=-1)
    theirs = event_row(host=course, days=-1)
    mine.facilitators.add(bob)
    published_evaluation(mine, course, 5)
    published_evaluation(theirs, course, 5)
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
        event = event_row(host=course, days=-1)
        event.facilitators.add(new_person("facilitator"))
        published_evaluation(event, course, answers)


@pytest.mark.parametrize("who", ["carol", "bob"])
def test_results_cost_the_same_for_few_and_many_rows(
    request, client, django_assert_max_num_queries, who
):
    person = request.getfixturevalue(who)
    client.force_login(person)
    few_course, many_course = (
        make_course("few", objectives=OBJECTIVES),
        make_course("many", objectives=OBJECTIVES),
    )
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

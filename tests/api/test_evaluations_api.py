"""GET /api/v1/events/{id}/evaluations and /api/v1/courses/{slug}/evaluations: only published
results, for the people who may read them on the pages, and exactly what the pages show."""

import re

import pytest

from belong.events.models import Event
from belong.training.models import LearningObjective
from tests.builders import (
    OBJECTIVES,
    bearer,
    evaluation_answers,
    event_row,
    make_course,
    published_evaluation,
    token_for,
)

pytestmark = pytest.mark.django_db


def session_api(client, event, person=None):
    headers = bearer(token_for(person)) if person is not None else {}
    return client.get(f"/api/v1/events/{getattr(event, 'pk', event)}/evaluations", **headers)


def course_api(client, slug, person=None):
    headers = bearer(token_for(person)) if person is not None else {}
    return client.get(f"/api/v1/courses/{slug}/evaluations", **headers)


# --- who may read them --------------------------------------------------------------------------


def test_visitors_must_sign_in(client, session, course):
    assert session_api(client, session).status_code == 401
    assert course_api(client, course.slug).status_code == 401


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "grace"])
def test_members_and_other_roles_are_refused(request, client, session, course, who):
    person = request.getfixturevalue(who)
    for response in (session_api(client, session, person), course_api(client, course.slug, person)):
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("who", ["carol", "frank"])
def test_coordinators_and_dei_administrators_may_read_them(request, client, session, course, who):
    person = request.getfixturevalue(who)
    assert session_api(client, session, person).status_code == 200
    assert course_api(client, course.slug, person).status_code == 200


def test_a_facilitator_reads_their_session_and_the_course_only(client, course, bob):
    mine, theirs = event_row(host=course, days=-1), event_row(host=course, days=-1)
    mine.facilitators.add(bob)
    assert session_api(client, mine, bob).status_code == 200
    assert session_api(client, theirs, bob).status_code == 403
    assert course_api(client, course.slug, bob).status_code == 200


def test_unknown_sessions_courses_and_events_no_course_hosts_are_not_found(client, carol):
    lecture = Event.objects.create(
        kind=Event.Kind.LECTURE,
        title="L",
        start=event_row(host=make_course("other", objectives=OBJECTIVES), days=-1).start,
        end=event_row(host=make_course("third", objectives=OBJECTIVES), days=-1).end,
    )
    for response in (
        session_api(client, 999999, carol),
        session_api(client, lecture, carol),
        course_api(client, "no-such-course", carol),
        course_api(client, "Not a slug!", carol),
    ):
        assert response.status_code == 404
        assert set(response.json()) == {"detail", "errors"}
    assert session_api(client, 2**70, carol).status_code == 422


# --- what they say ------------------------------------------------------------------------------


def test_an_open_evaluation_says_when_it_closes_and_nothing_else(client, carol, session, course):
    evaluation_answers(session, course, 8, comment="Early {i}")
    body = session_api(client, session, carol).json()
    assert body["state"] == "open"
    assert body["closes_at"] is not None
    assert body["published_at"] is None
    assert body["results"] is None
    assert "Early" not in str(body)
    assert "8" not in str({key: body[key] for key in ("state", "threshold", "results")})


def test_published_results_as_the_api_gives_them(client, carol, session, course):
    evaluation_answers(session, course, 3, rating=5, comment="Great {i}")
    published_evaluation(session, course, 2, rating=2, comment="")

    body = session_api(client, session, carol).json()

    assert body["state"] == "published"
    assert body["course"] == course.slug
    assert body["threshold"] == 5
    results = body["results"]
    assert results["responses"] == 5
    assert [row["label"] for row in results["objectives"]] == ["Name bias", "Practise allyship"]
    for row in [*results["objectives"], results["overall"]]:
        assert row == {
            "label": row["label"],
            "shown": True,
            "responses": 5,
            "mean": pytest.approx(3.8),
            "distribution": [0, 2, 0, 0, 3],
        }
    assert sorted(results["comments"]) == ["Great 0", "Great 1", "Great 2"]


# --- the API and the pages agree ----------------------------------------------------------------


def page_figures(client, url):
    """(responses, rows as (label, cells), comments) as the results page shows them."""
    page = client.get(url).content.decode()
    part = page.split('class="evaluation-results"', 1)[1]
    figure = re.search(r'<span class="stat__figure">(\d+)</span>', part)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", part, re.S)
    table = [(label, re.findall(r"<td>(.*?)</td>", cells) or ["hidden"]) for label, cells in rows]
    comments = re.findall(r"<blockquote><p>(.*?)</p></blockquote>", part)
    return (int(figure.group(1)) if figure else None), table, comments


def api_figures(results):
    if results is None:
        return None, [], []

    def cells(row):
        if not row["shown"]:
            return ["hidden"]
        mean = f"{row['mean']:.1f}"
        return [str(row["responses"]), mean, *(str(n) for n in row["distribution"])]

    rows = [*results["objectives"], results["overall"]]
    return results["responses"], [(row["label"], cells(row)) for row in rows], results["comments"]


def test_the_api_and_the_pages_show_the_same_results(client, carol, course):
    shown, hidden, still_open = (
        event_row(host=course, days=-1),
        event_row(host=course, days=-1),
        event_row(host=course, days=-1),
    )
    evaluation_answers(shown, course, 4, rating=5, comment="Shown {i}")
    LearningObjective.objects.create(course=course, text="Added later", order=9)
    published_evaluation(shown, course, 3, rating=2, comment="Late {i}")
    published_evaluation(hidden, course, 4, rating=1, comment="Hidden {i}")
    evaluation_answers(still_open, course, 6, rating=3, comment="Open {i}")
    client.force_login(carol)

    for event in (shown, hidden, still_open):
        body = session_api(client, event, carol).json()
        page = page_figures(client, f"/training/manage/sessions/{event.pk}/evaluations/")
        assert page == api_figures(body["results"])
    body = course_api(client, course.slug, carol).json()
    page = page_figures(client, f"/training/manage/courses/{course.slug}/evaluations/")
    assert page == api_figures(body["results"])
    assert [item["event"] for item in body["sessions"]] == [shown.pk]
    assert body["not_published"] == 1
    assert body["pending"] == 1
    # The objective added later has 3 ratings on the shown session: hidden on both.
    assert ("Added later", ["hidden"]) in page[1]
    assert page[0] == 7

"""The recommendation pages: the public tracker (filters, summary, wait, query budget), a
recommendation's page and its history, the DEI administrators' answer form, the leaders' pages
(drafts, write, edit, submit after a confirmation step, delete) and the section of the
collective's page. Every mutating view: wrong method (405), wrong role (403), outsider (404 or
403) and visitor (sent to sign in)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.collectives import sections
from belong.collectives.actions import recommendations as actions
from belong.collectives.models import Recommendation
from belong.collectives.views import recommendations as recommendation_views
from belong.notifications.models import OutboundMessage
from tests.builders import (
    make_former_leader,
    make_other_leader,
    make_recommendation_draft,
    make_submitted_recommendation,
)
from tests.clock import PINNED

pytestmark = pytest.mark.django_db
State = Recommendation.State

TRACKER = "/collectives/recommendations/"


def days(n, hours=0):
    return datetime.timedelta(days=n, hours=hours)


def page(pk):
    return f"{TRACKER}{pk}/"


def answer_url(pk):
    return f"{TRACKER}{pk}/answer/"


def manage(slug, rest=""):
    return f"/collectives/{slug}/manage/recommendations/{rest}"


def text(response):
    """The page's text without tags, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def clock(monkeypatch):
    """Pin the pages' clock at PINNED + the days given."""

    def pin(at):
        monkeypatch.setattr(recommendation_views, "now", lambda: at)

    pin(PINNED)
    return pin


@pytest.fixture
def tracked(bob, leads, frank, collective, other_collective, focus_areas):
    """Three submitted recommendations (one adopted after 12 days, one acknowledged, one just
    submitted, from two collectives) and a draft that no tracker shows."""
    hugo = make_other_leader(other_collective, actor=frank)
    adopted = make_submitted_recommendation(
        collective,
        bob,
        now=PINNED - days(40),
        title="Inclusive benefits",
        focus_areas=[focus_areas[0]],
    )
    actions.answer(
        adopted.pk,
        actor=frank,
        state=State.ADOPTED,
        text="Adopted from **July**.",
        now=PINNED - days(28),
    )
    acknowledged = make_submitted_recommendation(
        collective,
        bob,
        now=PINNED - days(5, hours=3),
        title="Pronouns in the directory",
        focus_areas=[focus_areas[1]],
    )
    actions.answer(acknowledged.pk, actor=frank, state=State.ACKNOWLEDGED, now=PINNED - days(4))
    fresh = make_submitted_recommendation(
        other_collective,
        hugo,
        now=PINNED - days(0, hours=5),
        title="Local suppliers first",
        focus_areas=[focus_areas[2]],
    )
    hidden = make_recommendation_draft(collective, bob, title="A secret draft")
    return {"adopted": adopted, "acknowledged": acknowledged, "fresh": fresh, "draft": hidden}


# --- the tracker -------------------------------------------------------------------------------


def test_the_tracker_is_public_and_lists_every_submitted_recommendation(client, tracked, clock):
    response = client.get(TRACKER)
    assert response.status_code == 200
    body = text(response)
    for title in ("Inclusive benefits", "Pronouns in the directory", "Local suppliers first"):
        assert title in body
    assert "A secret draft" not in body
    # Each row: collective, areas of focus, state, dates, and the wait (the clock is pinned).
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.S)[1:]
    first, second, third = (" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows)
    assert first.startswith("Local suppliers first Harmony Collective")
    assert "Local minority-owned businesses" in first
    assert "Submitted" in first and "Not yet" in first and "waiting less than a day" in first
    assert second.startswith("Pronouns in the directory Rainbow Collective")
    assert "Acknowledged" in second and "waiting 5 days" in second
    assert "Adopted" in third and "answered after 12 days" in third
    assert "Community partnership" in third


def test_dates_are_shown_in_the_installations_zone(client, bob, leads, collective, clock):
    late = datetime.datetime(2025, 3, 3, 3, 0, tzinfo=datetime.UTC)  # March 2, 9 pm in Chicago
    recommendation = make_submitted_recommendation(collective, bob, now=late)
    html = client.get(page(recommendation.pk)).content.decode()
    assert '<time datetime="2025-03-02T21:00:00-06:00">March 2, 2025</time>' in html


def test_the_summary_line(client, tracked, clock):
    body = text(client.get(TRACKER))
    assert "3 recommendations submitted." in body
    assert "1 answered (adopted, partly adopted or declined)," in body
    assert "2 waiting for an answer." in body
    assert "Median wait for an answer: 12 days." in body


def test_the_median_of_several_answers(client, bob, leads, frank, collective, clock):
    for waited in (2, 10, 30):
        recommendation = make_submitted_recommendation(
            collective, bob, now=PINNED - days(60), title=f"W{waited}"
        )
        actions.answer(
            recommendation.pk,
            actor=frank,
            state=State.DECLINED,
            text="No.",
            now=PINNED - days(60) + days(waited),
        )
    assert "Median wait for an answer: 10 days." in text(client.get(TRACKER))


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("state=adopted", {"Inclusive benefits"}),
        ("state=acknowledged", {"Pronouns in the directory"}),
        ("state=submitted", {"Local suppliers first"}),
        ("state=declined", set()),
        ("collective=rainbow", {"Inclusive benefits", "Pronouns in the directory"}),
        ("collective=harmony", {"Local suppliers first"}),
        ("area=recruitment-and-retention", {"Pronouns in the directory"}),
        ("collective=rainbow&area=community-partnership", {"Inclusive benefits"}),
        ("collective=harmony&state=adopted", set()),
        (
            "state=&collective=&area=",
            {"Inclusive benefits", "Pronouns in the directory", "Local suppliers first"},
        ),
    ],
)
def test_the_filters(client, tracked, clock, query, shown):
    response = client.get(f"{TRACKER}?{query}")
    assert response.status_code == 200
    titles = set(
        re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    )
    assert titles == shown
    if not shown:
        assert "No recommendation matches these filters." in text(response)


def test_the_filter_form_works_without_javascript(client, tracked, clock):
    html = client.get(TRACKER).content.decode()
    form = re.search(
        r'<form method="get" action="/collectives/recommendations/".*?</form>', html, re.S
    )
    assert form is not None
    for name in ("state", "collective", "area"):
        assert f'<label class="field__label" for="id_{name}">' in form.group(0)
        assert f'name="{name}"' in form.group(0)
    assert '<option value="draft"' not in form.group(0)
    assert 'type="submit"' in form.group(0)


def test_the_summary_follows_the_filters(client, tracked, clock):
    body = text(client.get(f"{TRACKER}?collective=rainbow"))
    assert "2 recommendations match." in body
    assert "1 waiting for an answer." in body


@pytest.mark.parametrize("query", ["state=draft", "state=nope", "collective=atlantis", "area=zzz"])
def test_a_filter_that_is_not_valid_is_named_and_ignored(client, tracked, clock, query):
    response = client.get(f"{TRACKER}?{query}")
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem" in body
    assert "from the list." in body
    assert "Inclusive benefits" in body  # the other filters (none here) still apply
    assert "A secret draft" not in body


def test_the_tracker_takes_no_post(client, tracked):
    assert client.post(TRACKER).status_code == 405


def test_the_tracker_never_names_a_person(client, tracked, clock, bob, frank):
    body = text(client.get(TRACKER))
    for name in ("Bob Leader", "Frank Admin", "Hugo Harmony", "bob@example.org"):
        assert name not in body


def test_the_tracker_query_budget(
    client, bob, leads, frank, collective, focus_areas, alice, clock, django_assert_max_num_queries
):
    def grow(n, start):
        for i in range(start, start + n):
            recommendation = make_submitted_recommendation(
                collective, bob, title=f"Recommendation {i}", focus_areas=focus_areas[:2]
            )
            if i % 2:
                actions.answer(recommendation.pk, actor=frank, state=State.ADOPTED, text="Yes.")

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(alice)
    grow(2, 0)
    few = [count(TRACKER), count(f"{TRACKER}?collective=rainbow&area=community-partnership")]
    grow(12, 2)
    many = [count(TRACKER), count(f"{TRACKER}?collective=rainbow&area=community-partnership")]
    assert many == few
    # session, person, collectives, areas, the summary, the count, the page, its areas of
    # focus, the person's roles
    with django_assert_max_num_queries(9):
        assert "Recommendation 13" in text(client.get(TRACKER))
    client.logout()
    with django_assert_max_num_queries(6):
        assert client.get(TRACKER).status_code == 200


def test_the_tracker_pages_beyond_fifty(client, bob, leads, collective, clock, monkeypatch):
    monkeypatch.setattr(recommendation_views, "TRACKER_PAGE_SIZE", 2)
    for i in range(5):
        make_submitted_recommendation(collective, bob, title=f"R{i}", now=PINNED - days(10 - i))
    first = client.get(f"{TRACKER}?collective=rainbow")
    assert "Page 1 of 3" in text(first)
    assert 'href="?collective=rainbow&amp;page=2"' in first.content.decode()
    assert "R4" in text(first) and "R2" not in text(first)
    assert "R0" in text(client.get(f"{TRACKER}?collective=rainbow&page=3"))
    assert "5 recommendations match." in text(first)


# --- a recommendation's page ----------------------------------------------------------------------


def test_a_recommendations_page_and_its_whole_history(client, tracked, clock):
    adopted = tracked["adopted"]
    response = client.get(page(adopted.pk))
    assert response.status_code == 200
    html = response.content.decode()
    body = text(response)
    assert "<h1>Inclusive benefits</h1>" in html
    assert "From Rainbow Collective" in body
    assert "Benefits do not cover <strong>all</strong> families." in html  # markdown, sanitized
    assert "Extend benefits to every family." in body
    assert "Community partnership" in body
    assert "answered after 12 days" in body
    history = html[html.index('id="history-title"') :]
    assert history.index("Submitted") < history.index("Adopted")
    assert "by Rainbow Collective" in text(response)
    assert "by the DEI office" in body
    assert "Adopted from <strong>July</strong>." in history
    for name in ("Bob Leader", "Frank Admin"):
        assert name not in body


def test_policies_are_listed_one_by_one(client, bob, leads, collective):
    recommendation = make_submitted_recommendation(
        collective, bob, policies="HR-12 Benefits\nHR-40 Leave"
    )
    html = client.get(page(recommendation.pk)).content.decode()
    assert "<li>HR-12 Benefits</li><li>HR-40 Leave</li>" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 404),
        ("alice", 404),
        ("dave", 404),
        ("grace", 404),
        ("carol", 404),
        ("former", 404),
        ("other_leader", 404),
        ("bob", 200),
        ("frank", 200),
    ],
)
def test_a_draft_is_seen_by_those_who_run_its_collective_only(
    client, request, tracked, collective, other_collective, frank, join, who, status
):
    if who == "former":
        person = make_former_leader(collective, actor=frank)
    elif who == "other_leader":
        person = other_collective.leader_roles.get().person
    elif who != "visitor":
        person = request.getfixturevalue(who)
    if who != "visitor":
        if who == "alice":
            join(person, collective, visibility="organization")
        client.force_login(person)
    response = client.get(page(tracked["draft"].pk))
    assert response.status_code == status
    if status == 200:
        assert "This is a draft" in text(response)
        assert response["Cache-Control"] == "private, no-store"


def test_no_such_recommendation(client, db):
    assert client.get(page(10**9)).status_code == 404
    assert client.get(page(2**63)).status_code == 404


def test_a_retired_collectives_recommendations_are_gone(client, tracked):
    tracked["adopted"].collective.__class__.objects.filter(slug="rainbow").update(is_active=False)
    assert client.get(page(tracked["adopted"].pk)).status_code == 404
    assert "Inclusive benefits" not in text(client.get(TRACKER))


def test_the_answer_link_is_for_administrators_while_there_is_something_to_answer(
    client, tracked, frank, bob
):
    client.force_login(frank)
    assert (
        answer_url(tracked["acknowledged"].pk)
        in client.get(page(tracked["acknowledged"].pk)).content.decode()
    )
    assert (
        answer_url(tracked["adopted"].pk)
        not in client.get(page(tracked["adopted"].pk)).content.decode()
    )
    client.force_login(bob)
    assert (
        answer_url(tracked["acknowledged"].pk)
        not in client.get(page(tracked["acknowledged"].pk)).content.decode()
    )


# --- the answer form ---------------------------------------------------------------------------


def test_the_answer_form_offers_the_allowed_states_only(client, tracked, frank):
    client.force_login(frank)
    html = client.get(answer_url(tracked["acknowledged"].pk)).content.decode()
    offered = re.findall(r'name="state" value="([a-z_]+)"', html)
    assert offered == ["under_review", "adopted", "partly_adopted", "declined"]
    html = client.get(answer_url(tracked["fresh"].pk)).content.decode()
    offered = re.findall(r'name="state" value="([a-z_]+)"', html)
    assert offered == ["acknowledged", "under_review", "adopted", "partly_adopted", "declined"]


def test_an_administrator_answers(
    client, tracked, frank, bob, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(frank)
    fresh = tracked["fresh"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(fresh.pk), {"state": "declined", "text": "Not **this** year."}
        )
    assert response.status_code == 302
    assert response.url == page(fresh.pk)
    fresh.refresh_from_db()
    assert fresh.state == State.DECLINED and fresh.answered_at is not None
    [message] = [m for m in mailoutbox if m.to == ["hugo@example.org"]]
    assert "Declined" in message.subject
    followed = client.get(response.url)
    assert "is public on the tracker" in text(followed)
    assert "Not <strong>this</strong> year." in followed.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"state": "adopted", "text": " "}, "text", "Write the answer"),
        ({"state": "", "text": "x"}, "state", "Choose the answer."),
        ({"state": "submitted", "text": "x"}, "state", "Choose one of the answers listed."),
        ({"state": "acknowledged", "text": ""}, "state", "Choose one of the answers listed."),
        ({"state": "adopted", "text": "x" * 20001}, "text", "Keep it to 20000 characters"),
    ],
)
def test_a_bad_answer_is_shown_with_its_field(client, tracked, frank, data, field, message):
    client.force_login(frank)
    acknowledged = tracked["acknowledged"]
    response = client.post(answer_url(acknowledged.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}' in html
    assert message in html
    assert response.content.decode().count("<title>Error:") == 1
    acknowledged.refresh_from_db()
    assert acknowledged.state == State.ACKNOWLEDGED


def test_a_closed_recommendation_has_nothing_to_answer(client, tracked, frank):
    client.force_login(frank)
    adopted = tracked["adopted"]
    response = client.get(answer_url(adopted.pk))
    assert response.status_code == 200
    assert "This recommendation has been answered (Adopted): it is closed." in text(response)
    assert 'name="state"' not in response.content.decode()
    response = client.post(answer_url(adopted.pk), {"state": "declined", "text": "No."})
    assert response.status_code == 409
    adopted.refresh_from_db()
    assert adopted.state == State.ADOPTED


def test_an_answer_that_lost_a_race_is_refused(client, tracked, frank, monkeypatch):
    """The form allowed it; another administrator closed it before the lock: 409, unchanged."""
    client.force_login(frank)
    fresh = tracked["fresh"]
    real = actions.answer

    def meanwhile(pk, **kwargs):
        real(pk, actor=frank, state=State.ADOPTED, text="First.")
        return real(pk, **kwargs)

    monkeypatch.setattr(actions, "answer", meanwhile)
    response = client.post(answer_url(fresh.pk), {"state": "declined", "text": "Second."})
    assert response.status_code == 409
    assert "it is closed" in text(response)
    fresh.refresh_from_db()
    assert fresh.state == State.ADOPTED


def test_a_draft_has_nothing_to_answer(client, tracked, frank):
    client.force_login(frank)
    response = client.get(answer_url(tracked["draft"].pk))
    assert "This recommendation has not been submitted yet." in text(response)
    assert client.post(answer_url(tracked["draft"].pk), {"state": "adopted"}).status_code == 409


@pytest.mark.parametrize("who", ["bob", "alice", "dave", "grace", "carol"])
def test_only_administrators_may_answer(client, request, tracked, who):
    client.force_login(request.getfixturevalue(who))
    fresh = tracked["fresh"]
    assert client.get(answer_url(fresh.pk)).status_code == 403
    assert client.post(answer_url(fresh.pk), {"state": "acknowledged"}).status_code == 403
    fresh.refresh_from_db()
    assert fresh.state == State.SUBMITTED


def test_the_answer_form_of_a_draft_is_a_404_for_outsiders(client, tracked, dave):
    client.force_login(dave)
    assert client.get(answer_url(tracked["draft"].pk)).status_code == 404


def test_visitors_are_sent_to_sign_in_before_answering(client, tracked):
    response = client.post(answer_url(tracked["fresh"].pk), {"state": "acknowledged"})
    assert response.status_code == 302 and response.url.startswith("/sign-in/?next=")


def test_the_answer_form_takes_no_put(client, tracked, frank):
    client.force_login(frank)
    assert client.put(answer_url(tracked["fresh"].pk)).status_code == 405


# --- the leaders' pages ------------------------------------------------------------------------


LEADER_PAGES = ["", "new/", "{pk}/edit/", "{pk}/submit/", "{pk}/delete/"]


@pytest.mark.parametrize("rest", LEADER_PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("bob", 200),
        ("frank", 200),
        ("alice", 403),
        ("dave", 403),
        ("grace", 403),
        ("former", 403),
        ("other_leader", 403),
    ],
)
def test_the_leaders_pages_by_role(
    client, request, bob, leads, frank, collective, other_collective, join, rest, who, status
):
    recommendation = make_recommendation_draft(collective, bob)
    if who == "former":
        person = make_former_leader(collective, actor=frank)
    elif who == "other_leader":
        person = make_other_leader(other_collective, actor=frank)
    else:
        person = request.getfixturevalue(who)
    if who == "alice":
        join(person, collective)
    client.force_login(person)
    url = manage("rainbow", rest.format(pk=recommendation.pk))
    assert client.get(url).status_code == status
    if rest:  # the forms: a POST by the wrong person changes nothing
        response = client.post(url, {"title": "Hijacked", "problem": "p", "proposal": "q"})
        if status == 403:
            assert response.status_code == 403
            recommendation.refresh_from_db()
            assert recommendation.title == "Inclusive benefits"
            assert recommendation.state == State.DRAFT


@pytest.mark.parametrize("rest", LEADER_PAGES)
def test_visitors_are_sent_to_sign_in(client, bob, leads, collective, rest):
    recommendation = make_recommendation_draft(collective, bob)
    url = manage("rainbow", rest.format(pk=recommendation.pk))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response.url.startswith("/sign-in/?next=")
    assert Recommendation.objects.get().state == State.DRAFT


@pytest.mark.parametrize(
    ("rest", "method"),
    [
        ("", "post"),
        ("new/", "put"),
        ("{pk}/edit/", "delete"),
        ("{pk}/submit/", "put"),
        ("{pk}/delete/", "patch"),
    ],
)
def test_wrong_methods(client, bob, leads, collective, rest, method):
    recommendation = make_recommendation_draft(collective, bob)
    client.force_login(bob)
    url = manage("rainbow", rest.format(pk=recommendation.pk))
    assert getattr(client, method)(url).status_code == 405


def test_no_such_collective_or_recommendation(
    client, bob, leads, collective, other_collective, frank
):
    recommendation = make_recommendation_draft(collective, bob)
    client.force_login(frank)
    assert client.get(manage("atlantis")).status_code == 404
    # A recommendation of another collective is not found under this one.
    assert client.get(manage("harmony", f"{recommendation.pk}/edit/")).status_code == 404
    assert client.post(manage("harmony", f"{recommendation.pk}/submit/")).status_code == 404
    assert client.get(manage("rainbow", f"{10**9}/edit/")).status_code == 404
    assert client.get(manage("rainbow", f"{2**63}/edit/")).status_code == 404


def test_the_drafts_page(client, bob, leads, frank, collective):
    make_recommendation_draft(collective, bob, title="Still writing")
    done = make_submitted_recommendation(collective, bob, title="Sent already")
    actions.answer(done.pk, actor=frank, state=State.ACKNOWLEDGED)
    client.force_login(bob)
    response = client.get(manage("rainbow"))
    body = text(response)
    drafts_part = body[body.index("Drafts") : body.index("Submitted Title")]
    assert "Still writing" in drafts_part and "Sent already" not in drafts_part
    assert "Sent already" in body and "Acknowledged" in body
    assert manage("rainbow", "new/") in response.content.decode()


def test_writing_a_draft(client, bob, leads, collective, focus_areas):
    client.force_login(bob)
    form = client.get(manage("rainbow", "new/")).content.decode()
    # The collective's own areas of focus are ticked to start with.
    assert re.search(rf'value="{focus_areas[0].pk}"[^>]*checked', form)
    assert not re.search(rf'value="{focus_areas[2].pk}"[^>]*checked', form)
    response = client.post(
        manage("rainbow", "new/"),
        {
            "title": "Gender-neutral restrooms",
            "problem": "Too few.",
            "proposal": "One on every floor.",
            "policies": "Facilities-3",
            "focus_areas": [str(focus_areas[1].pk)],
        },
    )
    recommendation = Recommendation.objects.get()
    assert response.status_code == 302 and response.url == page(recommendation.pk)
    assert recommendation.state == State.DRAFT
    assert list(recommendation.focus_areas.all()) == [focus_areas[1]]
    followed = text(client.get(response.url))
    assert "The draft is saved." in followed
    assert "Submit it" in followed and "Edit the draft" in followed


def test_a_draft_with_errors_is_shown_again(client, bob, leads, collective):
    client.force_login(bob)
    response = client.post(
        manage("rainbow", "new/"),
        {"title": "", "problem": "p", "proposal": "", "focus_areas": ["999999"]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error:" in html
    for field in ("title", "proposal", "focus_areas"):
        assert f'href="#id_{field}' in html
    assert "Give the recommendation a title." in html
    assert "Choose areas of focus from the list." in html
    assert not Recommendation.objects.exists()


def test_editing_a_draft(client, bob, leads, collective):
    recommendation = make_recommendation_draft(collective, bob)
    client.force_login(bob)
    url = manage("rainbow", f"{recommendation.pk}/edit/")
    form = client.get(url).content.decode()
    assert 'value="Inclusive benefits"' in form
    response = client.post(
        url, {"title": "Inclusive benefits for all", "problem": "p", "proposal": "q"}
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.title == "Inclusive benefits for all"
    assert not recommendation.focus_areas.exists()


def test_a_submitted_recommendation_cannot_be_edited(client, bob, leads, collective):
    recommendation = make_submitted_recommendation(collective, bob)
    client.force_login(bob)
    url = manage("rainbow", f"{recommendation.pk}/edit/")
    response = client.get(url)
    assert response.status_code == 302 and response.url == page(recommendation.pk)
    response = client.post(url, {"title": "Changed", "problem": "p", "proposal": "q"})
    assert response.status_code == 409
    assert "it can no longer be edited" in text(response)
    recommendation.refresh_from_db()
    assert recommendation.title == "Inclusive benefits"


def test_submitting_after_the_confirmation_step(
    client, bob, leads, frank, collective, mailoutbox, django_capture_on_commit_callbacks
):
    recommendation = make_recommendation_draft(collective, bob)
    client.force_login(bob)
    url = manage("rainbow", f"{recommendation.pk}/submit/")
    confirm = client.get(url)
    assert confirm.status_code == 200
    body = text(confirm)
    assert "Submit “Inclusive benefits”?" in body
    assert "It is submitted in the name of Rainbow Collective." in body
    recommendation.refresh_from_db()
    assert recommendation.state == State.DRAFT  # looking is not submitting
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == page(recommendation.pk)
    recommendation.refresh_from_db()
    assert recommendation.state == State.SUBMITTED
    assert [m.to for m in mailoutbox] == [["frank@example.org"]]
    again = client.post(url)
    assert again.status_code == 409
    assert "already been submitted" in text(again)
    assert client.get(url).status_code == 302  # nothing to confirm any more


def test_deleting_a_draft(client, bob, leads, collective):
    recommendation = make_recommendation_draft(collective, bob)
    client.force_login(bob)
    url = manage("rainbow", f"{recommendation.pk}/delete/")
    assert "Delete the draft “Inclusive benefits”?" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 302 and response.url == manage("rainbow")
    assert not Recommendation.objects.exists()
    assert client.post(url).status_code == 404


def test_a_submitted_recommendation_cannot_be_deleted(client, bob, leads, collective):
    recommendation = make_submitted_recommendation(collective, bob)
    client.force_login(bob)
    url = manage("rainbow", f"{recommendation.pk}/delete/")
    assert client.get(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 409
    assert "stays on the tracker" in text(response)
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


# --- the section of the collective's page --------------------------------------------------------


def test_the_collectives_page_lists_its_submitted_recommendations(client, tracked, bob, alice):
    for person in (None, alice):
        if person is not None:
            client.force_login(person)
        response = client.get("/collectives/rainbow/")
        assert response.status_code == 200
        body = text(response)
        assert "Recommendations to the organization" in body
        assert "Inclusive benefits" in body and "Adopted" in body
        assert "Pronouns in the directory" in body
        assert "Local suppliers first" not in body  # another collective's
        assert "A secret draft" not in body
        assert "Write a recommendation" not in body


def test_its_leaders_see_the_drafts_and_the_way_to_write_one(client, tracked, bob):
    client.force_login(bob)
    html = client.get("/collectives/rainbow/").content.decode()
    assert "A secret draft" in html
    assert manage("rainbow", "new/") in html
    assert manage("rainbow") in html


def test_the_section_context_in_constant_queries(
    bob, leads, frank, collective, django_assert_max_num_queries
):
    for i in range(sections.RECOMMENDATIONS_SHOWN + 3):
        make_submitted_recommendation(collective, bob, title=f"R{i}")
    make_recommendation_draft(collective, bob, title="D")
    selection = sections.select(collective, None)
    with django_assert_max_num_queries(1):
        visitor = sections.recommendations_context(collective, selection)
    assert len(visitor["recommendations"]) == sections.RECOMMENDATIONS_SHOWN
    assert visitor["recommendations_more"] is True
    assert visitor["recommendation_drafts"] == []
    assert visitor["recommendations_new_url"] == ""
    bob.refresh_from_db()
    selection = sections.select(collective, bob)
    with django_assert_max_num_queries(2):  # submitted, drafts
        leader = sections.recommendations_context(collective, selection)
    assert [r.title for r in leader["recommendation_drafts"]] == ["D"]
    assert leader["recommendations_tracker_url"] == f"{TRACKER}?collective=rainbow"


def test_waiting_grows_with_the_clock(client, bob, leads, collective, clock):
    recommendation = make_submitted_recommendation(collective, bob, now=PINNED - days(1, hours=2))
    assert "waiting 1 day" in text(client.get(page(recommendation.pk)))
    clock(PINNED + days(20))
    assert "waiting 21 days" in text(client.get(page(recommendation.pk)))
    assert "waiting 21 days" in text(client.get(TRACKER))
    assert OutboundMessage.objects.count() == 1  # frank, told once


def test_a_draft_never_leaks_through_the_tracker_filters(client, tracked, bob):
    client.force_login(bob)  # even for its own leader: the tracker is the public record
    for query in ("collective=rainbow", "state=submitted", "area=community-partnership"):
        assert "A secret draft" not in text(client.get(f"{TRACKER}?{query}"))

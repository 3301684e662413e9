"""The pages: sharing an experience (/collectives/<slug>/share/), the leaders' list and page of
shared experiences (/collectives/<slug>/manage/experiences/...), and the stories part of the
collective's page. The anonymity tests capture every log record of the request."""

import datetime
import logging
import types

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from belong.collectives import sections
from belong.collectives.actions import experiences
from belong.collectives.models import Experience
from belong.notifications.models import OutboundMessage
from belong.people.models import AuditEvent
from tests.builders import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_hour")]

TEXT = "In the break room someone said our collective was a waste of time."
SHARE = "/collectives/rainbow/share/"
THANKS = "/collectives/rainbow/share/thanks/"
LIST = "/collectives/rainbow/manage/experiences/"
CLIENT_ADDRESS = "203.0.113.77"
FORWARDED_ADDRESS = "198.51.100.23"
USER_AGENT = "WrenBrowser/4.2 (QuillOS; distinctive)"


def yesterday():
    """Leaders read an experience from the day after it was shared."""
    return timezone.localdate() - datetime.timedelta(days=1)


def detail_url(experience, slug="rainbow"):
    return f"/collectives/{slug}/manage/experiences/{experience.pk}/"


@pytest.fixture
def every_log_record(caplog):
    """Capture every log record, at DEBUG, from every logger (those that do not propagate to
    the root logger too)."""
    names = list(logging.root.manager.loggerDict)
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in names)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    attached = []
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is not logging.root and not logger.propagate:
            logger.addHandler(caplog.handler)
            attached.append(logger)
    caplog.handler.setLevel(logging.DEBUG)
    yield caplog
    for logger in attached:
        logger.removeHandler(caplog.handler)
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled


def identifying(person):
    return [person.email, person.full_name, str(person.pk), CLIENT_ADDRESS, FORWARDED_ADDRESS]


def assert_no_record_identifies(records, person):
    for record in records:
        text = f"{record.name} {record.getMessage()} {record.__dict__!r}"
        for identifier in [*identifying(person), USER_AGENT, "Wren", "wren"]:
            assert identifier not in text, f"{record.name} logged {identifier!r}: {text}"


def post_share(client, data, **extra):
    return client.post(
        SHARE,
        data,
        REMOTE_ADDR=CLIENT_ADDRESS,
        HTTP_X_FORWARDED_FOR=FORWARDED_ADDRESS,
        HTTP_USER_AGENT=USER_AGENT,
        **extra,
    )


def share_data(text=TEXT, how="anonymous", consent=False):
    data = {"text": text, "how": how}
    if consent:
        data["consent_to_publish"] = "on"
    return data


# --- the form -----------------------------------------------------------------------------------


def test_the_form_says_what_anonymous_means_before_the_choice(client, writer, collective):
    client.force_login(writer)
    response = client.get(SHARE)

    assert response.status_code == 200
    page = response.content.decode()
    explanation = page.index("Anonymous or with your name: what each means")
    choice = page.index('name="how"')
    assert explanation < choice
    note = page[explanation:choice]
    assert "your name and your email address are not stored with it" in note
    assert "nor the address of your computer or the time you send it: only the day" in note
    assert "can find out who wrote it" in note
    assert "the leaders see your name and your email address with it" in note
    assert 'value="anonymous" id="id_how_0" required checked>' in page  # the private choice
    assert 'type="checkbox" name="consent_to_publish"' in page
    assert "may publish it on the collective&#x27;s page as an anonymous story" in page
    assert '<textarea name="text"' in page
    assert "You may share up to 5 experiences an hour." in page


def test_visitors_are_sent_to_sign_in(client, collective):
    for response in (client.get(SHARE), client.post(SHARE, share_data())):
        assert response.status_code == 302
        assert response["Location"] == "/sign-in/?next=/collectives/rainbow/share/"
    assert not Experience.objects.exists()


def test_an_unknown_or_inactive_collective_is_404(client, writer, collective):
    client.force_login(writer)
    assert client.get("/collectives/nope/share/").status_code == 404
    collective.is_active = False
    collective.save(update_fields=["is_active"])
    assert client.get(SHARE).status_code == 404
    assert client.post(SHARE, share_data()).status_code == 404
    assert not Experience.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_share_page_takes_get_and_post_only(client, writer, collective, method):
    client.force_login(writer)
    assert getattr(client, method)(SHARE).status_code == 405
    assert client.post(THANKS).status_code == 405
    assert not Experience.objects.exists()


# --- an anonymous share through the page ---------------------------------------------------------


def test_an_anonymous_share_stores_nothing_identifying_and_logs_nothing_identifying(
    client, writer, collective, leads, every_log_record
):
    client.force_login(writer)
    session_before = dict(client.session.items())
    audit_before = AuditEvent.objects.count()
    every_log_record.clear()

    response = post_share(client, share_data(consent=True))
    thanks = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == THANKS
    assert thanks.status_code == 200
    assert "Thank you for sharing your experience" in thanks.content.decode()
    assert_no_record_identifies(every_log_record.records, writer)

    row = Experience.objects.values().get()
    assert row == {
        "id": row["id"],
        "collective_id": collective.pk,
        "text": TEXT,
        "person_id": None,
        "consent_to_publish": True,
        "state": "new",
        "shared_on": timezone.localdate(),
        "published_on": None,
        "story_text": "",
    }
    for value in row.values():
        for identifier in [*identifying(writer), USER_AGENT]:
            assert identifier not in str(value)
    assert AuditEvent.objects.count() == audit_before
    assert not OutboundMessage.objects.exists()
    assert dict(client.session.items()) == session_before  # nothing kept in the session
    assert "messages" not in response.cookies


def test_refused_anonymous_shares_log_nothing_identifying_either(
    client, writer, collective, settings, every_log_record
):
    """A 400 and a 429 are logged by django.request (so the capture is seen to work): by path
    only."""
    settings.EXPERIENCE_SHARES_PER_HOUR = 1
    client.force_login(writer)
    post_share(client, share_data())
    every_log_record.clear()

    bad = post_share(client, share_data(text=""))
    limited = post_share(client, share_data())

    assert (bad.status_code, limited.status_code) == (400, 429)
    assert {record.name for record in every_log_record.records} >= {"django.request"}
    assert_no_record_identifies(every_log_record.records, writer)
    assert Experience.objects.count() == 1


def test_a_named_share_keeps_the_person_and_thanks_at_the_same_address(client, writer, collective):
    client.force_login(writer)
    response = post_share(client, share_data(how="named"))

    assert response.status_code == 302
    assert response["Location"] == THANKS  # the same for both: the address tells nothing
    experience = Experience.objects.get()
    assert experience.person == writer
    assert experience.consent_to_publish is False


# --- bad input and the limit ---------------------------------------------------------------------


def test_an_empty_text_is_refused_with_the_error_summary(client, writer, collective):
    client.force_login(writer)
    response = post_share(client, share_data(text="   "))

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Write your experience: the text is empty." in page
    assert page.count("Error:") >= 2  # the title and the field
    assert not Experience.objects.exists()


def test_a_text_too_long_is_refused_and_kept(client, writer, collective):
    client.force_login(writer)
    response = post_share(client, share_data(text="x" * 5001))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep it to 5000 characters or fewer (it has 5001)." in page
    assert "x" * 5001 in page
    assert not Experience.objects.exists()


def test_a_missing_choice_is_refused(client, writer, collective):
    client.force_login(writer)
    response = post_share(client, {"text": TEXT, "how": "both"})

    assert response.status_code == 400
    assert "Choose to share it anonymously or with your name." in response.content.decode()
    assert not Experience.objects.exists()


def test_over_the_limit_the_page_answers_429_and_keeps_the_text(
    client, writer, collective, settings
):
    settings.EXPERIENCE_SHARES_PER_HOUR = 2
    client.force_login(writer)
    post_share(client, share_data())
    post_share(client, share_data(how="named"))

    response = post_share(
        client, share_data(text="My third story, <kept> as written.", consent=True)
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "You have shared 2 experiences within the hour" in page
    assert "what you wrote is kept below" in page
    assert "My third story, &lt;kept&gt; as written.</textarea>" in page
    assert 'id="id_consent_to_publish" checked>' in page
    assert Experience.objects.count() == 2
    assert not Experience.objects.filter(text__startswith="My third").exists()


# --- moderation: who may -----------------------------------------------------------------------


@pytest.fixture
def shared(collective, writer):
    """Two experiences: an anonymous one that may be published, a named one that may not."""
    anonymous = experiences.share(
        collective.pk,
        person=writer,
        text=TEXT,
        anonymous=True,
        consent_to_publish=True,
        today=yesterday(),
    )
    named = experiences.share(
        collective.pk,
        person=writer,
        text="Named and not for publication.",
        anonymous=False,
        consent_to_publish=False,
        today=yesterday(),
    )
    return types.SimpleNamespace(anonymous=anonymous, named=named)


@pytest.mark.parametrize("who", ["bob"])
def test_its_current_leaders_read_the_list(request, client, leads, shared, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 experiences" in page
    assert "In the break room someone said" in page
    assert "Anonymous" in page
    assert "Wren Quillfeather" in page  # the named one only
    assert page.count("Wren Quillfeather") == 1
    assert detail_url(shared.anonymous) in page


@pytest.mark.parametrize(
    "who", ["member", "dave", "former_leader", "other_leader", "grace", "frank"]
)
def test_nobody_else_reads_them(request, client, join, collective, leads, shared, alice, who):
    join(alice, collective)
    person = alice if who == "member" else request.getfixturevalue(who)
    client.force_login(person)

    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(shared.anonymous)).status_code == 403
    response = client.post(detail_url(shared.anonymous), {"action": "hide"})
    assert response.status_code == 403
    assert Experience.objects.get(pk=shared.anonymous.pk).state == Experience.State.NEW


def test_visitors_are_sent_to_sign_in_from_the_leaders_pages(client, leads, shared):
    for response in (
        client.get(LIST),
        client.get(detail_url(shared.anonymous)),
        client.post(detail_url(shared.anonymous), {"action": "hide"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=/collectives/rainbow/manage/")
    assert Experience.objects.get(pk=shared.anonymous.pk).state == Experience.State.NEW


def test_an_experience_of_another_collective_is_404(
    client, leads, bob, other_collective, writer, collective
):
    elsewhere = experiences.share(
        other_collective.pk,
        person=writer,
        text="Elsewhere.",
        anonymous=True,
        consent_to_publish=True,
        today=yesterday(),
    )
    client.force_login(bob)

    assert client.get(detail_url(elsewhere)).status_code == 404
    assert client.post(detail_url(elsewhere), {"action": "hide"}).status_code == 404
    assert client.get(f"/collectives/rainbow/manage/experiences/{2**63}/").status_code == 404
    assert client.get("/collectives/nope/manage/experiences/").status_code == 404
    assert Experience.objects.get(pk=elsewhere.pk).state == Experience.State.NEW


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_methods_on_the_leaders_pages(client, leads, bob, shared, method):
    client.force_login(bob)
    assert getattr(client, method)(detail_url(shared.anonymous)).status_code == 405
    assert getattr(client, method)(LIST).status_code == 405
    assert client.post(LIST).status_code == 405
    assert Experience.objects.get(pk=shared.anonymous.pk).state == Experience.State.NEW


# --- moderation: the list's filter and query budget --------------------------------------------


def test_the_list_filters_by_state(client, leads, bob, shared):
    experiences.hide(shared.named.pk, actor=bob)
    client.force_login(bob)

    default = client.get(LIST).content.decode()
    hidden = client.get(LIST, {"state": "hidden"}).content.decode()
    everything = client.get(LIST, {"state": "all"}).content.decode()
    bad = client.get(LIST, {"state": "secret"})

    assert "In the break room" in default and "Named and not" not in default
    assert "Named and not" in hidden and "In the break room" not in hidden
    assert "Named and not" in everything and "In the break room" in everything
    assert bad.status_code == 400
    assert "Choose a state from the list." in bad.content.decode()


def test_the_list_has_a_constant_query_budget(
    client, leads, bob, collective, django_assert_max_num_queries
):
    def add(count):
        for index in range(count):
            person = make_person(f"writer{index}-{count}@example.org", f"Writer {index}")
            experiences.share(
                collective.pk,
                person=person,
                text=f"Experience {index}.",
                anonymous=index % 2 == 0,
                consent_to_publish=index % 3 == 0,
                today=yesterday(),
            )

    client.force_login(bob)
    add(3)
    client.get(LIST)  # warm the per-process caches (content types, site settings)
    with django_assert_max_num_queries(12) as small:
        assert client.get(LIST).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert "23 experiences" in response.content.decode()


# --- moderation: the experience's page -----------------------------------------------------------


def test_the_page_shows_the_experience_and_what_may_be_done(client, leads, bob, shared, writer):
    client.force_login(bob)
    anonymous = client.get(detail_url(shared.anonymous)).content.decode()
    named = client.get(detail_url(shared.named)).content.decode()

    assert TEXT in anonymous
    assert "Anonymous: nothing stored identifies the writer." in anonymous
    assert writer.email not in anonymous and "Wren" not in anonymous
    assert 'name="story_text"' in anonymous
    assert f"{TEXT}</textarea>" in anonymous  # the story starts as the text
    assert 'value="mark_read"' in anonymous and 'value="hide"' in anonymous
    assert "Wren Quillfeather" in named and "mailto:wren.writer@example.org" in named
    assert 'name="story_text"' not in named
    assert "The writer did not agree to publication" in named


def test_a_leader_marks_read_publishes_unpublishes_and_hides(client, leads, bob, shared):
    client.force_login(bob)
    url = detail_url(shared.anonymous)

    response = client.post(url, {"action": "mark_read"})
    assert response.status_code == 302 and response["Location"] == url
    assert "Marked as read." in client.get(url).content.decode()
    assert Experience.objects.get(pk=shared.anonymous.pk).state == "read"

    response = client.post(url, {"action": "publish", "story_text": "Someone mocked us."})
    assert response.status_code == 302
    stored = Experience.objects.get(pk=shared.anonymous.pk)
    assert (stored.state, stored.story_text) == ("published", "Someone mocked us.")
    assert stored.published_on == timezone.localdate()
    page = client.get(url).content.decode()
    assert "Published on the collective&#x27;s page as an anonymous story." in page
    assert 'value="unpublish"' in page and 'value="mark_read"' not in page

    assert client.post(url, {"action": "unpublish"}).status_code == 302
    assert Experience.objects.get(pk=shared.anonymous.pk).state == "read"
    assert client.post(url, {"action": "hide"}).status_code == 302
    assert Experience.objects.get(pk=shared.anonymous.pk).state == "hidden"


def test_an_empty_story_publishes_the_text_as_written(client, leads, bob, shared):
    client.force_login(bob)
    response = client.post(detail_url(shared.anonymous), {"action": "publish", "story_text": ""})

    assert response.status_code == 302
    assert Experience.objects.get(pk=shared.anonymous.pk).story_text == TEXT


def test_publishing_without_consent_is_refused_on_the_page(client, leads, bob, shared):
    client.force_login(bob)
    response = client.post(detail_url(shared.named), {"action": "publish", "story_text": "No."})

    assert response.status_code == 409
    assert "The writer did not agree to publication, so it cannot be published." in (
        response.content.decode()
    )
    stored = Experience.objects.get(pk=shared.named.pk)
    assert (stored.state, stored.story_text) == ("new", "")


def test_a_story_too_long_is_refused_and_kept(client, leads, bob, shared):
    client.force_login(bob)
    response = client.post(
        detail_url(shared.anonymous), {"action": "publish", "story_text": "s" * 5001}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep it to 5000 characters or fewer (it has 5001)." in page
    assert "s" * 5001 in page
    assert Experience.objects.get(pk=shared.anonymous.pk).state == "new"


def test_mark_read_on_a_published_story_and_an_unknown_action_are_refused(
    client, leads, bob, shared
):
    experiences.publish(shared.anonymous.pk, actor=bob)
    client.force_login(bob)

    conflict = client.post(detail_url(shared.anonymous), {"action": "mark_read"})
    unknown = client.post(detail_url(shared.anonymous), {"action": "delete"})

    assert conflict.status_code == 409
    assert "unpublish it first" in conflict.content.decode()
    assert unknown.status_code == 400
    assert "Choose what to do" in unknown.content.decode()
    assert Experience.objects.get(pk=shared.anonymous.pk).state == "published"


# --- the stories on the collective's page --------------------------------------------------------


def render_stories(collective, person):
    request = RequestFactory().get(f"/collectives/{collective.slug}/")
    request.user = person
    return render_to_string(
        "collectives/partials/detail_stories.html",
        sections.stories_context(collective, sections.select(collective, person)),
        request=request,
    )


def test_published_stories_show_their_text_and_month_only(collective, leads, bob, shared):
    edited = experiences.publish(
        shared.anonymous.pk,
        actor=bob,
        story_text="Someone called our work a waste.",
        today=datetime.date(2025, 3, 14),
    )
    experiences.share(
        collective.pk,
        person=bob,
        text="Not published.",
        anonymous=True,
        consent_to_publish=True,
    )

    page = render_stories(collective, AnonymousUser())

    assert "Someone called our work a waste." in page
    assert "An anonymous story, published in March 2025" in page
    assert "14" not in page.split("published in")[1][:20]  # no day
    assert TEXT not in page  # the text as written stays with the leaders
    assert "Not published." not in page
    assert "Named and not" not in page
    assert edited.shared_on.isoformat() not in page


def test_visitors_get_a_sign_in_link_and_the_signed_in_the_form(collective, alice, leads, bob):
    visitor = render_stories(collective, AnonymousUser())
    member = render_stories(collective, alice)
    leader = render_stories(collective, bob)

    assert "Sign in to share an experience" in visitor
    assert "next=/collectives/rainbow/share/" in visitor
    assert 'href="/collectives/rainbow/share/"' not in visitor
    assert "No stories have been published yet." in visitor
    assert 'href="/collectives/rainbow/share/">Share an experience' in member
    assert LIST not in member
    assert f'href="{LIST}"' in leader


def test_the_stories_take_one_query_for_visitors(
    collective, leads, bob, shared, django_assert_num_queries
):
    experiences.publish(shared.anonymous.pk, actor=bob)
    selection = sections.select(collective, AnonymousUser())
    with django_assert_num_queries(1):
        context = sections.stories_context(collective, selection)
    assert [story["story_text"] for story in context["stories"]] == [TEXT]
    assert set(context["stories"][0]) == {"story_text", "published_on"}

"""The course page at /training/<slug>/: what a course is, its objectives and pre-work, the
confidentiality note, its upcoming sessions with seats left, who sees which session, the
request link, 404s and the query budget."""

import re
import tomllib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

import belong.home
from belong.events.models import Event, Registration
from belong.training.models import Course, LearningObjective, PreworkFile
from tests.builders import (
    fill,
    make_campuses,
    make_catalog_session,
    make_course,
    make_topic,
    new_people,
)

pytestmark = pytest.mark.django_db

SEED = tomllib.loads(
    (Path(belong.home.__file__).parent / "content" / "seed.toml").read_text(encoding="utf-8")
)
SEED_COURSES = {item["slug"]: item for item in SEED["courses"]}


def page(client, slug, status=200):
    response = client.get(f"/training/{slug}/")
    assert response.status_code == status
    return response


def upcoming_section(html):
    return re.search(
        r'<section class="section" aria-labelledby="upcoming-title">(.*?)</section>', html, re.S
    ).group(1)


# --- the seeded courses ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(SEED_COURSES))
def test_objectives_are_the_seeds_verbatim_in_order(client, content, slug):
    html = page(client, slug).content.decode()
    listed = re.search(r'<ol class="numbered prose">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    assert items == [str(escape(text)) for text in SEED_COURSES[slug]["objectives"]]
    assert "<h2>Learning objectives</h2>" in html


def test_the_seeded_course_page_has_description_length_and_the_note(client, content):
    html = page(client, "implicit-bias").content.decode()
    seed = SEED_COURSES["implicit-bias"]
    assert f"<h1>{seed['title']}</h1>" in html
    assert str(escape(seed["description"])) in html
    assert "90 minutes" in html
    assert "Workshops are live and never recorded" in html
    assert "Foundational workshop" in html
    # its seeded sessions are long past: none upcoming, and it says so
    assert "No sessions of this workshop are scheduled right now" in html


# --- contents -------------------------------------------------------------------------------------


@pytest.fixture
def workshop(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    twin_cities, duluth = make_campuses()
    made = make_course(
        title="Speak Up",
        slug="speak-up",
        description="How to speak up when it matters.",
        duration_minutes=75,
        prework="Read the short case before you come: https://example.org/case",
        topics=[make_topic("Communication")],
        foundational=True,
    )
    LearningObjective.objects.create(course=made, order=2, text="Second: practise a response.")
    LearningObjective.objects.create(course=made, order=1, text="First: notice what happened.")
    made.open_session = make_catalog_session(made, days=5, capacity=30, format=Event.Format.VIRTUAL)
    made.full_session = make_catalog_session(
        made, days=9, capacity=2, format=Event.Format.IN_PERSON, campus=twin_cities
    )
    fill(made.full_session, new_people(2))
    made.hybrid_session = make_catalog_session(
        made, days=12, capacity=None, format=Event.Format.HYBRID, campus=duluth, minimum=0
    )
    made.handout = PreworkFile.objects.create(
        course=made,
        title="The case (PDF)",
        file=SimpleUploadedFile("case.pdf", b"%PDF-1.4 case"),
        content_type="application/pdf",
        size=13,
    )
    return made


def test_objectives_are_an_ordered_list_in_their_order(client, workshop):
    html = page(client, "speak-up").content.decode()
    listed = re.search(r'<ol class="numbered prose">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == [
        "First: notice what happened.",
        "Second: practise a response.",
    ]


def test_description_duration_formats_topics_and_the_confidentiality_note(client, workshop):
    html = page(client, "speak-up").content.decode()
    assert "How to speak up when it matters." in html
    assert "75 minutes" in html
    # no formats on the course: the formats of its upcoming sessions, in a fixed order
    assert "<dd>In person, Virtual, Hybrid</dd>" in html
    assert "Communication" in html
    assert "Workshops are live and never recorded, for confidentiality." in html


def test_the_courses_own_formats_come_first(client, workshop):
    Course.objects.filter(pk=workshop.pk).update(formats="Virtual, In person")
    assert "<dd>Virtual, In person</dd>" in page(client, "speak-up").content.decode()


def test_prework_text_and_files_with_their_download_links(client, workshop):
    html = page(client, "speak-up").content.decode()
    assert "Read the short case before you come:" in html
    assert '<a href="https://example.org/case"' in html  # links in the text are links
    link = reverse("training:prework_file", args=[workshop.handout.pk])
    assert f'<a href="{link}">The case (PDF)</a>' in html


def test_visitors_are_told_to_sign_in_for_the_files(client, workshop, alice):
    hint = "Sign in to download the files."
    html = page(client, "speak-up").content.decode()
    assert hint in html and 'href="/sign-in/?next=/training/speak-up/"' in html
    client.force_login(alice)
    assert hint not in page(client, "speak-up").content.decode()


def test_prework_is_in_the_facts_and_links_to_its_section(client, workshop):
    html = page(client, "speak-up").content.decode()
    assert '<h2 id="prework-title">Pre-work</h2>' in html
    assert '<dt>Pre-work</dt><dd><a href="#prework-title">Yes, before the session</a></dd>' in html


@pytest.mark.parametrize("kept", ["text", "file"])
def test_either_text_or_a_file_is_pre_work(client, workshop, kept):
    if kept == "text":
        workshop.prework_files.all().delete()
    else:
        Course.objects.filter(pk=workshop.pk).update(prework="")
    html = page(client, "speak-up").content.decode()
    assert '<h2 id="prework-title">Pre-work</h2>' in html
    assert "<dt>Pre-work</dt>" in html


def test_no_prework_shows_no_prework_at_all(client, workshop):
    """Without pre-work text or files the page does not mention pre-work ("Pre-work: None")."""
    workshop.prework_files.all().delete()
    Course.objects.filter(pk=workshop.pk).update(prework="")
    html = page(client, "speak-up").content.decode()
    assert '<h2 id="prework-title">' not in html
    assert "Pre-work" not in html
    assert "<dd>None</dd>" not in html


@pytest.mark.parametrize("slug", sorted(SEED_COURSES))
def test_the_seeded_courses_without_prework_do_not_mention_it(client, content, slug):
    course = Course.objects.get(slug=slug)
    html = page(client, slug).content.decode()
    has_prework = bool(course.prework) or course.prework_files.exists()
    assert ("Pre-work" in html) == has_prework


def test_session_facts_use_separators_that_do_not_dangle(client, workshop):
    """See tests/e2e/test_training_layout.py for the layout itself."""
    html = upcoming_section(page(client, "speak-up").content.decode())
    assert html.count('<ul class="event__meta event__meta--facts">') == 3
    assert '<ul class="event__meta">' not in html


def test_upcoming_sessions_with_seats_left_and_links_to_their_pages(client, workshop):
    section = upcoming_section(page(client, "speak-up").content.decode())
    for session in (workshop.open_session, workshop.full_session, workshop.hybrid_session):
        assert f'href="{reverse("events:detail", args=[session.pk])}"' in section
    assert "30 seats left" in section
    assert "Full: join the waitlist" in section
    assert "No seat limit" in section
    assert "6 more registrants needed to run" in section
    assert "4 more registrants needed to run" in section
    assert "Twin Cities campus" in section and "Duluth campus" in section
    # in date order
    positions = [
        section.index(reverse("events:detail", args=[s.pk]) + '"')
        for s in (workshop.open_session, workshop.full_session, workshop.hybrid_session)
    ]
    assert positions == sorted(positions)


def test_past_and_cancelled_sessions_are_not_upcoming(client, workshop):
    past = make_catalog_session(workshop, days=-4)
    cancelled = make_catalog_session(workshop, days=6, status=Event.Status.CANCELLED)
    response = page(client, "speak-up")
    upcoming = [s.pk for s in response.context["upcoming"]]
    assert past.pk not in upcoming and cancelled.pk not in upcoming
    assert [s.pk for s in response.context["past"]] == [past.pk]
    assert reverse("events:detail", args=[cancelled.pk]) not in response.content.decode()


def test_a_link_to_request_a_session_for_a_group(client, workshop):
    html = page(client, "speak-up").content.decode()
    target = reverse("training:request")
    assert f'href="{target}?course=speak-up"' in html
    assert "Request a session for your group" in html


# --- who sees which sessions ----------------------------------------------------------------------


@pytest.fixture
def private(workshop, bob):
    organization = make_catalog_session(workshop, days=7, visibility=Event.Visibility.ORGANIZATION)
    invitation = make_catalog_session(
        workshop, days=8, visibility=Event.Visibility.INVITATION, invitation_code="code"
    )
    fill(invitation, [bob])
    return organization, invitation


def test_visitors_see_public_sessions_only(client, private):
    organization, invitation = private
    section = upcoming_section(page(client, "speak-up").content.decode())
    assert reverse("events:detail", args=[organization.pk]) not in section
    assert reverse("events:detail", args=[invitation.pk]) not in section


def test_members_see_organization_sessions_not_others_invitations(client, private, dave):
    organization, invitation = private
    client.force_login(dave)
    section = upcoming_section(page(client, "speak-up").content.decode())
    assert reverse("events:detail", args=[organization.pk]) in section
    assert reverse("events:detail", args=[invitation.pk]) not in section


def test_the_invited_see_their_session(client, private, bob):
    _, invitation = private
    client.force_login(bob)
    section = upcoming_section(page(client, "speak-up").content.decode())
    assert reverse("events:detail", args=[invitation.pk]) in section


# --- 404 ------------------------------------------------------------------------------------------


def test_a_course_no_longer_offered_is_404(client, workshop, alice):
    Course.objects.filter(pk=workshop.pk).update(is_active=False)
    page(client, "speak-up", status=404)
    client.force_login(alice)
    page(client, "speak-up", status=404)


@pytest.mark.parametrize("slug", ["no-such-course", "speak-up-2", "SPEAK-UP"])
def test_an_unknown_slug_is_404(client, workshop, slug):
    page(client, slug, status=404)


def test_the_page_only_answers_reading(client, workshop):
    assert client.post("/training/speak-up/").status_code == 405
    assert client.head("/training/speak-up/").status_code == 200


# --- query budget ---------------------------------------------------------------------------------


def count_queries(client):
    with CaptureQueriesContext(connection) as context:
        page(client, "speak-up")
    return len(context.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_costs_the_same_for_few_and_many_sessions(
    client, workshop, alice, signed_in, django_assert_max_num_queries
):
    if signed_in:
        client.force_login(alice)
    few = count_queries(client)
    for days in range(20, 40):
        session = make_catalog_session(workshop, days=days, capacity=3)
        fill(session, new_people(2))
        fill(
            make_catalog_session(workshop, days=-days),
            new_people(1),
            state=Registration.State.ATTENDED,
        )
    for order in range(3, 12):
        LearningObjective.objects.create(course=workshop, order=order, text=f"Objective {order}")
    many = count_queries(client)
    assert many == few
    with django_assert_max_num_queries(10 if signed_in else 8):
        page(client, "speak-up")

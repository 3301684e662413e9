"""invite_attendees and the evaluation_requests periodic job: who is invited, once, and the mail."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from belong.events.models import Event, Registration
from belong.home import periodic
from belong.notifications.models import OutboundMessage
from belong.training.actions.evaluations import (
    closes_at,
    invite_attendees,
    request_due_evaluations,
    token_digest,
)
from belong.training.models import EvaluationInvite, PublishedEvaluation
from tests.builders import OBJECTIVES, event_row, make_attended, make_course, make_registration

pytestmark = pytest.mark.django_db

State = Registration.State
LINK = re.compile(r"https?://[^\s\"<]+/training/evaluate/([A-Za-z0-9_-]+)/")


@pytest.fixture
def session(db):
    return event_row(host=make_course(objectives=OBJECTIVES), days=-1)


def test_only_attendees_are_invited(session, alice, bob, dave, erin, grace):
    attended = make_attended(session, alice)
    make_registration(session, bob, State.NO_SHOW)
    make_registration(session, dave, State.REGISTERED)
    make_registration(session, erin, State.CANCELLED)
    make_registration(session, grace, State.WAITLISTED)

    assert invite_attendees(event=session) == 1

    invites = list(EvaluationInvite.objects.all())
    assert [invite.registration_id for invite in invites] == [attended.pk]
    assert not invites[0].used
    assert list(OutboundMessage.objects.values_list("to_email", flat=True)) == ["alice@example.org"]


def test_inviting_twice_changes_nothing(session, alice, bob):
    make_attended(session, alice)
    assert invite_attendees(event=session) == 1
    make_attended(session, bob)

    assert invite_attendees(event=session) == 1  # only bob, marked since
    assert invite_attendees(event=session) == 0
    assert EvaluationInvite.objects.count() == 2
    assert OutboundMessage.objects.count() == 2


def test_a_cancelled_session_gets_no_invitations(session, alice):
    make_attended(session, alice)
    session.status = Event.Status.CANCELLED
    session.save(update_fields=["status"])

    assert invite_attendees(event=session) == 0
    assert not EvaluationInvite.objects.exists()


def test_an_event_without_a_course_gets_no_invitations(alice):
    lecture = event_row(kind=Event.Kind.LECTURE, title="Lecture", days=-1, hours=1)
    make_attended(lecture, alice)

    assert invite_attendees(event=lecture) == 0


def test_only_a_digest_of_the_token_is_stored(session, alice):
    make_attended(session, alice)
    invite_attendees(event=session)

    token = LINK.search(OutboundMessage.objects.get().body_text).group(1)
    invite = EvaluationInvite.objects.get()
    assert len(token) >= 43  # secrets.token_urlsafe(32)
    assert invite.token == token_digest(token)
    assert token not in invite.token


def test_the_mail_carries_the_link_and_the_anonymity_promise(
    session, alice, mailoutbox, django_capture_on_commit_callbacks
):
    make_attended(session, alice)
    with django_capture_on_commit_callbacks(execute=True):
        invite_attendees(event=session)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.org"]
    assert mail.subject == f"How was “{session.title}”? Your anonymous evaluation"
    text = mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    token = LINK.search(text).group(1)
    assert EvaluationInvite.objects.get().token == token_digest(token)
    assert f"/training/evaluate/{token}/" in html
    for body in (text, html):
        assert "stored without your name" in body
        assert "only if at least 5 people answered" in " ".join(body.split())
        assert session.title in body
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert OutboundMessage.objects.get().key.startswith("evaluation-request:")


def test_the_threshold_in_the_mail_follows_the_setting(session, alice, settings):
    settings.EVALUATION_MIN_RESPONSES = 8
    make_attended(session, alice)
    invite_attendees(event=session)

    assert "at least 8 people" in OutboundMessage.objects.get().body_text


def test_the_mail_is_in_the_persons_language(session, alice):
    alice.language = "es"
    alice.save(update_fields=["language"])
    make_attended(session, alice)
    invite_attendees(event=session)

    message = OutboundMessage.objects.get()
    assert 'lang="es"' in message.body_html


# --- the periodic job ---------------------------------------------------------------------------


def test_the_job_invites_attendees_of_sessions_whose_evaluation_is_open(
    alice, bob, carol, dave, erin
):
    course = make_course(objectives=OBJECTIVES)
    now = timezone.now()
    recent = event_row(host=course, days=-13)
    closed = event_row(host=course, days=-15)
    running = event_row(host=course, ago=datetime.timedelta(minutes=90))
    cancelled = event_row(host=course, days=-1, status=Event.Status.CANCELLED)
    already_published = event_row(host=course, days=-2)
    PublishedEvaluation.objects.create(
        event=already_published, published_at=now, threshold=5, shown=False
    )
    wanted = make_attended(recent, alice)
    make_attended(closed, bob)
    make_attended(running, carol)
    make_attended(cancelled, dave)
    make_attended(already_published, erin)

    assert request_due_evaluations(now=now) == 1
    assert list(EvaluationInvite.objects.values_list("registration", flat=True)) == [wanted.pk]


def test_no_invitation_before_the_session_ends_or_after_its_window(alice, bob, settings):
    course = make_course(objectives=OBJECTIVES)
    running = event_row(host=course, ago=datetime.timedelta(minutes=90))
    make_attended(running, alice)
    settings.EVALUATION_WINDOW_DAYS = 2
    closed = event_row(host=course, days=-3)
    make_attended(closed, bob)

    assert invite_attendees(event=running) == 0
    assert invite_attendees(event=closed) == 0
    assert not EvaluationInvite.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_mail_says_until_when_answers_are_taken(session, alice):
    make_attended(session, alice)
    invite_attendees(event=session)

    message = OutboundMessage.objects.get()
    day = date_format(timezone.localtime(closes_at(session)), "DATE_FORMAT")
    for body in (message.body_text, message.body_html):
        assert f"You can answer until {day}." in " ".join(body.split())


def test_the_job_is_idempotent(alice, bob):
    session = event_row(host=make_course(objectives=OBJECTIVES), days=-1)
    make_attended(session, alice)
    make_attended(session, bob)

    first = periodic.JOBS["evaluation_requests"]()
    second = periodic.JOBS["evaluation_requests"]()

    assert first == "2 evaluation request(s) queued"
    assert second == "0 evaluation request(s) queued"
    assert EvaluationInvite.objects.count() == 2
    assert OutboundMessage.objects.count() == 2

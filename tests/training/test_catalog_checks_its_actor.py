"""Actions check their actor (docs/development.md "Who may"): every verb of the training
catalog, the lectures' and the cancelling and keeping of sessions included, refuses someone who
does not run the catalog, whatever page, endpoint or script calls it; the events engine's
attendance refuses someone who does not run the event; a cycle's kickoff is changed by a
mentorship coordinator only. Nothing is written on a refusal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from belong.events import actions as engine
from belong.events.models import Event, Registration
from belong.mentorship.actions import cycles as mentorship
from belong.training.actions import catalog
from belong.training.models import Course, PreworkFile
from tests.builders import (
    event_row,
    local_day_at,
    make_course,
    make_lecture,
    make_registration,
    make_session,
    new_facilitator,
    new_person,
    open_cycle,
    upload,
)

pytestmark = pytest.mark.django_db


def day(days, hour=10):
    start = local_day_at(days, hour)
    return start, start + datetime.timedelta(hours=2)


def attempts(course, session, lecture):
    start, end = day(9)
    pdf = upload("notes.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    return {
        "create_course": lambda who: catalog.create_course(
            actor=who, title="Allyship", slug="allyship", duration_minutes=60
        ),
        "update_course": lambda who: catalog.update_course(course.pk, actor=who, title="Changed"),
        "schedule_sessions": lambda who: catalog.schedule_sessions(
            course.pk, actor=who, dates=[(start, end)]
        ),
        "update_session": lambda who: catalog.update_session(session.pk, actor=who, place="X"),
        "add_prework_file": lambda who: catalog.add_prework_file(
            actor=who, upload=pdf, course=course
        ),
        "create_lecture": lambda who: catalog.create_lecture(
            actor=who, title="Talk", start=start, end=end
        ),
        "update_lecture": lambda who: catalog.update_lecture(lecture.pk, actor=who, place="Y"),
        "cancel_catalog_event": lambda who: catalog.cancel_catalog_event(
            session.pk, actor=who, reason="No"
        ),
        "keep_short_session": lambda who: catalog.keep_short_session(session.pk, actor=who),
    }


def state():
    return (
        list(Course.objects.values_list("pk", "title").order_by("pk")),
        list(Event.objects.values_list("pk", "place", "status", "kept_short_at").order_by("pk")),
        PreworkFile.objects.count(),
    )


@pytest.mark.parametrize(
    "verb",
    [
        "create_course",
        "update_course",
        "schedule_sessions",
        "update_session",
        "add_prework_file",
        "create_lecture",
        "update_lecture",
        "cancel_catalog_event",
        "keep_short_session",
    ],
)
def test_every_catalog_verb_refuses_who_does_not_run_the_catalog(verb, carol, erin):
    course = make_course(title="Implicit Bias")
    session = make_session(course, days=3)
    lecture = make_lecture(days=4)
    facilitator = new_facilitator()  # runs a session's roster, never the catalog
    before = state()
    for someone in (new_person("outsider"), facilitator, erin):
        with pytest.raises(PermissionDenied):
            attempts(course, session, lecture)[verb](someone)
    assert state() == before
    # The same verb works for a training coordinator.
    attempts(course, session, lecture)[verb](carol)
    assert state() != before


def test_deleting_a_prework_file_is_the_catalogs_too(carol):
    course = make_course()
    pdf = upload("notes.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    item = catalog.add_prework_file(actor=carol, upload=pdf, course=course)
    with pytest.raises(PermissionDenied):
        catalog.delete_prework_file(item.pk, actor=new_facilitator())
    assert PreworkFile.objects.filter(pk=item.pk).exists()
    catalog.delete_prework_file(item.pk, actor=carol)
    assert not PreworkFile.objects.filter(pk=item.pk).exists()


def test_attendance_is_for_who_runs_the_event(carol):
    mine, theirs = new_facilitator(), new_facilitator()
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=0)
    event.facilitators.set([mine])
    registration = make_registration(event, new_person("learner"))
    for someone in (theirs, new_person("outsider")):
        with pytest.raises(PermissionDenied):
            engine.mark_attendance(event.pk, actor=someone, attended=[registration.pk])
    registration.refresh_from_db()
    assert registration.state == Registration.State.REGISTERED
    assert engine.mark_attendance(event.pk, actor=mine, attended=[registration.pk]) == 1
    registration.refresh_from_db()
    assert registration.state == Registration.State.ATTENDED


def test_a_kickoff_is_changed_by_a_mentorship_coordinator_only(erin, carol):
    cycle = open_cycle(erin)
    start, end = day(20)
    mentorship.schedule_kickoff(
        cycle.pk, actor=erin, title="Kickoff", start=start, end=end, visibility="organization"
    )
    for someone in (carol, new_person("outsider")):
        with pytest.raises(PermissionDenied):
            mentorship.update_kickoff(cycle.pk, actor=someone, place="Elsewhere")
    cycle.refresh_from_db()
    assert cycle.kickoff.place == ""
    event, _promoted = mentorship.update_kickoff(cycle.pk, actor=erin, place="The Commons")
    assert event.place == "The Commons" and event.start == start
    assert timezone.is_aware(event.start)

"""Races on mentorship, with real threads against PostgreSQL: a mentor's last place and an
ambassador's answer are decided under a row lock, so concurrent requests never overfill a
mentor nor accept a request twice."""

import pytest
from django.utils import timezone

from belong.mentorship.actions import connections, life, matchmaking
from belong.mentorship.actions import cycles as actions
from belong.mentorship.models import ApplicantRequest, Match
from belong.notifications.models import OutboundMessage
from tests.builders import make_person, open_cycle
from tests.concurrency.test_outbox_race import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 6


def test_a_mentors_last_place_goes_to_one_mentee(erin):
    today = timezone.localdate()
    cycle = open_cycle(erin, closes=5, matching=6, title="Race cycle")
    mentor = make_person("mentor@example.org", "The Mentor")
    mentor_enrollment, _ = actions.enrol(
        cycle.pk, person=mentor, role="mentor", today=today, training_level="professor", capacity=1
    )
    mentees = []
    for number in range(WORKERS):
        person = make_person(f"mentee{number}@example.org", f"Mentee {number}")
        enrollment, _ = actions.enrol(
            cycle.pk,
            person=person,
            role="mentee",
            today=today,
            training_level="pgy1",
            meeting=["in_person"],
        )
        mentees.append(enrollment)
    run = matchmaking.run(cycle.pk, actor=erin)  # nobody matches (nothing shared)
    matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    queue = list(mentees)

    def rematch_one():
        enrollment = queue.pop()
        try:
            life.rematch(
                cycle.pk, actor=erin, mentee_id=enrollment.pk, mentor_id=mentor_enrollment.pk
            )
        except actions.Refused as refusal:
            return refusal.field
        return "matched"

    results, errors = run_together(rematch_one, workers=WORKERS)
    assert not errors
    assert sorted(results) == ["matched"] + ["mentor"] * (WORKERS - 1)
    assert Match.objects.filter(mentor=mentor_enrollment, state="active").count() == 1


def test_a_request_is_accepted_once():
    ambassador_person = make_person("amb@example.org", "Amb Assador")
    ambassador_person.kind = "faculty"
    ambassador_person.save(update_fields=["kind"])
    connections.volunteer(
        ambassador_person,
        programs=[],
        interests=[],
        introduction="",
        show_name=False,
        monthly_limit=5,
        active=True,
    )
    request = connections.request_conversation(
        name="Ana", email="ana@applicant.example", program=None, interests=[], message=""
    )
    ApplicantRequest.objects.filter(pk=request.pk).update(state="waiting")
    connections._route(ApplicantRequest.objects.get(pk=request.pk), now=timezone.now())

    def accept():
        try:
            connections.answer(request.pk, person=ambassador_person, accept=True)
        except actions.Refused:
            return "refused"
        return "accepted"

    results, errors = run_together(accept, workers=WORKERS)
    assert not errors
    assert sorted(results) == ["accepted"] + ["refused"] * (WORKERS - 1)
    assert OutboundMessage.objects.filter(to_email="ana@applicant.example").count() == 2

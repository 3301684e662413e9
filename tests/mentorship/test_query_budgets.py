"""The mentorship's list pages take the same number of queries however many people they list:
the coordinator's review of a run, the matches, the applicant connections; the ambassador's
requests; the program page."""

import pytest
from django.utils import timezone

from belong.mentorship.actions import connections, life, matchmaking
from belong.mentorship.models import ApplicantRequest
from tests.builders import enrol_mentee, enrol_mentor, make_person, queries_for

pytestmark = pytest.mark.django_db
_numbers = iter(range(10_000))


def pairs(cycle, n, today):
    """`n` mentees and `n` mentors who share a language: the engine pairs them all."""
    for _ in range(n):
        number = next(_numbers)
        mentee = make_person(f"mentee{number}@example.org", f"Mentee {number}")
        mentor = make_person(f"mentor{number}@example.org", f"Mentor {number}")
        enrol_mentee(cycle, mentee, today=today, languages=["es"])
        enrol_mentor(cycle, mentor, today=today, training_level="professor", languages=["es"])


def test_the_review_and_the_matches_pages(client, erin, cycle, today):
    client.force_login(erin)
    pairs(cycle, 2, today)
    matchmaking.run(cycle.pk, actor=erin)
    review = f"/mentorship/manage/cycles/{cycle.pk}/matching/"
    cycle_page = f"/mentorship/manage/cycles/{cycle.pk}/"
    few = [queries_for(client, review), queries_for(client, cycle_page)]
    pairs(cycle, 8, today)
    run = matchmaking.run(cycle.pk, actor=erin)
    assert run.proposals.count() == 10
    assert [queries_for(client, review), queries_for(client, cycle_page)] == few

    matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    matches = f"/mentorship/manage/cycles/{cycle.pk}/matches/"
    for match in cycle.matches.all():
        life.log_meeting(
            match.pk, person=match.mentee.person, met_on=timezone.localdate(), minutes=30
        )
    many = queries_for(client, matches)
    for match in list(cycle.matches.order_by("pk"))[2:]:
        match.meetings.all().delete()
        match.delete()
    assert cycle.matches.count() == 2
    assert queries_for(client, matches) == many


def test_the_connections_pages(client, erin, programs_and_ambassadors):
    client.force_login(erin)
    few = queries_for(client, "/mentorship/manage/connections/")
    public_few = queries_for(client, "/mentorship/connect/")
    programs_and_ambassadors(8, requests=8)
    assert queries_for(client, "/mentorship/manage/connections/") == few
    assert queries_for(client, "/mentorship/connect/") == public_few


@pytest.fixture
def programs_and_ambassadors(db):
    def make(n, requests=0):
        for _ in range(n):
            number = next(_numbers)
            person = make_person(f"amb{number}@example.org", f"Ambassador {number}")
            person.kind = "faculty"
            person.save(update_fields=["kind"])
            connections.volunteer(
                person,
                programs=[],
                interests=["recruitment"],
                introduction="Hello.",
                show_name=True,
                monthly_limit=1,
                active=True,
            )
        for number in range(requests):
            ApplicantRequest.objects.create(
                name=f"A{number}",
                email=f"a{number}@applicant.example",
                token_hash=f"t{number}-{n}",
                state=ApplicantRequest.State.WAITING,
                verified_at=timezone.now(),
                interests=["recruitment"],
            )

    make(1, requests=1)
    return make

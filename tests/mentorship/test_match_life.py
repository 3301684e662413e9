"""The life of a published match: the pair logs meetings and sets goals (notes private to the
pair), answers check-ins once they open, asks the coordinator confidentially for a new match or
to end it; the coordinator answers, matches again, and is told of pairs gone quiet."""

import datetime

import pytest
from django.utils import timezone

from belong.home import periodic
from belong.mentorship.actions import cycles as actions
from belong.mentorship.actions import life, matchmaking
from belong.mentorship.models import CheckIn, Concern, Cycle, Goal, Match, Meeting
from belong.notifications.models import OutboundMessage
from tests.builders import make_person

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


@pytest.fixture
def published(cycle, erin, alice, bob, today):
    """Alice (a resident) is matched with Bob (faculty); Carla is a second mentor with a place;
    Dan a mentee left unmatched."""
    common = {"today": today, "meeting": ["virtual"]}
    actions.enrol(cycle.pk, person=alice, role="mentee", training_level="pgy1", **common)
    actions.enrol(
        cycle.pk, person=bob, role="mentor", training_level="associate", capacity=1, **common
    )
    carla = make_person("carla@example.org", "Carla Mentor")
    actions.enrol(
        cycle.pk, person=carla, role="mentor", training_level="professor", capacity=1, **common
    )
    dan = make_person("dan@example.org", "Dan Mentee")
    # Dan meets in person only: no mentor shares anything with him, he stays unmatched.
    actions.enrol(
        cycle.pk,
        person=dan,
        role="mentee",
        training_level="pgy2",
        today=today,
        meeting=["in_person"],
    )
    matchmaking.set_rule(
        cycle.pk,
        actor=erin,
        mentee_id=cycle.enrollments.get(person=alice).pk,
        mentor_id=cycle.enrollments.get(person=bob).pk,
        kind="pin",
    )
    run = matchmaking.run(cycle.pk, actor=erin)
    matchmaking.publish(cycle.pk, actor=erin, run_id=run.pk)
    return Match.objects.get(mentee__person=alice)


def pair_url(match, rest=""):
    return f"/mentorship/matches/{match.pk}/{rest}"


def test_the_pair_logs_a_meeting_whose_notes_only_they_read(client, published, alice, bob, erin):
    today = timezone.localdate()
    client.force_login(alice)
    response = client.post(
        pair_url(published, "meetings/"),
        {"met_on": today.isoformat(), "minutes": "45", "topics": "Research", "notes": "Private"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.minutes, meeting.logged_by) == (45, alice)
    client.force_login(bob)
    page = text(client.get(pair_url(published)))
    assert "Research" in page and "Private" in page and "45 minutes" in page
    client.force_login(erin)
    matches = text(client.get(f"/mentorship/manage/cycles/{published.cycle_id}/matches/"))
    assert "last on" in matches and "Private" not in matches and "Research" not in matches


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"minutes": "0"}, "minutes", "greater than or equal to 1"),
        ({"minutes": "601"}, "minutes", "less than or equal to 600"),
        ({"met_on": "2999-01-01"}, "met_on", "once it has taken place"),
        ({"met_on": "2000-01-01"}, "met_on", "before the match was made"),
        ({"met_on": "yesterday"}, "met_on", "Enter a valid date"),
    ],
)
def test_a_bad_meeting_is_refused_with_its_field(client, published, alice, data, field, message):
    client.force_login(alice)
    post = {"met_on": timezone.localdate().isoformat(), "minutes": "30", **data}
    response = client.post(pair_url(published, "meetings/"), post)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in text(response) and message in text(response)
    assert not Meeting.objects.exists()


def test_nobody_else_sees_or_writes_to_the_pair(client, published, dave, erin):
    for person in (dave, erin):
        client.force_login(person)
        assert client.get(pair_url(published)).status_code == 404
        post = {"met_on": timezone.localdate().isoformat(), "minutes": "30"}
        assert client.post(pair_url(published, "meetings/"), post).status_code == 404
        assert client.post(pair_url(published, "goals/"), {"title": "x"}).status_code == 404
    assert not Meeting.objects.exists() and not Goal.objects.exists()


def test_goals_are_set_and_moved_along(client, published, alice, bob):
    client.force_login(alice)
    client.post(pair_url(published, "goals/"), {"title": "Submit an abstract"})
    goal = Goal.objects.get()
    client.force_login(bob)
    response = client.post(pair_url(published, f"goals/{goal.pk}/"), {"state": "done"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.state == "done"
    assert client.post(pair_url(published, f"goals/{goal.pk}/"), {"state": "x"}).status_code == 302
    goal.refresh_from_db()
    assert goal.state == "done"


def test_check_ins_open_on_their_day_and_stay_from_the_other(client, published, alice, bob, erin):
    today = timezone.localdate()
    client.force_login(alice)
    assert "Check-in: Mid-cycle" not in text(client.get(pair_url(published)))
    response = client.post(pair_url(published, "check-in/mid/"), {"mid-satisfaction": "4"})
    assert response.status_code == 409 and not CheckIn.objects.exists()
    Cycle.objects.filter(pk=published.cycle_id).update(
        mid_check_in_on=today, matching_on=today - datetime.timedelta(days=1)
    )
    assert "Check-in: Mid-cycle" in text(client.get(pair_url(published)))
    response = client.post(
        pair_url(published, "check-in/mid/"),
        {"mid-satisfaction": "2", "mid-comment": "We rarely find time."},
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().satisfaction == 2
    client.force_login(bob)
    assert "We rarely find time." not in text(client.get(pair_url(published)))
    client.force_login(erin)
    matches = text(client.get(f"/mentorship/manage/cycles/{published.cycle_id}/matches/"))
    assert "Mid-cycle, Alice Member: 2/5" in matches and "We rarely find time." in matches


def test_a_request_is_confidential_until_the_coordinator_acts(client, published, alice, bob, erin):
    client.force_login(alice)
    response = client.post(
        pair_url(published, "ask/"), {"kind": "rematch", "reason": "Different fields."}
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    to_erin = OutboundMessage.objects.get(to_email="erin@example.org")
    assert to_erin.private and "Alice" not in to_erin.body_text
    assert not OutboundMessage.objects.filter(
        to_email="bob@example.org", subject__icontains="ended"
    )
    client.force_login(bob)
    page = text(client.get(pair_url(published)))
    assert "Different fields." not in page and "asked" not in page
    # A second request while the first waits is refused.
    client.force_login(alice)
    assert client.post(pair_url(published, "ask/"), {"kind": "end"}).status_code == 409

    client.force_login(erin)
    matches_url = f"/mentorship/manage/cycles/{published.cycle_id}/matches/"
    page = text(client.get(matches_url))
    assert "Alice Member asks: A new match" in page and "Different fields." in page
    client.post(f"{matches_url}requests/{concern.pk}/", {"outcome": "ended"})
    published.refresh_from_db()
    assert published.state == "ended"
    for email in ("alice@example.org", "bob@example.org"):
        told = OutboundMessage.objects.get(to_email=email, subject__contains="has ended")
        assert "Different fields." not in told.body_text and "asked" not in told.body_text


def test_keeping_the_match_tells_only_who_asked(client, published, alice, bob, erin):
    concern = life.raise_concern(published.pk, person=alice, kind="end")
    life.resolve_concern(concern.pk, actor=erin, outcome="kept")
    published.refresh_from_db()
    assert published.state == "active"
    assert OutboundMessage.objects.filter(to_email="alice@example.org", subject__contains="request")
    assert not OutboundMessage.objects.filter(to_email="bob@example.org").exclude(
        subject__contains="match:"
    )


def test_a_new_match_for_a_mentee_whose_match_ended(client, published, alice, bob, erin):
    life.end_match(published.pk, actor=erin)
    client.force_login(erin)
    cycle = published.cycle
    url = f"/mentorship/manage/cycles/{cycle.pk}/matches/new/"
    alice_enrollment = cycle.enrollments.get(person=alice)
    carla = cycle.enrollments.get(person__email="carla@example.org")
    bob_enrollment = cycle.enrollments.get(person=bob)
    response = client.post(url, {"mentee": alice_enrollment.pk, "mentor": carla.pk})
    assert response.status_code == 302
    assert Match.objects.filter(mentee=alice_enrollment, state="active", mentor=carla).exists()
    assert OutboundMessage.objects.filter(to_email="carla@example.org").count() == 1
    # Carla's one place is taken; a mentee with an active match cannot get a second.
    dan = cycle.enrollments.get(person__email="dan@example.org")
    response = client.post(url, {"mentee": dan.pk, "mentor": carla.pk})
    assert response.status_code == 400 and "no place left" in text(response)
    response = client.post(url, {"mentee": alice_enrollment.pk, "mentor": bob_enrollment.pk})
    assert response.status_code == 400 and "has an active match" in text(response)


def test_quiet_pairs_are_flagged_and_the_coordinators_told_once_a_week(
    client, published, alice, erin
):
    weeks_later = timezone.localdate() + datetime.timedelta(weeks=7)
    assert life.tell_coordinators_of_quiet_pairs(today=timezone.localdate()) == 0
    assert life.tell_coordinators_of_quiet_pairs(today=weeks_later) == 1
    assert life.tell_coordinators_of_quiet_pairs(today=weeks_later) == 1  # the same key
    mails = OutboundMessage.objects.filter(to_email="erin@example.org", subject__contains="quiet")
    assert mails.count() == 1 and "Alice" not in mails.get().body_text
    Meeting.objects.create(
        match=published, met_on=weeks_later - datetime.timedelta(days=3), minutes=30
    )
    assert life.tell_coordinators_of_quiet_pairs(today=weeks_later) == 0
    assert "quiet_pairs" in periodic.JOBS


def test_a_nul_in_a_meeting_or_goal_is_refused_naming_the_field(client, published, alice):
    """PostgreSQL refuses it (a 500 there before): refused at the edge (belong.lib.middleware)."""
    client.force_login(alice)
    meeting = {"met_on": timezone.localdate().isoformat(), "minutes": "30", "notes": "a\x00"}
    response = client.post(pair_url(published, "meetings/"), meeting)
    assert response.status_code == 400 and "<strong>notes</strong>" in text(response)
    response = client.post(pair_url(published, "goals/"), {"title": "Abstract\x00"})
    assert response.status_code == 400 and "<strong>title</strong>" in text(response)
    assert not Meeting.objects.exists() and not Goal.objects.exists()


def test_a_coordinator_enrolled_as_a_mentor_decides_no_pair_of_their_own(
    client, published, alice, erin, today
):
    """A mentorship coordinator who also mentors cannot match a mentee to themselves by hand,
    nor pin or exclude a pair they are part of: another coordinator does (an attack found the
    rematch)."""
    cycle = published.cycle
    published_at = cycle.published_at
    Cycle.objects.filter(pk=cycle.pk).update(
        published_at=None, enrolment_opens_on=today, enrolment_closes_on=today
    )
    actions.enrol(
        cycle.pk,
        person=erin,
        role="mentor",
        training_level="professor",
        capacity=2,
        today=today,
        meeting=["virtual"],
    )
    Cycle.objects.filter(pk=cycle.pk).update(published_at=published_at)
    life.end_match(published.pk, actor=erin)
    mine = cycle.enrollments.get(person=erin)
    alice_enrollment = cycle.enrollments.get(person=alice)
    client.force_login(erin)
    url = f"/mentorship/manage/cycles/{cycle.pk}/matches/new/"
    response = client.post(url, {"mentee": alice_enrollment.pk, "mentor": mine.pk})
    assert response.status_code in (400, 403)
    assert "another coordinator decides it" in text(response)
    assert not Match.objects.filter(mentor=mine).exists()
    with pytest.raises(matchmaking.Refused, match="another coordinator"):
        matchmaking.refuse_own_pair(erin, alice_enrollment, mine)


def test_a_leaver_in_an_active_pair_is_flagged_to_the_coordinators(published, bob, erin):
    """Bob (a mentor) leaves the organisation: each coordinator gets a private email that names
    nobody and points to the matches page; the match stays for the coordinator to decide."""
    from belong.people.actions import mark_leaver

    mark_leaver(bob.pk, actor=None)
    told = OutboundMessage.objects.filter(subject__contains="needs you")
    assert [m.to_email for m in told] == [erin.email]
    message = told.get()
    assert message.private
    assert "left the organisation" in message.body_text
    assert bob.full_name not in message.body_text and bob.email not in message.body_text
    published.refresh_from_db()
    assert published.state == Match.State.ACTIVE
    # Marking him again tells nobody twice.
    mark_leaver(bob.pk, actor=None)
    assert told.count() == 1

"""/me/privacy/erase-account/: a person erases their account's personal data. Afterwards
nothing Belong holds names them, they cannot sign in, the seats they held go to the waitlist,
their match ends (the other person is told it ended, nothing more), and what others need
stays."""

import json

import pytest
from django.utils import timezone

from belong.collectives.actions import memberships
from belong.collectives.models import Collective, Membership, MembershipCount
from belong.events import actions as event_actions
from belong.events.models import Registration
from belong.mentorship.actions import cycles as mentorship_actions
from belong.mentorship.actions import life, matchmaking
from belong.mentorship.models import Enrollment, Match, Meeting
from belong.notifications.models import OutboundMessage
from belong.people import actions, personal_data, privacy
from belong.people.models import AuditEvent, Consent, Person, SelfIdentification
from tests.builders import PASSWORD, make_session, open_cycle

pytestmark = pytest.mark.django_db

URL = "/me/privacy/erase-account/"


def test_anonymous_and_wrong_method(client, alice):
    response = client.post(URL, {"confirm_email": "alice@example.org"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    client.force_login(alice)
    assert client.put(URL).status_code == 405
    assert Person.objects.get(pk=alice.pk).email == "alice@example.org"


def test_the_wrong_address_changes_nothing(client, alice):
    client.force_login(alice)
    assert "This cannot be undone" in client.get(URL).content.decode()
    response = client.post(URL, {"confirm_email": "bob@example.org"})
    assert response.status_code == 400
    assert (
        "Type the address you sign in with (alice@example.org)"
        in (response.context["form"].errors["confirm_email"][0])
    )
    alice.refresh_from_db()
    assert alice.is_active and alice.email == "alice@example.org"


@pytest.fixture
def alices_life(alice, bob, dave, erin):
    """Alice self-identified, holds a token, belongs to a collective, holds the last seat of a
    session Dave waits for, attended a past one, is matched with Bob (a meeting logged by Bob,
    Bob and one of hers, a goal)."""
    today = timezone.localdate()
    privacy.save_answers(person=alice, answers={"gender_identity": {"values": ["woman"]}})
    privacy.give(person=alice, purpose="matching")
    actions.create_token(person=alice, name="script")
    collective = Collective.objects.create(slug="rainbow", name="Rainbow Collective")
    memberships.join(collective.pk, person=alice, kind="member", visibility="organization")

    upcoming = make_session(capacity=1, minimum=1)
    event_actions.register(upcoming.pk, person=alice)
    event_actions.register(upcoming.pk, person=dave)
    past = make_session(days=-10)
    Registration.objects.create(event=past, person=alice, state=Registration.State.ATTENDED)

    published = open_cycle(erin)
    for person, role, level in ((alice, "mentee", "pgy1"), (bob, "mentor", "associate")):
        mentorship_actions.enrol(
            published.pk,
            person=person,
            role=role,
            today=today,
            training_level=level,
            meeting=["virtual"],
            capacity=1 if role == "mentor" else 0,
        )
    run = matchmaking.run(published.pk, actor=erin)
    matchmaking.publish(published.pk, actor=erin, run_id=run.pk)
    match = Match.objects.get(mentee__person=alice)
    life.log_meeting(match.pk, person=bob, met_on=today, minutes=30, notes="Talked about boards")
    life.log_meeting(match.pk, person=alice, met_on=today, minutes=20, notes="Next steps")
    life.add_goal(match.pk, person=alice, title="Apply to a fellowship")
    return {"collective": collective, "upcoming": upcoming, "past": past, "match": match}


def test_erasing_names_no_one_and_keeps_what_others_need(client, alice, bob, dave, alices_life):
    client.force_login(alice)
    response = client.post(URL, {"confirm_email": " Alice@Example.org "}, follow=True)
    assert "personal data was erased" in response.content.decode()
    # Signed out, and cannot sign in again.
    assert "_auth_user_id" not in client.session
    client.post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    erased = Person.objects.get(pk=alice.pk)
    assert erased.email == f"erased-{alice.pk}@erased.invalid"
    assert not erased.is_active and not erased.has_usable_password()
    assert erased.full_name == "" and erased.display_name == "Former member"
    assert not SelfIdentification.objects.filter(person=erased).exists()
    assert not Consent.objects.filter(person=erased).exists()
    assert not erased.api_tokens.exists()
    assert not Membership.objects.filter(person=erased).exists()
    count = MembershipCount.objects.get(collective=alices_life["collective"])
    assert count.members == 0

    # Her seat went to Dave; the past attendance stays, naming no one.
    upcoming, past = alices_life["upcoming"], alices_life["past"]
    assert Registration.objects.get(event=upcoming, person=dave).state == "registered"
    assert Registration.objects.get(event=upcoming, person=erased).state == "cancelled"
    assert Registration.objects.get(event=past, person=erased).state == "attended"

    # The match ended; Bob keeps the meeting; Bob was told it ended, and nothing was kept for
    # the erased address.
    match = Match.objects.get(pk=alices_life["match"].pk)
    assert match.state == "ended"
    meetings = Meeting.objects.filter(match=match)
    assert sorted(m.notes for m in meetings) == ["Next steps", "Talked about boards"]
    assert {m.logged_by_id for m in meetings} == {bob.pk, None}
    assert match.goals.get().title == "Apply to a fellowship"
    assert OutboundMessage.objects.filter(
        person=bob, subject__startswith="Your mentorship match has ended"
    ).exists()
    assert not OutboundMessage.objects.filter(to_email__icontains="alice").exists()
    assert not OutboundMessage.objects.filter(person=erased).exists()
    assert Enrollment.objects.filter(person=bob).exists()

    # Nothing left names her.
    everything = personal_data.export_json(erased).lower()
    assert "alice" not in everything and "woman" not in everything
    assert AuditEvent.objects.filter(verb="personal_data.erased", object_id=str(alice.pk)).exists()


def test_an_enrolment_in_an_open_cycle_is_withdrawn(alice, erin):
    cycle = open_cycle(erin)
    mentorship_actions.enrol(
        cycle.pk,
        person=alice,
        role="mentee",
        today=timezone.localdate(),
        training_level="pgy1",
        hopes="A mentor in pediatrics",
    )
    personal_data.erase(alice, actor=alice)
    assert not Enrollment.objects.exists()


def test_other_peoples_lists_lose_the_erased_person(alice, bob, erin):
    cycle = open_cycle(erin)
    mentorship_actions.enrol(
        cycle.pk,
        person=bob,
        role="mentor",
        today=timezone.localdate(),
        training_level="associate",
        capacity=1,
        excluded=[alice],
    )
    personal_data.erase(alice, actor=alice)
    enrollment = Enrollment.objects.get(person=bob)
    assert list(enrollment.excluded.all()) == []


def test_the_download_of_an_erased_account_is_empty_of_people(alice):
    personal_data.erase(alice, actor=alice)
    data = json.loads(personal_data.export_json(Person.objects.get(pk=alice.pk)))
    assert data["account"]["profile"]["full_name"] == ""
    assert data["collectives"]["memberships"] == []


def test_an_ambassadors_waiting_request_goes_to_another(alice, bob):
    from belong.mentorship.actions import connections
    from belong.mentorship.models import Ambassador, ApplicantRequest

    volunteer = {
        "programs": [],
        "interests": ["recruitment"],
        "introduction": "",
        "show_name": False,
        "monthly_limit": 2,
        "active": True,
    }
    for person in (alice, bob):
        person.kind = "faculty"
        person.save(update_fields=["kind"])
    hers = connections.volunteer(alice, **volunteer)
    his = connections.volunteer(bob, **volunteer)
    request = ApplicantRequest.objects.create(
        name="Ana Applicant",
        email="ana@applicant.example",
        interests=["recruitment"],
        token_hash="0" * 64,
        state=ApplicantRequest.State.OFFERED,
        ambassador=hers,
        offered_at=timezone.now(),
    )
    personal_data.erase(alice, actor=alice)
    request.refresh_from_db()
    assert (request.state, request.ambassador) == (ApplicantRequest.State.OFFERED, his)
    assert not Ambassador.objects.filter(person=alice).exists()


def test_an_operator_erases_on_request(alice):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="add --yes"):
        call_command("erase_person", "alice@example.org")
    with pytest.raises(CommandError, match="No person"):
        call_command("erase_person", "nobody@example.org", "--yes")
    assert Person.objects.get(pk=alice.pk).is_active
    call_command("erase_person", "ALICE@example.org", "--yes", stdout=StringIO())
    assert Person.objects.get(pk=alice.pk).is_erased

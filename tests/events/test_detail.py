"""The event page /events/<pk>/: what it shows to visitors, members, registrants and the people
who run it, who may see it at all, and what it costs in queries."""

import datetime

import pytest
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.people.models import OrgUnit
from belong.training.models import PreworkFile
from tests.builders import (
    event_page,
    make_course,
    make_event,
    make_lecture,
    new_people,
    queries_for,
    text,
)

pytestmark = pytest.mark.django_db

JOIN = "https://zoom.example.org/j/123456 passcode 9876"


def test_a_visitor_sees_the_session_and_is_asked_to_sign_in(client):
    workshop = make_course(title="Implicit Bias")
    campus = OrgUnit.objects.create(name="Duluth", kind=OrgUnit.Kind.CAMPUS)
    session = make_event(
        host=workshop,
        capacity=20,
        place="Room 101",
        campus=campus,
        format=Event.Format.IN_PERSON,
        description="A live workshop.",
        speakers="Dr. Ada Lovelace",
        online_join_details=JOIN,
    )
    actions.register(session.pk, person=new_people(1)[0])

    response = client.get(event_page(session.pk))

    assert response.status_code == 200
    body = text(response)
    assert "<h1>Implicit Bias</h1>" in body
    assert "Workshop session" in body
    assert f'<a href="/training/{workshop.slug}/">Implicit Bias</a>' in body
    assert "Times are in the America/Chicago time zone." in body
    local = timezone.localtime(session.start)
    assert local.strftime("%B") in body and local.tzname() in body
    assert "In person" in body
    assert "Room 101, Duluth campus" in body
    assert "Scheduled" in body
    assert "19 seats left" in body
    assert "It needs 5 more registrants to run." in body
    assert "A live workshop." in body
    assert "Dr. Ada Lovelace" in body
    assert "Workshops are not recorded, for confidentiality." in body
    assert "Sign in to register" in body
    assert f"/sign-in/?next=%2Fevents%2F{session.pk}%2F" in body
    assert "zoom.example.org" not in body
    assert "once you have a seat" in body
    assert f'href="/events/{session.pk}.ics"' in body
    assert "Manage this session" not in body


def test_join_details_are_shown_only_to_someone_holding_a_seat(client, alice, dave, bob):
    session = make_event(capacity=1, online_join_details=JOIN, minimum=0)
    actions.register(session.pk, person=alice)
    actions.register(session.pk, person=bob)  # waitlisted

    client.force_login(alice)
    seated = text(client.get(event_page(session.pk)))
    assert "zoom.example.org/j/123456" in seated and "passcode 9876" in seated
    assert "You are registered." in seated

    for person in (dave, bob):
        client.force_login(person)
        body = text(client.get(event_page(session.pk)))
        assert "zoom.example.org" not in body and "9876" not in body

    client.logout()
    assert "zoom.example.org" not in text(client.get(event_page(session.pk)))


def test_someone_who_attended_still_sees_the_join_details(client, alice, carol):
    session = make_event(
        online_join_details=JOIN, minimum=0, start=timezone.now() + datetime.timedelta(minutes=30)
    )
    registration = actions.register(session.pk, person=alice).registration
    later = timezone.now() + datetime.timedelta(hours=3)
    actions.mark_attendance(session.pk, actor=carol, attended=[registration.pk], now=later)

    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert "You attended this session." in body
    assert "zoom.example.org" in body
    assert "Cancel my registration" not in body


def test_the_waitlist_shows_the_position_and_a_way_out(client, alice, bob, dave):
    session = make_event(capacity=1, minimum=0)
    actions.register(session.pk, person=bob)
    actions.register(session.pk, person=dave)
    actions.register(session.pk, person=alice)

    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert "You are on the waitlist, number 2." in body
    assert "Leave the waitlist" in body
    assert f'action="/events/{session.pk}/cancel"' in body


def test_a_full_session_offers_the_waitlist(client, alice, bob):
    session = make_event(capacity=1, minimum=0)
    actions.register(session.pk, person=bob)
    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert "Full" in body
    assert "Join the waitlist" in body
    assert f'action="/events/{session.pk}/register"' in body


def test_a_member_gets_a_register_button(client, alice):
    session = make_event(capacity=5)
    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert f'<form method="post" action="/events/{session.pk}/register">' in body
    assert ">Register</button>" in body
    assert "Sign in to register" not in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_opens_at": 2}, "Registration opens on"),
        ({"registration_closes_at": -1}, "Registration closed on"),
    ],
)
def test_the_registration_window_is_explained_instead_of_a_button(client, alice, change, message):
    ((name, days),) = change.items()
    session = make_event(days=10, **{name: timezone.now() + datetime.timedelta(days=days)})
    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert message in body
    assert ">Register</button>" not in body


def test_a_started_session_says_so(client, alice):
    session = make_event(start=timezone.now() - datetime.timedelta(minutes=10))
    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert "This session has already started." in body
    assert ">Register</button>" not in body


def test_a_cancelled_session_shows_the_reason_and_no_button(client, alice, carol):
    session = make_event()
    actions.register(session.pk, person=alice)
    actions.cancel_event(session.pk, actor=carol, reason="The facilitator is ill.")

    for signed_in in (True, False):
        if signed_in:
            client.force_login(alice)
        else:
            client.logout()
        body = text(client.get(event_page(session.pk)))
        assert "This event has been cancelled." in body
        assert "Reason: The facilitator is ill." in body
        assert "This session has been cancelled." in body
        assert ">Register</button>" not in body
        assert "Sign in to register" not in body


def test_confirmed_and_completed_statuses(client, carol):
    confirmed = make_event(minimum=1)
    actions.register(confirmed.pk, person=new_people(1)[0])
    assert "Confirmed: it will take place" in text(client.get(event_page(confirmed.pk)))

    past = make_event(days=-2)
    Event.objects.filter(pk=past.pk).update(status=Event.Status.COMPLETED)
    assert "Completed" in text(client.get(event_page(past.pk)))


def test_a_lecture_links_its_recording_only_when_set(client):
    with_recording = make_lecture(
        days=-3,
        recording_url="https://video.example.org/lecture-1",
    )
    without = make_lecture(days=-3)

    body = text(client.get(event_page(with_recording.pk)))
    assert 'href="https://video.example.org/lecture-1"' in body
    assert "Workshops are not recorded" not in body
    assert "recording" not in text(client.get(event_page(without.pk))).lower()


def test_prework_with_a_done_toggle_for_registrants(client, alice, dave):
    workshop = make_course(
        prework="Read the chapter at https://example.org/chapter before the session."
    )
    PreworkFile.objects.create(
        course=workshop,
        title="Reflection worksheet",
        file="prework/abc/worksheet.pdf",
        content_type="application/pdf",
        size=1000,
    )
    session = make_event(host=workshop, prework="Bring one example from your unit.")
    actions.register(session.pk, person=alice)

    client.force_login(alice)
    body = text(client.get(event_page(session.pk)))
    assert "Read the chapter at" in body
    assert '<a href="https://example.org/chapter"' in body
    assert "Bring one example from your unit." in body
    assert "Reflection worksheet" in body
    assert f'action="/events/{session.pk}/prework"' in body
    assert "Mark as done" in body

    actions.set_prework_done(session.pk, person=alice)
    body = text(client.get(event_page(session.pk)))
    assert "Mark as not done" in body
    assert "You marked your pre-work as done on" in body

    client.force_login(dave)
    body = text(client.get(event_page(session.pk)))
    assert "Bring one example from your unit." in body
    assert f'action="/events/{session.pk}/prework"' not in body


def test_the_people_who_run_a_session_get_the_manage_link(client, alice, carol, frank):
    session = make_event()
    for person, shown in ((carol, True), (frank, True), (alice, False)):
        client.force_login(person)
        body = text(client.get(event_page(session.pk)))
        assert (f'href="/training/manage/sessions/{session.pk}/"' in body) is shown


def test_a_facilitator_of_the_event_gets_the_manage_link(client, dave):
    gathering = make_event(kind=Event.Kind.LECTURE, minimum=0)
    gathering.facilitators.add(dave)
    client.force_login(dave)
    body = text(client.get(event_page(gathering.pk)))
    assert "Manage this session" in body
    assert f'href="/training/manage/sessions/{gathering.pk}/"' in body


# --- who may see it -----------------------------------------------------------------------------


def test_an_invitation_only_session_needs_its_code(client, alice, dave):
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(dave)
    assert client.get(event_page(private.pk)).status_code == 404
    assert client.get(event_page(private.pk, "wrong-code")).status_code == 404

    response = client.get(event_page(private.pk, private.invitation_code))
    assert response.status_code == 200
    body = text(response)
    assert f'<input type="hidden" name="code" value="{private.invitation_code}">' in body
    assert f"/events/{private.pk}.ics?code={private.invitation_code}" in body


def test_a_registrant_of_an_invitation_only_session_sees_it_without_the_code(client, alice):
    private = make_event(visibility=Event.Visibility.INVITATION)
    actions.register(private.pk, person=alice, invitation_code=private.invitation_code)
    client.force_login(alice)
    assert client.get(event_page(private.pk)).status_code == 200


def test_a_coordinator_sees_an_invitation_only_session_without_the_code(client, carol):
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(carol)
    body = text(client.get(event_page(private.pk)))
    assert "Manage this session" in body
    assert "This session is by invitation only." in body


def test_a_visitor_is_asked_to_sign_in_for_a_non_public_event(client):
    internal = make_event(visibility=Event.Visibility.ORGANIZATION)
    response = client.get(event_page(internal.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next=/events/{internal.pk}/"

    # Without its code an invitation-only event answers as an unknown id does: sign in first.
    private = make_event(visibility=Event.Visibility.INVITATION)
    response = client.get(event_page(private.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next=/events/{private.pk}/"
    unknown = client.get(event_page(private.pk + 1000))
    assert unknown["Location"] == f"/sign-in/?next=/events/{private.pk + 1000}/"
    with_code = client.get(event_page(private.pk, private.invitation_code))
    assert with_code.status_code == 200
    assert "Sign in to register" in text(with_code)
    assert f"next=%2Fevents%2F{private.pk}%2F%3Fcode%3D{private.invitation_code}" in text(with_code)


def test_an_organization_event_is_shown_to_members(client, alice):
    internal = make_event(visibility=Event.Visibility.ORGANIZATION)
    client.force_login(alice)
    assert client.get(event_page(internal.pk)).status_code == 200


@pytest.mark.parametrize("pk", [999999, 2**63, 10**30])
def test_an_unknown_event_is_404(client, alice, pk):
    client.force_login(alice)
    assert client.get(f"/events/{pk}/").status_code == 404
    client.logout()
    # A visitor is asked to sign in, as for any event they may not see; an id no event can
    # have (beyond the database's integers) is simply not found.
    assert client.get(f"/events/{pk}/").status_code == (302 if pk < 2**63 else 404)


def test_a_long_code_is_no_code(client, dave):
    private = make_event(visibility=Event.Visibility.INVITATION)
    client.force_login(dave)
    assert client.get(event_page(private.pk, "x" * 5000)).status_code == 404


def test_the_page_is_read_only(client, alice):
    session = make_event()
    client.force_login(alice)
    assert client.post(event_page(session.pk)).status_code == 405
    assert Registration.objects.count() == 0


# --- cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "registrant", "coordinator"])
def test_the_page_costs_the_same_for_few_and_many_registrations(client, alice, carol, who):
    workshop = make_course(prework="Read this.")
    session = make_event(host=workshop, capacity=10, minimum=3)
    actions.register(session.pk, person=alice)
    if who == "registrant":
        client.force_login(alice)
    elif who == "coordinator":
        client.force_login(carol)
    few = queries_for(client, event_page(session.pk))
    for person in new_people(25):
        actions.register(session.pk, person=person)
    many = queries_for(client, event_page(session.pk))
    assert many == few
    assert many <= 16

"""A collective's events through the events engine: belong.collectives.actions.events, the
leaders' pages (belong.collectives.views.events), the event's page for collective events, the
events section of a collective's page, and who may see a members-only event (page, list, API).

The people: bob chairs the Rainbow Collective (`leads`), hana chairs the Harmony Collective,
which co-hosts; alice is a member of Rainbow, an ally (`ally`) too; `harmony_member` belongs to
Harmony only; dave is an outsider; frank is a DEI administrator."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from belong.collectives.actions import events as actions
from belong.collectives.models import Collective, EventFocus, EventHosting
from belong.events import actions as engine
from belong.events.models import Event, Registration
from belong.lib.refusals import Refusal as Refused
from belong.notifications.models import OutboundMessage
from belong.people.models import AuditEvent
from tests.builders import (
    appoint,
    event_form_data,
    make_collective_event,
    make_lecture,
    make_started_collective_event,
    new_person,
    queries_for,
    text,
)
from tests.clock import local_day_at

pytestmark = pytest.mark.django_db

State = Registration.State


@pytest.fixture
def hana(frank, other_collective):
    leader = new_person("hana")
    appoint(other_collective, actor=frank, person=leader)
    return leader


@pytest.fixture
def ally(collective, join):
    someone = new_person("ally")
    join(someone, collective, kind="ally")
    return someone


@pytest.fixture
def harmony_member(other_collective, join):
    someone = new_person("harmony")
    join(someone, other_collective)
    return someone


@pytest.fixture
def member(alice, collective, join):
    join(alice, collective)
    return alice


@pytest.fixture
def cohosted(collective, other_collective, leads, bob, focus_areas):
    """A members-only event of Rainbow, co-hosted by Harmony, about community partnership."""
    return make_collective_event(
        collective,
        bob,
        title="Solidarity Supper",
        cohosts=[other_collective],
        focus_areas=[focus_areas[0]],
        capacity=2,
        place="Room 12",
    )


def page(event):
    return reverse("events:detail", args=[event.pk])


def manage(collective, name, *args):
    return reverse(f"collectives:{name}", args=[collective.slug, *args])


def api_ids(client, path="/api/v1/events"):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- the actions ---------------------------------------------------------------------------------


def test_an_event_is_held_by_the_collective_with_its_cohosts_and_areas(
    cohosted, collective, other_collective, focus_areas
):
    event = Event.objects.get(pk=cohosted.pk)
    assert event.kind == Event.Kind.COLLECTIVE
    assert event.host == collective
    assert event.visibility == Event.Visibility.MEMBERS  # members only unless chosen otherwise
    assert event.minimum == 0
    assert set(
        EventHosting.objects.filter(event=event).values_list("collective_id", flat=True)
    ) == {
        collective.pk,
        other_collective.pk,
    }
    assert list(EventFocus.objects.filter(event=event).values_list("focus_area_id", flat=True)) == [
        focus_areas[0].pk
    ]
    assert AuditEvent.objects.filter(verb="event.created", object_id=str(event.pk)).exists()


def test_only_those_who_run_the_collective_hold_its_events(collective, alice, hana, frank, join):
    join(alice, collective)
    for someone in (alice, hana):
        with pytest.raises(PermissionDenied):
            make_collective_event(collective, someone)
    assert not Event.objects.exists()
    assert make_collective_event(collective, frank).host == collective  # a DEI administrator may


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"visibility": Event.Visibility.INVITATION}, "visibility"),
        ({"cohosts": [10**9]}, "cohosts"),
        ({"focus_areas": [10**9]}, "focus_areas"),
        ({"title": "  "}, "title"),
        ({"recording_url": "https://example.org/r"}, "recording_url"),
        ({"hours": -1}, "end"),  # the engine's rule, as the collectives' refusal
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    collective, leads, bob, fields, field
):
    with pytest.raises(Refused) as caught:
        make_collective_event(collective, bob, **fields)
    assert caught.value.field == field
    assert 400 <= caught.value.status < 500
    assert not Event.objects.exists()
    assert not EventHosting.objects.exists()


def test_an_inactive_collective_cannot_cohost(collective, other_collective, leads, bob):
    Collective.objects.filter(pk=other_collective.pk).update(is_active=False)
    with pytest.raises(Refused) as caught:
        make_collective_event(collective, bob, cohosts=[other_collective.pk])
    assert caught.value.field == "cohosts"


def test_a_change_of_place_tells_registrants_with_a_new_invite_and_cohosts_are_replaced(
    cohosted, collective, other_collective, bob, member, harmony_member, focus_areas
):
    engine.register(cohosted.pk, person=member)
    engine.register(cohosted.pk, person=harmony_member)
    event, promoted = actions.update_collective_event(
        cohosted.pk, actor=bob, place="The Commons", cohosts=[], focus_areas=focus_areas[:2]
    )
    assert promoted == []
    assert event.sequence == cohosted.sequence + 1
    changed = OutboundMessage.objects.filter(ics_method="REQUEST", subject__startswith="Changed")
    assert {m.to_email for m in changed} == {member.email, harmony_member.email}
    assert "SEQUENCE:1" in changed.first().ics
    assert list(
        EventHosting.objects.filter(event=event).values_list("collective_id", flat=True)
    ) == [collective.pk]
    assert EventFocus.objects.filter(event=event).count() == 2


def test_more_seats_promote_from_the_waitlist(cohosted, bob, member, ally, harmony_member):
    for someone in (member, ally, harmony_member):
        engine.register(cohosted.pk, person=someone)
    assert Registration.objects.get(person=harmony_member).state == State.WAITLISTED
    _event, promoted = actions.update_collective_event(cohosted.pk, actor=bob, capacity=3)
    assert [r.person for r in promoted] == [harmony_member]


def test_a_cohosts_leader_runs_the_roster_but_does_not_change_or_cancel_the_event(cohosted, hana):
    with pytest.raises(PermissionDenied):
        actions.update_collective_event(cohosted.pk, actor=hana, title="Taken over")
    with pytest.raises(PermissionDenied):
        actions.cancel_collective_event(cohosted.pk, actor=hana, reason="No")
    from belong.events.access import can_manage

    assert can_manage(hana, cohosted)


def test_cancelling_tells_everyone_and_cancels_their_invitations(
    cohosted, bob, member, ally, harmony_member
):
    for someone in (member, ally, harmony_member):
        engine.register(cohosted.pk, person=someone)
    event = actions.cancel_collective_event(cohosted.pk, actor=bob, reason="The room flooded.")
    assert event.status == Event.Status.CANCELLED
    told = OutboundMessage.objects.filter(subject__startswith="Cancelled")
    assert {m.to_email for m in told} == {member.email, ally.email, harmony_member.email}
    invites = told.filter(ics_method="CANCEL")
    assert {m.to_email for m in invites} == {member.email, ally.email}  # who held a seat
    assert all("METHOD:CANCEL" in m.ics for m in invites)
    assert "The room flooded." in told.first().body_text
    assert not Registration.objects.exclude(state=State.CANCELLED).exists()
    # Twice changes nothing; changing it after is refused (409, from the engine).
    assert actions.cancel_collective_event(cohosted.pk, actor=bob).status == "cancelled"
    with pytest.raises(Refused) as caught:
        actions.update_collective_event(cohosted.pk, actor=bob, title="Again")
    assert caught.value.status == 409


def test_registrants_are_reminded_as_for_sessions(collective, leads, bob, member):
    start = local_day_at(10)
    event = make_collective_event(collective, bob, start=start)
    engine.register(event.pk, person=member, now=start - datetime.timedelta(days=10))
    assert engine.send_reminders(now=start - datetime.timedelta(days=6)) == 1
    reminder = OutboundMessage.objects.get(subject__startswith="Reminder")
    assert reminder.to_email == member.email and reminder.ics_method == "REQUEST"
    assert engine.send_reminders(now=start - datetime.timedelta(days=6)) == 0  # once


def test_mail_about_a_collectives_event_is_private(cohosted, bob, member):
    """Who registered for a collective's event can tell which collective they belong to: the
    outbox keeps a digest for a key and drops the content once sent."""
    engine.register(cohosted.pk, person=member)
    actions.update_collective_event(cohosted.pk, actor=bob, place="Elsewhere")
    actions.cancel_collective_event(cohosted.pk, actor=bob, reason="No")
    rows = OutboundMessage.objects.filter(to_email=member.email)
    assert rows.count() == 3
    assert all(row.private and row.key.startswith("private:") for row in rows)
    assert not any("event:" in row.key for row in rows)


def test_only_collective_events_are_changed_here(bob, leads, frank):
    lecture = make_lecture(actor=frank, title="A lecture", days=3, hours=1)
    with pytest.raises(Refused) as caught:
        actions.cancel_collective_event(lecture.pk, actor=frank)
    assert caught.value.status == 404
    assert Event.objects.get(pk=lecture.pk).status == Event.Status.SCHEDULED


# --- who sees a members-only event ---------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["member", "ally", "harmony_member", "bob", "hana"])
def test_the_audience_sees_a_members_only_event_on_its_page_and_in_lists(
    client, cohosted, collective, other_collective, viewer, request
):
    someone = request.getfixturevalue(viewer)
    client.force_login(someone)
    assert client.get(page(cohosted)).status_code == 200
    if viewer != "frank":  # an administrator runs it, but is not in its audience
        assert cohosted.pk in api_ids(client)
        assert client.get(f"/api/v1/events/{cohosted.pk}").status_code == 200
    for host in (collective, other_collective):
        assert "Solidarity Supper" in text(client.get(host.get_absolute_url()))


def test_an_outsider_does_not_see_a_members_only_event_anywhere(
    client, cohosted, collective, other_collective, dave
):
    client.force_login(dave)
    assert client.get(page(cohosted)).status_code == 404
    assert cohosted.pk not in api_ids(client)
    assert cohosted.pk not in api_ids(client, "/api/v1/events?kind=collective")
    assert client.get(f"/api/v1/events/{cohosted.pk}").status_code == 404
    for host in (collective, other_collective):
        assert "Solidarity Supper" not in text(client.get(host.get_absolute_url()))
    response = client.post(reverse("events:register", args=[cohosted.pk]))
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_a_visitor_is_sent_to_sign_in_and_sees_it_in_no_list(
    client, cohosted, collective, other_collective
):
    response = client.get(page(cohosted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
    assert cohosted.pk not in api_ids(client)
    assert client.get(f"/api/v1/events/{cohosted.pk}").status_code == 404
    for host in (collective, other_collective):
        assert "Solidarity Supper" not in text(client.get(host.get_absolute_url()))


def test_a_person_who_left_no_longer_sees_it(client, cohosted, member, collective):
    from belong.collectives.actions import memberships

    memberships.leave(collective.pk, person=member)
    client.force_login(member)
    assert client.get(page(cohosted)).status_code == 404


def test_an_organization_event_is_seen_by_everyone_signed_in_and_a_public_one_by_visitors(
    client, collective, leads, bob, dave
):
    org = make_collective_event(
        collective, bob, title="Open Forum", visibility=Event.Visibility.ORGANIZATION
    )
    public = make_collective_event(
        collective, bob, title="Community Walk", visibility=Event.Visibility.PUBLIC
    )
    assert public.pk in api_ids(client) and org.pk not in api_ids(client)
    assert "Community Walk" in text(client.get(collective.get_absolute_url()))
    client.force_login(dave)
    assert {org.pk, public.pk} <= set(api_ids(client))
    assert client.get(page(org)).status_code == 200


# --- the event's page: RSVP, hosts, the roster link --------------------------------------------


def test_a_member_registers_and_gets_a_calendar_invitation(client, cohosted, member):
    client.force_login(member)
    response = client.post(reverse("events:register", args=[cohosted.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(event=cohosted, person=member).state == State.REGISTERED
    message = OutboundMessage.objects.get(to_email=member.email)
    assert message.ics_method == "REQUEST"
    assert "METHOD:REQUEST" in message.ics and cohosted.uid in message.ics


def test_the_page_names_every_host_explains_members_only_and_who_sees_registrations(
    client, cohosted, member, collective, other_collective
):
    client.force_login(member)
    body = text(client.get(page(cohosted)))
    assert f'href="{collective.get_absolute_url()}"' in body
    assert f'href="{other_collective.get_absolute_url()}"' in body
    assert "Members only: the members and allies of the collectives that host it" in body
    assert "see who registered" in body
    assert "Manage this event" not in body  # a member does not run it


def test_an_administrator_does_not_see_who_registered_for_a_members_only_event(
    client, cohosted, frank, member
):
    """Registrations for a members-only event tell who belongs to its hosts: not for a DEI
    administrator as such (not its page, its roster, the admin's inline or the audit log)."""
    from belong.people.models import AuditEvent

    engine.register(cohosted.pk, person=member)
    client.force_login(frank)
    assert client.get(page(cohosted)).status_code == 404
    roster = reverse("collectives:event_roster", args=["rainbow", cohosted.pk])
    assert client.get(roster).status_code in (403, 404)
    for entry in AuditEvent.objects.filter(verb__startswith="registration."):
        assert entry.actor_id is None and entry.object_type == "events.event"
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client.force_login(frank)
    # The admin does not open a members-only event to them at all (belong.events.access.
    # admin_events): "does not exist", back to the admin's index.
    admin_page = client.get(f"/admin/events/event/{cohosted.pk}/change/")
    assert admin_page.status_code == 302
    assert "registrations" not in admin_page.content.decode().lower()


def test_the_leaders_manage_link_opens_a_roster_they_may_see(client, cohosted, bob, hana):
    for leader, slug in ((bob, "rainbow"), (hana, "harmony")):
        client.force_login(leader)
        body = text(client.get(page(cohosted)))
        roster = reverse("collectives:event_roster", args=[slug, cohosted.pk])
        assert f'href="{roster}"' in body
        assert "training/manage" not in body
        assert client.get(roster).status_code == 200


def test_the_training_roster_is_not_for_collective_events(client, cohosted, bob):
    client.force_login(bob)
    assert client.get(reverse("training:manage_roster", args=[cohosted.pk])).status_code == 404


def test_an_outsider_cannot_register_for_a_members_only_event_even_with_its_id(cohosted, dave):
    with pytest.raises(engine.Refused) as caught:
        engine.register(cohosted.pk, person=dave)
    assert caught.value.code == "members_only"


# --- the leaders' pages --------------------------------------------------------------------------


def new_event_data(**fields):
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Lunch and Learn",
        "description": "Bring a friend.",
        "date": day.isoformat(),
        "start_time": "12:00",
        "end_time": "13:00",
        "format": "in_person",
        "campus": "",
        "place": "Room 1",
        "online_join_details": "",
        "capacity": "30",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": "members",
    }
    data.update(fields)
    return data


def test_a_leader_holds_an_event_from_the_page(
    client, collective, other_collective, leads, bob, focus_areas
):
    client.force_login(bob)
    url = manage(collective, "event_new")
    response = client.get(url)
    assert response.status_code == 200
    assert 'type="date"' in text(response) and "Harmony Collective" in text(response)
    response = client.post(
        url, new_event_data(cohosts=[other_collective.pk], focus_areas=[focus_areas[1].pk])
    )
    assert response.status_code == 302
    assert response["Location"] == manage(collective, "events")
    event = Event.objects.get()
    assert event.title == "Lunch and Learn"
    assert event.host == collective and event.capacity == 30
    assert timezone.localtime(event.start).hour == 12
    assert EventHosting.objects.filter(event=event).count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end_time": "11:00"}, "end_time"),
        ({"date": "2001-01-01"}, "date"),
        ({"title": ""}, "title"),
        ({"visibility": "invitation"}, "visibility"),
        ({"cohosts": ["999999"]}, "cohosts"),
    ],
)
def test_bad_input_shows_the_form_again_with_the_field_named(
    client, collective, other_collective, leads, bob, fields, field
):
    client.force_login(bob)
    response = client.post(manage(collective, "event_new"), new_event_data(**fields))
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert response.context["form"].errors[field]
    assert not Event.objects.exists()


@pytest.mark.parametrize("name", ["event_new", "events"])
def test_the_leaders_pages_are_not_for_members_or_outsiders(
    client, collective, leads, member, dave, name
):
    url = manage(collective, name)
    response = client.get(url)
    assert response.status_code == 302 and reverse("people:login") in response["Location"]
    for someone in (member, dave):
        client.force_login(someone)
        assert client.get(url).status_code == 403
        if name == "event_new":
            assert client.post(url, new_event_data()).status_code == 403
    assert not Event.objects.exists()


@pytest.mark.parametrize("name", ["event_new", "event_edit", "event_cancel", "event_roster"])
def test_wrong_methods_are_405(client, cohosted, collective, bob, name):
    client.force_login(bob)
    args = [] if name == "event_new" else [cohosted.pk]
    url = manage(collective, name, *args)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert client.post(manage(collective, "events")).status_code == 405


def test_editing_moves_the_event_and_tells_registrants(client, cohosted, collective, bob, member):
    engine.register(cohosted.pk, person=member)
    client.force_login(bob)
    url = manage(collective, "event_edit", cohosted.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="Solidarity Supper"' in text(response)
    data = event_form_data(cohosted, title="Solidarity Supper", place="The Commons")
    data["cohosts"] = [c.pk for c in actions.cohosts_of(cohosted)]
    response = client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get(pk=cohosted.pk)
    assert event.place == "The Commons" and event.sequence == 1
    assert OutboundMessage.objects.filter(to_email=member.email, ics_method="REQUEST").count() == 2
    assert EventHosting.objects.filter(event=event).count() == 2  # the co-host kept


def test_an_event_is_edited_only_under_the_collective_that_holds_it(
    client, cohosted, collective, other_collective, hana, member
):
    client.force_login(hana)
    assert client.get(manage(collective, "event_edit", cohosted.pk)).status_code == 403
    assert client.get(manage(other_collective, "event_edit", cohosted.pk)).status_code == 404
    assert client.get(manage(other_collective, "event_cancel", cohosted.pk)).status_code == 404
    client.force_login(member)
    response = client.post(
        manage(collective, "event_edit", cohosted.pk), event_form_data(cohosted, title="Mine")
    )
    assert response.status_code == 403
    assert Event.objects.get(pk=cohosted.pk).title == "Solidarity Supper"


def test_cancelling_from_the_page_asks_for_a_reason_then_tells_everyone(
    client, cohosted, collective, bob, member, dave
):
    engine.register(cohosted.pk, person=member)
    url = manage(collective, "event_cancel", cohosted.pk)
    client.force_login(dave)
    assert client.post(url, {"reason": "No"}).status_code == 403
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    assert "1 person registered or on the waitlist will be told." in text(response)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Event.objects.get(pk=cohosted.pk).status == Event.Status.SCHEDULED
    response = client.post(url, {"reason": "The room flooded."})
    assert response.status_code == 302
    assert Event.objects.get(pk=cohosted.pk).status == Event.Status.CANCELLED
    assert OutboundMessage.objects.filter(to_email=member.email, ics_method="CANCEL").exists()
    assert client.post(url, {"reason": "Again"}).status_code == 409
    assert client.get(manage(collective, "event_edit", cohosted.pk)).status_code == 200
    response = client.post(manage(collective, "event_edit", cohosted.pk), event_form_data(cohosted))
    assert response.status_code == 409


def test_the_events_page_lists_held_and_cohosted_events_with_counts(
    client, cohosted, collective, other_collective, bob, hana, member
):
    engine.register(cohosted.pk, person=member)
    client.force_login(bob)
    body = text(client.get(manage(collective, "events")))
    assert "Solidarity Supper" in body and "1 of 2" in body
    assert manage(collective, "event_edit", cohosted.pk) in body
    assert manage(collective, "event_roster", cohosted.pk) in body
    client.force_login(hana)
    body = text(client.get(manage(other_collective, "events")))
    assert "Solidarity Supper" in body and "held and changed by Rainbow Collective" in body
    assert "/edit/" not in body
    assert manage(other_collective, "event_roster", cohosted.pk) in body


def test_the_events_page_costs_the_same_for_few_and_many_events(client, collective, leads, bob):
    client.force_login(bob)
    url = manage(collective, "events")
    for n in range(2):
        make_collective_event(collective, bob, title=f"Event {n}", days=n + 1)
    few = queries_for(client, url)
    for n in range(2, 8):
        make_collective_event(collective, bob, title=f"Event {n}", days=n + 1)
    make_started_collective_event(collective)
    assert queries_for(client, url) == few


# --- the roster ---------------------------------------------------------------------------------


def test_the_roster_names_who_registered_for_the_hosts_leaders_only(
    client, cohosted, collective, other_collective, bob, hana, member, ally, dave, harmony_member
):
    engine.register(cohosted.pk, person=member)
    engine.register(cohosted.pk, person=ally)
    engine.register(cohosted.pk, person=harmony_member)  # waitlisted: two seats
    for leader, host in ((bob, collective), (hana, other_collective), (hana, collective)):
        client.force_login(leader)
        response = client.get(manage(host, "event_roster", cohosted.pk))
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("max-age=0")
        body = text(response)
        assert member.email in body and ally.email in body and harmony_member.email in body
    client.force_login(member)  # in the audience, but does not run it
    assert client.get(manage(collective, "event_roster", cohosted.pk)).status_code == 403
    response = client.post(manage(collective, "event_roster", cohosted.pk), {"all_present": "1"})
    assert response.status_code == 403
    client.force_login(dave)
    assert client.get(manage(collective, "event_roster", cohosted.pk)).status_code == 404


def test_attendance_is_marked_once_the_event_has_started(client, collective, leads, bob, member):
    event = make_started_collective_event(collective)
    seat = Registration.objects.create(event=event, person=member, state=State.REGISTERED)
    url = manage(collective, "event_roster", event.pk)
    client.force_login(bob)
    assert "Save attendance" in text(client.get(url))
    response = client.post(url, {f"attendance-{seat.pk}": "present"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=seat.pk).state == State.ATTENDED
    assert client.post(url, {f"attendance-{seat.pk}": "maybe"}).status_code == 400


def test_attendance_before_the_start_is_refused(client, cohosted, collective, bob, member):
    engine.register(cohosted.pk, person=member)
    seat = Registration.objects.get(person=member)
    client.force_login(bob)
    url = manage(collective, "event_roster", cohosted.pk)
    assert client.post(url, {"all_present": "1"}).status_code == 409
    assert Registration.objects.get(pk=seat.pk).state == State.REGISTERED


# --- the collective's page ----------------------------------------------------------------------


def test_a_cohosted_event_shows_on_both_collectives_pages_with_its_capacity(
    client, cohosted, collective, other_collective, member
):
    client.force_login(member)
    rainbow = text(client.get(collective.get_absolute_url()))
    harmony = text(client.get(other_collective.get_absolute_url()))
    for body in (rainbow, harmony):
        # Its capacity, never the seats left (Event.counts_private).
        assert "Solidarity Supper" in body and "Room for 2 people" in body
        assert "seats left" not in body
    assert "Co-hosted with" in rainbow and "Harmony Collective" in rainbow
    assert "Co-hosted with" in harmony and "Rainbow Collective" in harmony


def test_cancelled_and_past_events_leave_the_section(client, collective, leads, bob, member):
    gone = make_collective_event(collective, bob, title="Gone Event")
    actions.cancel_collective_event(gone.pk, actor=bob, reason="No")
    make_started_collective_event(collective, title="Past Event")
    client.force_login(member)
    body = text(client.get(collective.get_absolute_url()))
    assert "Gone Event" not in body and "Past Event" not in body


def test_the_leaders_see_links_to_hold_and_manage_events(client, collective, leads, bob, member):
    client.force_login(bob)
    body = text(client.get(collective.get_absolute_url()))
    assert manage(collective, "event_new") in body and manage(collective, "events") in body
    client.force_login(member)
    assert manage(collective, "event_new") not in text(client.get(collective.get_absolute_url()))


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_events_section_costs_the_same_for_few_and_many_events(
    client, collective, other_collective, leads, bob, member, signed_in
):
    if signed_in:
        client.force_login(member)
    url = collective.get_absolute_url()
    visibility = Event.Visibility.MEMBERS if signed_in else Event.Visibility.PUBLIC
    make_collective_event(collective, bob, title="Event A", visibility=visibility)
    few = queries_for(client, url)
    for n in range(5):
        make_collective_event(
            collective,
            bob,
            title=f"Event {n}",
            days=n + 2,
            visibility=visibility,
            cohosts=[other_collective],
        )
    many = queries_for(client, url)
    assert many == few

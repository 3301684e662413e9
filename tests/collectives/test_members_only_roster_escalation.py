"""Who registered for a members-only event tells who belongs to its hosts: its roster is for the
hosts' leaders. The attack (issue 13, from a real server): a staff role that may not read that
roster made itself able to. A DEI administrator opened the event to the organization on the
leaders' edit page (they run the collective), then read its roster as the administrator of an
organization-wide event; a DEI administrator or a training coordinator opened it in the Django
admin and named themselves its facilitator (or changed its kind or host), then read the roster
through the API and on the leaders' own roster page. Every attempt here is made from the
attacker's client.

The people: bob chairs the Rainbow Collective; alice is a member who lets only its leaders see
that; frank is a DEI administrator, carol a training coordinator, both with admin access."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from belong.collectives.actions import events as actions
from belong.collectives.models import Collective
from belong.events import actions as engine
from belong.events.models import Event
from belong.lib.refusals import Refusal as Refused
from belong.people.models import Person
from tests.builders import event_form_data, make_collective_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def supper(collective, leads, bob, alice, join):
    """A members-only event of Rainbow, and alice (a member seen by its leaders only) on it."""
    join(alice, collective, visibility="leaders")
    event = make_collective_event(collective, bob, title="Quiet Supper")
    engine.register(event.pk, person=alice)
    return event


def client_for(person, *, staff=False):
    if staff:
        Person.objects.filter(pk=person.pk).update(is_staff=True)
        person.refresh_from_db()
    client = Client()
    client.force_login(person)
    return client


def roster_shows_alice(client, collective, event, alice):
    api = client.get(f"/api/v1/events/{event.pk}/roster")
    page = client.get(reverse("collectives:event_roster", args=[collective.slug, event.pk]))
    return any(
        response.status_code == 200 and alice.email in response.content.decode()
        for response in (api, page)
    )


# --- the leaders' edit page ---------------------------------------------------------------


def test_a_dei_administrator_cannot_open_a_members_only_event_to_read_its_roster(
    collective, supper, frank, alice
):
    client = client_for(frank)
    assert not roster_shows_alice(client, collective, supper, alice)
    url = reverse("collectives:event_edit", args=[collective.slug, supper.pk])
    assert client.get(url).status_code == 200  # they run the collective: they may edit it
    data = event_form_data(supper, title=supper.title, visibility="organization")
    response = client.post(url, data)
    assert response.status_code == 403, response.context["form"].errors
    assert "visibility" in response.context["form"].errors
    assert Event.objects.get(pk=supper.pk).visibility == Event.Visibility.MEMBERS
    assert not roster_shows_alice(client, collective, supper, alice)
    # The same rule in the action, whatever page or script asks.
    with pytest.raises(Refused) as refused:
        actions.update_collective_event(supper.pk, actor=frank, visibility="public")
    assert refused.value.field == "visibility" and refused.value.status == 403
    # Anything else they may still change.
    actions.update_collective_event(supper.pk, actor=frank, title="Quiet Supper, moved")
    assert Event.objects.get(pk=supper.pk).title == "Quiet Supper, moved"


def test_its_leaders_open_it_to_the_organization(collective, supper, bob):
    actions.update_collective_event(supper.pk, actor=bob, visibility="organization")
    assert Event.objects.get(pk=supper.pk).visibility == Event.Visibility.ORGANIZATION


# --- the Django admin -----------------------------------------------------------------------


def admin_data(event, **fields):
    data = {
        "title": event.title,
        "description": event.description,
        "start_0": event.start.strftime("%Y-%m-%d"),
        "start_1": event.start.strftime("%H:%M:%S"),
        "end_0": event.end.strftime("%Y-%m-%d"),
        "end_1": event.end.strftime("%H:%M:%S"),
        "format": event.format,
        "minimum": str(event.minimum),
        "visibility": event.visibility,
        "status": event.status,
        "sequence": str(event.sequence),
        "created_at_0": event.created_at.strftime("%Y-%m-%d"),
        "created_at_1": event.created_at.strftime("%H:%M:%S"),
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("who", ["frank", "carol"])
def test_the_admin_does_not_open_a_members_only_event_to_staff(
    request, collective, supper, alice, who
):
    attacker = request.getfixturevalue(who)
    client = client_for(attacker, staff=True)
    listing = client.get("/admin/events/event/")
    assert listing.status_code == 200
    assert "Quiet Supper" not in listing.content.decode()
    change = f"/admin/events/event/{supper.pk}/change/"
    assert client.get(change).status_code == 302  # "does not exist": back to the admin
    response = client.post(
        change,
        admin_data(
            supper,
            visibility="organization",
            kind="session",
            facilitators=[str(attacker.pk)],
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get(pk=supper.pk)
    assert event.visibility == Event.Visibility.MEMBERS and event.kind == Event.Kind.COLLECTIVE
    assert not event.facilitators.exists()
    assert not roster_shows_alice(client, collective, supper, alice)


@pytest.mark.parametrize("who", ["frank", "carol"])
def test_staff_do_not_name_facilitators_or_move_an_event_in_the_admin(
    request, collective, leads, bob, alice, who
):
    """An event they may open in the admin (a collective's open to the organization for a DEI
    administrator, a session for a coordinator): naming themselves or anyone its facilitator,
    or changing its kind or host, would give its roster (now, or once it is members-only)."""
    attacker = request.getfixturevalue(who)
    event = make_collective_event(collective, bob, title="Open Supper", visibility="organization")
    if who == "carol":  # a coordinator opens sessions in the admin: make this one a session
        Event.objects.filter(pk=event.pk).update(kind=Event.Kind.SESSION)
        event.refresh_from_db()
    client = client_for(attacker, staff=True)
    change = f"/admin/events/event/{event.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="facilitators"' not in page.content.decode()
    assert 'name="kind"' not in page.content.decode()
    response = client.post(
        change,
        admin_data(
            event,
            title="Renamed",
            kind="collective" if who == "carol" else "session",
            host_type=str(ContentType.objects.get_for_model(Collective).pk),
            host_id=str(collective.pk),
            facilitators=[str(attacker.pk), str(alice.pk)],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = Event.objects.get(pk=event.pk)
    assert after.title == "Renamed"  # the rest of the form is theirs
    assert after.kind == event.kind and after.host_id == event.host_id
    assert after.host_type_id == event.host_type_id
    assert not after.facilitators.exists()


def test_a_training_coordinator_does_not_open_a_collectives_event_in_the_admin(
    collective, leads, bob, carol
):
    event = make_collective_event(collective, bob, title="Open Supper", visibility="organization")
    client = client_for(carol, staff=True)
    assert "Open Supper" not in client.get("/admin/events/event/").content.decode()
    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code == 302


def test_an_operator_still_sees_and_sets_everything_in_the_admin(supper, alice):
    oscar = Person.objects.create_superuser(
        email="oscar@example.org", password="x-long-enough-1", full_name="Oscar Operator"
    )
    client = client_for(oscar)
    page = client.get(f"/admin/events/event/{supper.pk}/change/")
    assert page.status_code == 200
    assert 'name="facilitators"' in page.content.decode()

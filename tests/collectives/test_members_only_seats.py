"""A members-only event seats the members and allies of its hosting collectives and their
current leaders, nobody else: a staff role (DEI administrator, coordinator, analyst, even a
superuser) gives no seat and no sight of it. Tried from the staff member's own client, through
the event's page and the API; and for a DEI administrator who facilitates the event (and so
sees its page), the seat is still refused."""

import pytest
from django.urls import reverse

from belong.events import actions as engine
from belong.events import hosting
from belong.events.models import Event, Registration
from tests.builders import bearer, make_collective_event, token_for

pytestmark = pytest.mark.django_db

STAFF = ["frank", "carol", "erin", "grace", "superuser"]


@pytest.fixture
def supper(collective, leads, bob):
    return make_collective_event(collective, bob, title="Members' Supper", capacity=10)


@pytest.fixture
def superuser(frank):
    frank.is_staff = frank.is_superuser = True
    frank.save(update_fields=["is_staff", "is_superuser"])
    return frank


def staff_member(request, name):
    return request.getfixturevalue(name)


@pytest.mark.parametrize("name", STAFF)
def test_a_staff_role_gives_no_seat_at_a_members_only_event(client, request, supper, name):
    person = staff_member(request, name)
    assert supper.visibility == Event.Visibility.MEMBERS
    assert not hosting.in_audience(person, supper)
    client.force_login(person)
    assert client.get(reverse("events:detail", args=[supper.pk])).status_code == 404
    assert client.post(reverse("events:register", args=[supper.pk])).status_code == 404
    headers = bearer(token_for(person))
    assert client.put(f"/api/v1/events/{supper.pk}/registration", **headers).status_code == 404
    assert client.get(f"/api/v1/events/{supper.pk}", **headers).status_code == 404
    assert supper.pk not in [
        e["id"] for e in client.get("/api/v1/events", **headers).json()["items"]
    ]
    with pytest.raises(engine.Refused) as refused:
        engine.register(supper.pk, person=person)
    assert refused.value.code == "members_only"
    assert not Registration.objects.filter(event=supper).exists()


def test_a_dei_administrator_who_facilitates_it_sees_it_but_gets_no_seat(client, supper, frank):
    supper.facilitators.add(frank)
    client.force_login(frank)
    page = client.get(reverse("events:detail", args=[supper.pk]))
    assert page.status_code == 200
    assert "This event is for the members and allies" in page.content.decode()
    assert client.post(reverse("events:register", args=[supper.pk])).status_code == 403
    response = client.put(f"/api/v1/events/{supper.pk}/registration", **bearer(token_for(frank)))
    assert response.status_code == 403
    assert "event" in response.json()["errors"]
    assert not Registration.objects.filter(event=supper).exists()


def test_joining_is_what_gives_a_seat(client, supper, frank, collective, join):
    join(frank, collective)  # as anyone may: then they are in its audience
    response = client.put(f"/api/v1/events/{supper.pk}/registration", **bearer(token_for(frank)))
    assert response.status_code == 201, response.content
    assert Registration.objects.get(event=supper).person == frank

"""Builders shared by the tests of collectives' events, announcements and areas of focus: an
event held through the real action, a leader for a second collective, a started event for
attendance, counting a page's queries."""

import datetime
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.collectives.actions import events as collective_events
from belong.collectives.models import EventHosting, LeaderRole
from belong.events.models import Event
from tests.clock import local_day_at
from tests.collectives import leader_support
from tests.conftest import make_person

_numbers = itertools.count(1)


def person(prefix="pat", **fields):
    n = next(_numbers)
    return make_person(f"{prefix}{n}@example.org", f"{prefix.title()} Person {n}", **fields)


def hold(collective, actor, *, days=5, hours=2, **fields):
    """An event of `collective`, through create_collective_event (members only by default)."""
    start = fields.pop("start", None) or local_day_at(days)
    fields.setdefault("title", "Pride Month Mixer")
    return collective_events.create_collective_event(
        collective.pk,
        actor=actor,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        **fields,
    )


def appoint(collective, person, *, by):
    return leader_support.appoint(
        collective.pk, actor=by, person=person, title=LeaderRole.Title.CHAIR
    )


def started(collective, *, hours_ago=3, **fields):
    """An event of `collective` that has started and ended (written directly: the actions only
    schedule events ahead)."""
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    fields.setdefault("title", "Book Club")
    fields.setdefault("visibility", Event.Visibility.MEMBERS)
    event = Event.objects.create(
        kind=Event.Kind.COLLECTIVE,
        host=collective,
        start=start,
        end=start + datetime.timedelta(hours=1),
        **fields,
    )
    EventHosting.objects.create(event=event, collective=collective)
    return event


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def text(response):
    return response.content.decode()

"""events.feed_actions: a person's calendar feed is made once and replaced on request."""

import pytest

from belong.events import feed_actions
from belong.events.models import CalendarFeed
from belong.people.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_feed_is_made_once(alice):
    first = feed_actions.calendar_feed(person=alice)
    again = feed_actions.calendar_feed(person=alice)
    assert first.pk == again.pk and first.token == again.token
    assert len(first.token) >= 32
    assert AuditEvent.objects.filter(verb="calendar_feed.created").count() == 1


def test_replacing_gives_a_new_unguessable_token(alice, dave):
    old = feed_actions.calendar_feed(person=alice).token
    daves = feed_actions.calendar_feed(person=dave).token
    new = feed_actions.replace_calendar_feed(person=alice).token
    assert new != old and len(new) >= 32
    assert CalendarFeed.objects.get(person=alice).token == new
    assert not CalendarFeed.objects.filter(token=old).exists()
    assert CalendarFeed.objects.get(person=dave).token == daves
    assert AuditEvent.objects.filter(verb="calendar_feed.replaced", actor=alice).count() == 1


def test_replacing_before_any_feed_makes_one(alice):
    feed = feed_actions.replace_calendar_feed(person=alice)
    assert CalendarFeed.objects.get(person=alice) == feed

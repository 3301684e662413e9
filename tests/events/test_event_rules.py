"""The rules of an event that every host's pages read from the model (issue 15 part 1): its
phase, whether it is short of its minimum, and the waitlist's order. The waitlist's order is
read four ways (the queryset, the filter of those ahead, the annotation the API and /me/ use,
the action's place on it, and the roster): they must agree, ties on requested_at included."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from belong.events import actions, manage
from belong.events.models import Event, Registration, ahead_on_waitlist, waiting_ahead
from tests.builders import event_row, make_registration, new_person

pytestmark = pytest.mark.django_db

State = Registration.State
NOW = timezone.now()


def event_at(start, *, hours=2, **fields):
    return Event(
        title="x",
        kind=Event.Kind.SESSION,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        **fields,
    )


@pytest.mark.parametrize(
    ("start_in", "status", "phase"),
    [
        (datetime.timedelta(days=2), Event.Status.SCHEDULED, "Scheduled"),
        (datetime.timedelta(days=2), Event.Status.CONFIRMED, "Confirmed"),
        (datetime.timedelta(hours=-1), Event.Status.CONFIRMED, "Under way"),
        (datetime.timedelta(days=-1), Event.Status.CONFIRMED, "Took place"),
        (datetime.timedelta(days=2), Event.Status.CANCELLED, "Cancelled"),
        (datetime.timedelta(days=-1), Event.Status.CANCELLED, "Cancelled"),
    ],
)
def test_the_phase_of_an_event(start_in, status, phase):
    assert event_at(NOW + start_in, status=status).phase(NOW) == phase


@override_settings(MINIMUM_CUTOFF_DAYS=7)
@pytest.mark.parametrize(
    ("start_in", "registered", "fields", "short"),
    [
        (datetime.timedelta(days=3), 2, {}, True),  # within the cutoff, 4 more needed
        (datetime.timedelta(days=3), 6, {}, False),  # the minimum is reached
        (datetime.timedelta(days=8), 2, {}, False),  # beyond the cutoff: there is time
        (datetime.timedelta(hours=-1), 2, {}, False),  # it has started
        (datetime.timedelta(days=3), 2, {"kept_short_at": NOW}, False),  # kept running
        (datetime.timedelta(days=3), 2, {"status": Event.Status.CANCELLED}, False),
        (datetime.timedelta(days=3), 0, {"minimum": 0}, False),  # no minimum
    ],
)
def test_short_of_its_minimum(start_in, registered, fields, short):
    fields.setdefault("minimum", 6)
    assert event_at(NOW + start_in, **fields).is_short(registered, NOW) is short


def test_every_reading_of_the_waitlist_agrees_ties_included():
    event = event_row(days=5, capacity=1)
    make_registration(event, new_person("seated"))
    same = timezone.now() - datetime.timedelta(hours=1)
    # Asked in this order of time; three ask at the very same instant (then the older row first).
    times = [same - datetime.timedelta(hours=2), same, same, same, same + datetime.timedelta(1)]
    made = [
        make_registration(event, new_person("w"), State.WAITLISTED, requested_at=t) for t in times
    ]
    # Rows made in a different order than they asked: the order is requested_at, then pk.
    late_first = make_registration(
        event, new_person("early"), State.WAITLISTED, requested_at=same - datetime.timedelta(days=1)
    )
    make_registration(event, new_person("gone"), State.CANCELLED, requested_at=same)
    expected = [late_first, *made]

    assert list(event.registrations.waitlist()) == expected
    annotated = {
        r.pk: r.ahead for r in event.registrations.waitlist().annotate(ahead=ahead_on_waitlist())
    }
    _seated, roster_waitlist, _cancelled = manage.roster(event)
    assert [r.pk for r in roster_waitlist] == [r.pk for r in expected]
    for place, registration in enumerate(expected, start=1):
        ahead = Registration.objects.filter(
            waiting_ahead(event.pk, registration.requested_at, registration.pk)
        )
        assert ahead.count() == place - 1
        assert annotated[registration.pk] == place - 1
        assert actions.waitlist_position(registration) == place
        assert roster_waitlist[place - 1].position == place


def test_a_freed_seat_goes_to_the_first_in_that_order():
    event = event_row(days=5, capacity=1)
    holder = make_registration(event, new_person("seated"))
    same = timezone.now() - datetime.timedelta(hours=1)
    second = make_registration(event, new_person("b"), State.WAITLISTED, requested_at=same)
    first = make_registration(
        event, new_person("a"), State.WAITLISTED, requested_at=same - datetime.timedelta(1)
    )
    actions.cancel_registration(event.pk, person=holder.person)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.REGISTERED, State.WAITLISTED)


def test_an_event_is_moved_only_to_a_time_still_ahead_whoever_asks(carol):
    """The edit forms say it at their date field; the engine holds it for every other caller
    (the API, a command): nothing is saved and nobody is told."""
    from belong.notifications.models import OutboundMessage
    from tests.builders import make_session

    event = make_session(days=3)
    make_registration(event, new_person("learner"))
    before = (event.start, event.end, event.sequence, OutboundMessage.objects.count())
    past = timezone.now() - datetime.timedelta(hours=1)
    with pytest.raises(actions.Refused) as refused:
        actions.update_event(
            event.pk, actor=carol, start=past, end=past + datetime.timedelta(hours=2)
        )
    assert refused.value.field == "start" and refused.value.status == 400
    event.refresh_from_db()
    assert (event.start, event.end, event.sequence, OutboundMessage.objects.count()) == before
    # Other changes of a session that has started are still saved (its place, its capacity).
    Event.objects.filter(pk=event.pk).update(start=past, end=past + datetime.timedelta(hours=2))
    changed, _promoted = actions.update_event(event.pk, actor=carol, place="Room 2")
    assert changed.place == "Room 2"

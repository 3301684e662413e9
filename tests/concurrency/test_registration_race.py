"""Races for seats with real threads: on PostgreSQL in CI, and the same suite on SQLite.

Many people press Register at the same instant (a barrier releases them together). The event
row lock serialises them: never more seats than capacity, nobody lost, nobody twice, and the
waitlist in the order the requests took their turn.
"""

import threading

import pytest
from django.db import connections

from belong.events import actions
from belong.events.models import Registration
from tests.builders import make_session, new_people
from tests.concurrency.test_outbox_race import run_together

pytestmark = pytest.mark.django_db(transaction=True)
State = Registration.State


def race(calls):
    """Run each call in its own thread, all released at once."""
    queue = list(calls)
    lock = threading.Lock()

    def next_call():
        with lock:
            call = queue.pop()
        return call()

    results, errors = run_together(next_call, workers=len(calls))
    return results, errors


def test_sixty_people_thirty_seats(settings):
    event = make_session(capacity=30, minimum=6)
    crowd = new_people(60)
    results, errors = race([lambda p=p: actions.register(event.pk, person=p) for p in crowd])
    assert errors == []
    assert len(results) == 60
    rows = list(event.registrations.order_by("requested_at", "pk"))
    assert len(rows) == 60, "nobody lost"
    assert len({row.person_id for row in rows}) == 60, "nobody twice"
    registered = [row for row in rows if row.state == State.REGISTERED]
    waitlisted = [row for row in rows if row.state == State.WAITLISTED]
    assert len(registered) == 30 and len(waitlisted) == 30
    # Arrival order: everyone with a seat took their turn before everyone on the waitlist.
    assert rows[:30] == registered and rows[30:] == waitlisted
    positions = [actions.waitlist_position(row) for row in waitlisted]
    assert positions == list(range(1, 31))
    # Each caller was told what the database says.
    told = {outcome.registration.pk: outcome.state for outcome in results}
    assert told == {row.pk: row.state for row in rows}
    event.refresh_from_db()
    assert event.status == "confirmed"


def test_the_same_person_pressing_twenty_times_gets_one_registration(alice):
    event = make_session(capacity=5)
    results, errors = race([lambda: actions.register(event.pk, person=alice)] * 20)
    assert errors == []
    assert event.registrations.count() == 1
    assert sum(outcome.changed for outcome in results) == 1


def test_cancellations_racing_with_registrations_keep_the_invariants():
    capacity = 20
    event = make_session(capacity=capacity, minimum=0)
    first = new_people(30)
    for person in first:
        actions.register(event.pk, person=person)
    leaving = first[:10]  # ten of the registered
    arriving = new_people(10)
    calls = [lambda p=p: actions.cancel_registration(event.pk, person=p) for p in leaving]
    calls += [lambda p=p: actions.register(event.pk, person=p) for p in arriving]
    results, errors = race(calls)
    assert errors == []
    rows = list(event.registrations.all())
    assert len(rows) == 40 and len({row.person_id for row in rows}) == 40
    counts = {state: sum(row.state == state for row in rows) for state in State.values}
    assert counts[State.CANCELLED] == 10
    assert counts[State.REGISTERED] == capacity, "every freed seat was taken"
    assert counts[State.WAITLISTED] == 10
    # Whoever waited longest got the freed seats: the ten who were waitlisted before the race.
    earlier_waitlist = {person.pk for person in first[capacity:]}
    seated = {row.person_id for row in rows if row.state == State.REGISTERED}
    assert earlier_waitlist <= seated


def test_capacity_changes_racing_with_registrations(carol):
    event = make_session(capacity=5, minimum=0)
    crowd = new_people(15)
    calls = [lambda p=p: actions.register(event.pk, person=p) for p in crowd]
    calls.append(lambda: actions.update_event(event.pk, actor=carol, capacity=10))
    results, errors = race(calls)
    assert errors == []
    held = event.registrations.filter(state=State.REGISTERED).count()
    waiting = event.registrations.filter(state=State.WAITLISTED).count()
    assert held == 10 and waiting == 5


@pytest.fixture(autouse=True)
def _close_connections():
    yield
    connections.close_all()

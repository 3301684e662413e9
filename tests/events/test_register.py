"""events.actions.register and cancel_registration: the seat rules and each refusal."""

import datetime

import pytest
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.notifications.models import OutboundMessage
from tests.builders import make_session, new_people
from tests.clock import local_day_at

State = Registration.State
pytestmark = pytest.mark.django_db


def states(event):
    return list(
        event.registrations.order_by("requested_at", "pk").values_list("person__email", "state")
    )


def test_a_free_seat_registers(alice):
    event = make_session(capacity=2)
    outcome = actions.register(event.pk, person=alice)
    assert outcome.changed and outcome.state == State.REGISTERED
    assert outcome.waitlist_position is None


def test_a_full_session_waitlists_in_order_and_tells_the_position(alice, dave):
    event = make_session(capacity=1)
    first, second, third = new_people(3)
    actions.register(event.pk, person=first)
    assert actions.register(event.pk, person=second).waitlist_position == 1
    outcome = actions.register(event.pk, person=third)
    assert outcome.state == State.WAITLISTED and outcome.waitlist_position == 2


def test_the_outcome_tells_the_counts_and_places_the_database_holds(alice):
    """The recount under the lock gives the waitlist place of a new request and the seat counts
    the answer shows: the same as counting afterwards, with the clock pinned (ties in
    `requested_at`), after cancellations, and for a registration made again after cancelling."""
    event = make_session(capacity=2)
    crowd = new_people(6)
    pinned = timezone.now()
    outcomes = [actions.register(event.pk, person=person, now=pinned) for person in crowd[:4]]
    actions.cancel_registration(event.pk, person=crowd[2], now=pinned)  # leaves the waitlist
    outcomes.append(actions.register(event.pk, person=crowd[4], now=pinned))
    outcomes.append(actions.register(event.pk, person=crowd[2]))  # again, at the back
    outcomes.append(actions.register(event.pk, person=crowd[5]))
    outcomes.append(actions.register(event.pk, person=crowd[3]))  # asking again: no change
    for outcome in outcomes:
        registration = Registration.objects.get(pk=outcome.registration.pk)
        if outcome.changed:
            assert outcome.state == registration.state
    final = Registration.objects.filter(event=event)
    last = outcomes[-1]
    assert last.registered_count == final.filter(state__in=Registration.HOLDS_SEAT).count() == 2
    assert last.waitlist_count == final.filter(state=State.WAITLISTED).count() == 4
    waiting = list(final.filter(state=State.WAITLISTED).order_by("requested_at", "pk"))
    for place, registration in enumerate(waiting, start=1):
        assert actions.waitlist_position(registration) == place
    told = {o.registration.pk: o.waitlist_position for o in outcomes if o.changed}
    # Each was told the place it had when it asked: the later ones, the back of the line.
    assert [told[r.pk] for r in waiting if r.pk in told][-3:] == [2, 3, 4]
    assert outcomes[-1].waitlist_position == actions.waitlist_position(waiting[0])


def test_registering_twice_changes_nothing(alice):
    event = make_session(capacity=5)
    actions.register(event.pk, person=alice)
    again = actions.register(event.pk, person=alice)
    assert not again.changed and again.state == State.REGISTERED
    assert event.registrations.count() == 1
    assert OutboundMessage.objects.filter(person=alice).count() == 1


def test_no_capacity_means_no_limit():
    event = make_session(capacity=None)
    for person in new_people(12):
        assert actions.register(event.pk, person=person).state == State.REGISTERED


def test_cancelling_promotes_the_first_waitlisted_person_at_once(alice):
    event = make_session(capacity=1, minimum=0)
    first, second, third = new_people(3)
    for person in (first, second, third):
        actions.register(event.pk, person=person)
    outcome = actions.cancel_registration(event.pk, person=first)
    assert [r.person for r in outcome.promoted] == [second]
    assert states(event)[1:] == [(second.email, State.REGISTERED), (third.email, State.WAITLISTED)]
    assert actions.waitlist_position(Registration.objects.get(person=third)) == 1
    assert OutboundMessage.objects.filter(person=second, key__contains=":promoted:").exists()


def test_leaving_the_waitlist_frees_no_seat_and_moves_others_up():
    event = make_session(capacity=1, minimum=0)
    first, second, third = new_people(3)
    for person in (first, second, third):
        actions.register(event.pk, person=person)
    outcome = actions.cancel_registration(event.pk, person=second)
    assert outcome.promoted == []
    assert actions.waitlist_position(Registration.objects.get(person=third)) == 1


def test_registering_again_after_cancelling_goes_to_the_back():
    event = make_session(capacity=1, minimum=0)
    first, second, third = new_people(3)
    for person in (first, second, third):
        actions.register(event.pk, person=person)
    actions.cancel_registration(event.pk, person=second)
    again = actions.register(event.pk, person=second)
    assert again.state == State.WAITLISTED and again.waitlist_position == 2
    assert event.registrations.filter(person=second).count() == 1


def test_cancelling_without_a_registration_is_harmless(alice):
    event = make_session()
    outcome = actions.cancel_registration(event.pk, person=alice)
    assert not outcome.changed and outcome.registration is None


def test_raising_capacity_promotes_and_lowering_never_removes(carol):
    event = make_session(capacity=2, minimum=0)
    group = new_people(5)
    for person in group:
        actions.register(event.pk, person=person)
    _event, promoted = actions.update_event(event.pk, actor=carol, capacity=3)
    assert [r.person for r in promoted] == [group[2]]
    actions.update_event(event.pk, actor=carol, capacity=1)
    held = event.registrations.filter(state=State.REGISTERED).count()
    assert held == 3  # nobody loses a seat
    assert actions.register(event.pk, person=new_people(1)[0]).state == State.WAITLISTED
    # Below capacity again only once three have left.
    actions.cancel_registration(event.pk, person=group[0])
    assert Registration.objects.get(person=group[3]).state == State.WAITLISTED


def refusal(event, person, **kwargs):
    before = list(Registration.objects.values_list("pk", "state"))
    with pytest.raises(actions.Refused) as info:
        actions.register(event.pk, person=person, **kwargs)
    assert list(Registration.objects.values_list("pk", "state")) == before
    return info.value


def test_refused_before_the_window_opens(alice):
    opens = timezone.now() + datetime.timedelta(days=1)
    error = refusal(make_session(registration_opens_at=opens), alice)
    assert error.code == "not_open" and "Registration opens on" in error.message
    assert error.status == 409


def test_refused_after_the_window_closes(alice):
    closed = timezone.now() - datetime.timedelta(hours=1)
    error = refusal(make_session(registration_closes_at=closed), alice)
    assert error.code == "closed" and "Registration closed on" in error.message


def test_refused_for_a_cancelled_session(alice, carol):
    event = make_session()
    actions.cancel_event(event.pk, actor=carol, reason="Facilitator ill")
    error = refusal(event, alice)
    assert error.message == "This session has been cancelled."


def test_refused_once_started(alice):
    event = make_session(start=timezone.now() - datetime.timedelta(minutes=5))
    error = refusal(event, alice)
    assert error.message == "This session has already started."


def test_invitation_only_needs_the_code(alice, dave):
    event = make_session(visibility=Event.Visibility.INVITATION)
    assert event.invitation_code
    error = refusal(event, alice)
    assert error.status == 403 and error.field == "code"
    refusal(event, alice, invitation_code="wrong")
    outcome = actions.register(event.pk, person=dave, invitation_code=event.invitation_code)
    assert outcome.state == State.REGISTERED


def test_cancelling_a_started_session_is_refused(alice):
    event = make_session(capacity=3)
    actions.register(event.pk, person=alice)
    later = event.start + datetime.timedelta(minutes=1)
    with pytest.raises(actions.Refused, match="already started"):
        actions.cancel_registration(event.pk, person=alice, now=later)
    assert event.registrations.get().state == State.REGISTERED


def test_reaching_the_minimum_confirms_and_tells_registrants():
    event = make_session(capacity=10, minimum=3)
    group = new_people(3)
    for person in group[:2]:
        actions.register(event.pk, person=person)
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
    actions.register(event.pk, person=group[2])
    event.refresh_from_db()
    assert event.status == Event.Status.CONFIRMED and event.confirmed_at
    told = OutboundMessage.objects.filter(key__contains=":confirmed:")
    # The two who were waiting to hear; the third's own confirmation already says it.
    assert sorted(told.values_list("to_email", flat=True)) == sorted(p.email for p in group[:2])


def test_sessions_default_to_the_workshop_minimum(settings):
    settings.WORKSHOP_MINIMUM = 6
    assert make_session().minimum == 6
    assert make_session(minimum=0).minimum == 0


def test_a_session_cannot_link_a_recording(carol):
    with pytest.raises(actions.Refused, match="never recorded"):
        make_session(recording_url="https://example.org/video")
    lecture = make_session(kind=Event.Kind.LECTURE, recording_url="https://example.org/video")
    assert lecture.recording_url


def test_end_must_follow_start(carol):
    start = local_day_at(2)
    with pytest.raises(actions.Refused) as info:
        actions.create_event(actor=carol, title="x", start=start, end=start)
    assert info.value.field == "end" and info.value.status == 400


@pytest.mark.parametrize(
    ("start", "field"),
    [
        ((9999, 12, 31, 23, 0), "start"),
        ((1, 1, 2, 9, 0), "start"),
    ],
)
def test_dates_beyond_what_can_be_stored_are_refused(carol, start, field):
    zone = timezone.get_default_timezone()
    start = datetime.datetime(*start, tzinfo=zone)
    end = start.replace(minute=30)
    with pytest.raises(actions.Refused) as info:
        actions.create_event(actor=carol, title="x", start=start, end=end)
    assert info.value.field == field and info.value.status == 400
    assert "between the years 1900 and 2999" in info.value.message
    assert not Event.objects.exists()


def test_a_span_that_does_not_exist_on_the_clock_is_refused(carol):
    """2:30 to 3:30 on the night clocks spring forward is no time at all in Chicago."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime(2027, 3, 14, 2, 30, tzinfo=zone)
    end = datetime.datetime(2027, 3, 14, 3, 30, tzinfo=zone)
    with pytest.raises(actions.Refused) as info:
        actions.create_event(actor=carol, title="x", start=start, end=end)
    assert info.value.field == "end"


def test_the_registration_window_must_make_sense(carol):
    start = local_day_at(5)
    with pytest.raises(actions.Refused) as info:
        make_session(
            start=start,
            registration_opens_at=start - datetime.timedelta(days=1),
            registration_closes_at=start - datetime.timedelta(days=2),
        )
    assert info.value.field == "registration_closes_at"
    with pytest.raises(actions.Refused) as info:
        make_session(start=start, registration_opens_at=start + datetime.timedelta(hours=1))
    assert info.value.field == "registration_opens_at"

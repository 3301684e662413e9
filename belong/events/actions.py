"""Every change to an event and its seats. Pages, the API, commands and tasks all call these.

The seat rules, in one place: each function that can change who holds a seat runs in one
transaction that first locks the event row (`select_for_update`, always the event before any of
its registrations), then recounts from the database and decides. A unique (event, person)
constraint makes a double submit harmless. A lock that cannot be had within
SEAT_LOCK_TIMEOUT_SECONDS becomes `Busy` ("busy, try again"), never a lost request.
Mail is written to the outbox inside the same transaction and leaves after commit.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.events import access, hosting, notify
from belong.events.models import Event, Registration, new_code, waiting_ahead
from belong.lib import refusals
from belong.lib.models import column_of
from belong.people.actions import audit

State = Registration.State


class Refused(refusals.Refusal):
    """A request the rules do not allow. `field` names what it is about, `status` the HTTP
    status that fits (409 for the event's state, 403 for a missing invitation)."""

    field = "event"
    status = 409


class Busy(refusals.Busy):
    """The event is locked by other registrations for too long; nothing was changed."""

    message = gettext_lazy(
        "This session is very busy right now. Nothing was changed: please try again."
    )


@dataclass
class Outcome:
    registration: Registration | None
    changed: bool
    waitlist_position: int | None = None
    promoted: list[Registration] | None = None
    # `register` also says how many hold a seat and how many wait, as decided under the lock.
    registered_count: int | None = None
    waitlist_count: int | None = None

    @property
    def state(self):
        return self.registration.state if self.registration else None


# --- locking -----------------------------------------------------------------------------------


def _lock(event_id) -> Event:
    """Lock the event row for the rest of the transaction and return it fresh."""
    if connection.vendor == "postgresql":
        timeout_ms = int(settings.SEAT_LOCK_TIMEOUT_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms}")
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise Event.DoesNotExist(event_id)
    return event


def seat_transaction(func):
    """Run `func` atomically; a lock timeout or a locked SQLite file becomes `Busy`."""

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except OperationalError as exc:
            text = str(exc).lower()
            if "lock" in text or "timeout" in text or "could not obtain" in text:
                raise Busy() from exc
            raise

    return wrapped


def held_seats(event) -> int:
    return event.registrations.filter(state__in=Registration.HOLDS_SEAT).count()


def waitlist_position(registration) -> int | None:
    if registration is None or registration.state != State.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        waiting_ahead(registration.event_id, registration.requested_at, registration.pk)
    ).count()
    return ahead + 1


def _audit_seat(person, verb, registration, event):
    """An audit entry for a seat change. For a members-only event the entry names neither the
    person nor the registration (whoever reads the log would learn who belongs to its hosts)."""
    if event.visibility == Event.Visibility.MEMBERS:
        audit(actor=None, verb=verb, obj=event)
    else:
        audit(actor=person, verb=verb, obj=registration, event=event.pk)


def _local(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def registration_problem(
    event, *, person, invitation_code="", now=None, has_registration=None
) -> Refused | None:
    """Why `person` may not ask for a seat now, or None. Read-only: pages use it to explain
    before anyone presses a button; `register` checks it again under the lock."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return Refused(_("This session has been cancelled."), code="cancelled")
    if event.status == Event.Status.COMPLETED or event.start <= now:
        return Refused(_("This session has already started."), code="started")
    if event.registration_opens_at and now < event.registration_opens_at:
        return Refused(
            _("Registration opens on %(when)s") % {"when": _local(event.registration_opens_at)},
            code="not_open",
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        return Refused(
            _("Registration closed on %(when)s") % {"when": _local(event.registration_closes_at)},
            code="closed",
        )
    if event.visibility == Event.Visibility.MEMBERS and not hosting.in_audience(person, event):
        return Refused(
            _("This event is for the members and allies of the collectives that host it."),
            status=403,
            code="members_only",
        )
    if event.visibility == Event.Visibility.INVITATION:
        invited = bool(invitation_code) and invitation_code == event.invitation_code
        if has_registration is None:
            has_registration = event.registrations.filter(person=person).exists()
        if not invited and not has_registration:
            return Refused(
                _("This session is by invitation only. Use the link in your invitation."),
                field="code",
                status=403,
                code="invitation",
            )
    return None


def _recount(event, *, person, now) -> dict:
    """After the lock, one pass over the event's registrations: the seats held, everyone
    waiting, those waiting who asked no later than `now` (all ahead of a request made now: a
    new row's id is above every other of this event, all written under this lock), and the id
    of the person's own registration, if any. Plain SQL (PostgreSQL and SQLite both have
    FILTER): it runs on every registration, and building it with the ORM cost thirty times as
    much as running it."""
    meta = Registration._meta
    quote = connection.ops.quote_name

    def column(name):
        return quote(column_of(Registration, name))

    # Names from the model's metadata, quoted; every value a parameter.
    state, seats = column("state"), ", ".join(["%s"] * len(Registration.HOLDS_SEAT))
    sql = (
        f"SELECT COUNT(*) FILTER (WHERE {state} IN ({seats})), "  # noqa: S608
        f"COUNT(*) FILTER (WHERE {state} = %s), "
        f"COUNT(*) FILTER (WHERE {state} = %s AND {column('requested_at')} <= %s), "
        f"MAX({column('id')}) FILTER (WHERE {column('person')} = %s) "
        f"FROM {quote(meta.db_table)} WHERE {column('event')} = %s"
    )
    params = [  # plain strings: a driver may write an enum member as its name
        *map(str, Registration.HOLDS_SEAT),
        str(State.WAITLISTED),
        str(State.WAITLISTED),
        connection.ops.adapt_datetimefield_value(now),
        person.pk,
        event.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        held, waiting, ahead, mine = cursor.fetchone()
    return {"held": held, "waiting": waiting, "ahead": ahead, "mine": mine}


# --- registering and cancelling -----------------------------------------------------------------


@seat_transaction
def register(event_id, *, person, invitation_code="", now=None, require_visible=False) -> Outcome:
    """A seat if one is free, else the waitlist. Asking again changes nothing.

    With `require_visible`, an event the person may not see (belong.events.access.can_see, the
    rule of `visible_event_or_404`) is `Event.DoesNotExist`, as if it did not exist: decided
    under the lock, so a caller needs no visibility check of its own beforehand."""
    event = _lock(event_id)
    now = now or timezone.now()  # taken under the lock: the waitlist's order is the lock's
    seen = _recount(event, person=person, now=now)
    existing = Registration.objects.get(pk=seen["mine"]) if seen["mine"] is not None else None
    if require_visible and not access.can_see(
        person, event, registration=existing, invitation_code=invitation_code
    ):
        raise Event.DoesNotExist(event_id)
    if existing is not None and existing.state != State.CANCELLED:
        existing.event = event
        return Outcome(
            existing,
            changed=False,
            waitlist_position=waitlist_position(existing),
            registered_count=seen["held"],
            waitlist_count=seen["waiting"],
        )
    problem = registration_problem(
        event,
        person=person,
        invitation_code=invitation_code,
        now=now,
        has_registration=existing is not None,
    )
    if problem is not None:
        raise problem
    held, waiting = seen["held"], seen["waiting"]
    state = (
        State.REGISTERED if event.capacity is None or held < event.capacity else State.WAITLISTED
    )
    if existing is None:
        registration = Registration.objects.create(
            event=event, person=person, state=state, requested_at=now, created_at=now
        )
    else:
        registration = existing
        registration.event = event
        registration.state = state
        registration.requested_at = now
        registration.cancelled_at = None
        registration.prework_done_at = None
        registration.save(
            update_fields=["state", "requested_at", "cancelled_at", "prework_done_at", "updated_at"]
        )
    _audit_seat(person, f"registration.{state}", registration, event)
    position = None
    if state == State.REGISTERED:
        notify.registered(registration)
        # Their own confirmation already says they have a seat: no second mail for them.
        _confirm_if_minimum_reached(event, now=now, told=registration, held=held + 1)
    else:
        # A new row is behind everyone counted; a reused one (registering again after
        # cancelling) keeps its old id, so its place is counted as for anyone else.
        position = seen["ahead"] + 1 if existing is None else waitlist_position(registration)
        notify.waitlisted(registration, position)
    seated = state == State.REGISTERED
    return Outcome(
        registration,
        changed=True,
        waitlist_position=position,
        registered_count=held + seated,
        waitlist_count=waiting + (not seated),
    )


@seat_transaction
def cancel_registration(event_id, *, person, now=None) -> Outcome:
    """Give up a seat or leave the waitlist; the first waitlisted person takes the seat at once."""
    now = now or timezone.now()
    event = _lock(event_id)
    registration = Registration.objects.filter(event=event, person=person).first()
    if registration is None or registration.state == State.CANCELLED:
        return Outcome(registration, changed=False)
    if registration.state in (State.ATTENDED, State.NO_SHOW):
        raise Refused(_("Attendance has been recorded for this session: it cannot be cancelled."))
    if event.start <= now and event.status != Event.Status.CANCELLED:
        raise Refused(
            _("This session has already started. Please tell the facilitator instead."),
            code="started",
        )
    held = registration.state == State.REGISTERED
    registration.state = State.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["state", "cancelled_at", "updated_at"])
    _audit_seat(person, "registration.cancelled", registration, event)
    notify.cancelled_by_person(registration, held_seat=held)
    promoted = _promote(event, now=now) if held else []
    return Outcome(registration, changed=True, promoted=promoted)


def _promote(event, *, now) -> list[Registration]:
    """Fill free seats from the waitlist in arrival order. The caller holds the event lock."""
    if event.status == Event.Status.CANCELLED or event.start <= now:
        return []
    waiting = event.registrations.waitlist()
    if event.capacity is not None:
        free = event.capacity - held_seats(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("person"))
    for registration in promoted:
        registration.state = State.REGISTERED
        registration.save(update_fields=["state", "updated_at"])
        _audit_seat(None, "registration.promoted", registration, event)
        notify.promoted(registration)
    if promoted:
        _confirm_if_minimum_reached(event, now=now)
    return promoted


def _confirm_if_minimum_reached(event, *, now, told=None, held=None, at_cutoff=False):
    """A scheduled event that reaches its minimum is confirmed, and its registrants are told.
    It stays confirmed if people cancel later: the coordinator decides then. An event whose
    counts are private (Event.counts_private) is confirmed only at the cutoff
    (`check_minimums`, `at_cutoff`), never by a registration: the status and the mail that
    change with the one registration that reaches the minimum would name who made it."""
    if event.status != Event.Status.SCHEDULED or event.minimum <= 0:
        return
    if event.counts_private and not at_cutoff:
        return
    if (held if held is not None else held_seats(event)) < event.minimum:
        return
    event.status = Event.Status.CONFIRMED
    event.confirmed_at = now
    event.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit(actor=None, verb="event.confirmed", obj=event)
    notify.confirmed(event, skip=told)


# --- coordinators: creating and changing events ------------------------------------------------

TIME_OR_PLACE = ("start", "end", "place", "online_join_details", "format", "campus", "campus_id")

# What every host may set on an event it runs, beside its times: the rest (kind, host, series,
# recording, invitation code, facilitators, a session's pre-work) is a host's own, named where
# the host's actions list what they accept (training.actions.catalog.SESSION_FIELDS,
# collectives.actions.events.FIELDS).
EVENT_FIELDS = (
    "format",
    "campus",
    "campus_id",
    "place",
    "online_join_details",
    "capacity",
    "minimum",
    "registration_opens_at",
    "registration_closes_at",
    "visibility",
    "description",
)


EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def _instant(value, field):
    """An aware moment as UTC, or Refused (400) naming the field: a date beyond what every
    zone and database can hold, or a naive time, is bad input, not a crash."""
    if value is None:
        return None
    if timezone.is_naive(value):
        raise Refused(_("Enter a date and time."), field=field, status=400)
    try:
        moment = value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        moment = None
    if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise Refused(
            _("Enter a date between the years %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            field=field,
            status=400,
        )
    return moment


def _check_times(start, end, opens=None, closes=None):
    """Compared as instants (UTC), so that wall-clock times around a daylight-saving change,
    which can name the same instant or none, cannot pass for a real span of time."""
    start_at, end_at = _instant(start, "start"), _instant(end, "end")
    if start_at is None:
        raise Refused(_("Enter when it starts."), field="start", status=400)
    if end_at is None or end_at <= start_at:
        raise Refused(
            _("The end must be after the start (check times near a daylight-saving change)."),
            field="end",
            status=400,
        )
    opens_at = _instant(opens, "registration_opens_at")
    closes_at = _instant(closes, "registration_closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise Refused(
            _("Registration must close after it opens."),
            field="registration_closes_at",
            status=400,
        )
    if opens_at and opens_at >= start_at:
        raise Refused(
            _("Registration must open before the session starts."),
            field="registration_opens_at",
            status=400,
        )


def _value(value):
    """Compare model instances by key (a campus set to the same campus is no change)."""
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def create_event(*, actor, facilitators=(), **fields) -> Event:
    """A new event. Workshop sessions default to the workshop minimum; invitation-only events
    get an invitation code."""
    _check_times(
        fields.get("start"),
        fields.get("end"),
        fields.get("registration_opens_at"),
        fields.get("registration_closes_at"),
    )
    if fields.get("kind", Event.Kind.SESSION) == Event.Kind.SESSION:
        fields.setdefault("minimum", settings.WORKSHOP_MINIMUM)
        if fields.get("recording_url"):
            raise Refused(
                _("Workshops are never recorded: a session cannot link a recording."),
                field="recording_url",
                status=400,
            )
    if fields.get("visibility") == Event.Visibility.INVITATION and not fields.get(
        "invitation_code"
    ):
        fields["invitation_code"] = new_code()
    event = Event.objects.create(**fields)
    if facilitators:
        event.facilitators.set(facilitators)
    audit(actor=actor, verb="event.created", obj=event)
    return event


@seat_transaction
def update_event(event_id, *, actor, now=None, **changes) -> tuple[Event, list[Registration]]:
    """Change an event. A change of time or place raises the invite's SEQUENCE and tells
    everyone registered or waitlisted; more capacity promotes from the waitlist; less capacity
    never removes anyone who holds a seat. Returns the event and whoever was promoted."""
    now = now or timezone.now()
    event = _lock(event_id)
    if event.status == Event.Status.CANCELLED:
        raise Refused(_("This event has been cancelled: it cannot be changed."), code="cancelled")
    facilitators = changes.pop("facilitators", None)
    widened = changes.get("visibility", event.visibility) != Event.Visibility.MEMBERS
    if widened and not access.can_widen(actor, event):
        raise Refused(
            _(
                "Only the leaders of the collectives hosting this event may open it to more "
                "people than their members: who registered tells who belongs to them."
            ),
            field="visibility",
            status=403,
            code="forbidden",
        )
    before = {name: getattr(event, name) for name in changes}
    for name, value in changes.items():
        setattr(event, name, value)
    _check_times(event.start, event.end, event.registration_opens_at, event.registration_closes_at)
    if event.kind == Event.Kind.SESSION and event.recording_url:
        raise Refused(
            _("Workshops are never recorded: a session cannot link a recording."),
            field="recording_url",
            status=400,
        )
    if event.visibility == Event.Visibility.INVITATION and not event.invitation_code:
        event.invitation_code = new_code()
    changed = [name for name in changes if _value(before[name]) != _value(getattr(event, name))]
    if "start" in changed and event.start <= now:
        # The edit forms say it at their date field; this holds for every other caller.
        raise Refused(
            _("An event can only be moved to a time still ahead."), field="start", status=400
        )
    moved = [name for name in changed if name in TIME_OR_PLACE]
    if moved:
        event.sequence += 1
    event.save()
    if facilitators is not None:
        event.facilitators.set(facilitators)
    if changed:
        audit(actor=actor, verb="event.updated", obj=event, fields=changed)
    if moved:
        notify.changed(event, fields=moved)
    promoted = []
    if "capacity" in changed or "start" in changed:
        promoted = _promote(event, now=now)
    if "minimum" in changed:
        _confirm_if_minimum_reached(event, now=now)
    return event, promoted


@seat_transaction
def cancel_event(event_id, *, actor, reason="", now=None) -> Event:
    """Cancel an event: everyone registered or waitlisted is told, and invites are cancelled."""
    now = now or timezone.now()
    event = _lock(event_id)
    if event.status == Event.Status.CANCELLED:
        return event
    if event.status == Event.Status.COMPLETED:
        raise Refused(_("This session has already taken place."), code="completed")
    affected = list(
        event.registrations.filter(state__in=[State.REGISTERED, State.WAITLISTED]).select_related(
            "person"
        )
    )
    event.status = Event.Status.CANCELLED
    event.cancelled_at = now
    event.cancellation_reason = reason
    event.sequence += 1
    event.save(
        update_fields=["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"]
    )
    audit(actor=actor, verb="event.cancelled", obj=event, reason=reason, affected=len(affected))
    notify.event_cancelled(event, affected)
    Registration.objects.filter(pk__in=[r.pk for r in affected]).update(
        state=State.CANCELLED, cancelled_at=now, updated_at=now
    )
    return event


@seat_transaction
def keep_short_event(event_id, *, actor, now=None) -> Event:
    """The coordinator runs a session below its minimum: it is confirmed and registrants told."""
    now = now or timezone.now()
    event = _lock(event_id)
    if event.status == Event.Status.CANCELLED:
        raise Refused(_("This session has been cancelled."), code="cancelled")
    event.kept_short_at = now
    fields = ["kept_short_at", "updated_at"]
    confirm = event.status == Event.Status.SCHEDULED
    if confirm:
        event.status = Event.Status.CONFIRMED
        event.confirmed_at = now
        fields += ["status", "confirmed_at"]
    event.save(update_fields=fields)
    audit(actor=actor, verb="event.kept_short", obj=event)
    notify.kept(event)
    return event


# --- attendance and pre-work -------------------------------------------------------------------


@seat_transaction
def mark_attendance(event_id, *, actor, attended=(), no_show=(), now=None) -> int:
    """Record who came (registration ids). Only people who held a seat can be marked, and only
    once the session has started. Returns how many registrations changed. The actor must run
    the event (belong.events.access.can_manage: its roster is theirs); `actor=None` is the
    installation itself (a command, the demo), never a page."""
    now = now or timezone.now()
    event = _lock(event_id)
    if actor is not None and not access.can_manage(actor, event):
        raise PermissionDenied(_("Only the people who run this event record its attendance."))
    if event.status == Event.Status.CANCELLED:
        raise Refused(_("This session has been cancelled."), code="cancelled")
    if event.start > now:
        raise Refused(
            _("Attendance can be recorded once the session has started."), code="not_started"
        )
    attended, no_show = set(map(int, attended)), set(map(int, no_show))
    if attended & no_show:
        raise Refused(
            _("A person cannot be both present and absent."), field="attendance", status=400
        )
    eligible = {
        pk: state
        for pk, state in event.registrations.filter(
            pk__in=attended | no_show, state__in=Registration.HOLDS_SEAT
        ).values_list("pk", "state")
    }
    unknown = (attended | no_show) - set(eligible)
    if unknown:
        raise Refused(
            _("Only people registered for this session can be marked."),
            field="attendance",
            status=400,
        )
    changed = 0
    for ids, state in ((attended, State.ATTENDED), (no_show, State.NO_SHOW)):
        targets = [pk for pk in ids if eligible[pk] != state]
        if targets:
            changed += Registration.objects.filter(pk__in=targets).update(
                state=state, attendance_marked_at=now, updated_at=now
            )
    if changed:
        audit(actor=actor, verb="event.attendance", obj=event, changed=changed)
    if event.end <= now and event.status != Event.Status.COMPLETED:
        event.status = Event.Status.COMPLETED
        event.save(update_fields=["status", "updated_at"])
    return changed


@seat_transaction
def set_prework_done(event_id, *, person, done=True, now=None) -> Registration:
    registration = (
        Registration.objects.select_for_update()
        .filter(event_id=event_id, person=person)
        .exclude(state=State.CANCELLED)
        .first()
    )
    if registration is None:
        raise Refused(_("You are not registered for this session."), status=404)
    registration.prework_done_at = (now or timezone.now()) if done else None
    registration.save(update_fields=["prework_done_at", "updated_at"])
    return registration


# --- scheduled work ----------------------------------------------------------------------------


def send_reminders(now=None) -> int:
    """Remind registrants REMINDER_DAYS before their sessions (idempotent by message key)."""
    now = now or timezone.now()
    sent = 0
    for days in sorted(set(settings.REMINDER_DAYS)):
        horizon = now + datetime.timedelta(days=days)
        registrations = Registration.objects.filter(
            state=State.REGISTERED,
            event__start__gt=now,
            event__start__lte=horizon,
            event__status__in=[Event.Status.SCHEDULED, Event.Status.CONFIRMED],
        ).select_related("event", "person")
        for registration in registrations:
            # A registration made inside the window already got everything with its
            # confirmation; one made before it gets the reminder.
            if registration.requested_at > registration.event.start - datetime.timedelta(days=days):
                continue
            with transaction.atomic():
                if notify.reminder(registration, days=days):
                    sent += 1
    return sent


@seat_transaction
def _confirm_at_cutoff(event_id, *, now):
    """An event whose counts are private and that has its minimum is confirmed at the cutoff,
    a moment that no registration chooses (`_confirm_if_minimum_reached`)."""
    _confirm_if_minimum_reached(_lock(event_id), now=now, at_cutoff=True)


def check_minimums(now=None) -> int:
    """Tell the coordinators once about every session that, at the cutoff, is short of its
    minimum. They cancel it or keep it. An event whose counts are private and that has its
    minimum is confirmed now (`_confirm_at_cutoff`)."""
    now = now or timezone.now()
    cutoff = now + datetime.timedelta(days=settings.MINIMUM_CUTOFF_DAYS)
    candidates = (
        Event.objects.filter(
            # Confirmed ones too: a session that reached its minimum and then lost registrants
            # is short again, unless a coordinator already decided to keep it.
            status__in=[Event.Status.SCHEDULED, Event.Status.CONFIRMED],
            start__gt=now,
            start__lte=cutoff,
            minimum__gt=0,
            short_notice_at__isnull=True,
            kept_short_at__isnull=True,
        )
        .with_counts()
        .order_by("start", "pk")
    )
    told = 0
    for event in candidates:
        if event.registered_count >= event.minimum:
            if event.counts_private and event.status == Event.Status.SCHEDULED:
                _confirm_at_cutoff(event.pk, now=now)
            continue
        with transaction.atomic():
            locked = _lock(event.pk)
            if locked.short_notice_at is not None:
                continue
            locked.short_notice_at = now
            locked.save(update_fields=["short_notice_at", "updated_at"])
            notify.short_of_minimum(locked, held_seats(locked))
            told += 1
    return told

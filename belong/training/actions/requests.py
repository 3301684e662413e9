"""Group training requests: a team, division or department asks for a session of its own, and
the training coordinators work the request through a queue.

The life of a request, and the only transitions there are:

    new ──> in_review ──> scheduled
     │          │
     └──────────┴──────> declined

Each change runs in one transaction that first locks the request row (`select_for_update`), then
checks the transition against the row as it is now: two coordinators pressing "Schedule" at once
give one session, and the second is told the request was scheduled already. Every change writes
a `GroupRequestChange` (the history the requester sees), an audit entry, and mail to the
requester through the outbox (it leaves after commit). Scheduling creates an invitation-only
session hosted by the course (`belong.events.actions.create_event`); its invitation link is what
the requester passes to their group.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.events import actions as event_actions
from belong.events.models import Event
from belong.lib.refusals import Refusal
from belong.notifications import outbox
from belong.people import roles
from belong.people.actions import audit
from belong.people.models import OrgUnit
from belong.training import access
from belong.training.models import GroupRequest, GroupRequestChange, GroupRequestWindow

Status = GroupRequest.Status

MAX_WINDOWS = 3
MAX_PARTICIPANTS = 1000
# The formats a group may ask for (the seed page: "virtual or in person").
REQUEST_FORMATS = (Event.Format.VIRTUAL, Event.Format.IN_PERSON)
# Formats that happen in a room, and so need a campus (and, when scheduled, a place).
ON_SITE = (Event.Format.IN_PERSON, Event.Format.HYBRID)

# Which status may follow which: everything else is refused with a clear message.
TRANSITIONS = {
    Status.NEW: {Status.IN_REVIEW, Status.DECLINED, Status.SCHEDULED},
    Status.IN_REVIEW: {Status.DECLINED, Status.SCHEDULED},
    Status.SCHEDULED: set(),
    Status.DECLINED: set(),
}


class RequestRefused(Refusal):
    """A request or a change the rules do not allow. `field` names what it is about (a form
    field name, or "status"), `status` the HTTP status that fits: 400 for bad input, 409 for a
    transition the request's current status does not allow, 404 for a request that is gone."""

    field = "status"
    status = 409


# --- the rules, shared with the forms -----------------------------------------------------------


def minimum_message() -> str:
    return _("A minimum of %(minimum)d registrants is required.") % {
        "minimum": GroupRequest.MINIMUM_PARTICIPANTS
    }


def window_field(n: int, end: str) -> str:
    """The form field of window `n` (1-based): `end` is "from" or "to"."""
    return f"window_{n}_{end}"


def local_today(now=None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def window_problems(windows, *, today) -> dict[str, str]:
    """What is wrong with the date windows, by form field: a list of (earliest, latest) dates,
    windows numbered from 1 in the order given."""
    problems = {}
    if not windows:
        problems[window_field(1, "from")] = _("Give at least one range of dates.")
        return problems
    if len(windows) > MAX_WINDOWS:
        problems[window_field(MAX_WINDOWS, "to")] = _("Give at most %(count)d ranges of dates.") % {
            "count": MAX_WINDOWS
        }
        return problems
    for n, (earliest, latest) in enumerate(windows, start=1):
        if earliest <= today:
            problems[window_field(n, "from")] = _("Choose a date after today.")
        if latest < earliest:
            problems[window_field(n, "to")] = _(
                "The “to” date must be on or after the “from” date."
            )
    return problems


def campus_units():
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.CAMPUS).order_by("name")


def coordinators():
    """Who is told of a new request: every active training coordinator."""
    return list(
        get_user_model()
        .objects.filter(groups__name=roles.TRAINING_COORDINATOR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def invitation_link(event) -> str:
    """The link that lets whoever has it register for an invitation-only session."""
    path = reverse("events:detail", args=[event.pk])
    return f"{settings.SITE_URL}{path}?code={event.invitation_code}"


def requester_url(group_request) -> str:
    return settings.SITE_URL + reverse("training:my_request", args=[group_request.pk])


def manage_url(group_request) -> str:
    return settings.SITE_URL + reverse("training:manage_request", args=[group_request.pk])


# --- asking ------------------------------------------------------------------------------------


@event_actions.seat_transaction
def submit_request(
    *,
    person,
    group_name,
    courses,
    expected_participants,
    windows,
    format,
    campus=None,
    org_unit=None,
    tailoring="",
    now=None,
) -> GroupRequest:
    """A new request (status new): its history starts, the requester gets a confirmation and
    every training coordinator a notification. `windows` is a list of (earliest, latest) dates.
    Bad input raises RequestRefused (status 400) naming the field; nothing is saved."""
    now = now or timezone.now()
    group_name = (group_name or "").strip()
    courses = list(courses)
    if not group_name:
        raise RequestRefused(
            _("Name the team, division or department."), field="group_name", status=400
        )
    if not courses:
        raise RequestRefused(_("Choose at least one training."), field="courses", status=400)
    if any(not course.is_active for course in courses):
        raise RequestRefused(
            _("Choose trainings from the current catalog."), field="courses", status=400
        )
    if expected_participants is None or expected_participants < GroupRequest.MINIMUM_PARTICIPANTS:
        raise RequestRefused(minimum_message(), field="expected_participants", status=400)
    if expected_participants > MAX_PARTICIPANTS:
        raise RequestRefused(
            _("Enter a number up to %(limit)d.") % {"limit": MAX_PARTICIPANTS},
            field="expected_participants",
            status=400,
        )
    problems = window_problems(windows, today=local_today(now))
    if problems:
        field, message = next(iter(problems.items()))
        raise RequestRefused(message, field=field, status=400)
    if format not in REQUEST_FORMATS:
        raise RequestRefused(_("Choose virtual or in person."), field="format", status=400)
    if campus is not None and campus.kind != OrgUnit.Kind.CAMPUS:
        raise RequestRefused(_("Choose a campus from the list."), field="campus", status=400)
    if format in ON_SITE and campus is None:
        raise RequestRefused(
            _("Choose the campus for an in-person session."), field="campus", status=400
        )

    group_request = GroupRequest.objects.create(
        requester=person,
        group_name=group_name,
        org_unit=org_unit,
        expected_participants=expected_participants,
        format=format,
        campus=campus,
        tailoring=(tailoring or "").strip(),
        status=Status.NEW,
        created_at=now,
    )
    group_request.courses.set(courses)
    GroupRequestWindow.objects.bulk_create(
        GroupRequestWindow(request=group_request, earliest=earliest, latest=latest)
        for earliest, latest in windows
    )
    GroupRequestChange.objects.create(request=group_request, status=Status.NEW, by=person, at=now)
    audit(
        actor=person,
        verb="group_request.submitted",
        obj=group_request,
        courses=[course.pk for course in courses],
        expected_participants=expected_participants,
    )
    context = {
        "group_request": group_request,
        "courses": courses,
        "windows": list(group_request.windows.all()),
        "requester": person,
    }
    outbox.queue(
        key=f"group-request:{group_request.pk}:received",
        to_email=person.email,
        person=person,
        template="training/email/request_received",
        context={**context, "person": person, "request_url": requester_url(group_request)},
    )
    for coordinator in coordinators():
        outbox.queue(
            key=f"group-request:{group_request.pk}:new:{coordinator.pk}",
            to_email=coordinator.email,
            person=coordinator,
            template="training/email/request_new",
            context={
                **context,
                "person": coordinator,
                "manage_url": manage_url(group_request),
            },
        )
    return group_request


# --- the coordinators' changes -----------------------------------------------------------------


def _lock(request_id) -> GroupRequest:
    group_request = (
        GroupRequest.objects.select_for_update()
        .select_related("requester")
        .filter(pk=request_id)
        .first()
    )
    if group_request is None:
        raise RequestRefused(_("This request no longer exists."), status=404, code="missing")
    return group_request


def _refuse_transition(group_request, target):
    """Refuse (409) unless `target` may follow the request's current status."""
    current = group_request.status
    if target in TRANSITIONS[Status(current)]:
        return
    if current == Status.SCHEDULED:
        if target == Status.SCHEDULED:
            message = _("This request has already been scheduled: its session exists.")
        else:
            message = _("This request has already been scheduled: it can no longer change.")
    elif current == Status.DECLINED:
        if target == Status.DECLINED:
            message = _("This request has already been declined.")
        else:
            message = _("This request was declined: it can no longer change.")
    else:  # in review, asked to go in review again
        message = _("This request is already in review.")
    raise RequestRefused(message, field="status", status=409, code=f"from_{current}")


def _record(group_request, *, status, actor, note="", now, **detail):
    group_request.status = status
    group_request.save(update_fields=["status", "decline_reason", "event", "updated_at"])
    change = GroupRequestChange.objects.create(
        request=group_request, status=status, note=note, by=actor, at=now
    )
    audit(actor=actor, verb=f"group_request.{status}", obj=group_request, **detail)
    return change


def _tell_requester(group_request, *, status, **context):
    requester = group_request.requester
    outbox.queue(
        key=f"group-request:{group_request.pk}:{status}",
        to_email=requester.email,
        person=requester,
        template=f"training/email/request_{status}",
        context={
            "group_request": group_request,
            "person": requester,
            "request_url": requester_url(group_request),
            **context,
        },
    )


def _coordinator_only(actor):
    if not access.can_work_group_requests(actor):
        raise PermissionDenied


@event_actions.seat_transaction
def start_review(request_id, *, actor, note="", now=None) -> GroupRequest:
    """A coordinator takes the request up (new -> in review); the requester is told."""
    _coordinator_only(actor)
    now = now or timezone.now()
    group_request = _lock(request_id)
    _refuse_transition(group_request, Status.IN_REVIEW)
    note = (note or "").strip()
    _record(group_request, status=Status.IN_REVIEW, actor=actor, note=note, now=now)
    _tell_requester(group_request, status=Status.IN_REVIEW, note=note)
    return group_request


@event_actions.seat_transaction
def decline(request_id, *, actor, reason, now=None) -> GroupRequest:
    """Decline with a reason, which the requester is told."""
    _coordinator_only(actor)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise RequestRefused(
            _("Give the reason for declining: the requester is told."),
            field="reason",
            status=400,
        )
    group_request = _lock(request_id)
    _refuse_transition(group_request, Status.DECLINED)
    group_request.decline_reason = reason
    _record(group_request, status=Status.DECLINED, actor=actor, note=reason, now=now)
    _tell_requester(group_request, status=Status.DECLINED, reason=reason)
    return group_request


@event_actions.seat_transaction
def schedule(
    request_id,
    *,
    actor,
    course,
    start,
    end,
    format,
    campus=None,
    place="",
    online_join_details="",
    capacity=None,
    now=None,
) -> GroupRequest:
    """Turn the request into an invitation-only session of one of its courses, hosted by the
    course, and tell the requester the date and the invitation link for their group. The
    request row is locked first, so a second coordinator gets a clear refusal, not a second
    session."""
    _coordinator_only(actor)
    now = now or timezone.now()
    group_request = _lock(request_id)
    _refuse_transition(group_request, Status.SCHEDULED)
    if course is None or not group_request.courses.filter(pk=course.pk).exists():
        raise RequestRefused(
            _("Choose one of the trainings the group asked for."), field="course", status=400
        )
    if start is None or start <= now:
        raise RequestRefused(_("Choose a date and time in the future."), field="date", status=400)
    if end is None or end <= start:
        raise RequestRefused(_("The end must be after the start."), field="end_time", status=400)
    if format not in Event.Format.values:
        raise RequestRefused(_("Choose a format from the list."), field="format", status=400)
    if campus is not None and campus.kind != OrgUnit.Kind.CAMPUS:
        raise RequestRefused(_("Choose a campus from the list."), field="campus", status=400)
    if format in ON_SITE and campus is None:
        raise RequestRefused(
            _("Choose the campus for an in-person or hybrid session."), field="campus", status=400
        )
    if capacity is None:
        capacity = group_request.expected_participants
    if capacity < 1 or capacity > MAX_PARTICIPANTS:
        raise RequestRefused(
            _("Enter a capacity from 1 to %(limit)d.") % {"limit": MAX_PARTICIPANTS},
            field="capacity",
            status=400,
        )
    try:
        event = event_actions.create_event(
            actor=actor,
            host=course,
            kind=Event.Kind.SESSION,
            title=course.title,
            description=_("A session for %(group)s.") % {"group": group_request.group_name},
            start=start,
            end=end,
            visibility=Event.Visibility.INVITATION,
            capacity=capacity,
            format=format,
            campus=campus,
            place=(place or "").strip(),
            online_join_details=(online_join_details or "").strip(),
        )
    except event_actions.Refused as refusal:
        raise RequestRefused(
            refusal.message, field=refusal.field, status=refusal.status, code=refusal.code
        ) from refusal
    group_request.event = event
    link = invitation_link(event)
    _record(
        group_request,
        status=Status.SCHEDULED,
        actor=actor,
        now=now,
        event=event.pk,
        course=course.pk,
    )
    _tell_requester(
        group_request,
        status=Status.SCHEDULED,
        event=event,
        course=course,
        start=timezone.localtime(event.start),
        end=timezone.localtime(event.end),
        invitation_link=link,
        minimum=event.minimum,
    )
    return group_request

"""Courses, their sessions and their pre-work files, as coordinators change them.

Every function here is one domain verb: atomic, the acting person as `actor=`, an audit entry
beside each change. Sessions are events hosted by a course: creating and changing them goes
through `belong.events.actions` (seat rules, SEQUENCE, mail), which these functions only wrap
with the catalog's own rules (several dates at once, all or nothing; the capacity never below
the minimum). A request the rules do not allow raises `Refused` (from the events actions) with
the field it is about and a 4xx status; nothing is changed then.

Uploads are checked here (by belong.lib.uploads), not only in the form, so that every caller
(pages, API, commands) gets the same check.

Each verb checks its actor (`_run_catalog_or_403`: training coordinators and DEI
administrators, belong.training.access.can_run_catalog) and raises PermissionDenied otherwise;
`actor=None` is the installation itself (a command, the demo loader), never a page. The
lectures' and the sessions' cancelling and keeping go through here too, so that no page calls
the events engine's change verbs without the catalog's check.
"""

import contextlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from belong.events import actions as event_actions
from belong.events.actions import Refused
from belong.events.models import Event
from belong.lib import uploads
from belong.people.actions import audit
from belong.training import access
from belong.training.models import Course, LearningObjective, PreworkFile

# --- courses ----------------------------------------------------------------------------------

COURSE_FIELDS = (
    "title",
    "slug",
    "description",
    "duration_minutes",
    "formats",
    "prework",
    "foundational",
    "order",
    "is_active",
)

# First path segments under /training/ that are pages of their own: no course may take them.
RESERVED_SLUGS = frozenset(
    {"manage", "request", "requests", "prework", "evaluate", "certificates", "new"}
)

MAX_OBJECTIVES = 20


def _check_course_fields(fields, *, course=None):
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"not course fields: {sorted(unknown)}")
    if "title" in fields and not (fields["title"] or "").strip():
        raise Refused(_("Enter a title."), field="title", status=400)
    if "slug" in fields:
        slug = fields["slug"] or ""
        if not slug or slugify(slug) != slug:
            raise Refused(
                _("Use only lowercase letters, numbers and hyphens in the address."),
                field="slug",
                status=400,
            )
        if slug in RESERVED_SLUGS:
            raise Refused(
                _("“%(slug)s” is taken by a page of its own: choose another address.")
                % {"slug": slug},
                field="slug",
                status=400,
            )
        taken = Course.objects.filter(slug=slug)
        if course is not None:
            taken = taken.exclude(pk=course.pk)
        if taken.exists():
            raise Refused(
                _("Another course already uses the address “%(slug)s”.") % {"slug": slug},
                field="slug",
                status=400,
            )


@contextlib.contextmanager
def _slug_race(slug):
    """Two coordinators saving the same new address at once: the second is told, not a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise Refused(
            _("Another course already uses the address “%(slug)s”.") % {"slug": slug},
            field="slug",
            status=400,
        ) from exc


def _clean_objectives(objectives):
    texts = [text.strip() for text in objectives if text and text.strip()]
    if len(texts) > MAX_OBJECTIVES:
        raise Refused(
            _("A course can have at most %(limit)d learning objectives.")
            % {"limit": MAX_OBJECTIVES},
            field="objectives",
            status=400,
        )
    return texts


def _set_objectives(course, texts) -> bool:
    """Make the course's objectives the ordered list `texts`. Objectives already rated in
    evaluations keep their identity: an unchanged text keeps its row wherever it moves, a
    reworded one keeps the row of the one it replaces. Removing a rated objective is refused
    (its ratings would go with it). Returns whether anything changed."""
    existing = list(course.objectives.all())
    unused = list(existing)
    kept = [None] * len(texts)
    for index, text in enumerate(texts):
        match = next((item for item in unused if item.text == text), None)
        if match is not None:
            kept[index] = match
            unused.remove(match)
    for index in range(len(texts)):
        if kept[index] is None and unused:
            kept[index] = unused.pop(0)
    removed = unused
    rated = [item for item in removed if item.ratings.exists()]
    if rated:
        raise Refused(
            _(
                "The objective “%(text)s” has been rated in evaluations, so it cannot be "
                "removed. Reword it instead, or keep it."
            )
            % {"text": rated[0].text},
            field="objectives",
            status=400,
        )
    changed = bool(removed)
    if removed:
        LearningObjective.objects.filter(pk__in=[item.pk for item in removed]).delete()
    for order, (text, item) in enumerate(zip(texts, kept, strict=True), start=1):
        if item is None:
            LearningObjective.objects.create(course=course, text=text, order=order)
            changed = True
        elif item.text != text or item.order != order:
            item.text, item.order = text, order
            item.save(update_fields=["text", "order"])
            changed = True
    return changed


def _run_catalog_or_403(actor) -> None:
    """The check every verb here starts with (the pages and the API asked the same first)."""
    if actor is not None and not access.can_run_catalog(actor):
        raise PermissionDenied(
            _("Only training coordinators and DEI administrators run the catalog.")
        )


@transaction.atomic
def create_course(*, actor, objectives=(), topics=(), **fields) -> Course:
    """A new course in the catalog, with its learning objectives (in order) and topics."""
    _run_catalog_or_403(actor)
    _check_course_fields(fields)
    texts = _clean_objectives(objectives)
    fields.setdefault("recorded", False)  # workshops are never recorded
    with _slug_race(fields.get("slug")):
        course = Course.objects.create(**fields)
    _set_objectives(course, texts)
    if topics:
        course.topics.set(topics)
    audit(actor=actor, verb="course.created", obj=course)
    return course


@transaction.atomic
def update_course(course_id, *, actor, objectives=None, topics=None, **fields) -> Course:
    """Change a course. `objectives` (when given) replaces the ordered list of learning
    objectives, keeping rated ones; `topics` (when given) replaces its topics."""
    _run_catalog_or_403(actor)
    course = Course.objects.select_for_update().get(pk=course_id)
    _check_course_fields(fields, course=course)
    changed = [name for name, value in fields.items() if getattr(course, name) != value]
    for name in changed:
        setattr(course, name, fields[name])
    if changed:
        with _slug_race(fields.get("slug")):
            course.save(update_fields=changed)
    if objectives is not None and _set_objectives(course, _clean_objectives(objectives)):
        changed.append("objectives")
    if topics is not None:
        before = set(course.topics.values_list("pk", flat=True))
        after = {topic.pk for topic in topics}
        if before != after:
            course.topics.set(topics)
            changed.append("topics")
    if changed:
        audit(actor=actor, verb="course.updated", obj=course, fields=changed)
    return course


# --- sessions ---------------------------------------------------------------------------------

SESSION_FIELDS = (*event_actions.EVENT_FIELDS, "prework")

MAX_DATES = 30


def _check_session_fields(fields, *, event=None):
    unknown = set(fields) - set(SESSION_FIELDS) - {"start", "end"}
    if unknown:
        raise TypeError(f"not session fields: {sorted(unknown)}")

    def value(name, default=None):
        if name in fields:
            return fields[name]
        return getattr(event, name) if event is not None else default

    capacity = value("capacity")
    minimum = value("minimum", settings.WORKSHOP_MINIMUM)
    if capacity is not None and capacity < 1:
        raise Refused(
            _("The capacity must be at least 1, or empty for no limit."),
            field="capacity",
            status=400,
        )
    if capacity is not None and minimum is not None and capacity < minimum:
        raise Refused(
            _(
                "The capacity (%(capacity)d) is below the minimum (%(minimum)d): the session "
                "could never run. Raise the capacity or lower the minimum."
            )
            % {"capacity": capacity, "minimum": minimum},
            field="capacity",
            status=400,
        )
    opens, closes = value("registration_opens_at"), value("registration_closes_at")
    if opens and closes and closes <= opens:
        raise Refused(
            _("Registration must close after it opens."),
            field="registration_closes_at",
            status=400,
        )


@transaction.atomic
def schedule_sessions(
    course_id, *, actor, dates, facilitators=(), now=None, **shared
) -> list[Event]:
    """Sessions of a course on several dates at once, sharing everything else: all of them
    or none. `dates` is a list of (start, end) aware datetimes."""
    _run_catalog_or_403(actor)
    now = now or timezone.now()
    course = Course.objects.get(pk=course_id)
    dates = list(dates)
    if not dates:
        raise Refused(_("Enter at least one date."), field="dates", status=400)
    if len(dates) > MAX_DATES:
        raise Refused(
            _("Schedule at most %(limit)d dates at once.") % {"limit": MAX_DATES},
            field="dates",
            status=400,
        )
    _check_session_fields(shared)
    events = []
    for number, (start, end) in enumerate(dates, start=1):
        if start is not None and start <= now:
            raise Refused(
                _("Date %(number)d: this date and time has already passed.") % {"number": number},
                field="dates",
                status=400,
            )
        try:
            event = event_actions.create_event(
                actor=actor,
                host=course,
                kind=Event.Kind.SESSION,
                title=course.title,
                start=start,
                end=end,
                facilitators=facilitators,
                **shared,
            )
        except Refused as refusal:
            raise Refused(
                _("Date %(number)d: %(problem)s") % {"number": number, "problem": refusal.message},
                field="dates",
                status=refusal.status,
            ) from refusal
        events.append(event)
    audit(
        actor=actor,
        verb="course.sessions_scheduled",
        obj=course,
        events=[event.pk for event in events],
    )
    return events


def update_session(event_id, *, actor, now=None, **changes):
    """Change one session with the catalog's rules, then through the events action (which
    raises SEQUENCE and tells everyone on a change of time or place, and promotes from the
    waitlist on more capacity). Returns what `update_event` returns."""
    _run_catalog_or_403(actor)
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise Event.DoesNotExist(event_id)
    _check_session_fields({k: v for k, v in changes.items() if k != "facilitators"}, event=event)
    return event_actions.update_event(event_id, actor=actor, now=now, **changes)


# --- pre-work files ---------------------------------------------------------------------------


def check_upload(upload) -> str:
    """The content type to store for a pre-work upload (belong.lib.uploads), or `Refused`
    (field "file", 400) with what is wrong and what is allowed."""
    try:
        return uploads.check_upload(upload)
    except uploads.UploadRefused as refusal:
        raise Refused(refusal.message, field="file", status=400) from None


# The largest pre-work file, for the pages' request-body limit.
max_upload_bytes = uploads.max_upload_bytes


@transaction.atomic
def add_prework_file(*, actor, upload, title="", course=None, event=None) -> PreworkFile:
    """A pre-work file for a course (all its sessions) or for one session, checked for type
    and size."""
    _run_catalog_or_403(actor)
    if (course is None) == (event is None):
        raise TypeError("a pre-work file belongs to a course or to a session, not both")
    if event is not None and event.status == Event.Status.CANCELLED:
        raise Refused(_("This session has been cancelled."), code="cancelled")
    content_type = check_upload(upload)
    name = os.path.basename(upload.name)
    title = (title or "").strip() or os.path.splitext(name)[0][:200]
    item = PreworkFile(
        course=course,
        event=event,
        title=title,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    item.file.save(name, upload, save=False)
    stored = item.file.name
    try:
        item.save()
    except Exception:
        if stored:
            item.file.storage.delete(stored)
        raise
    audit(
        actor=actor,
        verb="prework_file.added",
        obj=item,
        course=course.pk if course is not None else None,
        event=event.pk if event is not None else None,
        title=title,
        content_type=content_type,
        size=upload.size,
    )
    return item


@transaction.atomic
def delete_prework_file(file_id, *, actor) -> PreworkFile:
    """Remove a pre-work file: the row now, the stored file once the removal is committed."""
    _run_catalog_or_403(actor)
    item = PreworkFile.objects.select_for_update().get(pk=file_id)
    storage, stored = item.file.storage, item.file.name
    audit(
        actor=actor,
        verb="prework_file.deleted",
        obj=item,
        course=item.course_id,
        event=item.event_id,
        title=item.title,
    )
    item.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    return item


# --- lectures, and cancelling or keeping a session or a lecture -------------------------------


def create_lecture(*, actor, **fields) -> Event:
    """A new lecture (through the events engine's create_event)."""
    _run_catalog_or_403(actor)
    return event_actions.create_event(actor=actor, kind=Event.Kind.LECTURE, **fields)


def update_lecture(event_id, *, actor, now=None, **changes):
    """Change a lecture (its recording link included) through the events engine's update_event:
    returns the event and whoever was promoted from the waitlist."""
    _run_catalog_or_403(actor)
    return event_actions.update_event(event_id, actor=actor, now=now, **changes)


def cancel_catalog_event(event_id, *, actor, reason="", now=None) -> Event:
    """Cancel a session or a lecture: everyone registered or waiting is told."""
    _run_catalog_or_403(actor)
    return event_actions.cancel_event(event_id, actor=actor, reason=reason, now=now)


def keep_short_session(event_id, *, actor, now=None) -> Event:
    """Run a session below its minimum: it is confirmed and its registrants told."""
    _run_catalog_or_403(actor)
    return event_actions.keep_short_event(event_id, actor=actor, now=now)

"""Completed trainings and their certificates.

A person has completed a course when they attended one of its sessions: a registration in state
`attended` on an event hosted by the course that was not cancelled. The completion date is the
local date (the installation's zone) of the earliest such session. Each completed course earns a
certificate; completing every offered foundational course earns one more, of kind foundational,
dated the day the last of them was completed.

`issue_certificates` is idempotent and safe to run twice at once: it reads what is missing without
taking a lock, then creates each certificate in its own savepoint; the unique constraints of
Certificate turn a concurrent duplicate into an IntegrityError, which is taken as "already issued".
"""

import re
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from belong.events.models import Event, Registration
from belong.training.models import Certificate, Course

CODE_PREFIX = "BLG-"
# Easy to read aloud and to type: no 0/O, no 1/I. 32 symbols, 8 of them: 2**40 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_ATTEMPTS = 8
_CODE_RE = re.compile(rf"^(?:BLG)?([{CODE_ALPHABET}]{{{CODE_LENGTH}}})$")


def new_code():
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw):
    """The stored form of a code as someone typed it (any case, spaces or dashes, with or
    without the BLG prefix), or None when it cannot be a code."""
    compact = re.sub(r"[\s\-–—]+", "", raw or "").upper()
    match = _CODE_RE.match(compact)
    return CODE_PREFIX + match.group(1) if match else None


def _attended(person=None):
    """Attended registrations on sessions of a course, cancelled sessions left out."""
    registrations = Registration.objects.filter(
        state=Registration.State.ATTENDED,
        event__host_type=ContentType.objects.get_for_model(Course),
    ).exclude(event__status=Event.Status.CANCELLED)
    if person is not None:
        registrations = registrations.filter(person=person)
    return registrations


def completed_courses(person):
    """{course id: date completed} for every course the person has completed."""
    zone = timezone.get_default_timezone()
    rows = (
        _attended(person)
        .order_by()
        .values("event__host_id")
        .annotate(first=Min("event__start"))
        .values_list("event__host_id", "first")
    )
    return {course_id: timezone.localdate(first, zone) for course_id, first in rows}


def foundational_course_ids():
    return set(
        Course.objects.filter(foundational=True, is_active=True).values_list("pk", flat=True)
    )


def foundational_completed_on(completed, foundational_ids):
    """The day every foundational course was done (the latest of their dates), or None."""
    if not foundational_ids or not foundational_ids <= completed.keys():
        return None
    return max(completed[course_id] for course_id in foundational_ids)


def _missing(person, completed=None):
    """What the person has earned and does not hold yet: [(kind, course id or None, date)]."""
    if completed is None:
        completed = completed_courses(person)
    if not completed:
        return []
    held = set(person.certificates.values_list("kind", "course_id"))
    missing = [
        (Certificate.Kind.COURSE, course_id, day)
        for course_id, day in sorted(completed.items())
        if (Certificate.Kind.COURSE, course_id) not in held
    ]
    if not any(kind == Certificate.Kind.FOUNDATIONAL for kind, _ in held):
        day = foundational_completed_on(completed, foundational_course_ids())
        if day is not None:
            missing.append((Certificate.Kind.FOUNDATIONAL, None, day))
    return missing


def _create(*, person, kind, course_id, completed_on):
    """One certificate in its own savepoint; None when it exists already (a concurrent call
    made it). A code that collides with another certificate's is drawn again."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    person=person,
                    kind=kind,
                    course_id=course_id,
                    completed_on=completed_on,
                    code=new_code(),
                )
        except IntegrityError:
            held = Certificate.objects.filter(person=person, kind=kind)
            if kind == Certificate.Kind.COURSE:
                held = held.filter(course_id=course_id)
            if held.exists():
                return None
            # Otherwise the code was taken: draw another.
    raise RuntimeError("could not draw an unused certificate code")


@transaction.atomic
def _issue(*, person, missing):
    created = []
    for kind, course_id, day in missing:
        certificate = _create(person=person, kind=kind, course_id=course_id, completed_on=day)
        if certificate is not None:
            created.append(certificate)
    return created


def issue_certificates(*, person, completed=None):
    """Create the certificates the person has earned and does not hold yet; return the new
    ones. Running it again does nothing. The check reads without a transaction, so that a page
    showing it (the transcript) takes no write lock when nothing is due. `completed`: the
    person's completed_courses(), when the caller has it already."""
    missing = _missing(person, completed)
    if not missing:
        return []
    return _issue(person=person, missing=missing)


def people_due():
    """Ids of people who have earned a certificate they do not hold."""
    attended = _attended()
    lacking_course = attended.filter(
        ~Exists(
            Certificate.objects.filter(
                person=OuterRef("person"),
                kind=Certificate.Kind.COURSE,
                course_id=OuterRef("event__host_id"),
            )
        )
    )
    due = set(lacking_course.values_list("person_id", flat=True).distinct())
    foundational = foundational_course_ids()
    if foundational:
        all_done = (
            attended.filter(event__host_id__in=foundational)
            .filter(
                ~Exists(
                    Certificate.objects.filter(
                        person=OuterRef("person"), kind=Certificate.Kind.FOUNDATIONAL
                    )
                )
            )
            .order_by()
            .values("person_id")
            .annotate(done=Count("event__host_id", distinct=True))
            .filter(done=len(foundational))
            .values_list("person_id", flat=True)
        )
        due.update(all_done)
    return sorted(due)


def issue_due_certificates():
    """The periodic job: issue every certificate that is due. Idempotent."""
    from belong.people.models import Person

    issued = 0
    for person in Person.objects.filter(pk__in=people_due()):
        issued += len(issue_certificates(person=person))
    return issued

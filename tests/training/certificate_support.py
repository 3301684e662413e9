"""Builders for the certificate and transcript tests: courses, sessions at known times, and
registrations in a given state (written directly: the registration rules are tested elsewhere)."""

import datetime
import itertools

from django.utils import timezone

from belong.events.models import Event, Registration
from belong.training.models import Course

_numbers = itertools.count(1)


def course(title=None, *, foundational=False, is_active=True, order=0):
    n = next(_numbers)
    return Course.objects.create(
        title=title or f"Workshop {n}",
        slug=f"workshop-{n}",
        description="About it.",
        foundational=foundational,
        is_active=is_active,
        order=order,
    )


def session(host, *, start=None, days_ago=3, hours=2, **fields):
    start = start or timezone.now() - datetime.timedelta(days=days_ago)
    return Event.objects.create(
        host=host,
        title=fields.pop("title", host.title),
        kind=Event.Kind.SESSION,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        **fields,
    )


def register(event, person, state=Registration.State.ATTENDED, **fields):
    return Registration.objects.create(event=event, person=person, state=state, **fields)


def attend(host, person, **session_fields):
    """A past session of `host` that the person attended."""
    event = session(host, **session_fields)
    register(event, person)
    return event

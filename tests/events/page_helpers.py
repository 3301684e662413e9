"""Building events for the tests of the event pages (detail, registration, .ics, feed, lectures)."""

import datetime
import itertools

from django.utils import timezone

from belong.events import actions
from belong.events.models import Event
from belong.training.models import Course

_slugs = itertools.count()


def course(**fields):
    n = next(_slugs)
    fields.setdefault("title", f"Implicit Bias {n}")
    fields.setdefault("slug", f"implicit-bias-{n}")
    fields.setdefault("description", "What implicit bias is and what to do about it.")
    return Course.objects.create(**fields)


def event(*, days=5, hours=2, **fields):
    """An event through the real action: a workshop session unless `kind` says otherwise."""
    start = fields.pop("start", None) or timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("title", "Implicit Bias")
    fields.setdefault("kind", Event.Kind.SESSION)
    return actions.create_event(
        actor=None, start=start, end=start + datetime.timedelta(hours=hours), **fields
    )


def lecture(**fields):
    fields.setdefault("title", "The Dean's Lecture")
    fields.setdefault("minimum", 0)
    return event(kind=Event.Kind.LECTURE, **fields)


def page(pk, code=""):
    return f"/events/{pk}/" + (f"?code={code}" if code else "")


def text(response):
    return response.content.decode()

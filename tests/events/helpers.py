"""Building sessions and people for the events tests."""

import datetime
import itertools

from django.utils import timezone

from belong.events import actions
from belong.events.models import Event
from tests.conftest import make_person

_counter = itertools.count()


def session(*, days=5, hours=2, actor=None, **fields):
    """A workshop session through the real action (minimum defaults to the workshop minimum)."""
    start = fields.pop("start", None) or timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("title", "Implicit Bias")
    fields.setdefault("kind", Event.Kind.SESSION)
    return actions.create_event(
        actor=actor, start=start, end=start + datetime.timedelta(hours=hours), **fields
    )


def people(count, prefix="learner"):
    return [
        make_person(f"{prefix}{next(_counter)}@example.org", f"{prefix.title()} {n}")
        for n in range(count)
    ]

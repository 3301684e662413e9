"""Rows for the API tests, built directly (no seed content needed), and tokens."""

import datetime

from django.utils import timezone

from belong.collectives.models import Collective, Commitment, FocusArea
from belong.events.models import Event, Registration
from belong.people import actions
from belong.training.models import Course, LearningObjective


def token_for(person, name="tests"):
    _token, secret = actions.create_token(person=person, name=name)
    return secret


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def make_event(*, days=3, hours=1, host=None, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("title", "An event")
    fields.setdefault("kind", Event.Kind.COLLECTIVE)
    return Event.objects.create(
        host=host, start=start, end=start + datetime.timedelta(hours=hours), **fields
    )


def register(event, person, state=Registration.State.REGISTERED):
    return Registration.objects.create(event=event, person=person, state=state)


def make_collective(slug, *, areas=(), commitments=(), **fields):
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("summary", f"About {slug}")
    fields.setdefault("mission", "A mission.")
    fields.setdefault("vision", "A vision.")
    collective = Collective.objects.create(slug=slug, **fields)
    for order, area in enumerate(areas):
        area_obj, _ = FocusArea.objects.get_or_create(
            slug=area, defaults={"name": area.title(), "order": order}
        )
        collective.focus_areas.add(area_obj)
    for order, text in enumerate(commitments):
        Commitment.objects.create(collective=collective, text=text, order=order)
    return collective


def make_course(slug, *, objectives=(), sessions=0, **fields):
    fields.setdefault("title", slug.replace("-", " ").title())
    fields.setdefault("description", f"About {slug}")
    course = Course.objects.create(slug=slug, **fields)
    for order, text in enumerate(objectives):
        LearningObjective.objects.create(course=course, text=text, order=order)
    for k in range(sessions):
        make_event(
            host=course, days=3 + k, title=course.title, kind=Event.Kind.SESSION, capacity=20
        )
    return course

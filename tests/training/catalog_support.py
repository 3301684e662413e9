"""Building courses, topics, campuses and sessions for the catalog and course page tests."""

import datetime
import itertools

from django.utils import timezone

from belong.events.models import Event, Registration
from belong.people.models import OrgUnit
from belong.training.models import Course, Topic

_counter = itertools.count()


def local(days, hour=12, minute=0):
    """An aware datetime `days` from today at hour:minute in the installation's zone."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def campuses():
    institution = OrgUnit.objects.create(
        name="Medical School", slug="medical-school", kind=OrgUnit.Kind.INSTITUTION
    )
    twin_cities = OrgUnit.objects.create(
        name="Twin Cities", slug="twin-cities", kind=OrgUnit.Kind.CAMPUS, parent=institution
    )
    duluth = OrgUnit.objects.create(
        name="Duluth", slug="duluth", kind=OrgUnit.Kind.CAMPUS, parent=institution
    )
    return twin_cities, duluth


def topic(name, order=0):
    slug = name.lower().replace(" ", "-")
    return Topic.objects.create(name=name, slug=slug, order=order)


def course(title, *, topics=(), **fields):
    slug = fields.pop("slug", None) or f"{title.lower().replace(' ', '-')}-{next(_counter)}"
    fields.setdefault("description", f"What {title} is about.")
    made = Course.objects.create(title=title, slug=slug, **fields)
    if topics:
        made.topics.add(*topics)
    return made


def add_session(host, *, days=5, hour=12, minute=0, minutes=90, **fields):
    start = fields.pop("start", None) or local(days, hour, minute)
    fields.setdefault("kind", Event.Kind.SESSION)
    fields.setdefault("minimum", 6)
    fields.setdefault("format", Event.Format.VIRTUAL)
    return Event.objects.create(
        host=host,
        title=host.title,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        **fields,
    )


def fill(event, people, state=Registration.State.REGISTERED):
    Registration.objects.bulk_create(
        Registration(event=event, person=person, state=state) for person in people
    )

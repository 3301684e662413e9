"""Builders shared by the group request tests: campuses, courses, form data, and requests made
through the real action."""

import datetime
import itertools

from django.utils import timezone

from belong.events.models import Event
from belong.people.models import OrgUnit
from belong.training.actions import requests as actions
from belong.training.models import Course

_numbers = itertools.count(1)


def campuses():
    """The demo org tree's campuses: (Twin Cities, Duluth)."""
    root, _ = OrgUnit.objects.get_or_create(
        slug="umn-medical-school",
        defaults={"name": "Medical School", "kind": OrgUnit.Kind.INSTITUTION},
    )
    twin_cities, _ = OrgUnit.objects.get_or_create(
        slug="twin-cities",
        defaults={"name": "Twin Cities", "kind": OrgUnit.Kind.CAMPUS, "parent": root},
    )
    duluth, _ = OrgUnit.objects.get_or_create(
        slug="duluth", defaults={"name": "Duluth", "kind": OrgUnit.Kind.CAMPUS, "parent": root}
    )
    return twin_cities, duluth


def make_course(slug=None, **fields):
    slug = slug or f"course-{next(_numbers)}"
    fields.setdefault("title", f"Workshop {slug}")
    fields.setdefault("description", "A workshop.")
    return Course.objects.create(slug=slug, **fields)


def day(offset):
    """A local date `offset` days from today."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def form_data(courses, **overrides):
    data = {
        "group_name": "Emergency Medicine nursing",
        "org_unit": "",
        "courses": [str(course.pk) for course in courses],
        "expected_participants": "12",
        "window_1_from": day(14).isoformat(),
        "window_1_to": day(28).isoformat(),
        "window_2_from": "",
        "window_2_to": "",
        "window_3_from": "",
        "window_3_to": "",
        "format": "virtual",
        "campus": "",
        "tailoring": "Cases from the emergency department, please.",
    }
    data.update(overrides)
    return data


def make_request(person, courses, **fields):
    """A request through the real action (status new)."""
    fields.setdefault("group_name", f"Group {next(_numbers)}")
    fields.setdefault("expected_participants", 10)
    fields.setdefault("windows", [(day(14), day(28))])
    fields.setdefault("format", Event.Format.VIRTUAL)
    return actions.submit_request(person=person, courses=courses, **fields)

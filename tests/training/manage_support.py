"""Builders shared by the tests of the coordinators' pages: courses, sessions hosted by a course
(through the real action), a facilitator, registrations, files for uploads; and what the tests
of the session and lecture pages share: dates, the POST of an event's edit form, a seat holder
and a waiting learner, counting a page's queries."""

import datetime
import io
import itertools
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event, Registration
from belong.people import roles
from belong.training.models import Course, LearningObjective
from tests.clock import local_day_at
from tests.conftest import make_person

_numbers = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def facilitator(prefix="fay"):
    n = next(_numbers)
    return make_person(
        f"{prefix}{n}@example.org", f"{prefix.title()} Facilitator {n}", roles.FACILITATOR
    )


def learner(prefix="learner", **fields):
    n = next(_numbers)
    return make_person(f"{prefix}{n}@example.org", f"{prefix.title()} {n}", **fields)


def course(slug=None, objectives=("Name bias", "Practise allyship"), **fields):
    slug = slug or f"course-{next(_numbers)}"
    fields.setdefault("title", f"Course {slug}")
    fields.setdefault("description", "What it is about.")
    made = Course.objects.create(slug=slug, **fields)
    for order, text in enumerate(objectives, start=1):
        LearningObjective.objects.create(course=made, text=text, order=order)
    return made


def session(host, *, days=10, hours=2, start=None, facilitators=(), **fields):
    """A session of `host` through the real action."""
    start = start or local_day_at(days)
    return actions.create_event(
        actor=None,
        host=host,
        kind=Event.Kind.SESSION,
        title=host.title,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        facilitators=facilitators,
        **fields,
    )


def past_session(host, *, ago=datetime.timedelta(hours=3), **fields):
    """A session that has started (and ended); registrations are written directly."""
    start = timezone.now() - ago
    return Event.objects.create(
        host=host,
        kind=Event.Kind.SESSION,
        title=host.title,
        start=start,
        end=start + datetime.timedelta(hours=2),
        minimum=6,
        **{key: value for key, value in fields.items() if key != "facilitators"},
    )


def hold(event, person, state=Registration.State.REGISTERED, **fields):
    return Registration.objects.create(event=event, person=person, state=state, **fields)


def seat_and_waitlist(event):
    """Two learners registered through the action: on an event with one seat, the first holds
    it and the second waits."""
    holder, waiting = learner(), learner()
    actions.register(event.pk, person=holder)
    actions.register(event.pk, person=waiting)
    return holder, waiting


def day(days):
    """The local date `days` from today, as a date field takes it."""
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def event_form_data(event, **fields):
    """The POST of an edit form (a session's, a lecture's) as it shows `event`: its date and
    times, place, seats, registration window and visibility; `fields` adds or changes fields."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    data = {
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "format": event.format,
        "campus": event.campus_id or "",
        "place": event.place,
        "online_join_details": event.online_join_details,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": event.visibility,
    }
    data.update(fields)
    return data


def queries_for(client, url):
    """How many queries a GET of `url` makes (a 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_file(main_part="word/document.xml"):
    """The smallest Office Open XML package: the content-types part and the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        if main_part:
            package.writestr(main_part, "<document/>")
    return buffer.getvalue()


def sign_in(client, person):
    client.force_login(person)
    return client

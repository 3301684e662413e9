"""An email's subject is plain text on one line: a title with "<", "&" or quotes reads as
written (never "&lt;" or "&amp;"), whatever the app and whether or not its subject template
turns escaping off; the HTML body stays escaped."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.utils import get_app_template_dirs

from belong.events import actions as events
from belong.events.models import Event
from belong.notifications import outbox
from belong.notifications.models import OutboundMessage
from tests.builders import event_row

TITLE = "<Lunch> & \"Learn\" 'n'\nmore"
SHOWN = "<Lunch> & \"Learn\" 'n' more"
START = datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC)
ENTITIES = ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;", "&#34;")


class Anything:
    """Any attribute of it is itself, and it reads as TITLE: every name a subject template looks
    up (collective.name, event.title, request.name, ...) gives the title."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __str__(self):
        return TITLE


class Everything(dict):
    """A context holding every name: the count a plural needs, a kind, else Anything."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return super().get(key, Anything())


def subject_templates():
    dirs = [
        *map(Path, settings.TEMPLATES[0]["DIRS"]),
        *map(Path, get_app_template_dirs("templates")),
    ]
    names = set()
    for directory in dirs:
        for path in directory.rglob("*_subject.txt"):
            names.add(path.relative_to(directory).as_posix())
    return sorted(names)


SUBJECTS = subject_templates()
# The kinds of event_subject.txt (one template, a branch each).
KINDS = [
    "registered",
    "waitlisted",
    "promoted",
    "withdrawn",
    "confirmed",
    "changed",
    "cancelled",
    "kept",
    "reminder",
]


def test_every_app_has_subject_templates():
    apps = {name.split("/")[0] for name in SUBJECTS}
    assert {"collectives", "events", "library", "mentorship", "people", "training"} <= apps


@pytest.mark.parametrize("name", SUBJECTS)
def test_a_subject_shows_a_title_as_written_on_one_line(name):
    subjects = [
        outbox.render_subject(name, Everything(count=2, kind=kind, start=START, due=START))
        for kind in [None, *KINDS]
    ]
    for subject in subjects:
        assert "\n" not in subject and "\r" not in subject
        assert not any(entity in subject for entity in ENTITIES), subject
    source = next(
        (Path(d) / name).read_text()
        for d in [*settings.TEMPLATES[0]["DIRS"], *get_app_template_dirs("templates")]
        if (Path(d) / name).exists()
    )
    if "{{" in source and "site_name" not in source:
        assert any(SHOWN in subject for subject in subjects), subjects


@pytest.mark.django_db
def test_a_registration_email_names_the_event_as_written(alice, django_capture_on_commit_callbacks):
    event = event_row(kind=Event.Kind.LECTURE, title=TITLE.replace("\n", " "), days=3, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        events.register(event.pk, person=alice)
    message = OutboundMessage.objects.get(to_email=alice.email)
    assert message.subject == f"You are registered: {SHOWN}"
    assert mail.outbox[0].subject == message.subject
    assert "&lt;Lunch&gt; &amp;" in message.body_html  # the HTML part escapes it, as before
    assert "<Lunch>" not in message.body_html

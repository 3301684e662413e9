"""An event's page sits in its program: the header marks Training for a workshop session and
Lectures for a lecture, and a session's breadcrumb leads back to its course."""

import re

import pytest

from belong.events.models import Event
from tests.builders import make_course, make_session

pytestmark = pytest.mark.django_db


def current_section(html):
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_a_session_is_under_training(client):
    course = make_course("implicit-bias")
    event = make_session(host=course, title=course.title)
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "/training/" in current_section(html)
    assert "/lectures/" not in current_section(html)
    assert f'<a href="/training/{course.slug}/">' in html


def test_a_lecture_is_under_lectures(client):
    event = make_session(kind=Event.Kind.LECTURE, title="Dean's lecture")
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "/lectures/" in current_section(html)

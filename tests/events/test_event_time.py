"""The `when` tag (belong.events.templatetags.event_time) and partials/when.html, which renders
it: exactly what the template it replaced showed, in every case it distinguished."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

# partials/when.html as it was, in template language: the reference.
REFERENCE = (
    '{% load i18n %}{% translate "l, F j, Y" context "Django date format: weekday, month day, '
    'year" as date_format %}{% translate "g:i A" context "Django time format" as time_format %}'
    '{% translate "g:i" context "Django time format for a start time sharing AM/PM with its '
    'end" as start_format %}{% if start|date:"Ymd" == end|date:"Ymd" %}<time datetime="{{ '
    'start|date:\'c\' }}">{{ start|date:date_format }}, {% if start|date:"A" == end|date:"A" '
    "%}{{ start|date:start_format }}{% else %}{{ start|date:time_format }}{% endif %}</time>–"
    '<time datetime="{{ end|date:\'c\' }}">{{ end|date:time_format }}</time> {{ end|date:"T" '
    "}}{% else %}<time datetime=\"{{ start|date:'c' }}\">{{ start|date:date_format }}, {{ "
    "start|date:time_format }}</time> – <time datetime=\"{{ end|date:'c' }}\">{{ "
    'end|date:date_format }}, {{ end|date:time_format }}</time> {{ end|date:"T" }}{% endif %}\n'
)

UTC = datetime.UTC
STARTS = [
    datetime.datetime(2025, 3, 14, 17, 30, tzinfo=UTC),  # 12:30 PM in Chicago
    datetime.datetime(2025, 3, 9, 7, 30, tzinfo=UTC),  # 1:30 AM, the night clocks change
    datetime.datetime(2025, 11, 2, 5, 0, tzinfo=UTC),  # midnight, the night clocks go back
    datetime.datetime(2025, 6, 30, 16, 0, tzinfo=UTC),  # 11 AM
    datetime.datetime(2025, 12, 31, 23, 45, tzinfo=UTC),  # 5:45 PM, the year's last evening
    datetime.datetime(2025, 1, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris")),  # another zone
]
LENGTHS = [
    datetime.timedelta(minutes=90),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
    datetime.timedelta(days=1),
    datetime.timedelta(days=3, hours=2),
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_tag_shows_what_the_template_did(language):
    reference = Template(REFERENCE)
    with translation.override(language):
        for start, length in itertools.product(STARTS, LENGTHS):
            context = {"start": start, "end": start + length}
            expected = reference.render(Context(context))
            assert render_to_string("partials/when.html", context) == expected, (start, length)


def test_it_reads_in_the_installations_zone():
    start = datetime.datetime(2025, 3, 14, 17, 30, tzinfo=UTC)
    html = render_to_string(
        "partials/when.html", {"start": start, "end": start + datetime.timedelta(minutes=90)}
    )
    assert html == (
        '<time datetime="2025-03-14T12:30:00-05:00">Friday, March 14, 2025, 12:30</time>–'
        '<time datetime="2025-03-14T14:00:00-05:00">2:00 PM</time> CDT\n'
    )


def test_nothing_to_show_is_shown_as_the_template_did():
    context = {"start": None, "end": None}
    assert render_to_string("partials/when.html", context) == Template(REFERENCE).render(
        Context(context)
    )

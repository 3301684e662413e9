"""`{% when start end %}`: the date and time of an event, as partials/when.html shows it.

The same output as the template it replaced (tests/events/test_event_time.py compares them), in
Python: it is rendered for every session of the catalog and in every event email, and as a
template it cost ten date filters and three translations each time.
"""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import pgettext

register = template.Library()


def _same(start, end, fmt, part):
    """What `start|date:fmt == end|date:fmt` says, without formatting when both are datetimes."""
    if isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime):
        return part(start) == part(end)
    return date_filter(start, fmt) == date_filter(end, fmt)


def _iso(moment):
    """`moment|date:"c"`: ISO 8601, which is what that format writes for a datetime."""
    if isinstance(moment, datetime.datetime):
        return moment.isoformat()
    return date_filter(moment, "c")


@register.simple_tag
def when(start, end):
    start, end = template_localtime(start), template_localtime(end)
    date_format = pgettext("Django date format: weekday, month day, year", "l, F j, Y")
    time_format = pgettext("Django time format", "g:i A")
    start_format = pgettext("Django time format for a start time sharing AM/PM with its end", "g:i")
    end_time, zone = date_filter(end, time_format), date_filter(end, "T")
    if _same(start, end, "Ymd", lambda moment: moment.date()):
        same_half = _same(start, end, "A", lambda moment: moment.hour >= 12)
        return format_html(
            '<time datetime="{}">{}, {}</time>–<time datetime="{}">{}</time> {}',
            _iso(start),
            date_filter(start, date_format),
            date_filter(start, start_format if same_half else time_format),
            _iso(end),
            end_time,
            zone,
        )
    return format_html(
        '<time datetime="{}">{}, {}</time> – <time datetime="{}">{}, {}</time> {}',
        _iso(start),
        date_filter(start, date_format),
        date_filter(start, time_format),
        _iso(end),
        date_filter(end, date_format),
        end_time,
        zone,
    )

"""Months, as the training, collectives and mentorship topics of a release count them (the last
twelve, oldest first, in the local time zone), and who is in the workforce. The topics
themselves are in belong.insights.dashboards."""

import datetime

from django.utils import formats, timezone

from belong.people.models import Person

MONTHS = 12
WORKFORCE = [Person.Kind.STAFF, Person.Kind.FACULTY, Person.Kind.RESIDENT, Person.Kind.FELLOW]


def months(today):
    """The first day of each of the last MONTHS months, oldest first (this month last)."""
    first = today.replace(day=1)
    out = []
    for _n in range(MONTHS):
        out.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return out[::-1]


def month_label(month):
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def as_day(month):
    return month.date() if isinstance(month, datetime.datetime) else month


def start_of(month):
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time()))

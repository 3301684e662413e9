"""The years Belong takes a day or a moment in: 1900 to 2999, whatever the way in (the API's
days, belong.events.actions' moments, and the admin through ``BoundedDatesAdmin``).

Beyond them a value may still be stored and then break every page that reads it: PostgreSQL
keeps 9999-12-31 23:59 in Chicago as 10000-01-01 in UTC, which Python cannot hold (every page
showing that event was a 500), and a day near 9999-12-31 overflows as soon as a page adds a
review interval to it.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # a mixin of a ModelAdmin or an inline, typed as one
    from django.contrib.admin.options import BaseModelAdmin

    _AdminBase = BaseModelAdmin[Any]
else:
    _AdminBase = object

FIRST_YEAR, LAST_YEAR = 1900, 2999


def _refusal():
    return ValidationError(
        _("Enter a date between the years %(first)s and %(last)s."),
        code="out_of_range",
        params={"first": FIRST_YEAR, "last": LAST_YEAR},
    )


def validate_day(value):
    """A form or model validator: a day (or the day of a moment) in the years Belong takes."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _refusal()


def validate_moment(value):
    """A form or model validator: a moment in the years Belong takes, both where it was
    entered and in UTC, where the database keeps it."""
    if value is None:
        return
    validate_day(value)
    if timezone.is_aware(value):
        try:
            in_utc = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise _refusal() from None
        validate_day(in_utc)


class BoundedDatesAdmin(_AdminBase):
    """For a ModelAdmin or an inline (first among its bases): every date and date-time field of
    its forms takes the years Belong takes and nothing else. tests/lib/test_dates.py walks
    every registered admin and its inlines."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            if isinstance(db_field, models.DateTimeField):
                field.validators.append(validate_moment)
            elif isinstance(db_field, models.DateField):
                field.validators.append(validate_day)
        return field

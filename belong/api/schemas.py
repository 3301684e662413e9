"""Small schema pieces the routers share."""

import datetime
import re
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

# What a slug can be (Django's SlugField). Anything else is simply not found, without asking the
# database (PostgreSQL refuses some strings outright, such as one with a NUL character).
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


# A day, as query parameters and bodies give one: YYYY-MM-DD and nothing else (not a number, which
# pydantic would read as seconds since 1970: `?to=0` was 1 January 1970), in the years an event
# may be held (belong.events.actions: 1900 to 2999). The pattern says so in the OpenAPI document.
FIRST_YEAR, LAST_YEAR = 1900, 2999
DAY_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _day(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(DAY_PATTERN, value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_from_datetime_parsing", str(_("There is no such date."))
            ) from None
    else:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_parsing",
            str(
                _("Give a date as YYYY-MM-DD, from %(first)s-01-01 to %(last)s-12-31.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ),
        )
    return day


Day = Annotated[
    datetime.date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]


def is_slug(value):
    return SLUG.fullmatch(value) is not None


def choice(choices):
    """A Django choices class as an inline enum of its values. (Enum classes would each become a
    named component, and several models have one called ``Kind`` or ``Status``.)"""
    return Literal[tuple(choices.values)]


class BodyIn(Schema):
    """A request body: a JSON object, and nothing else. ninja's Schema reads the attributes of
    whatever it is given, so a list, a string, a number or null would otherwise pass as an
    object with no fields (every field at its default): a PUT with ``[]`` would replace what
    the caller has with nothing. Every input schema derives from this (or from pydantic's
    BaseModel, which refuses them itself); the error names ``payload``, the body.

    This replaces Schema's own root validator (by its name), which wraps any value in an
    attribute reader: an input is a dict, read as the dict it is."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        if not isinstance(values, dict | cls):
            raise PydanticCustomError("model_type", str(_("The body must be a JSON object.")))
        return handler(values)


class NamedOut(Schema):
    slug: str
    name: str

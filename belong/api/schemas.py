"""Small schema pieces the routers share."""

import re
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import model_validator
from pydantic_core import PydanticCustomError

# What a slug can be (Django's SlugField). Anything else is simply not found, without asking the
# database (PostgreSQL refuses some strings outright, such as one with a NUL character).
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


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

"""Small schema pieces the routers share."""

import re
from typing import Literal

from ninja import Schema

# What a slug can be (Django's SlugField). Anything else is simply not found, without asking the
# database (PostgreSQL refuses some strings outright, such as one with a NUL character).
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def is_slug(value):
    return SLUG.fullmatch(value) is not None


def choice(choices):
    """A Django choices class as an inline enum of its values. (Enum classes would each become a
    named component, and several models have one called ``Kind`` or ``Status``.)"""
    return Literal[tuple(choices.values)]


class NamedOut(Schema):
    slug: str
    name: str

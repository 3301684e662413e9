"""Hand-written releases for the tests of serving: what the engine would have stored."""

import datetime

from belong.insights import serving
from belong.insights.models import Release, ReleaseTopic


def fig(value):
    return {"hidden": True} if value is None else {"value": value}


def row(cells, total=None, *, status="fresh", as_of_release=1):
    made = {
        "cells": {key: fig(value) for key, value in cells.items()},
        "status": status,
        "as_of_release": as_of_release,
    }
    if total is not False:
        made["total"] = fig(total)
    return made


def store(number, topics, *, as_of=None, kind="operator"):
    """A release `number` holding `topics` ({topic: (published, meta)}), as of `as_of`."""
    release = Release.objects.create(
        number=number,
        kind=kind,
        as_of=as_of or datetime.date(2026, 11, 1) + datetime.timedelta(days=number),
        engine_settings={"threshold": 11, "max_noise": 3},
    )
    for topic, (published, meta) in topics.items():
        ReleaseTopic.objects.create(release=release, topic=topic, published=published, meta=meta)
    serving.forget()
    return release

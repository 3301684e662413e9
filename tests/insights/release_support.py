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


def cut(kind="operator", **kwargs):
    """Cut a release now, as an operator would (the figures pages read from then on)."""
    from belong.insights import cutting

    release = cutting.cut_release(kind=kind, **kwargs)
    serving.forget()
    return release


def exact(settings):
    """No perturbation: a release then shows the true counts, so that a test checks what is
    counted exactly (tests/insights/test_release_consistency.py checks the perturbation)."""
    settings.RELEASE_MAX_NOISE = 0

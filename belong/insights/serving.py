"""Serving the latest release: every figure about people that a page, a download or the API
shows is read from the latest stored release (belong.insights.cutting), never counted live.

A release never changes once cut, so what is read of it is kept in this process under its
number: serving a page costs one small query (which release is the latest) and no counting.
The sealed engine state is never read here."""

import datetime
import threading
from dataclasses import dataclass

from django.conf import settings

from belong.insights.models import Release, ReleaseTopic


@dataclass(frozen=True)
class TopicView:
    """One topic of a release as stored: the engine's `published` dict and the `meta` beside it
    (`groups`: the rows in order; `labels`: names of rows as of the cut; `as_of`: {the engine's
    release number of the topic: date} of the releases the rows' figures date from)."""

    topic: str
    number: int
    as_of: datetime.date
    published: dict
    meta: dict

    @property
    def groups(self) -> list:
        return list(self.meta.get("groups", []))

    @property
    def max_noise(self) -> int:
        return int(self.published.get("max_noise", 0) or 0)

    @property
    def withheld_reason(self):
        return self.published.get("withheld_reason")

    def table(self, key) -> dict:
        return (self.published.get("tables") or {}).get(key) or {}

    def row(self, key, group) -> dict:
        return (self.table(key).get("rows") or {}).get(group) or {}

    def row_as_of(self, key, group):
        """The date the row's figures date from (a carried row: an earlier release's)."""
        number = self.row(key, group).get("as_of_release")
        if number is None or number == self.published.get("release"):
            return self.as_of
        found = (self.meta.get("as_of") or {}).get(str(number))
        return datetime.date.fromisoformat(found) if found else self.as_of


@dataclass(frozen=True)
class ReleaseView:
    number: int
    kind: str
    as_of: datetime.date
    cut_at: datetime.datetime
    topics: dict  # name -> TopicView
    threshold: int

    def topic(self, name) -> TopicView | None:
        return self.topics.get(name)


_lock = threading.Lock()
_loaded: dict = {}  # release pk -> ReleaseView (a release never changes)
# Releases kept read in the process: more than the collectives dashboard reads on every view
# (belong.insights.dashboards.collectives.RELEASES_SHOWN, 6): read in turn, a cache smaller than that
# dropped each one before it was read again, and every view read all six again.
KEPT = 8
_built: dict = {}  # see built()
KEPT_BUILT = 32


def latest_release():
    """(pk, number) of the latest release, or None: one query."""
    return Release.objects.order_by("-number").values_list("pk", "number").first()


def view_of(pk) -> ReleaseView | None:
    with _lock:
        found = _loaded.get(pk)
    if found is not None:
        return found
    release = Release.objects.filter(pk=pk).first()
    if release is None:
        return None
    topics = {
        row.topic: TopicView(row.topic, release.number, release.as_of, row.published, row.meta)
        for row in ReleaseTopic.objects.filter(release=release).defer("state")
    }
    threshold = int(release.engine_settings.get("threshold", settings.DISCLOSURE_THRESHOLD))
    found = ReleaseView(
        release.number, release.kind, release.as_of, release.cut_at, topics, threshold
    )
    with _lock:
        if len(_loaded) >= KEPT:
            _loaded.pop(next(iter(_loaded)))
        _loaded[pk] = found
    return found


def latest() -> ReleaseView | None:
    """The latest release, or None before the first."""
    found = latest_release()
    return view_of(found[0]) if found else None


def recent(count, *, up_to=None) -> list[ReleaseView]:
    """The `count` latest releases (or the latest up to release `up_to`, a ReleaseView), oldest
    first (release-by-release figures)."""
    found = Release.objects.order_by("-number")
    if up_to is not None:
        found = found.filter(number__lte=up_to.number)
    pks = list(found.values_list("pk", flat=True)[:count])
    return [view for view in (view_of(pk) for pk in reversed(pks)) if view is not None]


def built(key, make):
    """What `make()` builds from releases, kept in this process under `key` (which names every
    release it reads and whatever else it depends on, the language for one): releases never
    change, so neither does it. What is kept must not be changed by its readers."""
    with _lock:
        found = _built.get(key)
    if found is not None:
        return found
    found = make()
    with _lock:
        if len(_built) >= KEPT_BUILT:
            _built.pop(next(iter(_built)))
        _built[key] = found
    return found


def forget():
    """Drop what this process read (tests that delete releases)."""
    with _lock:
        _loaded.clear()
        _built.clear()

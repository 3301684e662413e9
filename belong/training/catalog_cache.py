"""The catalog's content for visitors, cached.

Every visitor sees the same catalog (public sessions, no completion marks), so the part of the
page under the site header is rendered once per language and filters and kept in Django's
cache. The site header is not cached: its language form carries each visitor's own CSRF token.
Signed-in people are never served from the cache: they also see organization and
invitation-only sessions and their own completion marks.

Freshness: every entry carries the version it was rendered under, read before the page's
queries. Every change to what the catalog shows (courses, their topics and objectives, sessions
and their registrations, campuses, the training page, contacts) makes a new version at once and
again after its commit (so that a page rendered from the data before the commit does not
stay). With a shared cache (Redis, REDIS_URL) every process sees a new version at once; with the
default per-process memory cache the other processes keep showing their copy until it expires,
after CATALOG_CACHE_SECONDS at most, which also bounds how long a session that has started stays
listed. CATALOG_CACHE_SECONDS = 0 turns the cache off.

The version, its look-up, storing and the signals are belong.lib.page_cache's (shared with the
collectives' pages); the version is bumped from model signals rather than from the actions:
invalidating a cache is not a rule of the domain, and the catalog's data is also written by the
seed loader, the admin and the coordinators' pages, which must not each remember to do it.
"""

import hashlib
import json

from django.conf import settings

from belong.lib.page_cache import PageCache

FIELDS = ("topic", "format", "campus", "from", "to", "has_seats")

pages = PageCache("training-catalog", lambda: settings.CATALOG_CACHE_SECONDS)
lookup = pages.lookup  # (version, parts): the parts if of the current version, else None
store = pages.store  # store(entry_key, version, parts)
bump = pages.bump


def enabled() -> bool:
    return pages.enabled()


def key(request) -> str | None:
    """The cache key of the catalog for this request, or None when it must not be cached: a
    signed-in person (their catalog is their own). Filters count as sent, so that the form
    shows them exactly as they were typed."""
    sent = [bool(request.GET)] + [request.GET.get(name) for name in FIELDS]
    digest = hashlib.sha256(json.dumps(sent).encode()).hexdigest()[:32]
    return pages.part_key(request, digest)


def connect():
    """Called from TrainingConfig.ready()."""
    from belong.events.models import Event, Registration
    from belong.people.models import OrgUnit
    from belong.training.models import Contact, Course, LearningObjective, Topic, TrainingPage

    pages.connect(
        [Course, LearningObjective, Topic, TrainingPage, Contact, Event, Registration, OrgUnit],
        m2m=[Course.topics.through],
    )

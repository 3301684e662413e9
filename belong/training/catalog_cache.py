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

The version is bumped from model signals rather than from the actions: invalidating a cache is
not a rule of the domain, and the catalog's data is also written by the seed loader, the admin
and the coordinators' pages, which must not each remember to do it.
"""

import hashlib
import json
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

VERSION_KEY = "training:catalog:version"
FIELDS = ("topic", "format", "campus", "from", "to", "has_seats")


def enabled() -> bool:
    return settings.CATALOG_CACHE_SECONDS > 0


def key(request) -> str | None:
    """The cache key of the catalog for this request, or None when it must not be cached: a
    signed-in person (their catalog is their own). Filters count as sent, so that the form
    shows them exactly as they were typed."""
    if not enabled() or request.user.is_authenticated:
        return None
    sent = [bool(request.GET)] + [request.GET.get(name) for name in FIELDS]
    digest = hashlib.sha256(json.dumps(sent).encode()).hexdigest()[:32]
    return f"training:catalog:{translation.get_language()}:{digest}"


def lookup(entry_key):
    """(version, parts): the cached parts if they are of the current version (else None), and
    the version to store a fresh rendering under."""
    found = cache.get_many([VERSION_KEY, entry_key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    entry = found.get(entry_key)
    if entry is not None and version is not None and entry[0] == version:
        return version, entry[1]
    return version, None


def store(entry_key, version, parts):
    if version is not None:
        cache.set(entry_key, (version, parts), timeout=settings.CATALOG_CACHE_SECONDS)


def bump():
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def changed(sender=None, using=None, **kwargs):
    """A signal receiver: what the catalog shows has changed (or is about to, at commit)."""
    bump()
    transaction.on_commit(bump, using=using)


def connect():
    """Called from TrainingConfig.ready()."""
    from belong.events.models import Event, Registration
    from belong.people.models import OrgUnit
    from belong.training.models import Contact, Course, LearningObjective, Topic, TrainingPage

    shown = (Course, LearningObjective, Topic, TrainingPage, Contact, Event, Registration, OrgUnit)
    for model in shown:
        name = model._meta.label
        post_save.connect(changed, sender=model, dispatch_uid=f"catalog-saved-{name}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"catalog-deleted-{name}")
    m2m_changed.connect(changed, sender=Course.topics.through, dispatch_uid="catalog-topics")

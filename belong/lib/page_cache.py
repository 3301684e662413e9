"""Whole pages for visitors (not signed in), kept in Django's cache under a version.

Every visitor sees the same page, except for the CSRF token of the forms in the site header:
the token is replaced by a placeholder when a page is stored and by the visitor's own token when
it is served, so a cached page never hands one visitor's token to another. Signed-in people, a
request with a flash message waiting, and anything but a 200 are never served from, nor stored
in, the cache.

Freshness, as for the training catalog (belong.training.catalog_cache): every change to a model
the pages show makes a new version at once and again after its commit (model signals, so that
the admin, the seed loader and the actions all count). With a shared cache (REDIS_URL) every
process sees it at once; with the per-process memory cache another process may show its copy
until it expires, after `seconds` at most.
"""

import re
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

PLACEHOLDER = "__belong_csrf_placeholder__"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


class PageCache:
    def __init__(self, name, seconds):
        """`seconds`: a callable answering how long an entry may be served (0: off)."""
        self.name = name
        self.seconds = seconds
        self.version_key = f"pages:{name}:version"

    def enabled(self) -> bool:
        return self.seconds() > 0

    def key(self, request, *parts) -> str | None:
        """The entry's key for this request, or None when it must not come from the cache."""
        if not self.enabled() or request.method not in ("GET", "HEAD"):
            return None
        if request.user.is_authenticated or request.GET:
            return None
        if request.COOKIES.get("messages") or _session_has_messages(request):
            return None
        joined = ":".join(str(part) for part in parts)
        return f"pages:{self.name}:{translation.get_language()}:{joined}"

    def serve(self, request, entry_key, build):
        """The cached page for `entry_key` if it is of the current version; otherwise the
        response `build()` makes, stored when it is a plain 200."""
        if entry_key is None:
            return build()
        found = cache.get_many([self.version_key, entry_key])
        version = found.get(self.version_key)
        if version is None:
            cache.add(self.version_key, secrets.token_hex(8), timeout=None)
            version = cache.get(self.version_key)
        entry = found.get(entry_key)
        if entry is not None and version is not None and entry[0] == version:
            html = entry[1].replace(PLACEHOLDER, get_token(request))
            return HttpResponse(html, content_type="text/html; charset=utf-8")
        response = build()
        if version is not None and response.status_code == 200 and not response.streaming:
            html = CSRF_VALUE.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode())
            cache.set(entry_key, (version, html), timeout=self.seconds())
        return response

    def bump(self):
        cache.set(self.version_key, secrets.token_hex(8), timeout=None)

    def changed(self, sender=None, using=None, **kwargs):
        self.bump()
        transaction.on_commit(self.bump, using=using)

    def connect(self, models, m2m=()):
        for model in models:
            label = model._meta.label
            post_save.connect(
                self.changed, sender=model, dispatch_uid=f"{self.name}-saved-{label}", weak=False
            )
            post_delete.connect(
                self.changed, sender=model, dispatch_uid=f"{self.name}-deleted-{label}", weak=False
            )
        for through in m2m:
            m2m_changed.connect(
                self.changed,
                sender=through,
                dispatch_uid=f"{self.name}-m2m-{through._meta.label}",
                weak=False,
            )


def _session_has_messages(request):
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))

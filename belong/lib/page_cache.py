"""Pages (or parts of pages) for visitors (not signed in), kept in Django's cache under a version.

A `PageCache` has a name, the models whose changes make a new version (`connect`), and a
setting saying how long an entry may be served (0: off). Three ways to use it:

- whole pages for visitors (`key` and `serve`: the collectives' list and pages,
  belong.collectives.page_cache);
- parts of a page for visitors, the view rendering the site header itself (`part_key`, `lookup`
  and `store`: the training catalog, belong.training.catalog_cache);
- entries for everyone, signed in or not (`entries`, `fragments` for HTML, `value` for one):
  data or pieces of a page that are the same for everyone their key describes, the view
  rendering what is personal around them. The key is what the view selected for the person
  (the ids of the rows shown, flags such as "runs this collective"), never the person: the view
  selects first (small queries), then renders only the fragments the cache does not hold, from
  that selection alone.

A whole page is the same for every visitor except for the site header's language form: its CSRF
token and its `next` (the page's own address, with the query string). Both are replaced by
placeholders when a page is stored and by the visitor's own when it is served, so a cached page
never hands one visitor's token to another. Whole pages are for views that read no query
parameter: the key is the path's, so a query string that means nothing to the page (a campaign's
`utm_source`, the bench's tag) is served from the cache, and cannot fill it with copies.
Signed-in people, a request with a flash message waiting, and anything but a 200 are never served
from, nor stored in, the cache.

Freshness: every entry carries the version it was rendered under, read before the page's
queries. Every change to a model the pages show makes a new version at once and again after its
commit (so that a page rendered from the data before the commit does not stay). The version is
bumped from model signals rather than from the actions: invalidating a cache is not a rule of
the domain, and the admin, the seed loader and the actions all write the same rows. With a
shared cache (REDIS_URL) every process sees it at once; with the per-process memory cache
another process may show its copy until it expires, after `seconds` at most.
"""

import hashlib
import re
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

PLACEHOLDER = "__belong_csrf_placeholder__"
NEXT_PLACEHOLDER = "__belong_next_placeholder__"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
NEXT_VALUE = re.compile(r'(<input type="hidden" name="next" value=")[^"]*(")')


class PageCache:
    def __init__(self, name, seconds):
        """`seconds`: a callable answering how long an entry may be served (0: off)."""
        self.name = name
        self.seconds = seconds
        self.version_key = f"pages:{name}:version"
        self.unshown = {}

    def enabled(self) -> bool:
        return self.seconds() > 0

    def part_key(self, request, *parts) -> str | None:
        """The key of a part of the page for this request (per language and `parts`), or None
        when it must not come from the cache: the cache is off or the person is signed in."""
        if not self.enabled() or request.user.is_authenticated:
            return None
        joined = ":".join(str(part) for part in parts)
        return f"pages:{self.name}:{translation.get_language()}:{joined}"

    def key(self, request, *parts) -> str | None:
        """The key of a whole page for this request, or None when it must not come from the
        cache: also anything but GET or HEAD, or a flash message waiting. The query string is
        not part of it: only for views that read none."""
        if request.method not in ("GET", "HEAD"):
            return None
        if request.COOKIES.get("messages") or _session_has_messages(request):
            return None
        return self.part_key(request, *parts)

    def lookup(self, entry_key):
        """(version, value): the cached value if it is of the current version (else None), and
        the version to store a fresh rendering under (read before the rendering's queries)."""
        found = cache.get_many([self.version_key, entry_key])
        version = self._version(found)
        entry = found.get(entry_key)
        if entry is not None and version is not None and entry[0] == version:
            return version, entry[1]
        return version, None

    def _version(self, found):
        """The current version from a get_many that asked for it, made when there is none."""
        version = found.get(self.version_key)
        if version is None:
            cache.add(self.version_key, secrets.token_hex(8), timeout=None)
            version = cache.get(self.version_key)
        return version

    def store(self, entry_key, version, value):
        if version is not None:
            cache.set(entry_key, (version, value), timeout=self.seconds())

    def serve(self, request, entry_key, build):
        """The cached page for `entry_key` if it is of the current version; otherwise the
        response `build()` makes, stored when it is a plain 200."""
        if entry_key is None:
            return build()
        version, html = self.lookup(entry_key)
        if html is not None:
            html = html.replace(PLACEHOLDER, get_token(request)).replace(
                NEXT_PLACEHOLDER, escape(request.get_full_path()), 1
            )
            return HttpResponse(html, content_type="text/html; charset=utf-8")
        response = build()
        if response.status_code == 200 and not response.streaming:
            html = CSRF_VALUE.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode())
            html = NEXT_VALUE.sub(rf"\g<1>{NEXT_PLACEHOLDER}\g<2>", html, count=1)
            self.store(entry_key, version, html)
        return response

    def entries(self, wanted, build):
        """`wanted`: {name: key}, each key a tuple of everything the entry depends on besides
        the data (its repr is hashed, with the language). Answers {name: value}: the entries of
        the current version from the cache, the others from `build(names)` (which answers
        {name: value} for the names it is given, leaving out any that it cannot make, such as a
        row deleted meanwhile), stored. With the cache off, everything is built."""
        if not self.enabled():
            return build(list(wanted))
        language = translation.get_language()
        keys = {
            name: f"pages:{self.name}:{language}:entry:"
            + hashlib.sha256(repr(key).encode()).hexdigest()[:32]
            for name, key in wanted.items()
        }
        found = cache.get_many([self.version_key, *keys.values()])
        version = self._version(found)
        shown, missing = {}, []
        for name, entry_key in keys.items():
            entry = found.get(entry_key)
            if entry is not None and version is not None and entry[0] == version:
                shown[name] = entry[1]
            else:
                missing.append(name)
        if missing:
            built = build(missing)
            if version is not None:
                cache.set_many(
                    {keys[name]: (version, built[name]) for name in missing if name in built},
                    timeout=self.seconds(),
                )
            shown.update(built)
        return shown

    def fragments(self, wanted, build):
        """`entries` whose values are HTML our own templates rendered, marked safe."""
        return {name: mark_safe(html) for name, html in self.entries(wanted, build).items()}  # noqa: S308

    def value(self, key, build):
        """One entry: `build()` when the cache does not hold it for the current version."""
        return self.entries({"value": key}, lambda _names: {"value": build()})["value"]

    def bump(self):
        cache.set(self.version_key, secrets.token_hex(8), timeout=None)

    def changed(self, sender=None, using=None, update_fields=None, **kwargs):
        """A signal receiver: what the pages show has changed (or is about to, at commit). A
        save of only fields the pages never show (a person's last sign-in) changes nothing."""
        unshown = self.unshown.get(sender)
        if unshown and update_fields and set(update_fields) <= unshown:
            return
        self.bump()
        transaction.on_commit(self.bump, using=using)

    def connect(self, models, m2m=(), unshown=None):
        """Bump the version on every save or delete of `models` and every change of the
        many-to-many tables `m2m` (their `through` models), except saves of only the fields
        `unshown` names for a model ({Model: {"field", ...}}). Called from an AppConfig.ready()."""
        self.unshown.update({model: set(fields) for model, fields in (unshown or {}).items()})
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

"""A small fixed-window rate limit whose counters every web process shares:

    if not ratelimit.allow("certificate-verify", ratelimit.client_ip(request), limit=30, window=60):
        ...answer 429...

A counter per key and window. With Redis (`REDIS_URL`) the counters live in the cache: `add`
creates one atomically and `incr` counts atomically. Without it they live in a database table
(the store registered by the `home` app, a belong.lib.models.SharedCounter), counted by one
atomic upsert: never in a process's own memory, which another worker process cannot see (`make
run` and production run several). `runperiodic` deletes the expired windows. Keys are hashed,
so no client address or person is stored in clear.
"""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# The shared table (a concrete SharedCounter), registered by belong.home in its AppConfig.ready.
_store = None


def use_store(model):
    global _store  # noqa: PLW0603 - set once, at start-up
    _store = model


def store():
    """The table counters are kept in without Redis (None with Redis)."""
    return None if settings.REDIS_URL else _store


def client_ip(request):
    """The client's address, the same way the login lockout (django-axes) reads it, so one
    setting (AXES_IPWARE_*, or AXES_CLIENT_IP_CALLABLE behind a proxy) serves both."""
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    except ImportError:  # pragma: no cover - axes is a dependency
        address = None
    return address or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope, who, window, now):
    digest = hashlib.sha256(f"{scope}\0{who}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(now // window)}"


def allow(scope, who, *, limit, window):
    """Count one hit for `who` in `scope`; True while at most `limit` hits fell in the current
    window of `window` seconds."""
    now = time.time()
    key = _key(scope, who, window, now)
    table = store()
    if table is not None:
        ends = (int(now // window) + 1) * window
        count = table.hit(
            key,
            expires_at=datetime.datetime.fromtimestamp(ends + 1, tz=datetime.UTC),
            now=datetime.datetime.fromtimestamp(now, tz=datetime.UTC),
        )
        return count <= limit
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def hits(scope, who, *, window):
    """How many hits `who` has in `scope`'s current window, without counting one."""
    now = time.time()
    key = _key(scope, who, window, now)
    table = store()
    if table is not None:
        return table.count(key, now=datetime.datetime.fromtimestamp(now, tz=datetime.UTC))
    return cache.get(key, 0)


def reset(scope, who, *, window):
    """Forget `who`'s hits in `scope`'s current window."""
    key = _key(scope, who, window, time.time())
    table = store()
    if table is not None:
        table.reset(key)
    else:
        cache.delete(key)


def retry_after(window):
    """Seconds until the current window ends (for the Retry-After header)."""
    return max(1, int(window - time.time() % window))


def delete_expired() -> int:
    """Delete the windows that have ended (runperiodic); Redis expires its own."""
    table = store()
    return table.delete_expired() if table is not None else 0

"""A small fixed-window rate limit on Django's cache (Redis in production, so every web process
shares the counters; memory in development and tests).

    if not ratelimit.allow("certificate-verify", ratelimit.client_ip(request), limit=30, window=60):
        ...answer 429...

A counter per key and window: `cache.add` creates it atomically, `cache.incr` counts atomically
(both are atomic on Redis and on the local-memory cache). Keys are hashed, so no client address is
stored in clear.
"""

import hashlib
import time

from django.core.cache import cache


def client_ip(request):
    """The client's address, the same way the login lockout (django-axes) reads it, so one
    setting (AXES_IPWARE_*, or AXES_CLIENT_IP_CALLABLE behind a proxy) serves both."""
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    except ImportError:  # pragma: no cover - axes is a dependency
        address = None
    return address or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope, who, window):
    digest = hashlib.sha256(f"{scope}\0{who}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(time.time() // window)}"


def allow(scope, who, *, limit, window):
    """Count one hit for `who` in `scope`; True while at most `limit` hits fell in the current
    window of `window` seconds."""
    key = _key(scope, who, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def retry_after(window):
    """Seconds until the current window ends (for the Retry-After header)."""
    return max(1, int(window - time.time() % window))

"""The sign-in lockout: it stops password guessing, and nobody can use it to lock a person out.

OWASP's "device cookie" scheme on top of django-axes:

- A successful sign-in gives the browser a device cookie: signed, naming the account (as a
  keyed digest, never the address) and a random device id.
- A sign-in from a browser holding a valid device cookie for the account it names is counted
  against that device alone: BELONG_LOGIN_FAILURE_LIMIT failures lock that device (and only it)
  for BELONG_LOGIN_COOLOFF_MINUTES. Nobody else's failures count against it.
- A sign-in without one (a new browser, or a cookie for another account) is counted as before,
  per account and address (AXES_LOCKOUT_PARAMETERS): a lockout there stops guessing from that
  address, but never blocks a browser that holds a valid device cookie for the account.

So a colleague behind the same hospital NAT who tries someone's account locks out only the
browsers that never signed in to it (their own included), never the person's own browser. The
device counters live where every web process sees them (belong.lib.ratelimit: Redis, or the
database); the account-and-address counters are django-axes' database rows.
"""

import secrets

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from belong.lib import ratelimit

COOKIE = "belong_device"
COOKIE_DAYS = 365
SALT = "belong.people.lockout.device"
SCOPE = "sign-in-device"


def _account(username) -> str:
    return salted_hmac(SALT, (username or "").strip().lower()).hexdigest()[:32]


def issue_device_cookie(response, username) -> None:
    """Give the browser that has just signed in a new device cookie for this account."""
    value = signing.dumps({"a": _account(username), "d": secrets.token_urlsafe(16)}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def known_device(request, username) -> str | None:
    """The device id of a valid device cookie for `username`'s account, or None (no cookie, a
    forged or expired one, or one for another account)."""
    value = getattr(request, "COOKIES", {}).get(COOKIE)
    if not value or not username:
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=COOKIE_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account(username):
        return None
    device = data.get("d")
    return f"{data['a']}:{device}" if isinstance(device, str) else None


def _window(request) -> int:
    return int(get_cool_off(request).total_seconds())


class DeviceCookieHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), with a known device's sign-ins counted
    against that device instead of against the account and address."""

    def _device(self, request, credentials):
        return known_device(request, get_client_username(request, credentials))

    def is_allowed(self, request, credentials=None) -> bool:
        device = self._device(request, credentials)
        if device is None:
            return super().is_allowed(request, credentials)
        if self.is_blacklisted(request, credentials):
            return False
        failures = ratelimit.hits(SCOPE, device, window=_window(request))
        return failures < get_failure_limit(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        device = self._device(request, credentials) if request is not None else None
        if device is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        window = _window(request)
        limit = get_failure_limit(request, credentials)
        if not ratelimit.allow(SCOPE, device, limit=limit - 1, window=window):  # limit reached
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
        return None

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success from a known device clears that device's failures, not the account and
        address's: otherwise the person's own sign-ins would let a guesser behind the same
        address start again."""
        device = self._device(request, credentials)
        if device is None:
            return super().reset_user_attempts(request, credentials)
        ratelimit.reset(SCOPE, device, window=_window(request))
        return 0

"""How long a sign-in lasts (issue 16 part 7).

- **Idle**: a sign-in ends after SESSION_IDLE_MINUTES_STAFF minutes without a request for
  someone with a staff role (`holds_staff_role`: an organisation-wide role, admin access or
  operator, or a role an app registers, such as a collective's leader), SESSION_IDLE_MINUTES for
  everyone else.
- **Absolute**: it ends SESSION_MAX_HOURS after the sign-in, however active.
- **Everywhere**: "sign out everywhere" raises the person's session epoch, part of each
  session's auth hash (`Person.get_session_auth_hash`), so every session signed in before ends
  at its next request; a new password ends them the same way.

The session keeps when it signed in and when it was last seen (epoch seconds); the last-seen
time is written at most once a minute, so a burst of requests does not rewrite the session each
time. API tokens are not sessions: they have their own expiry (docs/api.md).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext

from belong.people import roles
from belong.people.access import is_signed_in

STARTED, SEEN = "belong_signed_in_at", "belong_seen_at"
SEEN_RESOLUTION = 60  # seconds

# Roles that apps hold on their objects (a collective's leaders), registered in their
# AppConfig.ready: person -> bool.
_staff_checks: list[Callable[..., bool]] = []


def register_staff_check(check: Callable[..., bool]) -> None:
    if check not in _staff_checks:
        _staff_checks.append(check)


def now() -> datetime.datetime:
    """The clock of the session rules (tests pin it)."""
    return timezone.now()


def holds_staff_role(person) -> bool:
    if not is_signed_in(person):
        return False
    if person.is_superuser or person.is_staff or person.has_role(*roles.ROLES):
        return True
    return any(check(person) for check in _staff_checks)


def idle_limit(person) -> datetime.timedelta:
    minutes = (
        settings.SESSION_IDLE_MINUTES_STAFF
        if holds_staff_role(person)
        else settings.SESSION_IDLE_MINUTES
    )
    return datetime.timedelta(minutes=minutes)


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        moment = int(now().timestamp())
        request.session[STARTED] = moment
        request.session[SEEN] = moment


def ended(request) -> str:
    """Why the request's sign-in has ended ("" while it holds), and the seen time refreshed."""
    session = request.session
    moment = int(now().timestamp())
    started = session.get(STARTED)
    seen = session.get(SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        # Signed in before these rules: they start counting now.
        session[STARTED] = session[SEEN] = moment
        return ""
    if moment - started >= settings.SESSION_MAX_HOURS * 3600:
        hours = settings.SESSION_MAX_HOURS
        return ngettext(
            "You were signed out: a sign-in lasts %(hours)d hour at most.",
            "You were signed out: a sign-in lasts %(hours)d hours at most.",
            hours,
        ) % {"hours": hours}
    shortest = min(settings.SESSION_IDLE_MINUTES_STAFF, settings.SESSION_IDLE_MINUTES) * 60
    # Who holds a staff role is asked only once the session has been idle that long (a query).
    idle = idle_limit(request.user) if moment - seen >= shortest else None
    if idle is not None and moment - seen >= idle.total_seconds():
        minutes = int(idle.total_seconds() // 60)
        return ngettext(
            "You were signed out after %(minutes)d minute without activity.",
            "You were signed out after %(minutes)d minutes without activity.",
            minutes,
        ) % {"minutes": minutes}
    if moment - seen >= SEEN_RESOLUTION:
        session[SEEN] = moment
    return ""


class SessionLimitsMiddleware:
    """Ends a sign-in that has been idle too long or lasted too long, before the view: the view
    then sees a visitor (a page sends them to sign in, with the reason shown there; the API
    answers 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = ended(request)
            if reason:
                logout(request)
                messages.info(request, reason)
        return self.get_response(request)

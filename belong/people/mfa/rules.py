"""Who is asked for what at sign-in (belong.people.mfa): the rules, read by the middleware,
the pages and /me/.

- A session signed in through single sign-on is never asked (the provider does it).
- A session signed in with a password whose person has a confirmed authenticator must be
  verified with a code from it (or a recovery code) before anything else works: VERIFY.
- A session signed in with a password whose person has none, and who holds a staff role, must
  set one up first (BELONG_MFA_REQUIRED_FOR_STAFF): ENROL.
- Everyone else may set one up on /me/two-step/, and is asked for it from then on.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.people.mfa import AUTH_METHOD_KEY, OUTSIDE_REQUEST_KEY, PASSWORD, SSO
from belong.people.sessions import holds_staff_role

VERIFY, ENROL = "verify", "enrol"


@receiver(user_logged_in, dispatch_uid="belong.people.mfa.rules.signed_in")
def _signed_in(sender, request, user, **kwargs):
    """Every sign-in made while serving an HTTP request is a WSGIRequest (or ASGIRequest); one
    made on a bare HttpRequest was built by code (the test client's force_login, a shell), and
    the session says so. Nothing a browser sends can make the second kind."""
    if request is None or not hasattr(request, "session"):
        return
    # A new sign-in is judged afresh (a browser signing in again keeps its session's data).
    request.session.pop(NOTHING_OWED_KEY, None)
    if type(request) is HttpRequest:
        request.session[OUTSIDE_REQUEST_KEY] = True
    else:
        request.session.pop(OUTSIDE_REQUEST_KEY, None)


def signed_in_with_password(session) -> bool:
    """A local password, unless the session says single sign-on (or that it was signed in
    outside any request). Absent, or any other value, counts as a password: asked, not let
    through."""
    if session.get(OUTSIDE_REQUEST_KEY) is True:
        return False
    return session.get(AUTH_METHOD_KEY, PASSWORD) != SSO


def authenticator(person, *, confirmed=True):
    """The person's authenticator (a TOTP device), confirmed or still being set up."""
    return (
        TOTPDevice.objects.filter(user=person, confirmed=confirmed).order_by("-pk").first()
        if person is not None and person.pk
        else None
    )


def is_enrolled(person) -> bool:
    return bool(person.pk) and TOTPDevice.objects.filter(user=person, confirmed=True).exists()


def recovery_codes_left(person) -> int:
    return StaticToken.objects.filter(device__user=person, device__confirmed=True).count()


def required_for(person) -> bool:
    """Whether the person must use a second step when signing in with a password."""
    return bool(settings.MFA_REQUIRED_FOR_STAFF) and holds_staff_role(person)


def is_verified(user) -> bool:
    """This session entered a code (django-otp's OTPMiddleware keeps the device)."""
    return getattr(user, "otp_device", None) is not None


# Set on a session that owes nothing (no authenticator, no staff role) when it signed in, so
# that its requests ask the database nothing more: an authenticator set up or a staff role
# given later counts from the next sign-in (a reset or a replacement ends every session).
NOTHING_OWED_KEY = "belong_two_step_nothing_owed"


def step_needed(request) -> str:
    """What the request's session must do before anything else: VERIFY, ENROL or ""."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    session = request.session
    if not signed_in_with_password(session) or session.get(NOTHING_OWED_KEY) == user.pk:
        return ""
    if is_verified(user):
        return ""
    if is_enrolled(user):
        return VERIFY
    if required_for(user):
        return ENROL
    session[NOTHING_OWED_KEY] = user.pk
    return ""


def devices_of(person):
    """Every device of the person, confirmed or not (what a reset or an erasure deletes)."""
    return [
        TOTPDevice.objects.filter(user=person),
        StaticDevice.objects.filter(user=person),
    ]


def for_download(person) -> dict:
    """The person's download: whether two-step sign-in is on (never a secret or a code)."""
    device = authenticator(person)
    return {
        "on": device is not None,
        "set_up": device.created_at if device is not None else None,
        "last_used": device.last_used_at if device is not None else None,
        "recovery_codes_left": recovery_codes_left(person),
    }


def erase(person) -> None:
    """An erased account keeps no device: the authenticator's key and the recovery codes go."""
    for devices in devices_of(person):
        devices.delete()

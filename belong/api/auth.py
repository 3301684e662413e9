"""Who is calling: a personal access token (``Authorization: Bearer blg_...``) or the site's
session (with CSRF on unsafe methods). Public endpoints also let visitors in, but still see a
caller who brings a credential; a credential that is sent and does not hold is always a 401.

``PUBLIC`` and ``SIGNED_IN`` are the two auth lists the routers use; ``caller(request)`` gives
the person or None.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from belong.people.models import ApiToken

# A token's last use is written at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


# The paths of one's own self-identification and consents: the `identity` scope, whatever
# the method (belong/api/privacy.py).
IDENTITY_PATHS = ("/api/v1/me/self-identification", "/api/v1/me/consents")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def scope_needed(request) -> str:
    """The scope a token needs for this request: `identity` for one's self-identification and
    consents, else `read` for a safe method and `write` for any other."""
    if request.path.startswith(IDENTITY_PATHS):
        return ApiToken.Scope.IDENTITY
    return ApiToken.Scope.READ if request.method in SAFE_METHODS else ApiToken.Scope.WRITE


class BearerAuth(HttpBearer):
    openapi_bearerFormat = "blg_..."
    openapi_description = (
        "A personal access token, created at /me/tokens/ or with `manage.py issue_token EMAIL`, "
        "sent as `Authorization: Bearer <token>`. An unknown, revoked or expired token is a 401; "
        "a token without the scope a request needs (read, write, identity) a 403."
    )

    def __call__(self, request):
        header = request.headers.get(self.header)
        if header is None:
            return None  # no credential: the session, or a visitor, may still be let in
        scheme, _sep, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                message=_("The Authorization header must be: Bearer <token>.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("person").filter(digest=ApiToken.hash(token)).first()
        )
        if found is None or found.revoked_at is not None or not found.person.is_active:
            raise AuthenticationError(message=_("The token is not valid or has been revoked."))
        now = timezone.now()
        if found.expires_at <= now:
            raise AuthenticationError(
                message=_(
                    "The token expired on %(date)s: create a new one on your page, at /me/tokens/."
                )
                % {"date": formats.date_format(timezone.localtime(found.expires_at))}
            )
        needed = scope_needed(request)
        if needed not in found.scopes:
            raise HttpError(
                403,
                _(
                    "This token may not do this: it needs the “%(scope)s” scope. Create a token "
                    "with it at /me/tokens/."
                )
                % {"scope": needed},
            )
        if found.last_used_at is None or found.last_used_at <= now - LAST_USED_RESOLUTION:
            # Conditional, so concurrent requests write once a minute at most.
            ApiToken.objects.filter(pk=found.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
            ).update(last_used_at=now)
        # Shared access predicates read request.user, as on the pages.
        request.user = found.person
        return found.person


class SessionAuth(APIKeyCookie):
    """The site's session, checked for CSRF on unsafe methods like django-ninja's own session
    auth; a request without a signed-in session passes on to the next method."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The site's session cookie, for pages of this site calling the API. Unsafe methods need "
        "the CSRF token in the X-CSRFToken header."
    )

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)  # the CSRF check, then authenticate()

    def authenticate(self, request, key):
        return request.user


class Visitor:
    """Lets an anonymous caller through to a public endpoint (as Django's AnonymousUser)."""

    def __call__(self, request):
        return AnonymousUser()


bearer_auth = BearerAuth()
session_auth = SessionAuth()
visitor = Visitor()

PUBLIC = [bearer_auth, session_auth, visitor]
SIGNED_IN = [bearer_auth, session_auth]


def caller(request):
    """The signed-in person making the request, or None for a visitor."""
    person = getattr(request, "auth", None)
    if person is None or not person.is_authenticated:
        return None
    return person

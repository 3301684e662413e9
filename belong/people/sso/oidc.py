"""OpenID Connect sign-in with mozilla-django-oidc: the authorization code flow with PKCE, state
and nonce. The provider's endpoints come from its discovery document (BELONG_OIDC_ISSUER); the
ID token's signature, issuer, audience, expiry and nonce are checked; the person is found by
issuer + subject (belong.people.sso.accounts). The session keeps the tokens it needs to check
with the provider every OIDC_RECHECK_MINUTES (`recheck`) and to sign out there too."""

import logging
import threading
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.utils import import_from_settings

from belong.people.sso import AUTH_METHOD_KEY, SSO, accounts

LOGGER = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
# Session keys (names, not secrets).
CHECKED_AT = "belong_oidc_checked_at"
REFRESH_TOKEN = "belong_oidc_refresh_token"  # noqa: S105
ID_TOKEN = "oidc_id_token"  # noqa: S105
ACCESS_TOKEN = "oidc_access_token"  # noqa: S105
# Set on the request by the callback view: the backend answers nothing else.
CALLBACK = "belong_oidc_callback"

_discovery: dict = {}
_discovery_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered nonsense."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def discovery() -> dict:
    """The provider's discovery document, fetched at most once an hour per process; its issuer
    must be the one configured."""
    issuer = settings.OIDC_ISSUER
    with _discovery_lock:
        cached = _discovery.get(issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(str(error)) from error
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable("the discovery document names another issuer")
    with _discovery_lock:
        _discovery[issuer] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def get_settings(attr, *args):
    """mozilla-django-oidc's settings, the provider's endpoints taken from discovery."""
    if attr in ENDPOINTS:
        value = discovery().get(ENDPOINTS[attr])
        if not value:
            raise ProviderUnavailable(f"the provider has no {ENDPOINTS[attr]}")
        return value
    if attr == "OIDC_TOKEN_USE_BASIC_AUTH":
        return True  # client_secret_basic: what every provider must accept (RFC 6749 2.3.1)
    return import_from_settings(attr, *args)


class Backend(oidc_auth.OIDCAuthenticationBackend):
    """Answers only the OpenID Connect callback (never a password sign-in)."""

    get_settings = staticmethod(get_settings)
    # Django's: an account that is not active is no one (the parent's skips that check).
    get_user = ModelBackend.get_user

    def __init__(self, *args, **kwargs):
        # The parent reads every setting (and so discovery) here; Django makes a backend for
        # every sign-in, passwords included: read them when a callback needs them instead.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: get_settings("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: get_settings("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: get_settings("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request, **kwargs):
        if not getattr(request, CALLBACK, False) or "nonce" not in kwargs or not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def get_token(self, payload):
        self._token_info = super().get_token(payload)
        return self._token_info

    def _verify_jws(self, payload, key):
        """The parent's check, and the ID token's issuer and audience (it checks neither)."""
        claims = super()._verify_jws(payload, key)
        issuer = str(claims.get("iss", "")).rstrip("/")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if issuer != settings.OIDC_ISSUER or settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued for this client.")
        if len(audiences) > 1 and claims.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token's authorized party is another client.")
        return claims

    def store_tokens(self, access_token, id_token):
        session = self.request.session
        session[ACCESS_TOKEN] = access_token
        session[ID_TOKEN] = id_token
        refresh = getattr(self, "_token_info", {}).get("refresh_token")
        if refresh:
            session[REFRESH_TOKEN] = refresh

    def get_or_create_user(self, access_token, id_token, payload):
        if settings.OIDC_ACR_VALUES and payload.get("acr") not in settings.OIDC_ACR_VALUES:
            raise accounts.SsoRefused(
                _("%(name)s did not confirm your sign-in strongly enough (its acr).")
                % {"name": settings.SSO_NAME}
            )
        info = self.get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        claims = {**payload, **info}
        mapped = {
            ours: claims.get(theirs) for ours, theirs in settings.OIDC_CLAIMS.items() if theirs
        }
        return accounts.person_for(
            issuer=settings.OIDC_ISSUER,
            subject=str(payload["sub"]),
            claims=mapped,
            email_verified=claims.get("email_verified") is True,
        )


class SignInView(oidc_views.OIDCAuthenticationRequestView):
    """/sso/oidc/: off to the provider (state, nonce and a PKCE challenge kept in the session)."""

    get_settings = staticmethod(get_settings)

    def __init__(self, *args, **kwargs):
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as error:
            LOGGER.warning("OpenID provider unavailable: %s", error)
            return _failed(request, _unavailable())
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """/sso/oidc/callback/: the provider's answer. Any failure is a message at sign-in, never
    a 500."""

    get_settings = staticmethod(get_settings)

    def get(self, request):
        if not enabled():
            raise Http404
        setattr(request, CALLBACK, True)
        try:
            return super().get(request)
        except accounts.SsoRefused as refused:
            return _failed(request, refused.message)
        except ProviderUnavailable as error:
            LOGGER.warning("OpenID provider unavailable: %s", error)
            return _failed(request, _unavailable())
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, KeyError) as e:
            LOGGER.warning("OpenID sign-in refused: %s", e)
            return self.login_failure()

    def login_success(self):
        response = super().login_success()
        self.request.session[AUTH_METHOD_KEY] = SSO
        self.request.session[CHECKED_AT] = int(time.time())
        return response

    def login_failure(self):
        return _failed(
            self.request,
            _("Signing in with %(name)s did not work. Try again.") % {"name": settings.SSO_NAME},
        )


def _unavailable():
    return _("%(name)s cannot be reached just now. Try again in a few minutes.") % {
        "name": settings.SSO_NAME
    }


def _failed(request, message):
    messages.error(request, message)
    return HttpResponseRedirect(reverse("people:login"))


def recheck(session) -> bool:
    """Whether the provider still accepts this session's person: a refresh when there is a
    refresh token (the new tokens are kept), else userinfo with the access token. An
    unreachable provider is not a "no" (checked again at the next request)."""
    try:
        token_endpoint = get_settings("OIDC_OP_TOKEN_ENDPOINT")
        userinfo_endpoint = get_settings("OIDC_OP_USER_ENDPOINT")
        refresh = session.get(REFRESH_TOKEN)
        if refresh:
            response = requests.post(
                token_endpoint,
                data={"grant_type": "refresh_token", "refresh_token": refresh},
                auth=(settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET),
                timeout=settings.OIDC_TIMEOUT,
            )
            if response.status_code in (400, 401):
                return False
            response.raise_for_status()
            tokens = response.json()
            session[ACCESS_TOKEN] = tokens.get("access_token", session.get(ACCESS_TOKEN))
            session[REFRESH_TOKEN] = tokens.get("refresh_token", refresh)
            if tokens.get("id_token"):
                session[ID_TOKEN] = tokens["id_token"]
            return True
        response = requests.get(
            userinfo_endpoint,
            headers={"Authorization": f"Bearer {session.get(ACCESS_TOKEN, '')}"},
            timeout=settings.OIDC_TIMEOUT,
        )
        if response.status_code in (401, 403):
            return False
        response.raise_for_status()
        return True
    except (ProviderUnavailable, requests.RequestException, ValueError) as error:
        LOGGER.warning("OpenID provider unavailable for a session check: %s", error)
        raise ProviderUnavailable(str(error)) from error


def logout_url(session, *, after: str) -> str | None:
    """The provider's end-session address for this session (RP-initiated logout), or None."""
    if session.get(AUTH_METHOD_KEY) != SSO or not session.get(ID_TOKEN) or not enabled():
        return None
    try:
        endpoint = discovery().get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": session[ID_TOKEN],
            "post_logout_redirect_uri": after,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"

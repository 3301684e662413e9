"""A single sign-on session is checked with the provider every OIDC_RECHECK_MINUTES: an
account the provider disabled is signed out of Belong within that interval (the page then
sends them to sign in with the reason; the API answers 401)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from belong.people import sessions
from belong.people.sso import AUTH_METHOD_KEY, SSO, oidc

RETRY_SECONDS = 60  # an unreachable provider is asked again after this long


class ProviderRecheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and session is not None
            and user.is_authenticated
            and session.get(AUTH_METHOD_KEY) == SSO
            and session.get(oidc.ID_TOKEN)
        ):
            self.check(request, session)
        return self.get_response(request)

    def check(self, request, session):
        moment = int(sessions.now().timestamp())
        checked = session.get(oidc.CHECKED_AT)
        interval = settings.OIDC_RECHECK_MINUTES * 60
        if isinstance(checked, int) and moment - checked < interval:
            return
        try:
            accepted = oidc.recheck(session)
        except oidc.ProviderUnavailable:
            session[oidc.CHECKED_AT] = moment - interval + RETRY_SECONDS
            return
        if accepted:
            session[oidc.CHECKED_AT] = moment
            return
        logout(request)
        messages.info(
            request,
            _("You were signed out: %(name)s no longer accepts this sign-in.")
            % {"name": settings.SSO_NAME},
        )


class ProviderFormActionMiddleware:
    """Signing out of a single sign-on is a form whose answer redirects to the provider's
    end-session page, and a Content Security Policy's form-action covers redirects: every page
    (each has the sign-out form) allows the provider's origin there. Listed after django-csp's
    middleware, so that its answer passes here first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if oidc.enabled():
            parts = urlsplit(settings.OIDC_ISSUER)
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [
                *update.get("form-action", []),
                f"{parts.scheme}://{parts.netloc}",
            ]
            response._csp_update = update
        return response

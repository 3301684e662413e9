"""Nothing works for a session that still owes its second step (belong.people.mfa.rules):
a page redirects to the code page (VERIFY) or to setting up an authenticator (ENROL); the JSON
API answers 403 saying so. Open meanwhile: that step's page, signing in and out, the password
reset pages, the language switch, static files and /healthz. A call to the API with an
Authorization header is the token's business (a bad token is a 401, never the session's), so
API tokens are not affected."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from belong.lib.errors import error_response, is_api
from belong.people.mfa import rules

# Signing in through single sign-on instead (belong.people.sso), where it is set up.
SSO_PAGES = ("people:oidc_sign_in", "people:oidc_callback", "people:saml_sign_in")


def _open_paths():
    exact = {
        reverse("people:login"),
        reverse("people:logout"),
        reverse("healthz"),
    }
    for name in SSO_PAGES:
        try:
            exact.add(reverse(name))
        except NoReverseMatch:
            pass
    prefixes = (
        settings.STATIC_URL,
        reverse("people:password_reset"),
        "/i18n/",
    )
    return exact, prefixes


STEP_PAGES = {rules.VERIFY: "people:two_step_verify", rules.ENROL: "people:two_step_set_up"}


class TwoStepMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def _is_open(self, path, step):
        if self._open is None:
            self._open = _open_paths()
        exact, prefixes = self._open
        return path in exact or path.startswith(prefixes) or path == reverse(STEP_PAGES[step])

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            step = rules.step_needed(request)
            if step and not self._is_open(request.path_info, step):
                return self.refuse(request, step)
        return self.get_response(request)

    def refuse(self, request, step):
        if is_api(request):
            if "Authorization" in request.headers:
                return self.get_response(request)  # a token: the API decides
            message = (
                _("Finish signing in first: enter the code from your authenticator app.")
                if step == rules.VERIFY
                else _("Set up two-step sign-in first: your role needs it.")
            )
            return error_response(request, 403, message)
        page = reverse(STEP_PAGES[step])
        if request.headers.get("HX-Request") == "true":
            # htmx would swap the step's page into a part of this one: the whole page goes.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = page
            return response
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), page)
        return redirect(page)

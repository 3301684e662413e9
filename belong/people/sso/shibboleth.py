"""SAML sign-in through the Shibboleth service provider (Apache with mod_shib) in front of
Belong. Apache protects /sso/saml/ with a Shibboleth session and passes the identity provider's
attributes as request headers it sets itself (`RequestHeader set`, replacing anything a client
sent; docs/deploy.md). Belong reads those headers on this one page, and only when the request
comes from an address listed in BELONG_SHIBBOLETH_PROXIES: from anywhere else they are refused,
since anyone can send a header."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from belong.people.sso import AUTH_METHOD_KEY, SSO, accounts

LOGGER = logging.getLogger(__name__)
BACKEND = "belong.people.sso.shibboleth.Backend"
MAX_HEADER = 1024


class Backend(ModelBackend):
    """Restores a SAML sign-in's session; it authenticates nothing itself (the page below does,
    from the proxy's headers)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None


def enabled() -> bool:
    return bool(settings.SHIBBOLETH_PROXIES)


def from_proxy(request) -> bool:
    """Whether the request came straight from the configured proxy (the connection's own
    address: never a forwarded-for header, which a client can write)."""
    return request.META.get("REMOTE_ADDR", "") in settings.SHIBBOLETH_PROXIES


def attributes(request) -> dict:
    found = {}
    for name, header in settings.SHIBBOLETH_ATTRIBUTES.items():
        value = request.headers.get(header, "") if header else ""
        found[name] = value.strip()[:MAX_HEADER] if value else None
    return found


def _next_url(request) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
def sign_in(request):
    """/sso/saml/: the proxy has signed the person in at their identity provider."""
    if not enabled():
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return render(request, "people/sso_refused.html", {"message": ""}, status=405)
    if not from_proxy(request):
        LOGGER.warning(
            "SAML attributes refused from %s (not a configured proxy)",
            request.META.get("REMOTE_ADDR"),
        )
        message = _(
            "This sign-in works only through %(name)s's sign-in page. Start again from Belong's "
            "sign-in page."
        ) % {"name": settings.SSO_NAME}
        return render(request, "people/sso_refused.html", {"message": message}, status=403)
    found = attributes(request)
    if settings.SHIBBOLETH_ISSUERS and found.get("issuer") not in settings.SHIBBOLETH_ISSUERS:
        LOGGER.warning(
            "SAML assertion from an identity provider not listed: %s", found.get("issuer")
        )
        messages.error(
            request,
            _("Belong does not take sign-ins from this identity provider. Use %(name)s's.")
            % {"name": settings.SSO_NAME},
        )
        return HttpResponseRedirect(reverse("people:login"))
    try:
        person = accounts.person_for(
            issuer=found.pop("issuer") or "",
            subject=found.pop("subject") or "",
            claims=found,
            email_verified=True,  # the identity provider asserts it; linking still needs the setting
        )
    except accounts.SsoRefused as refused:
        messages.error(request, str(refused.message))
        return HttpResponseRedirect(reverse("people:login"))
    target = _next_url(request)
    login(request, person, backend=BACKEND)
    request.session[AUTH_METHOD_KEY] = SSO
    return HttpResponseRedirect(target)

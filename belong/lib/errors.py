"""Every error in its shape: under ``/api/`` the API's JSON, ``{"detail": "...", "errors":
{"field": ["message"]}}``; elsewhere a friendly page (templates ``400.html``, ``403.html``,
``404.html``, ``500.html``, ``503.html``).

``belong/urls.py`` makes the functions below Django's error handlers, so that what Django turns
into a 400, 403, 404 or 500 by itself (a bad Host header, a body over the size limit, an
exception in a middleware) is answered here too; a middleware that refuses a request answers
with ``error_response``. When the database is away (``OperationalError``, ``InterfaceError``,
wherever they were raised: a view, the API's authentication, the session or authentication
middleware), the answer is a 503 with ``Retry-After``.

Nothing here touches the database or the session: the pages are rendered without the request's
context (no signed-in person, no messages), in the site's minimal layout.
"""

import sys

from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.template.loader import select_template
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"
# What a client is told to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def is_api(request):
    """Whether this request is the API's (and so is answered in JSON)."""
    return request.path_info.startswith(API_PREFIX)


def error_body(detail, errors=None):
    return {
        "detail": str(detail),
        "errors": {
            str(field): [str(m) for m in messages] for field, messages in (errors or {}).items()
        },
    }


def _language(request):
    # After LocaleMiddleware (and the person's own language), the active language is right; an
    # error raised before it is answered in the language the browser asks for (no database).
    if hasattr(request, "LANGUAGE_CODE"):
        return translation.get_language()
    return translation.get_language_from_request(request)


# 5xx statuses that refuse what the request asked for (a transfer coding the site does not
# take): the client's to change, so its page is 400.html, which says what was wrong.
CLIENT_CHANGES = {501}


def _fallback_page(status):
    return "500.html" if status >= 500 and status not in CLIENT_CHANGES else "400.html"


SCIM_PREFIX = "/scim/"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8"


def error_response(request, status, detail, errors=None):
    """An error answer in its shape: SCIM's under /scim/, JSON under /api/, else the page
    ``<status>.html`` (or ``400.html`` / ``500.html`` for a status without its own page)
    showing ``detail`` and the ``errors`` by field. Messages may be lazy: they are translated
    here."""
    with translation.override(_language(request)):
        body = error_body(detail, errors)
        response: HttpResponse
        if request.path.startswith(SCIM_PREFIX):
            # A SCIM client reads only SCIM's error shape (RFC 7644 3.12), status as a string.
            scim = {"schemas": [SCIM_ERROR], "status": str(status), "detail": str(body["detail"])}
            response = JsonResponse(scim, status=status, content_type=SCIM_CONTENT_TYPE)
        elif is_api(request):
            response = JsonResponse(body, status=status)
        else:
            template = select_template([f"{status}.html", _fallback_page(status)])
            context = {
                "status": status,
                "detail": body["detail"],
                "errors": body["errors"],
                "path": request.path,
                "SITE_NAME": settings.SITE_NAME,
            }
            response = HttpResponse(template.render(context), status=status)
    if status >= 500:
        add_never_cache_headers(response)
    return response


def database_unavailable(exc):
    """Whether ``exc`` (or what it was raised from or while handling) says the database cannot
    be reached or used just now."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


HEALTH_PATH = "/healthz"


def health_unavailable():
    """/healthz's answer while the database is away (its view's, and the answer when a
    middleware before the view, such as the session's, found the database away)."""
    response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def unavailable(request):
    if request.path_info == HEALTH_PATH:
        return health_unavailable()
    response = error_response(
        request,
        503,
        _("Belong cannot reach its database just now. Please try again in a minute."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# -- Django's error handlers (belong/urls.py) ----------------------------------------------------


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        detail = _("The request is too large.")
        errors = {"body": [_("The request body is larger than this site accepts.")]}
    elif isinstance(exception, DisallowedHost):
        detail = _("The request is for a host name this site does not answer to.")
        errors = {"Host": [_("Not a host name of this site.")]}
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        detail = _("The request has more fields or files than this site accepts.")
        errors = {"body": [detail]}
    else:
        detail, errors = _("The request could not be understood."), None
    return error_response(request, 400, detail, errors)


def permission_denied(request, exception=None):
    return error_response(request, 403, _("You may not do this."))


def page_not_found(request, exception=None):
    detail: str | Promise
    if is_api(request):
        detail = _("No such API path: %(path)s") % {"path": request.path}
    else:
        detail = _("We cannot find that page.")
    return error_response(request, 404, detail)


def server_error(request):
    # Django calls this inside its ``except`` block: the exception is the one being handled.
    exception = sys.exc_info()[1]
    if database_unavailable(exception):
        return unavailable(request)
    if isinstance(exception, UnreadablePostError):
        # The client stopped sending before its body was whole (make run's worker waits 20 s).
        return error_response(
            request,
            400,
            _("The request's body did not arrive whole."),
            {"body": [_("Send the whole body its Content-Length announces, without pausing.")]},
        )
    return error_response(
        request, 500, _("Something went wrong on our side. The problem has been logged.")
    )


def csrf_failure(request, reason=""):
    """Django's CSRF refusal (settings.CSRF_FAILURE_VIEW) in its shape: the API's JSON under
    /api/ (the API's own endpoints check CSRF themselves; its documentation and schema views
    answered the site's HTML page), Django's page (403_csrf.html) elsewhere."""
    if is_api(request):
        message = _("CSRF check failed: send the X-CSRFToken header with a session.")
        return error_response(request, 403, message, {"X-CSRFToken": [message]})
    from django.views.csrf import csrf_failure as page

    return page(request, reason)


# -- A view's bare refusal -----------------------------------------------------------------------


class MethodNotAllowedPageMiddleware:
    """Django's ``require_POST`` (and ``require_http_methods``) answer a page's wrong method
    with an empty 405: a link followed to a form's address showed a blank page. Outside the
    API (whose 405 is already its JSON), that answer becomes the friendly page, its ``Allow``
    header kept. Last in ``MIDDLEWARE``, so every other middleware sees the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method != "HEAD"
            and not is_api(request)
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            allowed = response.get("Allow", "")
            page = error_response(
                request,
                405,
                _("This page cannot be opened that way (it takes: %(allowed)s).")
                % {"allowed": allowed},
            )
            page["Allow"] = allowed
            return page
        return response

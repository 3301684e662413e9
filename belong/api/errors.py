"""One error shape for the whole API: ``{"detail": "...", "errors": {"field": ["message"]}}``.

Request validation errors answer 422 (the status django-ninja and OpenAPI tooling expect);
401 for a missing, unknown or revoked credential, 403 for too low a role, 404 for anything the
caller may not see or that does not exist, 405 for a method a path does not take. An action's
refusal (any `belong.lib.refusals.Refusal`) needs no `try` in the endpoint: it answers here with
its own status and at its field, `Busy` as a 503 with ``Retry-After``.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from belong.lib.refusals import Busy, Refusal

# The part of ninja's error location that says where a parameter came from, not which it is.
SOURCES = {"path", "query", "header", "cookie", "body", "form", "file"}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def error_body(detail, errors=None):
    return {"detail": str(detail), "errors": errors or {}}


def field_name(loc):
    """("query", "limit") -> "limit"; ("body", "payload", "name") -> "name"; a whole-body
    error -> "body"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the view's own name for the body
        if not parts:
            return source
    return ".".join(parts) or "request"


def validation_errors(errors):
    by_field = {}
    for error in errors:
        by_field.setdefault(field_name(error.get("loc", ())), []).append(
            str(error.get("msg", _("Not valid.")))
        )
    return by_field


def invalid(field, message):
    """A 422 for one field, from a check the schema cannot express (e.g. from <= to)."""
    return ValidationError([{"loc": ("query", field), "msg": str(message), "type": "value_error"}])


def not_found(detail=None):
    return Http404(detail or _("Not found."))


def refusal_response(refusal):
    """Any action's refusal (`belong.lib.refusals`) in the shared shape, with its status: the
    message as `detail` and at its field; `Busy` also says when to try again."""
    response = JsonResponse(
        error_body(refusal.message, refusal.errors_by_field()), status=refusal.status
    )
    if isinstance(refusal, Busy):
        response["Retry-After"] = str(refusal.retry_after)
    return response


def install(api):
    """Replace ninja's default handlers with ones that answer in the shared shape."""

    def on_validation_error(request, exc):
        return api.create_response(
            request,
            error_body(_("Some request parameters are not valid."), validation_errors(exc.errors)),
            status=422,
        )

    def on_authentication_error(request, exc):
        detail = exc.message
        if detail == "Unauthorized":  # ninja's own, when no credential was sent at all
            detail = _("Authentication required: send a bearer token or sign in.")
        response = api.create_response(request, error_body(detail), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_http_error(request, exc):
        detail, errors = exc.message, None
        if exc.status_code == 403 and detail == "CSRF check Failed":
            detail = _("CSRF check failed: send the X-CSRFToken header with a session.")
        elif exc.status_code == 400 and detail == "Cannot parse request body":
            # ninja's own, untranslated and naming nothing, for a body that is not JSON.
            detail = _("The request body is not valid JSON.")
            errors = {"body": [_("Send one JSON object, encoded as UTF-8.")]}
        return api.create_response(request, error_body(detail, errors), status=exc.status_code)

    def on_not_found(request, exc):
        detail = str(exc) if exc.args and exc.args[0] else _("Not found.")
        return api.create_response(request, error_body(detail), status=404)

    def on_permission_denied(request, exc):
        # The shared access predicates raise Django's PermissionDenied for too low a role.
        detail = str(exc) or _("You may not do this.")
        return api.create_response(request, error_body(detail), status=403)

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(Refusal, lambda request, exc: refusal_response(exc))


def method_not_allowed(request, allowed):
    response = JsonResponse(
        error_body(
            _("Method %(method)s is not allowed here; allowed: %(allowed)s.")
            % {"method": request.method, "allowed": allowed}
        ),
        status=405,
    )
    response["Allow"] = allowed
    return response


def json_method_errors(view):
    """ninja answers an unsupported method with a plain-text 405: give it the shared shape,
    keeping the Allow header."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return method_not_allowed(request, response.get("Allow", ""))
        return response

    return wrapped


def not_found_view(request, *args, **kwargs):
    return JsonResponse(
        error_body(_("No such API path: %(path)s") % {"path": request.path}), status=404
    )

"""Belong's JSON API at /api/v1/: one router per domain, errors in one shape, an OpenAPI
document at /api/v1/openapi.json and its docs at /api/v1/docs (self-hosted assets)."""

from django.http import JsonResponse
from django.urls import URLPattern, path, re_path, reverse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from belong.api import (
    collectives,
    directories,
    errors,
    events,
    insights,
    links,
    me,
    mentorship,
    privacy,
    recommendations,
    training,
)
from belong.api.auth import SIGNED_IN, Visitor

DESCRIPTION = """
Belong's JSON API.

**Authentication.** Send a personal access token as `Authorization: Bearer <token>` (create one
at `/me/tokens/`, or an operator runs `manage.py issue_token EMAIL`), or call from the site with
its session (unsafe methods then need the `X-CSRFToken` header). Public endpoints answer
visitors too, and show more to a signed-in caller. A token that is unknown or revoked is a 401
on every endpoint.

**Errors** always look like `{"detail": "...", "errors": {"field": ["message", ...]}}`:
400 for a value refused (named in `errors`; also the NUL character or an unpaired surrogate
anywhere in the request, which cannot be stored), 401 without a valid credential, 403 for too
low a role, 404 for what does not exist or is not yours to see, 405 for a method a path does not
take, 413 for a body too large, 422 for request parameters that do not fit the schema (each one
named in `errors`), 503 with `Retry-After` while the database cannot be reached.

**Lists** take `limit` (1 to 200, default 50) and `offset`, and answer
`{"items": [...], "count": N}`. Times are ISO 8601 with the installation's UTC offset.
"""


ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
# What any operation may answer, whatever its own responses: refusals made before the view runs.
SHARED_RESPONSES = {
    400: {
        "description": (
            "A character that cannot be stored (NUL, a lone surrogate) in the path, the query, "
            "a header or the body, named in `errors`; or a body that is not valid JSON."
        ),
        "content": ERROR,
    },
    503: {
        "description": (
            "The database is unavailable, or what the request changes is too busy right now; "
            "nothing changed. Retry after the `Retry-After` seconds."
        ),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer", "minimum": 0},
            }
        },
        "content": ERROR,
    },
}


class BelongOpenAPISchema(OpenAPISchema):
    def operation_details(self, operation):
        details = super().operation_details(operation)
        for status, shared in SHARED_RESPONSES.items():
            response = details["responses"].setdefault(status, dict(shared))
            if "headers" in shared:
                response.setdefault("headers", shared["headers"])
        links.add_links(details)
        return details

    def operation_security(self, operation):
        security = super().operation_security(operation)
        if security and any(isinstance(auth, Visitor) for auth in operation.auth_callbacks):
            security.append({})  # OpenAPI's way to say: or no credential at all
        return security


class BelongAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return BelongOpenAPISchema(self, path_prefix)

    def _get_urls(self):
        patterns = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    pattern = path("", index, name="api-root")
                else:
                    pattern.callback = errors.json_method_errors(pattern.callback)
            patterns.append(pattern)
        # Anything else under /api/v1/ is a 404 in the API's shape, not the site's HTML page.
        patterns.append(re_path(r"^.*$", csrf_exempt(errors.not_found_view), name="not-found"))
        return patterns


@csrf_exempt
def index(request):
    if request.method not in ("GET", "HEAD"):
        return errors.method_not_allowed(request, "GET, HEAD")
    return JsonResponse(
        {
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        }
    )


api = BelongAPI(
    title="Belong API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # Signed-in unless a router says otherwise; also tells the docs page to send the CSRF token.
    auth=SIGNED_IN,
)
errors.install(api)
api.add_router("", collectives.router)
api.add_router("", training.router)
api.add_router("", training.evaluations)
api.add_router("", events.router)
api.add_router("", me.router)
api.add_router("", recommendations.router)
api.add_router("", directories.router)
api.add_router("", mentorship.router)
api.add_router("", privacy.router)
api.add_router("", insights.router)
api.add_router("", insights.public)

"""The frame of /api/v1/: the error shape for unknown paths and wrong methods, the index,
the OpenAPI document and the docs page."""

import json

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/collectives": "get",
    "/api/v1/collectives/{slug}": "get",
    "/api/v1/courses": "get",
    "/api/v1/courses/{slug}": "get",
    "/api/v1/events": "get",
    "/api/v1/events/{id}": "get",
    "/api/v1/me": "get",
    "/api/v1/me/registrations": "get",
}


def test_index_points_at_the_document_and_the_docs(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "openapi": "http://testserver/api/v1/openapi.json",
        "docs": "http://testserver/api/v1/docs",
    }


def test_unknown_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "No such API path: /api/v1/nothing/here", "errors": {}}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/events", "/api/v1/me", "/api/v1/collectives/x", "/api/v1/"]
)
def test_wrong_method_is_a_json_405(client, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    body = response.json()
    assert body["errors"] == {}
    assert method.upper() in body["detail"]


def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    for path, method in PATHS.items():
        assert method in document["paths"][path], path
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerAuth"]["type"] == "http"
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    assert schemes["SessionAuth"]["in"] == "cookie"
    # Public endpoints: a token, the session, or nothing; "me": a token or the session.
    assert document["paths"]["/api/v1/events"]["get"]["security"] == [
        {"BearerAuth": []},
        {"SessionAuth": []},
        {},
    ]
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [
        {"BearerAuth": []},
        {"SessionAuth": []},
    ]
    # Errors are documented in their shape.
    error = document["paths"]["/api/v1/events/{id}"]["get"]["responses"]["404"]
    assert error["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "detail",
        "errors",
    }


def test_enums_do_not_collide_in_the_document(client):
    """Person.Kind and Event.Kind must not both become a component called "Kind"."""
    document = client.get("/api/v1/openapi.json").json()
    assert "Kind" not in document["components"]["schemas"]
    kind = document["components"]["schemas"]["MeOut"]["properties"]["kind"]
    assert "resident" in kind["enum"]


def test_docs_page_uses_self_hosted_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "//" not in html.replace("://", "")
    # No executable inline script: the only inline <script> is JSON data, which CSP allows.
    assert html.count("<script") == 3
    assert '<script type="application/json" id="swagger-settings">' in html
    assert " style=" not in html and "onload=" not in html


def test_docs_page_is_served_under_the_sites_strict_csp(client):
    csp = client.get("/api/v1/docs")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"


def test_static_assets_are_served(client):
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        from django.contrib.staticfiles import finders

        assert finders.find(asset), asset


def test_permission_denied_from_an_access_helper_is_a_403_in_the_shape(rf):
    """Routers call the shared access predicates, which raise Django's PermissionDenied."""
    from django.core.exceptions import PermissionDenied

    from belong.api.api import api

    response = api.on_exception(rf.get("/api/v1/x"), PermissionDenied())
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "You may not do this.", "errors": {}}

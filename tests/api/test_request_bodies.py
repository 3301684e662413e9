"""Every request body the OpenAPI document describes is a JSON object: a body that is not one
(a list, a string, a number, null where the document does not allow it) is a 422 in the error
shape naming `payload`, before any view runs, so nothing changes. Walked from the document
itself, so that a new endpoint is held to it too."""

import json

import pytest

from belong.api.api import api
from tests.builders import bearer, token_for

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["[]", '["answers"]', '"x"', "1", "true", "null"]


def _operations():
    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            takes_null = {"type": "null"} in schema.get("anyOf", [])
            yield method, path, operation.get("parameters", []), takes_null


OPERATIONS = list(_operations())


def test_the_document_describes_bodies():
    paths = {path for _method, path, _parameters, _null in OPERATIONS}
    assert "/api/v1/me/self-identification" in paths
    assert "/api/v1/mentorship/cycles/{cycle_id}/enrollments/{role}" in paths
    assert len(OPERATIONS) >= 10


def _value(parameter):
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "integer":
        return "1"
    return "rainbow"


def _url(path, parameters):
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", _value(parameter))
    return path


@pytest.mark.parametrize(
    ("method", "path", "parameters", "takes_null"),
    OPERATIONS,
    ids=[f"{method} {path}" for method, path, _p, _n in OPERATIONS],
)
def test_a_body_that_is_not_an_object_is_a_422_naming_it(
    client, frank, method, path, parameters, takes_null
):
    headers = bearer(token_for(frank))  # a DEI administrator passes every role check there is
    for raw in NOT_OBJECTS:
        if raw == "null" and takes_null:
            continue  # documented: the same as no body
        response = client.generic(
            method.upper(), _url(path, parameters), raw, content_type="application/json", **headers
        )
        assert response.status_code == 422, (raw, response.content)
        body = json.loads(response.content)
        assert set(body) == {"detail", "errors"}
        assert "payload" in body["errors"], (raw, body)


@pytest.mark.parametrize(
    ("method", "path", "parameters", "takes_null"),
    OPERATIONS,
    ids=[f"{method} {path}" for method, path, _p, _n in OPERATIONS],
)
def test_a_body_that_is_not_json_is_a_400_naming_the_body(
    client, frank, method, path, parameters, takes_null
):
    headers = bearer(token_for(frank))
    for raw in ['{"answers": ', b"\xff\xfe{}"]:
        response = client.generic(
            method.upper(), _url(path, parameters), raw, content_type="application/json", **headers
        )
        if response.status_code == 404:
            continue  # the object does not exist here: refused before the body is read
        assert response.status_code == 400, (raw, response.content)
        body = json.loads(response.content)
        assert body["errors"] == {"body": ["Send one JSON object, encoded as UTF-8."]}, body

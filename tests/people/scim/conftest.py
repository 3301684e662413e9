"""SCIM fixtures: a token made by the real action, and `scim`, a client that sends it."""

import json

import pytest
from django.test import Client

from belong.people.scim.tokens import create_scim_token

BASE = "/scim/v2"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Scim:
    """Requests to /scim/v2/ with a bearer secret (or none), JSON bodies as SCIM sends them."""

    def __init__(self, secret):
        self.client = Client()
        self.secret = secret

    def headers(self, extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}
        headers.update(extra)
        return headers

    def get(self, path, **extra):
        return self.client.get(BASE + path, **self.headers(extra))

    def send(self, method, path, body=None, content_type="application/scim+json", **extra):
        data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data=data, content_type=content_type, **self.headers(extra)
        )

    def post(self, path, body=None, **extra):
        return self.send("post", path, body, **extra)

    def put(self, path, body=None, **extra):
        return self.send("put", path, body, **extra)

    def patch(self, path, body=None, **extra):
        return self.send("patch", path, body, **extra)

    def delete(self, path, **extra):
        return self.client.delete(BASE + path, **self.headers(extra))


def user_body(user_name="jdoe@hospital.example", email=None, **fields):
    """A User as Entra sends it on create."""
    body = {
        "schemas": [USER, ENTERPRISE],
        "userName": user_name,
        "externalId": fields.pop("external_id", "ext-" + user_name),
        "active": True,
        "displayName": "Jane Doe",
        "name": {"givenName": "Jane", "familyName": "Doe"},
        "emails": [{"primary": True, "type": "work", "value": email or user_name}],
    }
    body.update(fields)
    return body


def operations(*ops):
    return {"schemas": [PATCH], "Operations": list(ops)}


def assert_error(response, status, scim_type=None, mentions=None):
    """A SCIM error: the shape of RFC 7644 §3.12, status as a string, the attribute named."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    if mentions is not None:
        assert mentions in body["detail"], body
    return body


@pytest.fixture
def secret(db):
    _token, value = create_scim_token(name="Entra")
    return value


@pytest.fixture
def scim(secret):
    return Scim(secret)


@pytest.fixture
def created(scim):
    """Jane, created through SCIM as Entra does; the answer's body."""
    response = scim.post("/Users", user_body())
    assert response.status_code == 201, response.content
    return response.json()

"""The SCIM error response (RFC 7644 §3.12): ``{"schemas": [...Error], "status": "400",
"scimType": "invalidValue", "detail": "..."}``, the status a string."""

import json

from django.http import HttpResponse

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json; charset=utf-8"


class ScimError(Exception):
    """A request refused; nothing was changed. `scim_type` is one of RFC 7644's (invalidFilter,
    tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue,
    invalidVers, sensitive) or None; `detail` names the attribute at fault."""

    def __init__(self, status, detail, scim_type=None):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.scim_type = scim_type


def scim_response(body, status=200, headers=None):
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status, detail, scim_type=None):
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": str(detail)}
    if scim_type:
        body["scimType"] = scim_type
    response = scim_response(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Belong SCIM"'
    return response

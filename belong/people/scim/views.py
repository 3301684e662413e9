"""The endpoints of /scim/v2/ (RFC 7644): discovery, and Users. Every answer is SCIM JSON,
errors in the SCIM error shape; every request needs the bearer token (auth.py), is exempt
from CSRF and never reads the session."""

import functools
import json

from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from belong.lib.converters import MAX_ID
from belong.people.scim import discovery, provisioning
from belong.people.scim.auth import token_for
from belong.people.scim.errors import ScimError, error_response, scim_response
from belong.people.scim.users import (
    ENTERPRISE_SCHEMA,
    USER_SCHEMA,
    filtered,
    identities_of,
    invalid,
    provisioned,
    representation,
    state_from_payload,
)

JSON_TYPES = ("application/scim+json", "application/json")


def endpoint(*methods):
    """A SCIM endpoint: the token first (401), then the method (405), then the view; a
    ScimError is its answer."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def run(request, *args, **kwargs):
            token = token_for(request)
            if token is None:
                response = error_response(
                    401, _("Authorization: a valid SCIM bearer token is required.")
                )
            elif request.method not in methods:
                response = error_response(
                    405,
                    _("This endpoint takes %(methods)s.") % {"methods": ", ".join(methods)},
                )
                response["Allow"] = ", ".join(methods)
            else:
                request.scim_token = token
                try:
                    response = view(request, *args, **kwargs)
                except ScimError as error:
                    response = error_response(error.status, error.detail, error.scim_type)
            add_never_cache_headers(response)
            return response

        return run

    return decorate


def base_url(request):
    return request.build_absolute_uri(reverse("scim:root")).rstrip("/")


def absolute(request, document):
    document = json.loads(json.dumps(document))
    meta = document.get("meta")
    if meta and meta.get("location", "").startswith("/"):
        meta["location"] = base_url(request) + meta["location"]
    return document


def list_response(resources, *, total=None, start=1):
    return {
        "schemas": [discovery.LIST_SCHEMA],
        "totalResults": len(resources) if total is None else total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def read_body(request):
    content_type = (request.content_type or "").lower()
    if content_type not in JSON_TYPES:
        raise ScimError(
            415,
            _("Content-Type: send application/scim+json (or application/json)."),
            "invalidSyntax",
        )
    try:
        return json.loads(request.body.decode("utf-8"))
    except RecursionError:
        raise invalid("body", _("the JSON is nested too deeply."), "invalidSyntax") from None
    except (UnicodeDecodeError, ValueError):
        raise invalid("body", _("is not valid JSON."), "invalidSyntax") from None


# -- discovery ------------------------------------------------------------------------------


@endpoint("GET")
def service_provider_config(request):
    return scim_response(absolute(request, discovery.service_provider_config()))


@endpoint("GET")
def resource_types(request, name=None):
    user = absolute(request, discovery.user_resource_type())
    if name is None:
        return scim_response(list_response([user]))
    if name != "User":
        raise ScimError(404, _("No resource type %(name)s.") % {"name": name[:100]})
    return scim_response(user)


@endpoint("GET")
def schemas(request, uri=None):
    documents = {doc["id"]: absolute(request, doc) for doc in discovery.schemas()}
    if uri is None:
        return scim_response(list_response(list(documents.values())))
    if uri not in documents:
        raise ScimError(404, _("No schema %(uri)s.") % {"uri": uri[:200]})
    return scim_response(documents[uri])


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request, rest=""):
    raise ScimError(404, _("No SCIM endpoint at %(path)s.") % {"path": request.path[:200]})


@endpoint("POST")
def search_everything(request):
    raise ScimError(501, _("Search the users at /Users/.search."))


# -- attribute selection --------------------------------------------------------------------

ALWAYS = {"id", "schemas"}


def _names(value, parameter):
    if value is None:
        return None
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    if not isinstance(value, str) or len(value) > 2000:
        raise invalid(parameter, _("must be a comma-separated list of attributes."))
    core = USER_SCHEMA.lower() + ":"
    return {part.strip().lower().removeprefix(core) for part in value.split(",") if part.strip()}


def _selected(document, attributes, excluded):
    if attributes:
        wanted = {name.split(".")[0] for name in attributes}
        kept = {
            key: value
            for key, value in document.items()
            if key in ALWAYS
            or key.lower() in wanted
            or (key == ENTERPRISE_SCHEMA and any(n.startswith(key.lower()) for n in attributes))
        }
        return kept
    if excluded:
        return {
            key: value
            for key, value in document.items()
            if key in ALWAYS or key.lower() not in excluded
        }
    return document


def _selection(params):
    return (
        _names(params.get("attributes"), "attributes"),
        _names(params.get("excludedAttributes"), "excludedAttributes"),
    )


# -- Users ----------------------------------------------------------------------------------


def _number(params, name, default):
    value = params.get(name, default)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise invalid(name, _("must be a whole number."))
    try:
        return int(str(value).strip())
    except ValueError:
        raise invalid(name, _("must be a whole number.")) from None


def _list(request, params):
    start = max(_number(params, "startIndex", 1), 1)
    count = min(max(_number(params, "count", discovery.DEFAULT_COUNT), 0), discovery.MAX_RESULTS)
    attributes, excluded = _selection(params)
    people = provisioned()
    text = params.get("filter")
    if text is not None:
        if not isinstance(text, str):
            raise invalid("filter", _("must be a string."), "invalidFilter")
        people = filtered(people, text)
    total = people.count()
    page = (
        []
        if start > total or count == 0
        else list(people.order_by("pk")[start - 1 : start - 1 + count])
    )
    base = base_url(request)
    known = identities_of(page)
    resources = [
        _selected(representation(p, base, known[p.pk]), attributes, excluded) for p in page
    ]
    return scim_response(list_response(resources, total=total, start=start))


def _person_id(scim_id):
    if (
        not (scim_id.isascii() and scim_id.isdigit())
        or len(scim_id) > 20
        or int(scim_id) > MAX_ID
        or int(scim_id) < 1
    ):
        raise ScimError(404, _("No user %(id)s.") % {"id": scim_id[:40]})
    return int(scim_id)


def _kept(scim_id):
    person = provisioned().filter(pk=_person_id(scim_id)).first()
    if person is None:
        raise ScimError(404, _("No user %(id)s.") % {"id": scim_id[:40]})
    return person


def _user_response(request, person, status=200, attributes=None, excluded=None):
    person = provisioned().get(pk=person.pk)
    document = representation(person, base_url(request))
    response = scim_response(
        _selected(document, attributes, excluded),
        status=status,
        headers={"ETag": document["meta"]["version"], "Location": document["meta"]["location"]},
    )
    return response


def _if_match(request):
    """A check of the If-Match header against the person's version, run under the lock."""
    wanted = request.headers.get("If-Match")
    if not wanted:
        return None

    def check(person):
        current = representation(person, base_url(request))["meta"]["version"]
        tags = {tag.strip() for tag in wanted.split(",")}
        if "*" not in tags and current not in tags and current.removeprefix("W/") not in tags:
            raise ScimError(
                412,
                _("If-Match: the user has changed since that version (%(v)s).") % {"v": current},
            )

    return check


@endpoint("GET", "POST")
def users(request):
    if request.method == "GET":
        return _list(request, request.GET)
    state = state_from_payload(read_body(request))
    person = provisioning.create(state, token=request.scim_token)
    return _user_response(request, person, status=201)


@endpoint("POST")
def users_search(request):
    body = read_body(request)
    if not isinstance(body, dict) or discovery.SEARCH_SCHEMA not in (body.get("schemas") or []):
        raise invalid(
            "schemas", _("must be [%(s)s].") % {"s": discovery.SEARCH_SCHEMA}, "invalidSyntax"
        )
    return _list(request, body)


@endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request, scim_id):
    person = _kept(scim_id)
    check = _if_match(request)
    if request.method == "GET":
        attributes, excluded = _selection(request.GET)
        response = _user_response(request, person, attributes=attributes, excluded=excluded)
        if request.headers.get("If-None-Match") == response["ETag"]:
            response = scim_response({}, status=304, headers={"ETag": response["ETag"]})
            response.content = b""
        return response
    if request.method == "DELETE":
        provisioning.delete(person.pk, token=request.scim_token, check=check)
        response = scim_response({}, status=204)
        response.content = b""
        return response
    body = read_body(request)
    if request.method == "PUT":
        state = state_from_payload(body)
        person = provisioning.replace(person.pk, state, token=request.scim_token, check=check)
    else:
        person = provisioning.patch(person.pk, body, token=request.scim_token, check=check)
    return _user_response(request, person)

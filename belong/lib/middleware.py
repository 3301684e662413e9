"""Input the databases cannot store is refused at the edge (belong.lib.storable), naming the field:
400 in the API's JSON shape under /api/, a page elsewhere (belong.lib.errors).

First in ``MIDDLEWARE`` after the static files, before the session is read:

* a cookie holding such a character (an attacker's ``sessionid="\\000..."``) is dropped, as if
  it had not been sent, so the session and CSRF middleware never look it up;
* the path, the query string (names and values) and every header are checked at once;
* the body is checked when the view is known (``process_view``, after every middleware has
  seen the request): form fields (names and values) and JSON (parsed and
  walked; a body too deeply nested to parse is refused too). A body that is neither, or not
  valid JSON, is left to the view, which refuses it in its own terms.
"""

import json

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from belong.lib import storable
from belong.lib.errors import error_response, is_api

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def refusal(request, field, message):
    return error_response(
        request,
        400,
        _("The request contains characters that cannot be stored."),
        {field: [message]},
    )


def header_name(meta_key):
    return meta_key.removeprefix("HTTP_").replace("_", "-").title()


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = request.COOKIES
        for name in [name for name, value in cookies.items() if storable.problem(name + value)]:
            del cookies[name]
        found = self.first_in_request_line_and_headers(request)
        if found is not None:
            return refusal(request, *found)
        return self.get_response(request)

    @staticmethod
    def first_in_request_line_and_headers(request):
        message = storable.problem(request.path_info)
        if message is not None:
            return "path", message
        found = storable.first_in_pairs(
            (name, value) for name, values in request.GET.lists() for value in values
        )
        if found is not None:
            return found
        for key, value in request.META.items():
            if key.startswith("HTTP_") and key != "HTTP_COOKIE" and isinstance(value, str):
                message = storable.problem(value)
                if message is not None:
                    return header_name(key), message
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        found = self.first_in_body(request)
        if found is not None:
            return refusal(request, *found)
        return None

    @staticmethod
    def first_in_body(request):
        content_type = request.content_type or ""
        if content_type in FORM_TYPES:
            # Uploaded files' names need no check: Django keeps only their printable characters.
            if is_api(request):
                # The API reads the raw body after us (and takes no files): keep it in memory,
                # which is where the form is then parsed from.
                request.body  # noqa: B018
            if request.method == "POST":
                fields = request.POST
            elif content_type == FORM_TYPES[0]:
                fields = QueryDict(request.body, encoding=request.encoding)
            else:
                return None  # multipart other than POST: Django parses none, the API none
            return storable.first_in_pairs(
                (name, value) for name, values in fields.lists() for value in values
            )
        body = request.body
        if not body:
            return None
        try:
            data = json.loads(body)
        except RecursionError:
            return "body", _("The JSON is nested too deeply.")
        except ValueError:
            return None  # not JSON: the view refuses it in its own terms
        return storable.first_in_json(data)

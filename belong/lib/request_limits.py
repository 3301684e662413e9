"""How much of a request body Belong reads, and where an uploaded file may be written.

Three rules, all applied before any upload handler writes a byte:

* A request whose declared ``Content-Length`` is over what its view can take is answered 413 at
  once (:class:`BodyLimitMiddleware`, early in the chain), in the API's error shape under
  ``/api/`` and as a plain page elsewhere. Django never reads more than the declared length, so
  this also bounds what a client can stream. A body over every view's limit is never read; one
  the reverse proxy lets through (at most :func:`max_request_body`) is read to its end and thrown
  away, nothing kept, so that the proxy passes the 413 on instead of a 502.
* File parts are taken only by a view marked :func:`accepts_uploads`, and only from a signed-in
  person: any other file part (an anonymous multipart POST to ``/sign-in/``, say) is skipped
  without being written anywhere (:class:`UploadGuard`).
* A file that streams past its view's limit stops being written there: what was written is
  removed at once, the rest is counted and dropped, and the form sees an
  :class:`OversizedUpload` of the real size, so it answers its own "too large" message on the
  field (400), exactly as for a file just over the limit.

A view's body limit is its largest file plus ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the form's other
fields) plus a little for the multipart framing; without uploads it is the fields alone.
:func:`max_request_body` is the largest of them all: the reverse proxy's ``client_max_body_size``
(``manage.py nginx_config``) is that number, so the proxy and Belong agree.
"""

import io
import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.urls import Resolver404, get_resolver, resolve
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from belong.lib.errors import error_response

logger = logging.getLogger("belong.request_limits")

MB = 1024 * 1024
# Room for a multipart body's boundaries and part headers around the fields and files.
FRAMING_BYTES = 64 * 1024


def accepts_uploads(max_bytes):
    """Mark a view as taking file parts from signed-in people, each of at most `max_bytes()`
    bytes (a callable, so that settings changed at run time and in tests count)."""

    def decorate(view):
        view.upload_limit = max_bytes
        return view

    return decorate


def upload_limit(view) -> int | None:
    """The most bytes one file may have for `view`, or None when it takes no files."""
    limit = getattr(view, "upload_limit", None)
    return None if limit is None else int(limit())


def fields_limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0


def body_limit(file_limit: int | None) -> int:
    """The most bytes a request body may declare for a view whose files may have
    `file_limit` bytes (None: it takes none)."""
    return (file_limit or 0) + fields_limit() + FRAMING_BYTES


def view_for(path: str):
    try:
        return resolve(path).func
    except Resolver404:
        return None


def _views(patterns):
    for entry in patterns:
        if hasattr(entry, "url_patterns"):
            yield from _views(entry.url_patterns)
        else:
            yield entry.callback


def upload_views():
    """Every view of the URLconf that takes files."""
    return [view for view in _views(get_resolver().url_patterns) if upload_limit(view)]


def max_request_body() -> int:
    """The largest body any view may be sent: the reverse proxy's cap."""
    return body_limit(max((upload_limit(view) or 0 for view in upload_views()), default=0))


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def too_large(request, limit: int):
    """The 413, in its shape (belong.lib.errors): the API's JSON under /api/, the page 413.html
    elsewhere, in the visitor's language (this answers before the locale middleware has run)."""
    message = lazy(_too_large_message, str)(_megabytes(limit))  # translated as it is answered
    return error_response(request, 413, message, {"body": [message]})


def length_required(request):
    """The 411 for a body sent without its length, in its shape."""
    return error_response(
        request,
        411,
        _("The request must say how long its body is."),
        {"Content-Length": [_("Send the body with a Content-Length header, not chunked.")]},
    )


def _too_large_message(size: str) -> str:
    return _("The request is too large: this address takes at most %(size)s MB.") % {"size": size}


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads such a body as empty, too


DISCARD_CHUNK = 64 * 1024


def _discard(request, length):
    """Read a refused body to its end and keep none of it. Only for a body the reverse proxy
    lets through (at most `max_request_body`, which nginx has already read whole): a server that
    answers and closes while the proxy is still sending gets the person a "502 Bad Gateway" from
    the proxy instead of the 413 page. Nothing is stored, nothing is parsed."""
    left = length
    try:
        while left > 0:
            chunk = request.read(min(DISCARD_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
    except Exception:  # noqa: BLE001, S110 - a stream that fails (a client gone, a body shorter
        # than it declared) changes nothing: the answer is the 413 whatever happened here.
        pass


class BodyLimitMiddleware:
    """Refuses a declared body over the view's limit before anything reads it, and puts the
    :class:`UploadGuard` in front of the upload handlers of every multipart request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and not (
            request.META.get("CONTENT_LENGTH")
        ):
            # A WSGI application reads a body by its declared length: a chunked one would be
            # read as empty, and refused as if its fields were missing. (nginx sends every body
            # with its length; this is `make run`, or a server without a proxy in front.)
            return length_required(request)
        length = declared_length(request)
        if length:
            view = view_for(request.path_info)
            file_limit = upload_limit(view) if view is not None else None
            limit = body_limit(file_limit)
            if length > limit:
                logger.warning(
                    "refused a body of %d bytes for %s (at most %d)",
                    length,
                    request.path_info,
                    limit,
                )
                if length <= max_request_body():
                    _discard(request, length)
                return too_large(request, limit)
            if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
                request.upload_handlers.insert(0, UploadGuard(request, file_limit))
        return self.get_response(request)


class OversizedUpload(UploadedFile):
    """A file part that went past its limit: its real size, none of its content (nothing past
    the limit was kept, and what came before it was removed)."""

    def __init__(self, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class UploadGuard(FileUploadHandler):
    """First of the upload handlers: skips every file part unless the person is signed in and
    the view takes files; stops writing a file at the view's limit."""

    request: HttpRequest  # always given (Django's base class allows None)

    def __init__(self, request: HttpRequest, file_limit: int | None):
        super().__init__(request)
        self.file_limit = file_limit
        self._allowed: bool | None = None
        self.received = 0
        self.oversized = False

    def allowed(self) -> bool:
        if self._allowed is None:
            user = getattr(self.request, "user", None)
            self._allowed = bool(
                self.file_limit is not None and user is not None and user.is_authenticated
            )
        return self._allowed

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        if not self.allowed():
            logger.info("skipped a file part sent to %s", self.request.path_info)
            raise SkipFile
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        self.received = 0
        self.oversized = False
        # The files the next handlers hold now belong to earlier parts (already taken).
        self._earlier = {id(handler): getattr(handler, "file", None) for handler in self._others()}

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.oversized:
            return None
        # A part is received only once allowed, which needs a limit; without one it is refused.
        if self.file_limit is None or self.received > self.file_limit:
            self.oversized = True
            self._drop_written()
            return None
        return raw_data

    def _others(self):
        return [handler for handler in self.request.upload_handlers if handler is not self]

    def _drop_written(self):
        # What the next handlers hold of this part (a temporary file is removed as it closes);
        # the files of earlier parts are left alone.
        for handler in self._others():
            current = getattr(handler, "file", None)
            if current is not None and current is not self._earlier.get(id(handler)):
                current.close()

    def file_complete(self, file_size):
        if not self.oversized:
            return None  # the next handler (memory or a temporary file) gives the file
        return OversizedUpload(
            self.file_name, self.content_type, self.received, self.charset, self.content_type_extra
        )

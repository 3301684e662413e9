"""gunicorn's own refusals in Belong's shapes.

gunicorn refuses some requests before Django sees them: a request line over its limit (414),
headers too many or too large (431), a malformed request line, header or chunked body, two
``Content-Length`` headers, ``Content-Length`` beside ``Transfer-Encoding`` (400). It answers
them with a bare HTML page of its own, under ``/api/`` too. The workers here (``--worker-class
belong.home.edge.ThreadWorker``, or ``SyncWorker``) keep gunicorn's decision (which status,
what it logs) and answer in Belong's shape instead (``belong.lib.errors``): under ``/api/`` the
API's JSON, ``{"detail": ..., "errors": {field: [...]}}``, naming what was wrong and what is
allowed; elsewhere the site's friendly error page.

Where the request line itself could not be read, the path is taken from the first bytes the
client sent (each request's parser records them). A refusal never reaches the application: no
database, no session, no middleware.
"""

import html
import os
from urllib.parse import urlsplit

from gunicorn import util
from gunicorn.http import errors as gunicorn_errors
from gunicorn.http import message, parser
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker
from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

# How much of a request's first bytes is kept to find its path when its line cannot be parsed.
HEAD_BYTES = 512


class _Recorder:
    """A request parser's reader that keeps the first bytes read through it."""

    def __init__(self, unreader):
        self._unreader = unreader
        self.head = b""

    def read(self, *args, **kwargs):
        data = self._unreader.read(*args, **kwargs)
        if data and len(self.head) < HEAD_BYTES:
            self.head += bytes(data[: HEAD_BYTES - len(self.head)])
        return data

    def __getattr__(self, name):
        return getattr(self._unreader, name)


class RecordingRequest(message.Request):
    """gunicorn's request, whose parse errors carry the first bytes of the request."""

    def parse(self, unreader):
        recorder = _Recorder(unreader)
        try:
            return super().parse(recorder)
        except Exception as exc:
            exc.belong_head = recorder.head
            raise


def path_of(req, exc) -> str:
    """The request's path, as far as it was read ("" when nothing tells)."""
    for candidate in (req, getattr(exc, "req", None)):
        path = getattr(candidate, "path", None)
        if isinstance(path, str) and path:
            return path
    head = getattr(exc, "belong_head", b"") or b""
    line = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    parts = line.split(b" ")
    if len(parts) < 2:
        return ""
    target = parts[1].decode("latin-1")
    if "://" in target:
        try:
            target = urlsplit(target).path
        except ValueError:
            return ""
    return target.split("?", 1)[0].split("#", 1)[0]


def _header_name(exc) -> str:
    name = getattr(exc, "hdr", None)
    if isinstance(name, str) and name and len(name) <= 64 and name.isprintable():
        return name.title()
    return "headers"


def _limits(cfg) -> dict:
    return {
        "line": cfg.limit_request_line,
        "fields": cfg.limit_request_fields,
        "size": cfg.limit_request_field_size,
    }


def explain(status: int, exc, cfg):
    """(detail, errors by field) for a refusal of ``status`` gunicorn made because of ``exc``.
    Plain English: nothing of the request (its language included) is known for certain."""
    limits = _limits(cfg)
    if isinstance(exc, gunicorn_errors.LimitRequestLine):
        return "The address is too long.", {
            "path": [
                f"The request line (method, address and query) may be at most "
                f"{limits['line']:,} bytes long."
            ]
        }
    if isinstance(exc, gunicorn_errors.LimitRequestHeaders):
        return "The request's headers are too large.", {
            "headers": [
                f"At most {limits['fields']:,} header fields are accepted, each at most "
                f"{limits['size']:,} bytes long."
            ]
        }
    if isinstance(exc, (gunicorn_errors.InvalidHeader, gunicorn_errors.InvalidHeaderName)):
        field = _header_name(exc)
        if field.lower() in ("content-length", "transfer-encoding"):
            message_ = (
                "The body's length must be given once: one Content-Length of digits, or "
                "Transfer-Encoding: chunked, never both."
            )
        else:
            message_ = (
                "Header names are letters, digits and -; values are printable text "
                "(no control characters such as NUL), one line each."
            )
        return "A header of the request is malformed.", {field: [message_]}
    if isinstance(exc, gunicorn_errors.UnsupportedTransferCoding):
        return "The request's transfer coding is not supported.", {
            "Transfer-Encoding": ["Only chunked is accepted."]
        }
    if isinstance(
        exc,
        (
            gunicorn_errors.InvalidChunkSize,
            gunicorn_errors.ChunkMissingTerminator,
            gunicorn_errors.InvalidChunkExtension,
        ),
    ):
        return "The request's body is malformed.", {
            "body": ["A chunked body is chunks of a hexadecimal size and its bytes, then 0."]
        }
    if isinstance(
        exc,
        (
            gunicorn_errors.InvalidRequestLine,
            gunicorn_errors.InvalidRequestMethod,
            gunicorn_errors.InvalidHTTPVersion,
        ),
    ):
        return "The request line is malformed.", {
            "request_line": ["A request line is: a method, one space, the address, HTTP/1.1."]
        }
    if status == 417:
        return "The request's expectation cannot be met.", {
            "Expect": ["Only 100-continue is accepted."]
        }
    if status >= 500:
        return "Something went wrong on our side. The problem has been logged.", {}
    if status == 403:
        return "You may not do this.", {}
    return "The request could not be understood.", {}


def _page(status: int, path: str, detail: str, errors: dict) -> tuple[str, bytes]:
    """(content type, body): Belong's own error response for ``path``, rendered as the site
    renders its error pages; a plain page of the same words if that fails."""
    try:
        from django.http import HttpRequest

        from belong.lib.errors import error_response

        request = HttpRequest()
        request.path = request.path_info = path or "/"
        request.method = "GET"
        response = error_response(request, status, detail, errors)
        return response["Content-Type"], bytes(response.content)
    except Exception:
        if path.startswith("/api/"):
            import json

            body = {"detail": detail, "errors": errors}
            return "application/json", json.dumps(body).encode()
        items = "".join(
            f"<li>{html.escape(field)}: {html.escape(m)}</li>"
            for field, messages in errors.items()
            for m in messages
        )
        page = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Belong</title>'
            f"<main><h1>{html.escape(detail)}</h1><ul>{items}</ul></main></html>"
        )
        return "text/html; charset=utf-8", page.encode()


class _Capture:
    """Stands in for the client's socket while gunicorn writes its own error page, keeping
    the status line it chose."""

    def __init__(self):
        self.data = b""

    def gettimeout(self):
        return 0.0

    def setblocking(self, flag):
        pass

    def sendall(self, data):
        self.data += bytes(data)

    send = sendall

    def status(self) -> tuple[int, str] | None:
        line = self.data.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return None
        return int(parts[1]), (parts[2] if len(parts) > 2 else "")


class ShapedRefusals:
    """Mixin for a gunicorn worker: its own refusals in Belong's shapes."""

    def init_process(self):
        # Every request this worker parses records its first bytes (for its path).
        parser.RequestParser.mesg_class = RecordingRequest
        super().init_process()

    def handle_error(self, req, client, addr, exc):
        capture = _Capture()
        super().handle_error(req, capture, addr, exc)  # gunicorn's decision and its logs
        decided = capture.status()
        if decided is None:
            return
        status, reason = decided
        detail, errors = explain(status, exc, self.cfg)
        content_type, body = _page(status, path_of(req, exc), detail, errors)
        head = (
            f"HTTP/1.1 {status} {reason}\r\n"
            "Connection: close\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except Exception:
            self.log.debug("Failed to send error message.")


class ThreadWorker(ShapedRefusals, GunicornThreadWorker):
    """gunicorn's threaded worker (``make run``), whose threads never wait on a stalled body:
    once a request's headers are read, each read of its body (and each write of its answer)
    waits at most BELONG_CLIENT_TIMEOUT seconds (20). A client that declares a longer body than
    it sends is answered 400 and its thread freed, where it held the thread for as long as it
    kept the connection open. (Behind nginx, which reads every request whole first, this never
    happens.)"""

    def init_process(self):
        self.client_timeout = float(os.environ.get("BELONG_CLIENT_TIMEOUT") or 20)
        super().init_process()

    def handle_request(self, req, conn):
        conn.sock.settimeout(self.client_timeout)
        return super().handle_request(req, conn)


class SyncWorker(ShapedRefusals, GunicornSyncWorker):
    """gunicorn's sync worker (behind nginx, as docs/deploy.md runs it)."""

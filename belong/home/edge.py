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
import selectors
import time
from functools import partial
from http import HTTPStatus
from urllib.parse import urlsplit

from gunicorn import util
from gunicorn.http import errors as gunicorn_errors
from gunicorn.http import message, parser
from gunicorn.http2 import negotiation
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

    def set_body_reader(self):
        # Its refusals (an unknown transfer coding) come after the head was parsed: they carry
        # the request, for its path.
        try:
            return super().set_body_reader()
        except Exception as exc:
            if getattr(exc, "req", None) is None:
                exc.req = self
            raise


def path_of(req, exc) -> str:
    """The request's path, as far as it was read ("" when nothing tells)."""
    for candidate in (req, getattr(exc, "req", None)):
        path = getattr(candidate, "path", None)
        if isinstance(path, str) and path:
            return path
    head = (getattr(exc, "belong_head", b"") or b"").lstrip(b"\r\n")
    line = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    parts = line.split()
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
        status, _reason = decided
        detail, errors = explain(status, exc, self.cfg)
        self.send_refusal(client, status, path_of(req, exc), detail, errors)

    def send_refusal(self, client, status, path, detail, errors):
        """Answer ``status`` in Belong's shape for ``path`` and let the connection close."""
        content_type, body = _page(status, path, detail, errors)
        head = (
            f"HTTP/1.1 {status} {_reason(status)}\r\n"
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


def _reason(status: int) -> str:
    # gunicorn keeps "Bad Request" for its 501; the status's own phrase is said instead.
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# Past this many bytes without the end of its head, a request is handed to a thread as it is
# (which refuses it, its headers being over gunicorn's limits, or reads the rest).
HEAD_BUFFER_BYTES = 64 * 1024
# How much of declared bodies a process keeps waiting in its event loop at once (more waits in
# threads), and the slowest a body may arrive there (past the first BELONG_CLIENT_TIMEOUT).
BODY_BUFFER_BYTES = 64 * 1024 * 1024
BODY_MIN_RATE = 64 * 1024


def head_complete(data: bytes) -> bool:
    """Whether ``data`` holds a request's whole head (its line and headers, up to the empty
    line), or enough to refuse it (a line that cannot be a request's, more than a head may
    be). Empty lines before the request line are skipped, as gunicorn skips them."""
    data = data.lstrip(b"\r\n")
    return b"\n\r\n" in data or b"\n\n" in data or len(data) > HEAD_BUFFER_BYTES


def declared_body(data: bytes) -> tuple[int, int, bool] | None:
    """For a whole head in ``data``: (where its body starts, its Content-Length, whether it
    expects 100-continue), or None when its body's length is not one plain Content-Length
    (chunked, none, several: gunicorn decides those in a thread, as before)."""
    stripped = data.lstrip(b"\r\n")
    end = stripped.find(b"\r\n\r\n")
    if end < 0:
        return None
    lengths, expects = [], False
    for line in stripped[:end].split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip()
        if not colon or name == b"transfer-encoding":
            return None
        if name == b"content-length":
            lengths.append(value)
        elif name == b"expect":
            expects = value.lower() == b"100-continue"
    if len(lengths) != 1 or not lengths[0].isdigit():
        return None
    return len(data) - len(stripped) + end + 4, int(lengths[0]), expects


class _Waiting:
    """A connection waiting in the event loop for its request to arrive."""

    def __init__(self, held: bytes, deadline: float):
        self.held = held  # what its parser already held (a pipelined request's first bytes)
        self.received = bytearray()
        self.deadline = deadline
        self.target = None  # the bytes to wait for once the head is whole (0: none)
        self.reserved = 0  # of the worker's body budget

    def data(self) -> bytes:
        return self.held + bytes(self.received)


class ThreadWorker(ShapedRefusals, GunicornThreadWorker):
    """gunicorn's threaded worker (``make run``), whose threads never wait on a slow client.

    gunicorn gives a connection to a thread as soon as it is accepted, and the thread waits,
    without limit, for the request's head, then for its body: a few clients sending a byte at a
    time held every thread, and the site answered no one (two such connections to a process of
    two threads were enough). Here a connection waits in the worker's event loop, holding no
    thread, until its whole head has arrived (:func:`head_complete`) and then its whole body of
    declared length (:func:`declared_body`; "100 Continue" is sent from the loop when it is
    expected), on a fresh connection and on a kept-alive one alike. A head not whole within
    BELONG_CLIENT_TIMEOUT seconds (20), or a body not whole within that plus a second for
    every BODY_MIN_RATE bytes, is answered 408 in Belong's shape and closed (silently when
    nothing was sent). At most BODY_BUFFER_BYTES of bodies wait at once in a process; a body
    past that (or chunked) is read by its thread, each read waiting at most
    BELONG_CLIENT_TIMEOUT seconds, after which the request is answered 400 and the thread freed.
    (Behind nginx, which reads every request whole first, none of this happens.)"""

    def init_process(self):
        self.client_timeout = float(os.environ.get("BELONG_CLIENT_TIMEOUT") or 20)
        self.waiting = {}  # connection -> _Waiting
        self.body_budget = BODY_BUFFER_BYTES
        super().init_process()

    def handle_request(self, req, conn):
        conn.sock.settimeout(self.client_timeout)
        if getattr(conn, "belong_continued", False):
            conn.belong_continued = False
            req._expected_100_continue = False  # already said from the loop
        return super().handle_request(req, conn)

    def _waits_in_loop(self, conn) -> bool:
        return not (
            self.cfg.is_ssl
            or getattr(conn, "is_http2", False)
            or negotiation.prior_knowledge_allowed(self.cfg, conn.client)
        )

    def enqueue_req(self, conn):
        if getattr(conn, "belong_ready", False) or not self._waits_in_loop(conn):
            conn.belong_ready = False
            return super().enqueue_req(conn)
        # Bytes a previous request's parser already holds (a pipelined request) count.
        held = conn.parser.unreader.buf.getvalue() if conn.parser is not None else b""
        waiting = _Waiting(held, time.monotonic() + self.client_timeout)
        self.waiting[conn] = waiting
        if self._arrived(conn, waiting):
            self._stop_waiting(conn)
            return self._to_thread(conn, b"")
        conn.sock.setblocking(False)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _arrived(self, conn, waiting) -> bool:
        """Whether the request (its head, then its body) is whole, or enough to hand over."""
        data = waiting.data()
        if waiting.target is None:
            if not head_complete(data):
                return False
            waiting.target = self._body_target(conn, waiting, data)
        return len(data) >= waiting.target

    def _body_target(self, conn, waiting, data) -> int:
        body = declared_body(data)
        if body is None:
            return 0
        start, length, expects = body
        if length == 0 or length > self.body_budget:
            return 0
        self.body_budget -= length
        waiting.reserved = length
        waiting.deadline = time.monotonic() + self.client_timeout + length / BODY_MIN_RATE
        if expects and len(data) < start + length:
            try:
                conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
                conn.belong_continued = True
            except OSError:
                pass
        return start + length

    def _readable(self, conn, _sock):
        waiting = self.waiting[conn]
        want = HEAD_BUFFER_BYTES
        if waiting.target:
            want = max(want, min(waiting.target - len(waiting.data()), 1024 * 1024))
        try:
            data = conn.sock.recv(want)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        waiting.received += data
        if data and not self._arrived(conn, waiting):
            return
        self._stop_waiting(conn)
        if not data and not waiting.received:
            self._close(conn)  # gone before sending anything
            return
        self._to_thread(conn, bytes(waiting.received))

    def _to_thread(self, conn, received: bytes):
        conn.belong_received = received
        conn.data_ready = True  # gunicorn's thread must not wait for data again
        conn.belong_ready = True
        self.enqueue_req(conn)

    def handle(self, conn):
        received = getattr(conn, "belong_received", b"")
        if received:
            conn.belong_received = b""
            conn.sock.setblocking(True)
            conn.init()
            # After what the parser already holds: the bytes arrived in this order.
            buffer = conn.parser.unreader.buf
            buffer.seek(0, os.SEEK_END)
            buffer.write(received)
        return super().handle(conn)

    def _stop_waiting(self, conn):
        waiting = self.waiting.pop(conn, None)
        if waiting is not None:
            self.body_budget += waiting.reserved
            waiting.reserved = 0
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass

    def _close(self, conn):
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        super().murder_pending()
        now = time.monotonic()
        for conn, waiting in list(self.waiting.items()):
            if now < waiting.deadline and self.alive:
                continue
            self._stop_waiting(conn)
            data = waiting.data()
            if data.strip() and self.alive:
                self._too_late(conn, waiting, data)
            self._close(conn)

    def _too_late(self, conn, waiting, data):
        refusal = TimeoutError("request")
        refusal.belong_head = data[:HEAD_BYTES]
        path = path_of(None, refusal)
        self.log.warning(
            "Request not whole in time from ip=%s: %s", (conn.client or ("",))[0], path
        )
        if waiting.target:
            field, message_ = "body", "Send the whole body its Content-Length announces, "
            message_ += "without pausing."
        else:
            field, message_ = (
                "headers",
                (
                    f"Send the request line and headers whole within {self.client_timeout:g} seconds."
                ),
            )
        self.send_refusal(
            conn.sock, 408, path, "The request did not arrive in time.", {field: [message_]}
        )


class SyncWorker(ShapedRefusals, GunicornSyncWorker):
    """gunicorn's sync worker (behind nginx, as docs/deploy.md runs it)."""

"""gunicorn's own refusals, as `make run` serves (belong.home.serving.gunicorn: Belong's
threaded worker, belong.home.edge), answer in Belong's shapes: the API's JSON under /api/, the
site's page elsewhere, naming what was wrong and what is allowed. Each malformed request of
tests/deploy/malformed.py goes raw to a real gunicorn, to an API path and to a page; a request
that is whole still reaches Belong on the same server."""

import json
import socket
import subprocess
import threading
import time

import pytest

from belong.home import edge, serving
from tests.deploy import malformed
from tests.deploy.proxy_support import database_url
from tests.home.server_support import clean_env, free_port

START_SECONDS = 60
CLIENT_TIMEOUT = 2  # seconds a thread waits on a stalled body (20 by default)
# The database is made even when this module runs alone: the server outside this process
# reads it (pytest-django makes it only when some collected test asks for it).
pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    port = free_port()
    var = tmp_path_factory.mktemp("edge-var")
    env = clean_env(
        var,
        DATABASE_URL=database_url(),
        BELONG_DB_CONN_MAX_AGE="0",
        BELONG_TASKS_BACKEND="immediate",
        BELONG_EMAIL="memory",
        BELONG_LOG_LEVEL="WARNING",
        BELONG_CLIENT_TIMEOUT=str(CLIENT_TIMEOUT),
    )
    log_path = var / "gunicorn.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            serving.gunicorn(f"127.0.0.1:{port}", workers=1, threads=2),
            cwd=serving.settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, log_path.read_text(errors="replace")[-3000:]
            try:
                status, _headers, _body = send(port, malformed.request("/healthz"))
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")[-3000:]
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def send(port, raw):
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(raw)
        return malformed.read(sock)


def test_make_run_uses_the_shaping_worker_and_the_longer_request_line():
    command = serving.gunicorn("127.0.0.1:8000", workers=2, threads=2)
    assert "--worker-class=belong.home.edge.ThreadWorker" in command
    assert f"--limit-request-line={serving.LIMIT_REQUEST_LINE}" in command


@pytest.mark.parametrize("path", [malformed.API, malformed.PAGE])
@pytest.mark.parametrize("case", list(malformed.CASES))
def test_gunicorns_refusals_are_in_belongs_shape(server, case, path):
    build, status, _through_nginx = malformed.CASES[case]
    got, headers, body = send(server, build(path))
    assert got == status, body[:300]
    assert headers["connection"] == "close"
    malformed.assert_shaped(path, got, headers, body)


def test_an_api_refusal_names_the_field_and_the_limit(server):
    status, _headers, body = send(
        server, malformed.CASES["request line over 8 KB"][0](malformed.API)
    )
    assert status == 414
    assert json.loads(body)["errors"] == {
        "path": ["The request line (method, address and query) may be at most 8,190 bytes long."]
    }
    status, _headers, body = send(server, malformed.nul_header(malformed.API))
    assert status == 400 and list(json.loads(body)["errors"]) == ["X-Note"]


def test_a_request_line_within_the_limit_reaches_belong(server):
    # 6,000 bytes: past gunicorn's default limit (4,094), within Belong's.
    status, headers, body = send(
        server, malformed.request(malformed.API, line_extra="?q=" + "a" * 6000)
    )
    assert status in (200, 400), body[:300]  # Belong's own answer to its query, not gunicorn's
    assert headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("head", "path"),
    [
        (b"GET /api/v1/events?x HTTP/1.1\r\n", "/api/v1/events"),
        (b"GET http://h/api/v1/x HTTP/1.1\r\n", "/api/v1/x"),
        (b"GET /events/", "/events/"),
        (b"G\x00T", ""),
        (b"", ""),
        # gunicorn refuses these whole lines; their path is still the API's
        (b"GET  /api/v1/events HTTP/1.1\r\n", "/api/v1/events"),
        (b"GET\t/api/v1/events\tHTTP/1.1\r\n", "/api/v1/events"),
        (b"\r\n\r\nGET /api/v1/events HTTP/1.1\r\n", "/api/v1/events"),
    ],
)
def test_the_path_is_read_from_the_first_bytes(head, path):
    class Refusal(Exception):
        belong_head = head

    assert edge.path_of(None, Refusal()) == path


def test_a_stalled_body_frees_its_thread(server):
    """More clients than the server has threads (1 process, 2 threads) declare a body longer
    than they send and stall: each is answered 4xx once the wait is over, never held, and
    /healthz answers meanwhile."""
    stalled = []
    try:
        for _ in range(4):
            sock = socket.create_connection(("127.0.0.1", server), timeout=15)
            sock.sendall(
                b"POST /sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 1000\r\n\r\nusername="
            )
            stalled.append(sock)
        started = time.monotonic()
        status, _headers, _body = send(server, malformed.request("/healthz"))
        assert status == 200
        assert time.monotonic() - started < 6 * CLIENT_TIMEOUT
        for sock in stalled:
            got, _headers, _body = malformed.read(sock, timeout=6 * CLIENT_TIMEOUT)
            assert 400 <= got < 500
    finally:
        for sock in stalled:
            sock.close()


def test_a_stalled_api_body_is_a_400_in_the_apis_shape(server):
    sock = socket.create_connection(("127.0.0.1", server), timeout=15)
    try:
        sock.sendall(
            b"PUT /api/v1/me/self-identification HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        status, headers, body = malformed.read(sock, timeout=6 * CLIENT_TIMEOUT)
    finally:
        sock.close()
    assert 400 <= status < 500
    malformed.assert_shaped(malformed.API, status, headers, body)


@pytest.mark.parametrize("path", [malformed.API, malformed.PAGE])
def test_an_unknown_transfer_coding_is_a_501_in_belongs_shape(server, path):
    """gunicorn refuses it after the head is parsed (its error carried no request): the answer
    was the site's "something went wrong on our side" page, under /api/ too."""
    status, headers, body = send(
        server,
        malformed.request(
            path, method="POST", headers=[("Transfer-Encoding", "xchunked")], body=b"0\r\n\r\n"
        ),
    )
    assert status == 501
    malformed.assert_shaped(path, status, headers, body)
    if path == malformed.API:
        assert json.loads(body)["errors"] == {"Transfer-Encoding": ["Only chunked is accepted."]}
    else:
        assert "Only chunked is accepted." in body.decode()
        assert "on our side" not in body.decode()


def assert_healthz_answers_then_408s(server, paths, slow):
    """/healthz answers at once (not freed by BELONG_CLIENT_TIMEOUT), and each slow connection
    to ``paths`` is then answered 408 in its path's shape."""
    started = time.monotonic()
    status, _headers, _body = send(server, malformed.request("/healthz"))
    assert status == 200
    assert time.monotonic() - started < CLIENT_TIMEOUT
    for path, sock in zip(paths, slow, strict=True):
        got, headers, body = malformed.read(sock, timeout=6 * CLIENT_TIMEOUT)
        assert got == 408
        malformed.assert_shaped(path, got, headers, body)


def test_slow_heads_hold_no_thread(server):
    """More clients than the server has threads (1 process, 2 threads) send part of their
    request's head and stop: /healthz answers at once (each held a thread for as long as it
    kept its connection open, and the site answered no one), and each is answered 408 in its
    shape once BELONG_CLIENT_TIMEOUT has passed."""
    paths = [malformed.API, malformed.PAGE] * 3
    slow = []
    try:
        for path in paths:
            sock = socket.create_connection(("127.0.0.1", server), timeout=15)
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a".encode())
            slow.append(sock)
        time.sleep(0.5)  # each has been accepted and has sent what it sends
        assert_healthz_answers_then_408s(server, paths, slow)
    finally:
        for sock in slow:
            sock.close()


def test_a_connection_that_sends_nothing_holds_no_thread(server):
    """Connections opened and left silent (more than the threads) do not keep /healthz waiting
    (each held a thread for gunicorn's 5 s wait for data); they are closed without an answer."""
    idle = [socket.create_connection(("127.0.0.1", server), timeout=15) for _ in range(6)]
    try:
        time.sleep(0.5)
        started = time.monotonic()
        status, _headers, _body = send(server, malformed.request("/healthz"))
        assert status == 200
        assert time.monotonic() - started < 1
        for sock in idle:
            sock.settimeout(6 * CLIENT_TIMEOUT)
            assert sock.recv(100) == b""
    finally:
        for sock in idle:
            sock.close()


def test_pipelined_and_kept_alive_requests_are_all_answered(server):
    """The head of each request waits in the event loop, the first and those that follow on a
    kept-alive connection, whole or split across packets."""
    one = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=15) as sock:
        sock.sendall(one * 3 + one[:20])
        time.sleep(0.3)
        sock.sendall(one[20:] + malformed.request("/healthz"))
        answers = b""
        while data := sock.recv(65536):  # the last asks to close
            answers += data
    assert answers.count(b"HTTP/1.1 ") == 5
    assert answers.count(b"HTTP/1.1 200 OK\r\n") == 5


def test_trickled_bodies_hold_no_thread(server):
    """Clients that send their body a byte at a time (each read arriving within the wait of a
    thread's reads) held a thread each for as long as their body lasted. The body waits in the
    event loop: /healthz answers at once, and each is answered 408 in its shape once its time
    (BELONG_CLIENT_TIMEOUT, and a second per 64 KB) is over."""
    paths = ["/api/v1/me/self-identification", "/sign-in/"] * 2
    slow = []
    stop = threading.Event()

    def trickle():
        while not stop.wait(0.5):
            for sock in slow:
                try:
                    sock.sendall(b"a")
                except OSError:
                    pass

    try:
        for path in paths:
            sock = socket.create_connection(("127.0.0.1", server), timeout=15)
            sock.sendall(
                f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n".encode()
            )
            slow.append(sock)
        threading.Thread(target=trickle, daemon=True).start()
        time.sleep(1.5)
        assert_healthz_answers_then_408s(server, paths, slow)
    finally:
        stop.set()
        for sock in slow:
            sock.close()


def test_an_expected_continue_is_said_once_and_the_body_then_read(server):
    with socket.create_connection(("127.0.0.1", server), timeout=15) as sock:
        sock.sendall(
            b"PUT /api/v1/me/self-identification HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 15\r\n"
            b"Connection: close\r\n\r\n"
        )
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b'{"answers": {}}')
        answer = b""
        while data := sock.recv(65536):
            answer += data
    assert b"100 Continue" not in answer
    assert answer.startswith(b"HTTP/1.1 401 ")  # Belong's own answer (no credential was sent)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_a_csrf_refusal_under_the_api_is_its_json(server, path):
    """The API's documentation and schema are Django views: an unsafe method there without the
    CSRF token was refused with the site's HTML page."""
    status, headers, body = send(server, malformed.request(path, method="PUT"))
    assert status == 403
    malformed.assert_shaped(path, status, headers, body)
    assert list(json.loads(body)["errors"]) == ["X-CSRFToken"]


def test_a_csrf_refusal_of_a_page_is_still_its_page(server):
    status, headers, body = send(server, malformed.request("/sign-in/", method="POST"))
    assert status == 403
    malformed.assert_shaped("/sign-in/", status, headers, body)


@pytest.mark.parametrize("path", [malformed.API + "/1/registration", "/sign-in/"])
def test_a_chunked_body_is_refused_411_not_read_as_empty(server, path):
    raw = malformed.request(
        path,
        method="PUT" if path.startswith("/api/") else "POST",
        headers=[("Transfer-Encoding", "chunked"), ("Content-Type", "application/json")],
        body=b"2\r\n{}\r\n0\r\n\r\n",
    )
    status, headers, body = send(server, raw)
    assert status == 411, body[:300]
    malformed.assert_shaped(path, status, headers, body)

"""A real database outage: gunicorn serves Belong with DATABASE_URL pointing at a PostgreSQL
port where nothing listens. The API answers its JSON error shape with 503 and Retry-After,
pages a friendly 503 page, /healthz a 503; whether the failure comes from a view, the API's
token check or the session and authentication middleware (a request with a session cookie).
Needs no PostgreSQL server: nothing listening is the point."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SESSION = {"Cookie": "sessionid=abcdefgh12345678abcdefgh12345678"}
TOKEN = {"Authorization": "Bearer blg_not-a-token-that-could-be-checked"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, path, headers=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    """The port of a server whose database is away."""
    nowhere = free_port()  # bound and released: nothing listens there
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BELONG_", "REDIS_"))}
    env.update(
        DATABASE_URL=f"postgres://belong@127.0.0.1:{nowhere}/belong",
        BELONG_VAR_DIR=str(tmp_path_factory.mktemp("outage")),
        BELONG_DEBUG="0",
        BELONG_ALLOWED_HOSTS="127.0.0.1",
    )
    port = free_port()
    # Its log goes to a file: a pipe nobody reads fills up with the outage's tracebacks, and
    # then the worker blocks writing the next one.
    log_path = Path(env["BELONG_VAR_DIR"]) / "gunicorn.log"
    log = open(log_path, "wb")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "gunicorn", "belong.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {log_path.read_text(errors='replace')}")
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def assert_unavailable(status, headers):
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert "no-store" in headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v1/collectives", {}),
        ("/api/v1/me", TOKEN),
        ("/api/v1/collectives", SESSION),
        ("/api/v1/me", SESSION),
    ],
)
def test_the_api_answers_503_in_its_shape(outage, path, headers):
    status, got, body = fetch(outage, path, headers)
    assert_unavailable(status, got)
    assert got["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "detail": "Belong cannot reach its database just now. Please try again in a minute.",
        "errors": {},
    }


@pytest.mark.parametrize(("path", "headers"), [("/", {}), ("/collectives/", {}), ("/", SESSION)])
def test_pages_answer_a_friendly_503(outage, path, headers):
    status, got, body = fetch(outage, path, headers)
    assert_unavailable(status, got)
    assert got["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "Belong is briefly unavailable" in page and 'class="site-nav"' in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_a_write_to_the_api_answers_503_too(outage):
    status, got, body = fetch(outage, "/api/v1/events/1/registration", TOKEN, method="PUT")
    assert_unavailable(status, got)
    assert json.loads(body)["errors"] == {}


@pytest.mark.parametrize("headers", [{}, SESSION, TOKEN])
def test_healthz_says_the_database_is_away(outage, headers):
    # With a session cookie the session middleware meets the outage first: the same answer.
    status, got, body = fetch(outage, "/healthz", headers)
    assert_unavailable(status, got)
    assert got["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}

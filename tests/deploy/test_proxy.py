"""The documented deployment holds (docs/deploy.md): the real nginx, configured from
deploy/nginx/belong.conf, in front of a real gunicorn with WORKERS sync workers serving Belong
on the test database (tests/deploy/proxy_support.py).

* Slow clients, more than gunicorn has workers (half-sent headers, half-sent bodies), do not
  stop /healthz from answering: nginx holds them and passes nothing on until it is whole.
* A body over the cap is refused by nginx before anything is written: gunicorn never sees the
  request, Belong's upload folder and nginx's own body folder stay empty; the 413 is a page, or
  the API's error shape under /api/. A body within nginx's cap but over a page's own limit is
  refused by Belong (413), unread.
* A malformed or oversized request (tests/deploy/malformed.py) is refused in Belong's shape,
  whether nginx refuses it or passes it on to gunicorn, whose Belong worker refuses it.
* A picture a leader uploads through the proxy is served at /media/ by nginx (gunicorn never
  sees that request) as its stored type, nosniff; pre-work and other files are not.

Bounded: a fixed number of connections and requests, every socket and wait with a timeout."""

import http.client
import io
import json
import socket
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from belong.lib.request_limits import MB, max_request_body
from tests.deploy import malformed
from tests.deploy.proxy_support import HOST, WORKERS, make_stack, remove

# The database is made for every test here, even one run alone: the server outside this process
# reads it (pytest-django makes it only when some collected test asks for it).
pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]

SLOW_CLIENTS = 3 * WORKERS  # of each kind: half-sent headers, half-sent bodies


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker):
    stack = make_stack()
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        remove(stack)


def marker(name):
    """A query string of this test's own, to find (or not) in gunicorn's access log."""
    return f"{name}-{uuid.uuid4().hex[:12]}"


def read_response(sock, timeout=15):
    sock.settimeout(timeout)
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, dict(response.getheaders()), response.read()


def test_https_serves_the_site_and_plain_http_only_the_health_check(stack):
    assert stack.https("GET", "/healthz")[0] == 200
    assert stack.http("GET", "/healthz")[0] == 200  # a load balancer's probe: never a redirect
    status, headers, _body = stack.http("GET", "/collectives/")
    assert status == 301 and headers["Location"].startswith(f"https://{HOST}")
    status, headers, body = stack.https("GET", "/collectives/")
    assert status == 200 and b"<html" in body
    assert "nginx/" not in headers.get("Server", "")  # server_tokens off


def test_slow_clients_do_not_stop_the_health_check(stack):
    tag = marker("slow")
    slow = []
    try:
        for index in range(SLOW_CLIENTS):
            sock = stack.tls_socket()
            sock.sendall(
                f"GET /healthz?{tag}-header-{index} HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode()
            )
            slow.append(sock)
        for index in range(SLOW_CLIENTS):
            sock = stack.tls_socket()
            sock.sendall(
                (
                    f"POST /sign-in/?{tag}-body-{index} HTTP/1.1\r\nHost: {HOST}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    "Content-Length: 100000\r\n\r\nusername="
                ).encode()
            )
            slow.append(sock)
        assert len(slow) > WORKERS
        for _ in range(2 * WORKERS):
            status, _headers, body = stack.https("GET", "/healthz", timeout=10)
            assert status == 200, body
        assert not stack.gunicorn_saw(tag)  # nothing half-sent was passed on
    finally:
        for sock in slow:
            sock.close()


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", "/sign-in/", "text/html"),
        ("PUT", "/api/v1/me/self-identification", "application/json"),
    ],
)
def test_a_declared_body_over_the_cap_is_refused_before_anything_is_written(
    stack, method, path, content_type
):
    tag = marker("declared")
    sock = stack.tls_socket()
    try:
        sock.sendall(
            (
                f"{method} {path}?{tag} HTTP/1.1\r\nHost: {HOST}\r\n"
                f"Content-Type: {MULTIPART_CONTENT}\r\n"
                f"Content-Length: {max_request_body() + 1}\r\n\r\n"
            ).encode()
            + b"x" * 65536
        )
        status, headers, body = read_response(sock)
    finally:
        sock.close()
    assert status == 413
    assert headers["Content-Type"].startswith(content_type)
    if content_type == "application/json":
        answer = json.loads(body)
        assert set(answer) == {"detail", "errors"} and list(answer["errors"]) == ["body"]
    assert not stack.gunicorn_saw(tag)
    assert stack.files_in(stack.uploads) == []
    assert stack.files_in(stack.nginx_body_temp) == []


def test_a_streamed_body_past_the_cap_is_refused(stack):
    tag = marker("streamed")
    sock = stack.tls_socket()
    sent = 0
    try:
        sock.sendall(
            (
                f"POST /sign-in/?{tag} HTTP/1.1\r\nHost: {HOST}\r\n"
                f"Content-Type: {MULTIPART_CONTENT}\r\nTransfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        chunk = b"%x\r\n%s\r\n" % (MB, b"x" * MB)
        try:
            while sent <= max_request_body() + 2 * MB:  # at most a little past the cap
                sock.sendall(chunk)
                sent += MB
        except OSError:
            pass  # nginx answered and stopped reading
        status, _headers, _body = read_response(sock)
    finally:
        sock.close()
    # The body never ended (no last chunk was sent): nginx answered as it passed the cap.
    assert status == 413
    assert not stack.gunicorn_saw(tag)
    assert stack.files_in(stack.uploads) == []
    assert stack.files_in(stack.nginx_body_temp) == []


def test_a_body_over_a_pages_own_limit_is_refused_by_belong_unread(stack):
    tag = marker("page-limit")
    body = b"username=" + b"x" * (3 * MB)  # under nginx's cap, over what /sign-in/ takes
    assert len(body) < max_request_body()
    status, headers, answer = stack.https(
        "POST",
        f"/sign-in/?{tag}",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413, answer[:500]
    assert headers["Content-Type"].startswith("text/html") and b"Error 413" in answer
    assert stack.gunicorn_saw(tag)  # Belong refused it, from its declared length
    assert stack.files_in(stack.uploads) == []
    # Belong read the refused body to its end and kept none of it: the proxy passes the 413 on
    # (it answered "502 Bad Gateway" when Belong closed while nginx was still sending).


def picture(colour="purple"):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_picture_is_served_at_media_by_nginx(stack, bob, frank):
    from belong.collectives.actions import leaders
    from belong.collectives.models import Collective, LeaderRole

    collective = Collective.objects.create(name="Rainbow", slug="rainbow", summary="Before.")
    leaders.appoint_leader(collective.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)
    browser = Client()
    browser.force_login(bob)  # a session in the database both processes share
    session = browser.cookies["sessionid"].value
    token = "c" * 32
    polyglot = picture() + b"<html><script>alert(1)</script></html>"
    form = {
        "csrfmiddlewaretoken": token,
        "summary": "After.",
        "image_alt": "A purple banner",
        "image": SimpleUploadedFile("banner.png", polyglot, content_type="image/png"),
    }
    status, _headers, body = stack.https(
        "POST",
        "/collectives/rainbow/manage/page/",
        body=encode_multipart(BOUNDARY, form),
        headers={
            "Content-Type": MULTIPART_CONTENT,
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "Origin": f"https://{HOST}:{stack.https_port}",  # as a browser sends it
        },
    )
    assert status == 302, stack.log_tail()
    collective.refresh_from_db()
    assert collective.summary == "After." and collective.image
    url = collective.image.url
    assert url.startswith("/media/collectives/banner") and url.endswith(".png")
    assert (stack.public / collective.image.name).is_file()

    status, headers, served = stack.https("GET", url)
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert served == (stack.public / collective.image.name).read_bytes()
    assert served.startswith(b"\x89PNG") and b"<script" not in served
    assert not stack.gunicorn_saw(url)  # nginx served it from the folder


def test_only_public_pictures_are_served_at_media(stack):
    (stack.var / "media" / "prework" / "abc").mkdir(parents=True, exist_ok=True)
    (stack.var / "media" / "prework" / "abc" / "handout.png").write_bytes(picture())
    (stack.public / "collectives").mkdir(exist_ok=True)
    (stack.public / "collectives" / "page.html").write_bytes(b"<script>alert(1)</script>")
    (stack.public / "collectives" / "page.svg").write_bytes(b"<svg onload=alert(1)>")
    for path in (
        "/media/prework/abc/handout.png",
        "/media/../var/media/prework/abc/handout.png",
        "/media/%2e%2e/var/media/prework/abc/handout.png",
        "/media/collectives/page.html",
        "/media/collectives/page.svg",
        "/media/collectives/missing.png",
    ):
        assert stack.https("GET", path)[0] in (400, 404), path


def test_static_files_are_served_by_nginx(stack):
    (stack.static / "belong").mkdir(parents=True, exist_ok=True)
    (stack.static / "belong" / "proxy-check.css").write_text("body { color: black; }")
    status, headers, body = stack.https("GET", "/static/belong/proxy-check.css")
    assert status == 200 and body == b"body { color: black; }"
    assert headers["Content-Type"].startswith("text/css")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert not stack.gunicorn_saw("proxy-check.css")


@pytest.mark.parametrize("path", [malformed.API, malformed.PAGE])
@pytest.mark.parametrize("case", list(malformed.CASES))
def test_malformed_requests_are_refused_in_belongs_shape(stack, case, path):
    build, _by_gunicorn, status = malformed.CASES[case]
    sock = stack.tls_socket()
    try:
        sock.sendall(build(path))
        got, headers, body = malformed.read(sock)
    finally:
        sock.close()
    assert got == status, body[:300]
    # nginx has read no address when the request line is too long for it: its 414 is the API's.
    api = True if case == "request line over 16 KB" else None
    malformed.assert_shaped(path, got, headers, body, api=api)


def test_plain_http_refusals_are_a_page(stack):
    with socket.create_connection((HOST, stack.http_port), timeout=15) as sock:
        sock.sendall(malformed.nul_header("/healthz"))
        status, headers, body = malformed.read(sock)
    assert status == 400
    malformed.assert_shaped("/healthz", status, headers, body, api=False)

"""Requests refused before Belong's views see them (by gunicorn, or by nginx in front of it),
each sent raw, to an API path and to a page: what the answer must look like.

A refusal is in Belong's shape: under /api/ the API's JSON error shape, naming a field;
elsewhere a page of the site's (an html element with a language, a heading), never the bare
page of gunicorn or nginx."""

import http.client
import json

API = "/api/v1/events"
PAGE = "/events/"
LONG = 10_000  # past gunicorn's request line and header field limits (8,190), within nginx's
HUGE = 20_000  # past nginx's (16 KB)


def request(path, *, line_extra="", headers=(), body=b"", method="GET"):
    head = f"{method} {path}{line_extra} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode("latin-1") + b"Connection: close\r\n\r\n" + body


def nul_header(path):
    return request(path).replace(b"Host: ", b"X-Note: a\x00b\r\nHost: ", 1)


# name -> (how to build it for a path, the status gunicorn answers, the status through nginx)
CASES = {
    "request line over 8 KB": (
        lambda path: request(path, line_extra="?q=" + "a" * LONG),
        414,
        414,
    ),
    "request line over 16 KB": (
        lambda path: request(path, line_extra="?q=" + "a" * HUGE),
        414,
        414,
    ),
    "a header over 8 KB": (lambda path: request(path, headers=[("X-Big", "a" * LONG)]), 431, 431),
    "a header over 16 KB": (lambda path: request(path, headers=[("X-Big", "a" * HUGE)]), 431, 400),
    "120 headers": (
        lambda path: request(path, headers=[(f"X-H{n}", "a") for n in range(120)]),
        431,
        431,
    ),
    "a NUL in a header": (nul_header, 400, 400),
    "two Content-Lengths": (
        lambda path: (
            request(path, method="POST", headers=[("Content-Length", "1"), ("Content-Length", "2")])
            + b"ab"
        ),
        400,
        400,
    ),
    "Content-Length beside chunked": (
        lambda path: request(
            path,
            method="POST",
            headers=[("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
            body=b"0\r\n\r\n",
        ),
        400,
        400,
    ),
}


def read(sock, timeout=15):
    """(status, headers, body) of the answer on ``sock``."""
    sock.settimeout(timeout)
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def assert_shaped(path, status, headers, body, *, api=None):
    """The answer is Belong's refusal for ``path`` (``api`` overrides which shape is due)."""
    api = path.startswith("/api/") if api is None else api
    content_type = headers.get("content-type", "")
    if api:
        assert content_type.startswith("application/json"), (status, content_type, body[:200])
        answer = json.loads(body)
        assert set(answer) == {"detail", "errors"}, answer
        assert answer["detail"] and answer["errors"], answer  # what, and which field
    else:
        assert content_type.startswith("text/html"), (status, content_type, body[:200])
        text = body.decode()
        assert '<html lang="' in text and "<h1" in text and "<title>" in text, text[:300]
        assert "gunicorn" not in text.lower() and "nginx" not in text.lower(), text[:300]
        assert "<center>" not in text and "<h1><p>" not in text, text[:300]

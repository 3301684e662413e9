import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.test import override_settings

from tests.people.sso.provider import Provider

BELONG = "http://testserver"


@pytest.fixture
def provider():
    """The real OpenID provider, for Django's test client (testserver)."""
    peer = Provider(
        redirect_uris=[f"{BELONG}/sso/oidc/callback/"],
        post_logout_redirect_uris=[f"{BELONG}/"],
    )
    try:
        with override_settings(**peer.settings()):
            yield peer
    finally:
        peer.stop()


def _form(html):
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    assert action, html[:2000]
    return unescape(action.group(1))


def at_provider(authorize_url, subject, *, browser=None):
    """Sign `subject` in at the provider's own pages (any password), agree, and return where
    the provider sends the browser back to (Belong's callback, with code and state)."""
    browser = browser or requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
    for _step in range(12):
        if answer.status_code in (302, 303):
            target = urljoin(answer.url, answer.headers["Location"])
            if target.startswith(BELONG):
                return target
            answer = browser.get(target, allow_redirects=False, timeout=10)
            continue
        assert answer.status_code == 200, (answer.status_code, answer.text[:2000])
        html = answer.text
        action = urljoin(answer.url, _form(html))
        if 'name="login"' in html:
            data = {"prompt": "login", "login": subject, "password": "any"}
        else:
            data = {"prompt": "consent"}
        answer = browser.post(action, data=data, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def sign_in_with_sso(client, subject, *, next_url="/me/"):
    """Belong's /sso/oidc/ -> the provider -> Belong's callback; the callback's answer."""
    start = client.get("/sso/oidc/", {"next": next_url})
    assert start.status_code == 302, start.status_code
    back = at_provider(start["Location"], subject)
    parts = urlsplit(back)
    return client.get(parts.path, parse_qs(parts.query))

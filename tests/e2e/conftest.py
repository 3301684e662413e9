"""Browser tests: the real Chromium through Playwright's sync API, against pytest-django's
live_server, with axe-core on every page.

Chromium is never downloaded: it is the system's (BELONG_CHROMIUM, default /usr/bin/chromium);
without it every test marked `browser` is skipped with the reason (see tests/skipguard.py).
Failures leave a screenshot in test-artifacts/.
"""

import os
import re

import pytest

from tests.e2e.a11y import Ledger, track, untrack
from tests.skipguard import chromium_path

# Playwright's sync API keeps an event loop running in this thread for as long as it is started,
# and Django's ORM refuses to run in a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE
# says it is safe (it is: the loop only drives the browser). The variable is set exactly while
# Playwright runs, not for the whole session: subprocesses of other tests (`check --deploy`) would
# inherit it and fail check async.E001.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def playwright_driver():
    """Playwright, started once for the browser tests (pytest-django runs them one after the
    other, so this is once a session) and stopped after the last of them."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser(playwright_driver):
    """One Chromium for all the browser tests."""
    browser = playwright_driver.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def artifacts(request):
    return request.config.rootpath / "test-artifacts"


@pytest.fixture
def browser_context(browser, live_server):
    """A fresh profile (no cookies) speaking English, pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport=DESKTOP, timezone_id="America/Chicago"
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(request, browser_context, artifacts):
    """A tab whose every page must go through check_a11y before the test ends."""
    page = browser_context.new_page()
    ledger = Ledger(artifacts=artifacts, name=request.node.nodeid.split("::", 1)[-1])
    track(page, ledger)
    yield page
    untrack(page)
    call = getattr(request.node, "rep_call", None)
    failed = call is None or call.failed
    if failed and ledger.visited and not page.is_closed():
        artifacts.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid).strip("-")[:180]
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        if ledger.console_errors:
            (artifacts / f"{name}.console.txt").write_text(
                "\n".join(ledger.console_errors) + "\n", encoding="utf-8"
            )
    if call is not None and call.passed and ledger.unchecked():
        pytest.fail(
            "pages visited without check_a11y(page): " + ", ".join(ledger.unchecked()),
            pytrace=False,
        )


@pytest.fixture
def sign_in(browser_context, live_server):
    """Sign a person in to the browser context by its session cookie (the form has its own
    keyboard test)."""
    from django.conf import settings
    from django.test import Client

    def sign_in(person):
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return person

    return sign_in

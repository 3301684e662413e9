"""The docs page at /api/v1/docs works in a real Chromium under the site's strict
Content-Security-Policy (script-src 'self', style-src 'self'), with no violation at all."""

import pytest

from tests.skipguard import chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every CSP violation the page causes, whatever the console says.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_docs_page_renders_and_runs_under_the_csp(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.add_init_script(RECORD_VIOLATIONS)
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on(
                "console",
                lambda message: message.type == "error" and errors.append(message.text),
            )
            requests = []
            page.on("request", lambda request: requests.append(request.url))

            response = page.goto(f"{live_server.url}/api/v1/docs")
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_selector(".opblock")
            assert page.locator(".info .title").inner_text().startswith("Belong API")
            # One block for each operation of the OpenAPI document.
            assert page.locator(".opblock").count() == operation_count()
            # Try one call from the page: it reaches the API and shows the answer.
            page.locator(".opblock-summary", has_text="/api/v1/collectives").first.click()
            page.get_by_text("Try it out").click()
            page.get_by_text("Execute").click()
            page.wait_for_selector(".live-responses-table")
            assert '"count": 0' in page.locator(".live-responses-table").inner_text()

            assert page.evaluate("window.__cspViolations") == []
            assert errors == []
            assert all(url.startswith(live_server.url) for url in requests), requests
        finally:
            browser.close()


def operation_count():
    from belong.api.api import api

    paths = api.get_openapi_schema()["paths"]
    verbs = {"get", "put", "post", "patch", "delete"}
    return sum(1 for operations in paths.values() for verb in operations if verb in verbs)

"""Accessibility checks with axe-core in the real browser, and the rule that every page a browser
test visits is checked.

`check_a11y(page)` runs axe-core (shipped with axe-playwright-python) on the page as it is now and
fails the test listing every violation: rule, impact, help, and each element's selector. The
`page` fixture keeps a ledger of the pages its tab navigated to; a test that passes without having
checked one of them fails at teardown.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


@dataclass
class Ledger:
    """What one browser tab visited and what of it went through axe."""

    artifacts: Path
    name: str
    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    console_errors: list[str] = field(default_factory=list)
    # Origins of a test's protocol peers (an OpenID provider's own sign-in pages): not Belong's
    # pages, so not in the ledger. A test names each one it drives (`not_ours`).
    peers: set[str] = field(default_factory=set)

    def visit(self, url):
        url = _page_url(url)
        if url and url not in self.visited and _origin(url) not in self.peers:
            self.visited.append(url)

    def unchecked(self):
        return [url for url in self.visited if url not in self.checked]


_ledgers: dict[int, Ledger] = {}


def track(page, ledger):
    """Record every page the tab's main frame shows (redirect targets, form results, links)."""
    _ledgers[id(page)] = ledger

    def navigated(frame):
        if frame == page.main_frame:
            ledger.visit(frame.url)

    page.on("framenavigated", navigated)
    page.on("console", lambda msg: msg.type == "error" and ledger.console_errors.append(msg.text))
    page.on("pageerror", lambda error: ledger.console_errors.append(f"uncaught: {error}"))


def untrack(page):
    return _ledgers.pop(id(page), None)


def not_ours(page, origin):
    """The pages of `origin` (a protocol peer the test runs) are not Belong's: not checked."""
    _ledgers[id(page)].peers.add(_origin(origin))


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _page_url(url):
    if not url or url.startswith(("about:", "data:", "chrome")):
        return ""
    return urldefrag(url).url


def _slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:150] or "page"


def format_violations(url, title, violations):
    count = sum(len(v["nodes"]) for v in violations)
    lines = [
        f"axe-core found {len(violations)} accessibility rule(s) violated on {count} element(s)",
        f"page: {url} ({title!r})",
    ]
    for number, violation in enumerate(violations, start=1):
        lines.append("")
        lines.append(
            f"{number}. {violation['id']} [{violation.get('impact') or 'no impact given'}]: "
            f"{violation['help']}"
        )
        lines.append(f"   {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = " | ".join(
                " >>> ".join(part) if isinstance(part, list) else str(part)
                for part in node["target"]
            )
            lines.append(f"   - {target}")
            snippet = " ".join(node.get("html", "").split())
            if snippet:
                lines.append(f"     {snippet[:200]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"     {summary[:400]}")
    return "\n".join(lines)


def check_a11y(page, *, context=None):
    """Run axe-core on the page as it is now; fail listing every violation."""
    page.wait_for_load_state("load")
    results = _axe.run(page, context=context, options=AXE_OPTIONS).response
    violations = results["violations"]
    ledger = _ledgers.get(id(page))
    url = page.url
    if ledger is not None:
        ledger.checked.add(_page_url(url))
    if not violations:
        return results
    title = page.title()
    report = format_violations(url, title, violations)
    if ledger is not None:
        ledger.artifacts.mkdir(parents=True, exist_ok=True)
        where = urlsplit(url)
        stem = f"{_slug(ledger.name)}--a11y-{_slug(where.path + '-' + where.query)}"
        (ledger.artifacts / f"{stem}.txt").write_text(report + "\n", encoding="utf-8")
        (ledger.artifacts / f"{stem}.json").write_text(
            json.dumps(violations, indent=2), encoding="utf-8"
        )
        page.screenshot(path=str(ledger.artifacts / f"{stem}.png"), full_page=True)
    pytest.fail(report, pytrace=False)


def visit(page, path):
    """Open a page, insist it answers 200, and run axe on it."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"{path} answered {response.status}"
    check_a11y(page)
    return response


def submit(page, name):
    """Press the button `name` (exactly), wait for the page it leads to, run axe on it; the
    navigation's response (its status)."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=True).click()
    check_a11y(page)
    return navigation.value


def follow(page, name, exact=True):
    """Follow the first link named `name`, wait for the page, run axe on it."""
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=exact).first.click()
    check_a11y(page)

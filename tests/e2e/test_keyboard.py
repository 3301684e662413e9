"""Keyboard-only use and the language switcher, in Chromium."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.builders import PASSWORD
from tests.e2e.a11y import check_a11y, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 80

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const main = document.querySelector('main');
    return {
        tag: el.tagName.toLowerCase(),
        href: el.getAttribute('href'),
        path: el.href ? new URL(el.href, location.href).pathname : null,
        hash: el.href ? new URL(el.href, location.href).hash : null,
        name: el.getAttribute('name'),
        type: el.getAttribute('type'),
        text: (el.innerText || el.value || '').trim().slice(0, 80),
        inMain: !!main && (el === main || main.contains(el)),
        isMain: el === main,
    };
}"""

SKIP_TARGET = """(id) => {
    const target = document.getElementById(decodeURIComponent(id));
    const main = document.querySelector('main');
    if (!target) return 'nothing (no element with id ' + id + ')';
    if (target === main) return 'main';
    return main && main.contains(target) ? 'in main' : '<' + target.tagName.toLowerCase() + '>';
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def describe(info):
    if info is None:
        return "nothing (the document body)"
    return f"<{info['tag']}> {info['text']!r} href={info['href']!r} name={info['name']!r}"


def tab_to(page, wanted, what, key="Tab"):
    """Press `key` until the focused element satisfies `wanted(info)`; fail naming the path."""
    seen = []
    info = focused(page)
    for _ in range(MAX_TABS):
        if info is not None and wanted(info):
            return info
        page.keyboard.press(key)
        info = focused(page)
        seen.append(describe(info))
    pytest.fail(
        f"{what} was not reached by {MAX_TABS} presses of {key}; focus went: "
        + " -> ".join(seen[:30]),
        pytrace=False,
    )


def test_keyboard_only_sign_in_from_the_home_page(page, content, alice):
    visit(page, "/")

    # 1. The first Tab lands on the skip link, and activating it moves focus to main.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first is not None and first["tag"] == "a" and (first["hash"] or "").startswith("#"), (
        f"the first focusable element is {describe(first)}, not a skip link to the main content"
    )
    where = page.evaluate(SKIP_TARGET, first["hash"][1:])
    assert where in {"main", "in main"}, f"the skip link points at {where}, not at main"
    page.keyboard.press("Enter")
    after = focused(page)
    assert after is not None and (after["isMain"] or after["inMain"]), (
        f"after the skip link, focus is on {describe(after)}, not in main"
    )

    # 2. Back up through the header to the sign-in link, and follow it.
    tab_to(
        page,
        lambda f: f["tag"] == "a" and f["path"] == "/sign-in/",
        "the sign-in link",
        key="Shift+Tab",
    )
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200
    assert urlsplit(page.url).path == "/sign-in/"
    check_a11y(page)
    # The link may carry ?next=<this page>; without it, sign-in lands on my page.
    landing = parse_qs(urlsplit(page.url).query).get("next", ["/me/"])[0]

    # 3. Fill in the form by keyboard and submit it with Enter.
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "username", "the email field")
    page.keyboard.type(alice.email)
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "password", "the password field")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")

    # 4. Signed in, where the link said (my page by default).
    assert navigation.value.status == 200
    assert urlsplit(page.url).path == landing, f"after signing in the browser is at {page.url}"
    check_a11y(page)
    assert page.locator("[action$='/sign-out/'], [href$='/sign-out/']").count() >= 1, (
        "signed in, the page offers no way to sign out"
    )


def test_the_language_switcher_turns_the_page_spanish(page, content):
    visit(page, "/collectives/")
    assert page.get_attribute("html", "lang") == "en"

    switcher = page.locator("form[action$='/i18n/setlang/']").first
    assert switcher.count() == 1, "the page has no language switcher (a form to /i18n/setlang/)"
    button = switcher.locator("button[value='es'], input[type='submit'][value='es']")
    with page.expect_navigation() as navigation:
        if button.count():
            button.first.click()
        else:
            switcher.locator("select[name='language']").select_option("es")
            switcher.locator("button, input[type='submit']").first.click()

    assert navigation.value.status == 200
    assert page.get_attribute("html", "lang") == "es"
    assert urlsplit(page.url).path == "/collectives/", (
        f"the switcher should come back to the same page, not {page.url}"
    )
    check_a11y(page)

"""The clearinghouse in Chromium, with axe-core on every page: a member suggests a resource, a
mentorship coordinator publishes it, a visitor finds it by searching."""

import pytest

from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_suggestion_is_published_and_found(page, content, alice, erin, sign_in):
    sign_in(alice)
    visit(page, "/resources/")
    follow(page, "Suggest a resource")
    page.get_by_label("Title").fill("Standardized interviews")
    page.get_by_label("Summary").fill("The same questions for every applicant.")
    page.get_by_label("Link").fill("https://example.org/interviews")
    page.get_by_label("Interviewing").check()
    submit(page, "Suggest it")
    assert "A coordinator reads it" in page.locator(".messages").inner_text()

    sign_in(erin)
    visit(page, "/resources/curate/")
    submit(page, "Publish Standardized interviews")
    assert "was updated" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    visit(page, "/resources/")
    page.get_by_label("Search the clearinghouse").fill("interviews")
    submit(page, "Search")
    assert "Standardized interviews" in page.locator("main").inner_text()

"""The error pages (belong.lib.errors) in Chromium: each in the site's layout, with one h1 and
the site's navigation, passes axe-core."""

import pytest

from tests.e2e.a11y import check_a11y

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/nowhere/", 404, "We cannot find that page"),
        ("/resources/?q=%00", 400, "The request could not be used"),
        ("/insights/", 403, "You do not have access to this page"),
    ],
)
def test_an_error_page_is_accessible(page, sign_in, alice, path, status, heading):
    sign_in(alice)  # a member: the insights are for analysts
    response = page.goto(path)
    assert response is not None and response.status == status
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.get_by_role("navigation", name="Main").is_visible()
    check_a11y(page)

"""A policy's review in Chromium, with axe-core on every page: a DEI administrator opens the
diversity statement, records a new version, and the public page shows it."""

import pytest

from belong.library.models import Policy
from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_dei_administrator_records_a_new_version(page, content, frank, sign_in):
    policy = Policy.objects.first()
    sign_in(frank)
    visit(page, policy.get_absolute_url())
    follow(page, "Record a review")
    page.get_by_label("Replaced by a new version").check()
    page.get_by_label("The new version's text").fill("Our community reflects our state.")
    submit(page, "Record the review")
    assert "The review was recorded." in page.locator(".messages").inner_text()
    assert "Our community reflects our state." in page.locator("main").inner_text()

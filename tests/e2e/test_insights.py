"""The dashboards in Chromium, with axe-core on every page: an analyst goes from her page to
the insights, opens the representation dashboard and downloads a table, then opens each other
dashboard."""

import csv
import io

import pytest

from belong.people import privacy
from tests.conftest import make_person
from tests.e2e.a11y import follow, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_analyst_opens_a_dashboard_and_downloads_a_table(page, content, grace, sign_in):
    for n in range(12):
        person = make_person(f"f{n}@example.org", f"Faculty {n}", kind="faculty")
        privacy.save_answers(person=person, answers={"race_ethnicity": {"values": ["asian"]}})
        privacy.give(person=person, purpose="reporting")
    sign_in(grace)
    visit(page, "/me/")
    follow(page, "Insights", exact=False)
    follow(page, "Representation", exact=False)
    assert page.locator("h2", has_text="Race, as the Census counts it").is_visible()
    assert page.locator("img.chart").first.evaluate("img => img.naturalWidth") > 0
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (Race, as the Census counts it)").click()
    path = download.value.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8").read())))
    faculty = next(row for row in rows if row and row[0] == "Faculty")
    assert "12" in faculty and "100%" in faculty
    for title in ("Training reach",):
        visit(page, "/insights/")
        follow(page, title, exact=False)
        assert page.locator("img.chart").count() >= 1

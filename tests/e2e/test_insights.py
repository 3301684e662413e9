"""The dashboards in Chromium, with axe-core on every page: an analyst goes from her page to
the insights, opens the representation dashboard and downloads a table, then opens each other
dashboard."""

import csv
import io

import pytest

from belong.people import privacy
from tests.builders import cut_release, exact_releases, make_person
from tests.e2e.a11y import check_a11y, follow, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_analyst_opens_a_dashboard_and_downloads_a_table(
    page, content, grace, sign_in, settings
):
    from belong.people.models import Person

    exact_releases(settings)  # what is counted, checked exactly (no perturbation)
    Person.objects.filter(pk=grace.pk).update(kind="community")  # not in the counted staff
    for n in range(12):
        person = make_person(f"f{n}@example.org", f"Faculty {n}", kind="faculty")
        privacy.save_answers(person=person, answers={"race_ethnicity": {"values": ["asian"]}})
        privacy.give(person=person, purpose="reporting")
    cut_release()
    sign_in(grace)
    visit(page, "/me/")
    follow(page, "Insights", exact=False)
    follow(page, "Representation", exact=False)
    assert page.locator("h2", has_text="Race, as the Census counts it").is_visible()
    assert page.get_by_text("As of", exact=False).first.is_visible()
    assert page.locator("img.chart").first.evaluate("img => img.naturalWidth") > 0
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (Race, as the Census counts it)").click()
    path = download.value.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8").read())))
    faculty = next(row for row in rows if row and row[0] == "Faculty")
    assert "12" in faculty and "100%" in faculty
    assert any(row and row[0].startswith("As of") for row in rows)
    for title in ("Training reach", "Collectives", "Mentorship"):
        visit(page, "/insights/")
        page_links = page.locator("main .action-list")
        with page.expect_navigation():
            page_links.get_by_role("link", name=title).click()
        check_a11y(page)
        assert page.locator("h1").inner_text() == title


def test_an_analyst_reads_an_initiative(page, content, grace, frank, sign_in):
    import datetime

    from belong.insights import initiatives
    from tests.builders import initiative_with_metric

    _initiative, metric = initiative_with_metric(frank, lead=frank)
    for month, value in ((1, 88), (2, 84), (3, 79)):
        initiatives.record(
            metric, actor=frank, observed_on=datetime.date(2026, month, 28), value=value
        )
    sign_in(grace)
    visit(page, "/insights/")
    follow(page, "Health-disparities initiatives", exact=False)
    follow(page, "Maternal health equity")
    assert "Latest: 79 per 10,000" in page.locator("main").inner_text()


def test_a_dei_administrator_cuts_a_release_by_hand(page, content, frank, sign_in):
    sign_in(frank)
    visit(page, "/insights/")
    assert page.get_by_text("No figures have been published yet.").first.is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Cut a release now").click()
    check_a11y(page)
    assert page.get_by_text("Release 1 is cut", exact=False).is_visible()
    assert page.get_by_text("may be cut by hand from", exact=False).is_visible()
    visit(page, "/insights/representation/")
    assert page.get_by_text("As of", exact=False).first.is_visible()

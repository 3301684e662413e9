"""A leader's and a DEI administrator's pages in Chromium, with axe-core on every page: the
leader edits the collective's page and opens its members; the administrator names a leader,
reviews a suggested business and imports a directory file with a bad row (the errors shown)."""

import pytest

from belong.collectives.actions import leaders, memberships
from belong.collectives.models import Business, Collective, LeaderRole
from tests.e2e.a11y import check_a11y, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_leader_edits_the_page_and_sees_the_members(page, content, alice, bob, frank, sign_in):
    latinx = Collective.objects.get(slug="latinx")
    leaders.appoint_leader(latinx.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)
    memberships.join(latinx.pk, person=alice, kind="ally")
    sign_in(bob)
    visit(page, "/collectives/latinx/")
    with page.expect_navigation():
        page.get_by_role("link", name="Manage this collective").first.click()
    check_a11y(page)
    visit(page, "/collectives/latinx/manage/page/")
    page.get_by_label("Summary").fill("Latinx staff, faculty and learners, and their allies.")
    submit(page, "Save the page")
    assert "Latinx staff, faculty and learners" in page.content()
    visit(page, "/collectives/latinx/manage/members/")
    assert "Alice Member" in page.locator("table").inner_text()


def test_an_administrator_names_a_leader_reviews_and_imports(
    page, content, alice, frank, sign_in, tmp_path
):
    Business.objects.create(name="Café Ñandú", category="Coffee", status="suggested")
    sign_in(frank)
    visit(page, "/collectives/latinx/manage/leaders/")
    page.get_by_label("Email address").fill(alice.email)
    page.locator("#id_title").select_option("co_chair")
    submit(page, "Name the leader")
    assert LeaderRole.objects.filter(person=alice, collective__slug="latinx").exists()
    visit(page, "/collectives/directory/review/")
    submit(page, "Approve Café Ñandú")
    assert Business.objects.get(name="Café Ñandú").status == "approved"
    bad = tmp_path / "shops.csv"
    bad.write_text("name,category,email\nGood Shop,Retail,\nBad Shop,Retail,not-an-email\n")
    visit(page, "/collectives/businesses/import/")
    page.get_by_label("CSV file").set_input_files(str(bad))
    submit(page, "Import")
    assert "Line 3" in page.locator(".error-summary").inner_text()
    assert not Business.objects.filter(name="Good Shop").exists()

"""Recommendations in Chromium, with axe-core on every page passed through: a leader writes a
draft (a missing field first shows the error summary), reads it over, submits it after the
confirmation step; a DEI administrator acknowledges it and then answers (the answer's text is
required); a visitor reads it on the tracker, filtered, and on its page with its history."""

import pytest

from belong.collectives.actions import leaders
from belong.collectives.models import Collective, LeaderRole, Recommendation
from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_leader_submits_and_an_administrator_answers(
    page, browser_context, content, bob, frank, sign_in
):
    collective = Collective.objects.filter(is_active=True).order_by("order", "name").first()
    leaders.appoint_leader(collective.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)
    sign_in(bob)
    visit(page, f"/collectives/{collective.slug}/manage/recommendations/")
    follow(page, "Write a recommendation")

    page.get_by_label("Title").fill("Gender-neutral restrooms")
    page.get_by_label("The problem").fill("Too few, and **hard** to find.")
    response = submit(page, "Save the draft")
    assert response.status == 400
    assert "Say what the collective proposes." in page.locator(".error-summary").inner_text()
    assert not Recommendation.objects.exists()

    page.get_by_label("What we propose").fill("One on every floor of every building.")
    submit(page, "Save the draft")
    assert "This is a draft" in page.locator("main").inner_text()
    follow(page, "Submit it")
    assert "Submit “Gender-neutral restrooms”?" in page.locator("h1").inner_text()
    submit(page, "Submit the recommendation")
    recommendation = Recommendation.objects.get()
    assert recommendation.state == "submitted"
    assert "the DEI administrators were told" in page.locator(".messages").inner_text()

    # A second draft, edited then deleted: the drafts page lists both kinds meanwhile.
    visit(page, f"/collectives/{collective.slug}/manage/recommendations/new/")
    page.get_by_label("Title").fill("A second thought")
    page.get_by_label("The problem").fill("Something.")
    page.get_by_label("What we propose").fill("Something else.")
    submit(page, "Save the draft")
    second = Recommendation.objects.get(title="A second thought")
    visit(page, f"/collectives/{collective.slug}/manage/recommendations/")
    visit(page, f"/collectives/{collective.slug}/")
    assert "A second thought" in page.locator(".recommendations-section").inner_text()
    visit(page, f"/collectives/recommendations/{second.pk}/")
    follow(page, "Edit the draft")
    page.get_by_label("Title").fill("A second thought, edited")
    submit(page, "Save the draft")
    follow(page, "Delete the draft")
    submit(page, "Delete the draft")
    assert not Recommendation.objects.filter(pk=second.pk).exists()

    browser_context.clear_cookies()
    sign_in(frank)
    visit(page, f"/collectives/recommendations/{recommendation.pk}/")
    follow(page, "Answer this recommendation")
    page.get_by_label("Acknowledged").check()
    submit(page, "Publish the answer")
    follow(page, "Answer this recommendation")
    page.get_by_label("Adopted", exact=True).check()
    response = submit(page, "Publish the answer")
    assert response.status == 400  # adopted needs the answer's text
    page.get_by_label("What the DEI office answers").fill("Adopted: *every* floor by July.")
    submit(page, "Publish the answer")
    recommendation.refresh_from_db()
    assert recommendation.state == "adopted"

    browser_context.clear_cookies()
    visit(page, f"/collectives/recommendations/?state=adopted&collective={collective.slug}")
    table = page.locator("table").inner_text()
    assert "Gender-neutral restrooms" in table and "answered within a day" in table
    follow(page, "Gender-neutral restrooms")
    history = page.locator(".recommendation-history").inner_text()
    assert "Submitted" in history and "Acknowledged" in history and "Adopted" in history
    assert "Bob" not in page.locator("main").inner_text()
    visit(page, collective.get_absolute_url())
    assert "Gender-neutral restrooms" in page.locator(".recommendations-section").inner_text()

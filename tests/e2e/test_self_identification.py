"""Self-identification in Chromium, with axe-core on every page: a resident finds the privacy
page from her page, answers (a wrong combination refused with the error summary, then fixed),
consents to mentorship matching, asks in her enrolment for a mentor who shares an aspect of
identity, then revokes the consent and erases her answers."""

import pytest

from belong.mentorship.models import Enrollment
from belong.people import privacy
from belong.people.models import Consent, SelfIdentification
from tests.builders import open_cycle
from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_person_self_identifies_consents_and_revokes(page, content, erin, alice, sign_in):
    open_cycle(erin)
    sign_in(alice)
    visit(page, "/me/")
    follow(page, "Self-identification and privacy", exact=False)
    assert "Only you can see them" in page.locator("main").inner_text()

    page.get_by_label("Black or African American").check()
    page.get_by_label("Race and ethnicity in your own words (optional)").fill("Afro-Caribbean")
    page.get_by_label("Prefer not to say (Race and ethnicity)").check()
    assert submit(page, "Save your answers").status == 400
    summary = page.locator(".error-summary").inner_text()
    assert "Either choose answers or prefer not to say, not both." in summary
    assert not SelfIdentification.objects.exists()

    page.get_by_label("Prefer not to say (Race and ethnicity)").uncheck()
    page.get_by_label("The first in my family in medicine or the health professions").check()
    page.get_by_label("Prefer not to say (Sexual orientation)").check()
    submit(page, "Save your answers")
    assert "Only you can see them." in page.locator(".messages").inner_text()
    assert privacy.answers_of(alice)["race_ethnicity"] == {
        "values": ["black_african_american"],
        "self_description": "Afro-Caribbean",
    }

    submit(page, "Give consent Mentorship matching")
    assert "You gave your consent to Mentorship matching." in page.locator(".messages").inner_text()

    visit(page, "/mentorship/enrol/mentee/")
    page.get_by_label("Training level").select_option("pgy1")
    wish = page.get_by_role("group", name="A mentor who answered alike about")
    wish.get_by_label("First generation").check()
    page.get_by_role("group", name="How much a shared aspect of identity matters").get_by_label(
        "Matters a lot"
    ).check()
    submit(page, "Enrol")
    enrollment = Enrollment.objects.get(person=alice)
    assert (enrollment.shared_identity, enrollment.identity_weight) == (["first_generation"], 3)

    visit(page, "/me/privacy/")
    submit(page, "Revoke Mentorship matching")
    assert "no longer used" in page.locator(".messages").inner_text()
    assert not Consent.objects.filter(person=alice, revoked_at__isnull=True).exists()
    page.locator("summary", has_text="The record of your consents").click()
    assert "Mentorship matching" in page.locator("details table").inner_text()

    submit(page, "Erase your self-identification")
    assert "was erased" in page.locator(".messages").inner_text()
    assert not SelfIdentification.objects.filter(person=alice).exists()


def test_a_person_downloads_their_data_then_erases_the_account(page, content, alice, sign_in):
    import json

    from belong.people.models import Person

    sign_in(alice)
    visit(page, "/me/privacy/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["profile"]["email"] == "alice@example.org"
    follow(page, "Erase your account's personal data")
    page.get_by_label("Your email address, to confirm").fill("bob@example.org")
    assert submit(page, "Erase my account").status == 400
    page.get_by_label("Your email address, to confirm").fill("alice@example.org")
    submit(page, "Erase my account")
    assert "personal data was erased" in page.locator(".messages").inner_text()
    assert Person.objects.get(pk=alice.pk).is_erased

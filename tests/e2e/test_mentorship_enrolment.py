"""A mentorship cycle in Chromium, with axe-core on every page: the coordinator opens a cycle
whose enrolment is open today; a resident enrols as a mentee (a wrong address refused with the
error summary, then fixed), a faculty member as a mentor; the coordinator sees both."""

import datetime

import pytest
from django.utils import timezone

from belong.mentorship.models import Cycle, Enrollment
from tests.e2e.a11y import follow, submit, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_cycle_opens_and_people_enrol(page, content, erin, alice, bob, sign_in):
    today = timezone.localdate()
    sign_in(erin)
    visit(page, "/mentorship/manage/")
    follow(page, "Open a new cycle")
    page.get_by_label("Title").fill("2026-2027 mentorship cycle")
    page.get_by_label("Academic year").fill("2026-2027")
    page.get_by_label("Enrolment opens on").fill(today.isoformat())
    page.get_by_label("Enrolment closes on").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Matching date").fill((today + datetime.timedelta(days=35)).isoformat())
    assert submit(page, "Save").status == 200
    cycle = Cycle.objects.get()
    assert page.url.endswith(f"/mentorship/manage/cycles/{cycle.pk}/")

    sign_in(alice)
    visit(page, "/mentorship/")
    follow(page, "Enrol as a mentee Residents and fellows")
    page.get_by_label("Training level").select_option("pgy1")
    page.get_by_label("Recruitment and retention for diversity").check()
    page.get_by_label("Spanish").check()
    page.locator("#id_weight_dei_3").check()
    page.get_by_label("People you must not be matched with").fill("nobody@example.org")
    assert submit(page, "Enrol").status == 400
    assert "nobody@example.org" in page.locator(".error-summary").inner_text()
    assert not Enrollment.objects.exists()
    page.get_by_label("People you must not be matched with").fill("bob@example.org")
    submit(page, "Enrol")
    assert "as a mentee" in page.locator(".messages").inner_text()
    mentee = Enrollment.objects.get(person=alice)
    assert mentee.dei_interests == ["recruitment"] and mentee.weights["dei"] == 3
    assert list(mentee.excluded.all()) == [bob]

    sign_in(bob)
    visit(page, "/mentorship/enrol/mentor/")
    page.get_by_label("Training level").select_option("associate")
    page.get_by_label("How many mentees you can take").select_option("2")
    submit(page, "Enrol")
    assert Enrollment.objects.get(person=bob).capacity == 2

    sign_in(erin)
    visit(page, f"/mentorship/manage/cycles/{cycle.pk}/")
    main = page.locator("main").inner_text()
    assert "1 mentee" in main and "1 mentor" in main and "Alice Member" in main

"""A mentorship cycle in Chromium, with axe-core on every page: the coordinator opens a cycle
whose enrolment is open today; a resident enrols as a mentee (a wrong address refused with the
error summary, then fixed), a faculty member as a mentor; the coordinator sees both. Then the
coordinator runs the matching, pins a pair, runs it again and publishes; the mentee finds her
match, logs a meeting, sets a goal and asks the coordinator, who sees the request."""

import datetime

import pytest
from django.utils import timezone

from belong.mentorship.models import Cycle, Enrollment
from tests.builders import open_cycle
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


def test_the_coordinator_runs_reviews_and_publishes(page, content, erin, alice, bob, sign_in):
    from belong.mentorship.actions import cycles as actions
    from belong.mentorship.models import Match

    today = timezone.localdate()
    cycle = open_cycle(erin)
    common = {"today": today, "meeting": ["virtual"], "dei_interests": ["recruitment"]}
    actions.enrol(cycle.pk, person=alice, role="mentee", training_level="pgy1", **common)
    actions.enrol(
        cycle.pk, person=bob, role="mentor", training_level="associate", capacity=1, **common
    )

    sign_in(erin)
    visit(page, f"/mentorship/manage/cycles/{cycle.pk}/")
    submit(page, "Run the matching")
    assert page.url.endswith(f"/mentorship/manage/cycles/{cycle.pk}/matching/")
    proposals = page.locator("table").first.inner_text()
    assert "Alice Member" in proposals and "Bob Leader" in proposals
    assert "both work on recruitment and retention for diversity" in proposals

    page.locator("#id_mentee").select_option(label="Alice Member")
    page.locator("#id_mentor").select_option(label="Bob Leader")
    page.get_by_label("Always match them").check()
    submit(page, "Save the rule")
    submit(page, "Run it again")
    assert "pinned" in page.locator("table").first.inner_text()

    follow(page, "Publish these matches")
    submit(page, "Publish and introduce everyone")
    assert "1 match is published" in page.locator(".messages").inner_text()
    assert Match.objects.filter(mentee__person=alice, mentor__person=bob).exists()

    sign_in(alice)
    visit(page, "/me/")
    assert "Your mentor: Bob Leader" in page.locator("main").inner_text()
    follow(page, "Meetings, goals and check-ins (Bob Leader)")
    page.get_by_label("Length in minutes").fill("45")
    page.get_by_label("Topics").fill("Choosing a research project")
    page.get_by_label("Notes").fill("Read two papers before next time.")
    submit(page, "Log the meeting")
    assert "The meeting is logged." in page.locator(".messages").inner_text()
    assert "Choosing a research project" in page.locator("main").inner_text()
    page.get_by_label("A goal").fill("Submit an abstract")
    submit(page, "Add the goal")
    follow(page, "Ask the coordinator")
    page.get_by_label("A new match").check()
    submit(page, "Send to the coordinator")
    assert "has not been told" in page.locator(".messages").inner_text()

    sign_in(erin)
    visit(page, f"/mentorship/manage/cycles/{cycle.pk}/matches/")
    main = page.locator("main").inner_text()
    assert "Alice Member asks: A new match" in main
    assert "Read two papers" not in main


def test_an_applicant_asks_and_an_ambassador_accepts(page, content, bob, sign_in):
    import re

    from django.core import mail

    from belong.mentorship.actions import connections
    from belong.mentorship.models import ApplicantRequest

    bob.kind = "faculty"
    bob.save(update_fields=["kind"])
    connections.volunteer(
        bob,
        programs=[],
        interests=["recruitment"],
        introduction="Happy to talk about holistic review.",
        show_name=True,
        monthly_limit=2,
        active=True,
    )
    visit(page, "/mentorship/")
    follow(page, "Ask for a conversation")
    assert "Happy to talk about holistic review." in page.locator("main").inner_text()
    page.get_by_label("Your name").fill("Ana Applicant")
    page.get_by_label("Your email address").fill("ana@applicant.example")
    page.get_by_label("Recruitment and retention for diversity").check()
    submit(page, "Ask for a conversation")
    assert "Check your email" in page.locator("h1").inner_text()
    # Delivered at once here (tasks run immediately): a private message keeps no text once
    # sent, so the link is read from the email itself.
    (sent,) = [m for m in mail.outbox if m.to == ["ana@applicant.example"]]
    body = sent.body
    link = re.search(r"(/mentorship/connect/verify/[^/]+/)", body).group(1)
    visit(page, link)
    submit(page, "Confirm my request")
    assert "your request is confirmed" in page.locator("main").inner_text()

    sign_in(bob)
    visit(page, "/mentorship/ambassador/")
    assert "Ana Applicant" not in page.locator("main").inner_text()
    submit(page, "Accept")
    assert "ana@applicant.example" in page.locator("main").inner_text()
    assert ApplicantRequest.objects.get().state == "accepted"

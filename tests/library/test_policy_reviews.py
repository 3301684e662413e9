"""Policies: the next review is counted from the last one (or, before any, from when the current
version took effect); the steward (or, without one, the DEI administrators) is reminded before
it is due and weekly while it is overdue; a DEI administrator or the steward records a review,
current as it is or a new version; the public page shows the current version and its review."""

import datetime

import pytest

from belong.library import actions
from belong.library.models import Policy, PolicyReview, PolicyVersion
from belong.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(db):
    policy = Policy.objects.create(
        slug="statement", title="Diversity Statement", review_interval_months=6
    )
    PolicyVersion.objects.create(
        policy=policy, number=1, body="We value...", effective_on=datetime.date(2026, 1, 15)
    )
    return policy


def url(policy, rest=""):
    return f"/resources/policies/{policy.slug}/{rest}"


def test_the_next_review_counts_from_the_version_then_from_the_last_review(policy):
    assert policy.next_review_due == datetime.date(2026, 7, 15)
    policy.last_reviewed_on = datetime.date(2026, 8, 31)
    assert policy.next_review_due == datetime.date(2027, 2, 28)  # the month's last day


def test_reminders_before_due_then_weekly_while_overdue(policy, frank, bob):
    assert actions.remind(today=datetime.date(2026, 6, 14)) == 0  # 31 days before
    assert actions.remind(today=datetime.date(2026, 6, 15)) == 1  # the DEI administrator
    assert actions.remind(today=datetime.date(2026, 7, 1)) == 1  # the same one: not again
    assert OutboundMessage.objects.filter(to_email=frank.email).count() == 1
    policy.steward = bob
    policy.save(update_fields=["steward"])
    actions.remind(today=datetime.date(2026, 7, 16))  # overdue: the steward, now
    actions.remind(today=datetime.date(2026, 7, 17))  # the same week: not again
    actions.remind(today=datetime.date(2026, 7, 23))  # a week later: again
    overdue = OutboundMessage.objects.filter(to_email=bob.email)
    assert overdue.count() == 2
    assert overdue.first().subject == "Review overdue: Diversity Statement"
    assert "/resources/policies/statement/review/" in overdue.first().body_text


def test_only_dei_administrators_and_the_steward_record_reviews(client, policy, alice, bob, frank):
    client.force_login(alice)
    assert client.get(url(policy, "review/")).status_code == 403
    assert "Record a review" not in client.get(url(policy)).content.decode()
    policy.steward = bob
    policy.save(update_fields=["steward"])
    client.force_login(bob)
    assert client.get(url(policy, "review/")).status_code == 200
    client.force_login(frank)
    assert "Record a review" in client.get(url(policy)).content.decode()
    assert client.put(url(policy, "review/")).status_code == 405


def test_a_review_keeps_the_text_or_makes_a_new_version(client, policy, frank):
    client.force_login(frank)
    response = client.post(url(policy, "review/"), {"outcome": "new_version", "body": ""})
    assert response.status_code == 400 and "Write the new version" in response.content.decode()
    response = client.post(
        url(policy, "review/"), {"outcome": "new_version", "body": "We value..."}
    )
    assert (
        response.status_code == 400 and "same as the current version" in response.content.decode()
    )
    assert not PolicyReview.objects.exists()
    assert client.post(url(policy, "review/"), {"outcome": "unchanged"}).status_code == 302
    policy.refresh_from_db()
    assert policy.last_reviewed_on is not None and policy.versions.count() == 1
    client.post(
        url(policy, "review/"),
        {
            "outcome": "new_version",
            "body": "We value every identity in our state.",
            "note": "Board",
        },
    )
    assert [v.number for v in policy.versions.all()] == [2, 1]
    page = client.get(url(policy)).content.decode()
    assert "We value every identity in our state." in page and "Version" in page
    assert [r.outcome for r in PolicyReview.objects.order_by("pk")] == ["unchanged", "new_version"]

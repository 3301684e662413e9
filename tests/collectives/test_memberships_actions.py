"""belong.collectives.actions.memberships: joining, changing, leaving, and the monthly counts
that outlive a membership without holding a name."""

import datetime
import logging

import pytest

from belong.collectives.actions import memberships
from belong.collectives.models import Membership, MembershipCount
from belong.people.models import AuditEvent

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2025, 3, 14)
APRIL = datetime.date(2025, 4, 2)


def counts(collective):
    return {
        row.month: (row.members, row.allies)
        for row in MembershipCount.objects.filter(collective=collective)
    }


def test_joining_defaults_to_a_member_seen_by_leaders_only(alice, collective):
    outcome = memberships.join(collective.pk, person=alice, today=MARCH)
    assert outcome.created
    membership = outcome.membership
    assert (membership.kind, membership.visibility) == ("member", "leaders")
    assert counts(collective) == {datetime.date(2025, 3, 1): (1, 0)}


def test_joining_as_an_ally_with_a_visibility(alice, collective):
    outcome = memberships.join(
        collective.pk, person=alice, kind="ally", visibility="organization", today=MARCH
    )
    assert (outcome.membership.kind, outcome.membership.visibility) == ("ally", "organization")
    assert counts(collective) == {datetime.date(2025, 3, 1): (0, 1)}


def test_joining_twice_is_harmless(alice, collective):
    memberships.join(collective.pk, person=alice, kind="ally", today=MARCH)
    again = memberships.join(collective.pk, person=alice, kind="ally", today=MARCH)
    assert not again.created and again.changed == ()
    assert Membership.objects.filter(person=alice).count() == 1
    assert counts(collective) == {datetime.date(2025, 3, 1): (0, 1)}


def test_changing_the_kind_recounts_the_month(alice, bob, collective):
    memberships.join(collective.pk, person=alice, today=MARCH)
    memberships.join(collective.pk, person=bob, today=MARCH)
    outcome = memberships.join(collective.pk, person=alice, kind="ally", today=MARCH)
    assert outcome.changed == ("kind",)
    assert counts(collective) == {datetime.date(2025, 3, 1): (1, 1)}


def test_changing_only_the_visibility_keeps_the_kind_and_the_counts(alice, collective):
    memberships.join(collective.pk, person=alice, kind="ally", today=MARCH)
    outcome = memberships.join(collective.pk, person=alice, visibility="members", today=MARCH)
    assert outcome.changed == ("visibility",)
    membership = Membership.objects.get(person=alice)
    assert (membership.kind, membership.visibility) == ("ally", "members")
    assert counts(collective) == {datetime.date(2025, 3, 1): (0, 1)}


def test_leaving_deletes_the_membership_and_keeps_an_anonymous_count(
    alice, bob, collective, other_collective
):
    memberships.join(collective.pk, person=alice, kind="ally", today=MARCH)
    memberships.join(collective.pk, person=bob, today=MARCH)
    memberships.join(other_collective.pk, person=alice, today=MARCH)
    assert memberships.leave(collective.pk, person=alice, today=APRIL) is True
    assert not Membership.objects.filter(person=alice, collective=collective).exists()
    assert Membership.objects.filter(person=alice, collective=other_collective).exists()
    # March keeps its figures; April counts who is left.
    assert counts(collective) == {
        datetime.date(2025, 3, 1): (1, 1),
        datetime.date(2025, 4, 1): (1, 0),
    }


def test_leaving_twice_is_harmless(alice, collective):
    memberships.join(collective.pk, person=alice, today=MARCH)
    assert memberships.leave(collective.pk, person=alice, today=MARCH) is True
    assert memberships.leave(collective.pk, person=alice, today=MARCH) is False
    assert counts(collective) == {datetime.date(2025, 3, 1): (0, 0)}


def test_the_monthly_count_holds_no_names(alice, collective):
    memberships.join(collective.pk, person=alice, today=MARCH)
    memberships.leave(collective.pk, person=alice, today=MARCH)
    fields = {field.name for field in MembershipCount._meta.get_fields()}
    assert fields == {"id", "collective", "month", "members", "allies"}
    row = MembershipCount.objects.values().get(collective=collective)
    assert set(row) == {"id", "collective_id", "month", "members", "allies"}
    assert (row["members"], row["allies"]) == (0, 0)
    assert not any(
        isinstance(value, str) and ("alice" in value.lower() or "Alice" in value)
        for value in row.values()
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "friend"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"visibility": "everyone"}, "visibility"),
        ({"visibility": "LEADERS"}, "visibility"),
    ],
)
def test_a_value_that_is_not_a_choice_is_refused_and_changes_nothing(
    alice, collective, fields, field
):
    memberships.join(collective.pk, person=alice, kind="ally", today=MARCH)
    before = counts(collective)
    with pytest.raises(memberships.Refused) as refused:
        memberships.join(collective.pk, person=alice, today=MARCH, **fields)
    assert refused.value.field == field and refused.value.status == 400
    membership = Membership.objects.get(person=alice)
    assert (membership.kind, membership.visibility) == ("ally", "leaders")
    assert counts(collective) == before


def test_a_visitor_cannot_join_or_leave(collective):
    from django.contrib.auth.models import AnonymousUser

    for call in (memberships.join, memberships.leave):
        with pytest.raises(memberships.Refused) as refused:
            call(collective.pk, person=AnonymousUser())
        assert refused.value.status == 401
    assert not Membership.objects.exists()


def test_an_inactive_collective_cannot_be_joined(alice, collective):
    collective.is_active = False
    collective.save(update_fields=["is_active"])
    with pytest.raises(type(collective).DoesNotExist):
        memberships.join(collective.pk, person=alice)
    assert not Membership.objects.exists()


def test_joining_and_leaving_write_nothing_to_the_audit_log_or_the_logs(alice, collective, caplog):
    caplog.set_level(logging.DEBUG)
    memberships.join(collective.pk, person=alice, kind="ally", visibility="members")
    memberships.join(collective.pk, person=alice, kind="member")
    memberships.leave(collective.pk, person=alice)
    assert not AuditEvent.objects.exists()
    logged = " ".join(
        record.getMessage() for record in caplog.records if record.name != "django.db.backends"
    )
    assert "alice" not in logged.lower() and collective.slug not in logged

"""Every change to policies: recording a review (current as it is, or a new version), and the
reminders to review them. A DEI administrator or the policy's steward records a review
(belong.library.access.can_review)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.lib.refusals import Refusal
from belong.library import access
from belong.library.models import Policy, PolicyReview, PolicyVersion
from belong.notifications import outbox
from belong.people import roles
from belong.people.actions import audit


class Refused(Refusal):
    """A change to a policy or a resource that the rules do not allow; `field` names what it is
    about."""

    def __init__(self, message, *, field="outcome"):
        super().__init__(message)
        self.message = str(message)
        self.field = field


def record_review(policy_id, *, actor, outcome, body="", effective_on=None, note="", today=None):
    """The policy was reviewed today: found current, or replaced by `body` as a new version
    (in effect from `effective_on`, today by default). The next review is counted from today."""
    today = today or timezone.localdate()
    body = (body or "").strip()
    if outcome not in PolicyReview.Outcome.values:
        raise Refused(_("Say whether the policy stays as it is or gets a new version."))
    if outcome == PolicyReview.Outcome.NEW_VERSION and not body:
        raise Refused(_("Write the new version's text."), field="body")
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=policy_id)
        if not access.can_review(actor, policy):
            raise PermissionDenied
        version = None
        if outcome == PolicyReview.Outcome.NEW_VERSION:
            latest = policy.versions.order_by("-number").first()
            if latest is not None and latest.body.strip() == body:
                raise Refused(
                    _("The text is the same as the current version: record it as current."),
                    field="body",
                )
            version = PolicyVersion.objects.create(
                policy=policy,
                number=(latest.number + 1) if latest else 1,
                body=body,
                effective_on=effective_on or today,
            )
        review = PolicyReview.objects.create(
            policy=policy, reviewed_on=today, outcome=outcome, version=version, note=note, by=actor
        )
        policy.last_reviewed_on = today
        policy.save(update_fields=["last_reviewed_on"])
        audit(actor=actor, verb="policy.reviewed", obj=policy, outcome=outcome)
    return review


def _reviewers(policy):
    if policy.steward is not None and policy.steward.is_active:
        return [policy.steward]
    from belong.people.models import Person

    return list(Person.objects.filter(is_active=True, groups__name=roles.DEI_ADMINISTRATOR))


def remind(today=None) -> int:
    """Tell each policy's reviewers once when its review comes within POLICY_REMINDER_DAYS, and
    once a week while it is overdue. Idempotent (the keys carry the due date and the week)."""
    today = today or timezone.localdate()
    soon = datetime.timedelta(days=settings.POLICY_REMINDER_DAYS)
    sent = 0
    for policy in Policy.objects.select_related("steward").prefetch_related("versions"):
        due = policy.next_review_due
        if due is None or today < due - soon:
            continue
        if today <= due:
            stage, when = "due", due.isoformat()
        else:
            year, week, _day = today.isocalendar()
            stage, when = "overdue", f"{due.isoformat()}:{year}-{week}"
        for person in _reviewers(policy):
            outbox.queue(
                key=f"policy:{stage}:{policy.pk}:{when}:{person.pk}",
                to_email=person.email,
                person=person,
                template=f"library/email/policy_{stage}",
                context={"person": person, "policy": policy, "due": due},
            )
            sent += 1
    return sent

"""The policies' part of a person's download (belong.people.personal_data)."""

from belong.library.models import Policy, PolicyReview

SECTION = "policies"
EXPORTED = "exported"

FIELDS = {
    "library.Policy.steward": EXPORTED,
    "library.PolicyReview.by": EXPORTED,
}


def export(person) -> dict:
    return {
        "policies_stewarded": [p.title for p in Policy.objects.filter(steward=person)],
        "reviews_recorded": [
            {"policy": r.policy.title, "on": r.reviewed_on, "outcome": r.outcome, "note": r.note}
            for r in PolicyReview.objects.filter(by=person).select_related("policy")
        ],
    }


def erase(person, *, now) -> None:
    """A policy and its reviews are the organisation's record: they stay, naming no one."""
    Policy.objects.filter(steward=person).update(steward=None)
    PolicyReview.objects.filter(by=person).update(by=None)

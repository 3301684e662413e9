"""The policies' part of a person's download (belong.people.personal_data)."""

from belong.library.models import Policy, PolicyReview, Resource
from belong.people.personal_data import EXPORTED

SECTION = "policies"

FIELDS = {
    "library.Policy.steward": EXPORTED,
    "library.PolicyReview.by": EXPORTED,
    "library.Resource.submitted_by": EXPORTED,
    "library.Resource.curated_by": EXPORTED + " (the titles of resources curated)",
}


def export(person) -> dict:
    return {
        "policies_stewarded": [p.title for p in Policy.objects.filter(steward=person)],
        "reviews_recorded": [
            {"policy": r.policy.title, "on": r.reviewed_on, "outcome": r.outcome, "note": r.note}
            for r in PolicyReview.objects.filter(by=person).select_related("policy")
        ],
        "resources_suggested": [
            {"title": r.title, "summary": r.summary, "link": r.link, "state": r.state}
            for r in Resource.objects.filter(submitted_by=person).order_by("pk")
        ],
        "resources_curated": [
            r.title for r in Resource.objects.filter(curated_by=person).order_by("pk")
        ],
    }


def erase(person, *, now) -> None:
    """Policies, their reviews and the clearinghouse are the organisation's: they stay, naming
    no one."""
    Policy.objects.filter(steward=person).update(steward=None)
    PolicyReview.objects.filter(by=person).update(by=None)
    Resource.objects.filter(submitted_by=person).update(submitted_by=None)
    Resource.objects.filter(curated_by=person).update(curated_by=None)

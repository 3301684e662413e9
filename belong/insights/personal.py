"""The initiatives' part of a person's download (belong.people.personal_data)."""

from belong.insights.models import Initiative, Observation, RecordKey, Release
from belong.people.personal_data import EXPORTED

SECTION = "initiatives"

FIELDS = {
    "insights.Initiative.lead": EXPORTED,
    "insights.Observation.entered_by": EXPORTED + " (the metric and day of each value entered)",
    "insights.Release.cut_by": EXPORTED + " (the number and date of each release cut by hand)",
    "insights.RecordKey.person": (
        "not exported: a random number that keys the perturbation of published figures; "
        "secret, so that no one can undo it; erased with the person"
    ),
}


def export(person) -> dict:
    return {
        "initiatives_led": [i.title for i in Initiative.objects.filter(lead=person).order_by("pk")],
        "values_entered": [
            {"metric": o.metric.name, "date": o.observed_on, "value": o.value}
            for o in Observation.objects.filter(entered_by=person).select_related("metric")
        ],
        "releases_cut": [
            {"number": r.number, "as_of": r.as_of}
            for r in Release.objects.filter(cut_by=person).order_by("number")
        ],
    }


def erase(person, *, now) -> None:
    """An initiative and its values are the organisation's: they stay, with no lead or author."""
    Initiative.objects.filter(lead=person).update(lead=None)
    Observation.objects.filter(entered_by=person).update(entered_by=None)
    # The record key goes: the person is in no figure of the next release (their units leave).
    RecordKey.objects.filter(person=person).delete()

"""Representation's rules: the race columns as the 2020 Census counts them, the gender columns,
who is in the workforce, the Minnesota 2020 Census benchmark, and which column an answer counts
in (a self-description never counts by category). The release topic that counts people by them,
only while their consent to aggregate reporting stands, is belong.insights.dashboards.representation.
"""

import csv
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy

from belong.people import identity
from belong.people.models import Person

WORKFORCE = [Person.Kind.STAFF, Person.Kind.FACULTY, Person.Kind.RESIDENT, Person.Kind.FELLOW]
TRAINEES = {Person.Kind.RESIDENT, Person.Kind.FELLOW}

# The race columns, as the 2020 Census counts race (Hispanic origin apart, in its own figure).
RACE_COLUMNS = [
    ("american_indian_or_alaska_native", gettext_lazy("American Indian or Alaska Native")),
    ("asian", gettext_lazy("Asian")),
    ("black_or_african_american", gettext_lazy("Black or African American")),
    ("native_hawaiian_or_pacific_islander", gettext_lazy("Native Hawaiian or Pacific Islander")),
    ("white", gettext_lazy("White")),
    ("some_other_race", gettext_lazy("Some other race")),
    ("two_or_more_races", gettext_lazy("Two or more races")),
]
PREFER_NOT = "prefer_not"
GENDER_COLUMNS = [
    ("woman", gettext_lazy("Woman")),
    ("man", gettext_lazy("Man")),
    ("another", gettext_lazy("Non-binary, Two-Spirit or another gender")),
]
CENSUS_FILE = "minnesota-2020-census-race.csv"


@cache
def census() -> dict:
    """{category: count} of the Minnesota 2020 Census (the reference file, shipped as it is)."""
    path = Path(__file__).resolve().parent / "data" / CENSUS_FILE
    rows = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return {row["category"]: int(row["count"]) for row in csv.DictReader(rows)}


def census_share(category) -> float:
    counts = census()
    return 100 * counts[category] / counts["total"]


def race_column(answer):
    """The race column a person's answer is counted in, PREFER_NOT, or None (not answered by
    category)."""
    if not answer:
        return None
    if answer.get("prefer_not"):
        return PREFER_NOT
    values = answer.get("values", [])
    races = {identity.CENSUS_CATEGORY[v] for v in values if v != "hispanic_latino"}
    if len(races) >= 2:
        return "two_or_more_races"
    if races:
        return races.pop()
    if "hispanic_latino" in values:  # Hispanic origin and no race: the Census's "some other race"
        return "some_other_race"
    return None


def gender_column(answer):
    if not answer:
        return None
    if answer.get("prefer_not"):
        return PREFER_NOT
    values = set(answer.get("values", [])) - {"transgender"}
    if values == {"woman"}:
        return "woman"
    if values == {"man"}:
        return "man"
    if values or answer.get("values"):
        return "another"
    return None


def workforce():
    return Person.objects.filter(is_active=True, kind__in=WORKFORCE)


def _urim_labels():
    names = dict(identity.RACE_ETHNICITY)
    return [str(names[key]) for key in settings.URIM_CATEGORIES if key in names]

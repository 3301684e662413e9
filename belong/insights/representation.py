"""Representation: who the GME programs, the faculty and the workforce are, by self-identified
race and ethnicity and by gender, beside the Minnesota 2020 Census, with the share who answered
and the share underrepresented in medicine.

Only the answers of people whose consent to aggregate reporting stands are read
(privacy.read_for, audited); a self-description is never counted by category. The groups are
disjoint rows (each GME program's residents and fellows, other residents and fellows, faculty,
staff), so the column totals are the whole workforce.
"""

import csv
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.insights.figures import Figure, publish
from belong.people import identity, privacy
from belong.people.models import Consent, OrgUnit, Person

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


def groups():
    """[(label, [person ids])]: each GME program's residents and fellows (programs with anyone),
    other residents and fellows, faculty, staff. Disjoint: a person is in one group."""
    people = workforce().values_list("pk", "kind", "org_unit_id")
    programs = {unit.pk: unit.name for unit in OrgUnit.objects.filter(kind=OrgUnit.Kind.PROGRAM)}
    by_program, other_trainees, faculty, staff = {}, [], [], []
    for pk, kind, unit in people:
        if kind in TRAINEES:
            if unit in programs:
                by_program.setdefault(unit, []).append(pk)
            else:
                other_trainees.append(pk)
        elif kind == Person.Kind.FACULTY:
            faculty.append(pk)
        else:
            staff.append(pk)
    rows = [
        (programs[unit], ids)
        for unit, ids in sorted(by_program.items(), key=lambda p: programs[p[0]])
    ]
    rows.append((_("Other residents and fellows"), other_trainees))
    rows.append((_("Faculty"), faculty))
    rows.append((_("Staff"), staff))
    return rows


def _tally(rows, answers, race_keys, gender_keys):
    """Every table of the dashboard in one pass over the people: (race, gender, answered,
    Hispanic origin, URiM), a row per group."""
    urim_answers = set(settings.URIM_CATEGORIES)
    race, gender, answered, hispanic, urim = [], [], [], [], []
    for _label, ids in rows:
        by_race = dict.fromkeys(race_keys, 0)
        by_gender = dict.fromkeys(gender_keys, 0)
        gave = latino = not_latino = under = not_under = 0
        for pk in ids:
            person = answers.get(pk)
            if person is None:
                continue
            ethnicity = person.get("race_ethnicity")
            column = race_column(ethnicity)
            if column:
                by_race[column] += 1
                gave += 1
            values = ethnicity.get("values") if ethnicity else None
            if values:
                if "hispanic_latino" in values:
                    latino += 1
                else:
                    not_latino += 1
                if urim_answers.intersection(values):
                    under += 1
                else:
                    not_under += 1
            column = gender_column(person.get("gender_identity"))
            if column:
                by_gender[column] += 1
        race.append([by_race[key] for key in race_keys])
        gender.append([by_gender[key] for key in gender_keys])
        answered.append([gave, len(ids) - gave])
        hispanic.append([latino, not_latino])
        urim.append([under, not_under])
    return race, gender, answered, hispanic, urim


def build(*, actor) -> list[Figure]:
    rows = groups()
    answers = privacy.read_for(
        Consent.Purpose.REPORTING,
        workforce().values("pk"),
        actor=actor,
        why="insights: representation",
    )
    labels = [label for label, _ids in rows]
    race_keys = [key for key, _l in RACE_COLUMNS] + [PREFER_NOT]
    gender_keys = [key for key, _l in GENDER_COLUMNS] + [PREFER_NOT]
    prefer = _("Prefer not to say")

    race, gender, answered, hispanic, urim = _tally(rows, answers, race_keys, gender_keys)

    def by_group(*, counts, **fields):
        return Figure(row_header=_("Group"), rows=labels, table=publish(counts), **fields)

    return [
        by_group(
            slug="race",
            title=_("Race, as the Census counts it"),
            columns=[str(label) for _k, label in RACE_COLUMNS] + [prefer],
            counts=race,
            benchmark=[census_share(key) for key, _l in RACE_COLUMNS] + [None],
            benchmark_label=_("Minnesota, 2020 Census"),
            notes=[
                _(
                    "People who chose two or more races are counted once, in “Two or more "
                    "races”; Hispanic or Latino origin is counted apart, as the Census does. "
                    "Middle Eastern or North African counts as White, as in the 2020 Census."
                )
            ],
        ),
        by_group(
            slug="hispanic",
            title=_("Hispanic or Latino origin"),
            columns=[_("Hispanic or Latino"), _("Not Hispanic or Latino")],
            counts=hispanic,
            benchmark=[
                census_share("hispanic_or_latino_any_race"),
                100 - census_share("hispanic_or_latino_any_race"),
            ],
            benchmark_label=_("Minnesota, 2020 Census"),
        ),
        by_group(
            slug="urim",
            title=_("Underrepresented in medicine"),
            columns=[_("Underrepresented in medicine"), _("Not underrepresented")],
            counts=urim,
            notes=[
                _("Counted as underrepresented in medicine: %(categories)s.")
                % {"categories": ", ".join(_urim_labels())}
            ],
        ),
        by_group(
            slug="gender",
            title=_("Gender"),
            columns=[str(label) for _k, label in GENDER_COLUMNS] + [prefer],
            counts=gender,
            notes=[
                _(
                    "Transgender women and men are counted as women and men; any other answer, "
                    "or more than one, in the third column."
                )
            ],
        ),
        by_group(
            slug="answered",
            title=_("Who answered"),
            columns=[_("Answered race and ethnicity, with consent"), _("Did not")],
            counts=answered,
        ),
    ]


def _urim_labels():
    names = dict(identity.RACE_ETHNICITY)
    return [str(names[key]) for key in settings.URIM_CATEGORIES if key in names]

"""The representation topic of a release: every active workforce person is a unit of their
group (their GME program, other residents and fellows, faculty, staff); their answers count only
while their consent to aggregate reporting stands (read through privacy.read_for, audited), and
the dashboard's figures are read from the stored release (`build`)."""

from collections import Counter

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.insights import units
from belong.insights.figures import Figure, released
from belong.insights.representation import (
    GENDER_COLUMNS,
    PREFER_NOT,
    RACE_COLUMNS,
    TRAINEES,
    _urim_labels,
    census_share,
    gender_column,
    race_column,
    workforce,
)
from belong.insights.units import Source
from belong.people import privacy
from belong.people.models import Consent, OrgUnit, Person

TOPIC = "representation"
TABLES = ["race", "hispanic", "urim", "gender", "answered"]
RACE_KEYS = [key for key, _l in RACE_COLUMNS] + [PREFER_NOT]
GENDER_KEYS = [key for key, _l in GENDER_COLUMNS] + [PREFER_NOT]
HISPANIC_KEYS = ["hispanic", "not_hispanic"]
URIM_KEYS = ["urim", "not_urim"]
ANSWERED_KEYS = ["answered", "did_not"]
GROUP_LABELS = {
    "other_trainees": gettext_lazy("Other residents and fellows"),
    "faculty": gettext_lazy("Faculty"),
    "staff": gettext_lazy("Staff"),
}


def group_of(kind, unit, programs) -> str:
    """The group (row) of a person: their GME program, other residents and fellows, faculty or
    staff. Disjoint: a person is in one group."""
    if kind in TRAINEES:
        return f"program:{unit}" if unit in programs else "other_trainees"
    return "faculty" if kind == Person.Kind.FACULTY else "staff"


def small_groups_folded(group_of_person: dict) -> tuple[dict, list]:
    """({person: group}, [groups left out]) with no group of fewer people than the threshold:
    a GME program that small is counted in "other residents and fellows"; a group still that
    small is left out of the tables (and their totals), and the dashboard says which.

    A row of a few people tells little and costs much: its cells are all small, so they are
    hidden, and so are the zeros of every line they touch, which spreads (the zero rule) and
    takes complementary cells elsewhere; on the demo one person outside the two programs hid
    half the readable cells (docs/insights.md). That a group has fewer than 11 people is no
    more than its hidden total would say."""
    threshold = settings.DISCLOSURE_THRESHOLD
    size = Counter(group_of_person.values())
    folded = {
        pk: "other_trainees" if group.startswith("program:") and size[group] < threshold else group
        for pk, group in group_of_person.items()
    }
    size = Counter(folded.values())
    left_out = sorted(group for group, n in size.items() if n < threshold)
    kept = {pk: group for pk, group in folded.items() if size[group] >= threshold}
    return kept, left_out


def cells_of(person) -> dict:
    """{table: column} a person counts in, from their answers (None: no consent or no answer:
    they count only as not having answered)."""
    cells = {}
    ethnicity = person.get("race_ethnicity") if person else None
    column = race_column(ethnicity)
    if column:
        cells["race"] = column
        cells["answered"] = "answered"
    else:
        cells["answered"] = "did_not"
    values = ethnicity.get("values") if ethnicity else None
    if values:
        cells["hispanic"] = "hispanic" if "hispanic_latino" in values else "not_hispanic"
        under = set(settings.URIM_CATEGORIES).intersection(values)
        cells["urim"] = "urim" if under else "not_urim"
    column = gender_column(person.get("gender_identity") if person else None)
    if column:
        cells["gender"] = column
    return cells


def possible_answers(dimension):
    """Every answer to a question that counts differently: none, "prefer not to say", and each
    set of its choices (a self-description alone counts as no answer by category)."""
    from itertools import combinations

    choices = [key for key, _label in dimension]
    yield None
    yield {"prefer_not": True}
    for size in range(1, len(choices) + 1):
        for chosen in combinations(choices, size):
            yield {"values": list(chosen)}


def types() -> list[dict]:
    """Every combination of cells a person can have across the topic's tables, worked out from
    every answer the questions accept (cells_of itself decides), so that the protection check
    knows what a reader knows: the race, Hispanic-origin, URiM and "answered" tables describe the
    same answers (their row totals differ by exactly the "prefer not to say" and unanswered
    counts), gender stands apart."""
    from belong.people import identity

    race_parts = {
        tuple(sorted(cells_of({"race_ethnicity": answer}).items()))
        for answer in possible_answers(identity.RACE_ETHNICITY)
    }
    gender_parts = {
        tuple(sorted(cells_of({"gender_identity": answer}).items()))
        for answer in possible_answers(identity.GENDER_IDENTITY)
    }
    keys = [f"{TOPIC}.{name}" for name in TABLES]
    made = []
    for race in sorted(race_parts):
        for gender in sorted(gender_parts):
            cells = {**dict(race), **{k: v for k, v in gender if k == "gender"}}
            made.append({key: cells.get(key.split(".", 1)[1]) for key in keys})
    return made


def source(*, actor=None) -> Source:
    """The representation topic as of now: every active workforce person is a unit of their
    group; their answers count only while their consent to aggregate reporting stands (read
    through privacy.read_for, audited)."""
    people = list(workforce().values_list("pk", "kind", "org_unit_id"))
    programs = dict(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROGRAM).values_list("pk", "name"))
    answers = privacy.read_for(
        Consent.Purpose.REPORTING,
        workforce().values("pk"),
        actor=actor,
        why="insights: representation release",
    )
    keys = units.person_keys(pk for pk, _k, _u in people)
    grouped, left_out = small_groups_folded(
        {pk: group_of(kind, unit, programs) for pk, kind, unit in people}
    )
    made, mint = [], units.mint()
    for pk, group in grouped.items():
        cells = {f"{TOPIC}.{t}": c for t, c in cells_of(answers.get(pk)).items()}
        made.append(units.Unit(mint.token("person", pk), keys[pk], group, cells))
    used = set(grouped.values())
    named = sorted(
        (g for g in used if g.startswith("program:")), key=lambda g: programs[int(g[8:])]
    )
    groups = [*named, *(g for g in ("other_trainees", "faculty", "staff") if g in used)]
    columns = {
        "race": RACE_KEYS,
        "hispanic": HISPANIC_KEYS,
        "urim": URIM_KEYS,
        "gender": GENDER_KEYS,
        "answered": ANSWERED_KEYS,
    }
    return Source(
        topic=TOPIC,
        tables=[units.Table(f"{TOPIC}.{name}", columns[name], True, True, True) for name in TABLES],
        groups=groups,
        units=made,
        meta={"labels": {g: programs[int(g[8:])] for g in named}, "left_out": left_out},
        tokens_of=lambda ids: {units.token("person", pk) for pk in ids},
        consent_based=True,
        types=types(),
    )


def row_label(group, meta):
    return meta.get("labels", {}).get(group) or GROUP_LABELS.get(group, group)


def sources(*, actor=None) -> list[Source]:
    return [source(actor=actor)]


def build(release) -> list[Figure]:
    """The dashboard's figures, from the release's stored topic."""
    view = release.topic(TOPIC) if release is not None else None
    if view is None:
        return []
    prefer = _("Prefer not to say")
    left_out = [str(row_label(group, view.meta)) for group in view.meta.get("left_out", [])]
    threshold = view.meta.get("threshold") or settings.DISCLOSURE_THRESHOLD

    def by_group(*, name, columns, **fields):
        if left_out:
            fields["notes"] = [
                *fields.get("notes", []),
                _(
                    "Not shown, as fewer than %(threshold)s people are in it (nor counted in the "
                    "totals): %(groups)s. A residency program that small is counted in “Other "
                    "residents and fellows”."
                )
                % {"threshold": threshold, "groups": ", ".join(left_out)},
            ]
        return released(
            view,
            table_key=f"{TOPIC}.{name}",
            slug=name,
            row_header=_("Group"),
            columns=columns,
            row_label=row_label,
            **fields,
        )

    return [
        by_group(
            name="race",
            title=_("Race, as the Census counts it"),
            columns=[*RACE_COLUMNS, (PREFER_NOT, prefer)],
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
            name="hispanic",
            title=_("Hispanic or Latino origin"),
            columns=list(
                zip(
                    HISPANIC_KEYS,
                    [_("Hispanic or Latino"), _("Not Hispanic or Latino")],
                    strict=True,
                )
            ),
            benchmark=[
                census_share("hispanic_or_latino_any_race"),
                100 - census_share("hispanic_or_latino_any_race"),
            ],
            benchmark_label=_("Minnesota, 2020 Census"),
        ),
        by_group(
            name="urim",
            title=_("Underrepresented in medicine"),
            columns=list(
                zip(
                    URIM_KEYS,
                    [_("Underrepresented in medicine"), _("Not underrepresented")],
                    strict=True,
                )
            ),
            notes=[
                _("Counted as underrepresented in medicine: %(categories)s.")
                % {"categories": ", ".join(_urim_labels())}
            ],
        ),
        by_group(
            name="gender",
            title=_("Gender"),
            columns=[*GENDER_COLUMNS, (PREFER_NOT, prefer)],
            notes=[
                _(
                    "Transgender women and men are counted as women and men; any other answer, "
                    "or more than one, in the third column."
                )
            ],
        ),
        by_group(
            name="answered",
            title=_("Who answered"),
            columns=list(
                zip(
                    ANSWERED_KEYS,
                    [_("Answered race and ethnicity, with consent"), _("Did not")],
                    strict=True,
                )
            ),
        ),
    ]

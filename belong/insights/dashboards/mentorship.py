"""Mentorship: who enrolled and who was matched, cycle by cycle; meetings logged by month; how
satisfied people say they are at the check-ins. Read from the latest release (`build`);
`sources` is what a release counts: enrolments (a unit of its cycle, in "mentees" or "mentors",
and a mentee's in "matched" or "not matched"), meetings (a unit of their month) and check-ins
(a unit of their cycle and stage, in the satisfaction they gave)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from belong.insights import units
from belong.insights.dashboards.training import month_row_label
from belong.insights.figures import Figure, released
from belong.insights.periods import months, start_of
from belong.insights.units import Source, month_key
from belong.mentorship.models import CheckIn, Cycle, Enrollment, Match, Meeting

CYCLES = "mentorship.cycles"
ENROLLED = "mentorship.enrolled"
MATCHED = "mentorship.matched"
MEETINGS = "mentorship.meetings"
SATISFACTION = "mentorship.satisfaction"
RATINGS = [str(n) for n in range(1, 6)]


def cycles_source() -> Source:
    cycles = list(Cycle.objects.order_by("enrolment_opens_on", "pk").values_list("pk", "title"))
    matched = set(Match.objects.values_list("mentee_id", flat=True))
    rows = list(Enrollment.objects.values_list("pk", "cycle_id", "person_id", "role"))
    keys = units.person_keys({person for _pk, _c, person, _r in rows})
    made = []
    for pk, cycle, person, role in rows:
        if role == Enrollment.Role.MENTEE:
            cells = {ENROLLED: "mentees", MATCHED: "matched" if pk in matched else "not_matched"}
        else:
            cells = {ENROLLED: "mentors"}
        made.append(
            units.Unit(units.token("enrollment", pk), keys[person], f"cycle:{cycle}", cells)
        )
    return Source(
        topic=CYCLES,
        tables=[
            units.Table(ENROLLED, ["mentees", "mentors"], True, True, True),
            units.Table(MATCHED, ["matched", "not_matched"], True, True, True),
        ],
        groups=[f"cycle:{pk}" for pk, _title in cycles],
        units=made,
        meta={"labels": {f"cycle:{pk}": title for pk, title in cycles}},
    )


def meetings_source(span) -> Source:
    made = []
    for pk, created in Meeting.objects.filter(created_at__gte=start_of(span[0])).values_list(
        "pk", "created_at"
    ):
        unit = units.token("meeting", pk)
        month = month_key(timezone.localtime(created).date().replace(day=1))
        made.append(units.Unit(unit, units.derived_key(unit), month, {MEETINGS: "meetings"}))
    return Source(
        topic=MEETINGS,
        tables=[units.Table(MEETINGS, ["meetings"], False, True, False)],
        groups=[month_key(m) for m in span],
        units=made,
    )


def satisfaction_source() -> Source:
    cycles = list(Cycle.objects.order_by("enrolment_opens_on", "pk").values_list("pk", "title"))
    groups, labels = [], {}
    for pk, title in cycles:
        for stage in CheckIn.Stage:
            key = f"cycle:{pk}:{stage.value}"
            groups.append(key)
            labels[key] = title
    made = []
    for pk, cycle, stage, satisfaction in CheckIn.objects.values_list(
        "pk", "match__cycle_id", "stage", "satisfaction"
    ):
        if satisfaction is None:
            continue
        unit = units.token("check-in", pk)
        made.append(
            units.Unit(
                unit,
                units.derived_key(unit),
                f"cycle:{cycle}:{stage}",
                {SATISFACTION: str(satisfaction)},
            )
        )
    return Source(
        topic=SATISFACTION,
        tables=[units.Table(SATISFACTION, RATINGS, True, True, True)],
        groups=groups,
        units=made,
        meta={"labels": labels},
    )


def sources(*, actor=None) -> list[Source]:
    span = months(timezone.localdate())
    return [cycles_source(), meetings_source(span), satisfaction_source()]


def _label(group, meta):
    return meta.get("labels", {}).get(group, group)


def _check_in_label(group, meta):
    stage = group.rsplit(":", 1)[1]
    names = dict(CheckIn.Stage.choices)
    return f"{meta.get('labels', {}).get(group, group)}: {names.get(stage, stage)}"


def build(release) -> list[Figure]:
    topics = [release.topic(t) if release else None for t in (CYCLES, MEETINGS, SATISFACTION)]
    if None in topics:
        return []
    cycles, meetings, satisfaction = topics
    return [
        released(
            cycles,
            table_key=ENROLLED,
            slug="enrolled",
            title=_("Enrolled, by cycle"),
            row_header=_("Cycle"),
            columns=[("mentees", _("Mentees")), ("mentors", _("Mentors"))],
            row_label=_label,
            shares=False,
        ),
        released(
            cycles,
            table_key=MATCHED,
            slug="matched",
            title=_("Mentees matched, by cycle"),
            row_header=_("Cycle"),
            columns=[("matched", _("Matched")), ("not_matched", _("Not matched"))],
            row_label=_label,
            notes=[
                _("Before a cycle's matches are published, every mentee counts as not matched.")
            ],
        ),
        released(
            meetings,
            table_key=MEETINGS,
            slug="meetings",
            title=_("Meetings logged, by month"),
            row_header=_("Month"),
            columns=[("meetings", _("Meetings"))],
            row_label=month_row_label,
            shares=False,
        ),
        released(
            satisfaction,
            table_key=SATISFACTION,
            slug="satisfaction",
            title=_("Satisfaction at the check-ins"),
            row_header=_("Check-in"),
            columns=[(n, n) for n in RATINGS],
            row_label=_check_in_label,
            notes=[
                _("How satisfied people said they were with their match, from 1 (not at all) to 5.")
            ],
        ),
    ]

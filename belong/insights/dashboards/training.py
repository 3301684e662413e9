"""The training topics of a release: workshop attendance by month (each recorded seat a unit
of its event's month), the foundational path by department (each active workforce person a unit
of their department) and its completions by month (each certificate a unit of its month), over
the twelve months before the release. How many sessions were held is not about people: it is
kept beside the figures and said in the rows' labels."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from belong.events.models import Event, Registration
from belong.insights import units
from belong.insights.figures import Figure, released
from belong.insights.periods import WORKFORCE, as_day, month_label, months, start_of
from belong.insights.units import Source, month_key
from belong.people.models import OrgUnit, Person
from belong.training.models import Certificate


def attendance_source(topic, span, kind) -> Source:
    """Attended and no-shows of events of `kind` that took place in the months of `span`: each
    recorded seat (a registration marked attended or no-show) is a unit of its event's local
    month. How many events were held is not about people: it is kept beside the figures."""
    start = start_of(span[0])
    events = dict(
        Event.objects.filter(kind=kind, start__gte=start, start__lt=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .values_list("pk", "start")
    )
    month_of = {
        pk: month_key(timezone.localtime(starts).date().replace(day=1))
        for pk, starts in events.items()
    }
    held = {}
    for month in month_of.values():
        held[month] = held.get(month, 0) + 1
    seats = Registration.objects.filter(
        event_id__in=list(events),
        state__in=[Registration.State.ATTENDED, Registration.State.NO_SHOW],
    ).values_list("pk", "event_id", "state")
    # A million seats at 50,000 people: one pass, the same few cells dicts shared by every unit
    # of a column (the engine only reads them), a token and a derived key each.
    cells = {
        Registration.State.ATTENDED.value: {topic: "attended"},
        Registration.State.NO_SHOW.value: {topic: "no_show"},
    }
    mint, Unit = units.mint(), units.Unit
    made = []
    for pk, event_id, state in seats:
        unit = mint.token("registration", pk)
        made.append(Unit(unit, mint.derived_key(unit), month_of[event_id], cells[state]))
    return Source(
        topic=topic,
        tables=[units.Table(topic, ["attended", "no_show"], True, True, True)],
        groups=[month_key(m) for m in span],
        units=made,
        meta={"held": held},
    )


def department_of(units_by_pk):
    """{unit id: its department's (pk, name)} (a department is its own; above one, none)."""
    found = {}
    for unit in units_by_pk.values():
        node = unit
        while node is not None and node.kind != OrgUnit.Kind.DEPARTMENT:
            node = units_by_pk.get(node.parent_id)
        found[unit.pk] = (node.pk, node.name) if node is not None else None
    return found


FOUNDATIONAL = "training.foundational"
COMPLETIONS = "training.completions"
ATTENDANCE = "training.attendance"


def foundational_source() -> Source:
    """The foundational path by department: every active workforce person is a unit of their
    department (or of "no department"), counted as completed or not yet."""
    department = department_of({unit.pk: unit for unit in OrgUnit.objects.all()})
    done = set(
        Certificate.objects.filter(kind=Certificate.Kind.FOUNDATIONAL).values_list(
            "person_id", flat=True
        )
    )
    people = list(
        Person.objects.filter(is_active=True, kind__in=WORKFORCE).values_list("pk", "org_unit_id")
    )
    keys = units.person_keys(pk for pk, _unit in people)
    made, names, mint = [], {}, units.mint()
    for pk, unit in people:
        found = department.get(unit)
        group = f"department:{found[0]}" if found else "none"
        if found:
            names[group] = found[1]
        column = "completed" if pk in done else "not_yet"
        made.append(units.Unit(mint.token("person", pk), keys[pk], group, {FOUNDATIONAL: column}))
    groups = sorted(names, key=lambda g: names[g])
    if any(unit.group == "none" for unit in made):
        groups.append("none")
    return Source(
        topic=FOUNDATIONAL,
        tables=[units.Table(FOUNDATIONAL, ["completed", "not_yet"], True, True, True)],
        groups=groups,
        units=made,
        meta={"labels": names},
        tokens_of=lambda ids: {units.token("person", pk) for pk in ids},
    )


def completions_source(span) -> Source:
    """Foundational certificates completed in the months of `span`, each a unit of its month."""
    made, mint = [], units.mint()
    for pk, completed_on in Certificate.objects.filter(
        kind=Certificate.Kind.FOUNDATIONAL, completed_on__gte=span[0]
    ).values_list("pk", "completed_on"):
        unit = mint.token("certificate", pk)
        month = month_key(as_day(completed_on).replace(day=1))
        made.append(units.Unit(unit, mint.derived_key(unit), month, {COMPLETIONS: "completed"}))
    return Source(
        topic=COMPLETIONS,
        tables=[units.Table(COMPLETIONS, ["completed"], False, True, False)],
        groups=[month_key(m) for m in span],
        units=made,
    )


def sources(*, actor=None) -> list[Source]:
    span = months(timezone.localdate())
    return [
        attendance_source(ATTENDANCE, span, Event.Kind.SESSION),
        foundational_source(),
        completions_source(span),
    ]


def month_row_label(group, meta):
    return month_label(datetime.date.fromisoformat(f"{group}-01"))


def attendance_figure(view, *, slug, title, held_words):
    """Attended and no-shows by month; each month's label says how many events took place
    (`held_words`: an ngettext_lazy with %(month)s and the number "n")."""

    def label(group, meta):
        return held_words % {
            "month": month_row_label(group, meta),
            "n": meta.get("held", {}).get(group, 0),
        }

    return released(
        view,
        table_key=view.topic,
        slug=slug,
        title=title,
        row_header=_("Month (held)"),
        columns=[("attended", _("Attended")), ("no_show", _("No-show"))],
        row_label=label,
        notes=[
            _(
                "Seats whose attendance was recorded, in events that took place in the twelve "
                "months before the release; the share is of those seats."
            )
        ],
    )


def build(release) -> list[Figure]:
    topics = [
        release.topic(t) if release else None for t in (ATTENDANCE, FOUNDATIONAL, COMPLETIONS)
    ]
    if None in topics:
        return []
    attendance, foundational, completions = topics
    return [
        attendance_figure(
            attendance,
            slug="attendance",
            title=_("Workshop attendance by month"),
            held_words=ngettext_lazy(
                "%(month)s (%(n)s session)", "%(month)s (%(n)s sessions)", "n"
            ),
        ),
        released(
            foundational,
            table_key=FOUNDATIONAL,
            slug="foundational",
            title=_("The foundational path, by department"),
            row_header=_("Department"),
            columns=[("completed", _("Completed")), ("not_yet", _("Not yet"))],
            row_label=lambda group, meta: meta.get("labels", {}).get(group) or _("No department"),
            notes=[_("Staff, faculty, residents and fellows with an account, by department.")],
        ),
        released(
            completions,
            table_key=COMPLETIONS,
            slug="completions",
            title=_("Foundational path completed, by month"),
            row_header=_("Month"),
            columns=[("completed", _("People who completed it"))],
            row_label=month_row_label,
            shares=False,
        ),
    ]

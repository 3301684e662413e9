"""Training reach: workshop sessions held and their attendance by month, and the foundational
path's completion by department, over the last twelve months. Counts of people go through the
disclosure engine; how many sessions were held is not about people and is said in the rows'
labels."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from belong.events.models import Event, Registration
from belong.insights.figures import Figure, publish
from belong.people.models import OrgUnit, Person
from belong.training.models import Certificate

MONTHS = 12
WORKFORCE = [Person.Kind.STAFF, Person.Kind.FACULTY, Person.Kind.RESIDENT, Person.Kind.FELLOW]


def months(today):
    """The first day of each of the last MONTHS months, oldest first (this month last)."""
    first = today.replace(day=1)
    out = []
    for _n in range(MONTHS):
        out.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return out[::-1]


def month_label(month):
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def by_month(queryset, field, start):
    """The queryset from `start` on, grouped by the local month of `field`."""
    return (
        queryset.filter(**{f"{field}__gte": start})
        .annotate(month=TruncMonth(field, tzinfo=timezone.get_current_timezone()))
        .values("month")
    )


def as_day(month):
    return month.date() if isinstance(month, datetime.datetime) else month


def attendance(start, kind=Event.Kind.SESSION):
    """({month: events held}, {month: (attended, no-shows)}) for events of `kind` that took
    place from `start` on. Registrations are counted per event in the database (one pass over
    the registrations' index), and the few events are then gathered into their local months."""
    events = dict(
        Event.objects.filter(kind=kind, start__gte=start, start__lt=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .values_list("pk", "start")
    )
    held, marked = {}, {}
    month_of = {}
    for pk, starts in events.items():
        month = timezone.localtime(starts).date().replace(day=1)
        month_of[pk] = month
        held[month] = held.get(month, 0) + 1
    per_event = (
        Registration.objects.filter(
            event_id__in=list(events),
            state__in=[Registration.State.ATTENDED, Registration.State.NO_SHOW],
        )
        .values("event_id")
        .annotate(
            attended=Count("pk", filter=Q(state=Registration.State.ATTENDED)),
            no_show=Count("pk", filter=Q(state=Registration.State.NO_SHOW)),
        )
        .order_by()
    )
    for row in per_event:
        month = month_of[row["event_id"]]
        attended, no_show = marked.get(month, (0, 0))
        marked[month] = (attended + row["attended"], no_show + row["no_show"])
    return held, marked


def department_of(units):
    """{unit id: its department's name} (a department is its own; above one, none)."""
    names = {}
    for unit in units.values():
        node = unit
        while node is not None and node.kind != OrgUnit.Kind.DEPARTMENT:
            node = units.get(node.parent_id)
        names[unit.pk] = node.name if node is not None else None
    return names


def completion():
    """[(department, completed, not yet)] over active workforce people, departments by name,
    then people with no department. Counted in the database by unit, then units gathered into
    their departments."""
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}
    department = department_of(units)
    done = Certificate.objects.filter(kind=Certificate.Kind.FOUNDATIONAL, person=OuterRef("pk"))
    by_unit = (
        Person.objects.filter(is_active=True, kind__in=WORKFORCE)
        .values("org_unit_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(Exists(done))))
    )
    counts = {}
    for row in by_unit:
        line = counts.setdefault(department.get(row["org_unit_id"]), [0, 0])
        line[0] += row["done"]
        line[1] += row["total"] - row["done"]
    named = sorted((name, line) for name, line in counts.items() if name is not None)
    rows = [(name, *line) for name, line in named]
    if None in counts:
        rows.append((_("No department"), *counts[None]))
    return rows


def start_of(month):
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time()))


def attendance_figure(span, kind, *, slug, title, held_words):
    """Attended and no-shows by month for events of `kind`; each month's label says how many
    took place (`held_words`: an ngettext_lazy with %(month)s and the number "n")."""
    held, marked = attendance(start_of(span[0]), kind)
    labels = [held_words % {"month": month_label(m), "n": held.get(m, 0)} for m in span]
    return Figure(
        slug=slug,
        title=title,
        row_header=_("Month (held)"),
        rows=labels,
        columns=[_("Attended"), _("No-show")],
        table=publish([list(marked.get(m, (0, 0))) for m in span]),
        notes=[
            _(
                "Seats whose attendance was recorded, in events that took place in the last "
                "twelve months; the share is of those seats."
            )
        ],
    )


def build(*, actor) -> list[Figure]:
    today = timezone.localdate()
    span = months(today)
    departments = completion()
    completions = (
        Certificate.objects.filter(kind=Certificate.Kind.FOUNDATIONAL, completed_on__gte=span[0])
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    completed = {as_day(row["month"]): row["n"] for row in completions}
    return [
        attendance_figure(
            span,
            Event.Kind.SESSION,
            slug="attendance",
            title=_("Workshop attendance by month"),
            held_words=ngettext_lazy(
                "%(month)s (%(n)s session)", "%(month)s (%(n)s sessions)", "n"
            ),
        ),
        Figure(
            slug="foundational",
            title=_("The foundational path, by department"),
            row_header=_("Department"),
            rows=[row[0] for row in departments],
            columns=[_("Completed"), _("Not yet")],
            table=publish([list(row[1:]) for row in departments]),
            notes=[_("Staff, faculty, residents and fellows with an account, by department.")],
        ),
        Figure(
            slug="completions",
            title=_("Foundational path completed, by month"),
            row_header=_("Month"),
            rows=[month_label(m) for m in span],
            columns=[_("People who completed it")],
            table=publish([[completed.get(m, 0)] for m in span], row_totals=False),
            shares=False,
        ),
    ]

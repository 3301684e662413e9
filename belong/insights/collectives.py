"""Collectives: members and allies month by month, collective events and their attendance,
recommendations and their answers.

The monthly counts are the ones a collective's page shows (belong.collectives.counts): each
published on its own, with no total, because a total beside them would let a hidden count be
recomputed, and a figure hidden here as a complement would be shown on the page anyway."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from belong.collectives.models import Collective, MembershipCount, Recommendation
from belong.events.models import Event
from belong.insights.figures import Figure, publish
from belong.insights.training_reach import attendance_figure, month_label, months

MONTHS_SHOWN = 6


def _monthly(collectives, span, field):
    """[[count in each month of span] per collective]. A month with no change has no row: its
    count is the latest one before it."""
    history = {}
    for row in MembershipCount.objects.filter(month__lte=span[-1]).order_by("month"):
        history.setdefault(row.collective_id, []).append((row.month, getattr(row, field)))
    table = []
    for collective in collectives:
        rows, line, last, k = history.get(collective.pk, []), [], 0, 0
        for month in span:
            while k < len(rows) and rows[k][0] <= month:
                last, k = rows[k][1], k + 1
            line.append(last)
        table.append(line)
    return table


def build(*, actor) -> list[Figure]:
    today = timezone.localdate()
    span = months(today)
    recent = span[-MONTHS_SHOWN:]
    collectives = list(Collective.objects.filter(is_active=True).order_by("name"))
    names = [c.name for c in collectives]
    states = [s for s in Recommendation.State if s != Recommendation.State.DRAFT]
    by_state = {
        (row["collective_id"], row["state"]): row["n"]
        for row in Recommendation.objects.exclude(state=Recommendation.State.DRAFT)
        .values("collective_id", "state")
        .annotate(n=Count("pk"))
    }
    no_margins = {"row_totals": False, "column_totals": False, "grand_total": False}
    return [
        Figure(
            slug="members",
            title=_("Members, month by month"),
            row_header=_("Collective"),
            rows=names,
            columns=[month_label(m) for m in recent],
            table=publish(_monthly(collectives, recent, "members"), **no_margins),
            shares=False,
        ),
        Figure(
            slug="allies",
            title=_("Allies, month by month"),
            row_header=_("Collective"),
            rows=names,
            columns=[month_label(m) for m in recent],
            table=publish(_monthly(collectives, recent, "allies"), **no_margins),
            shares=False,
            notes=[
                _(
                    "Each count stands alone, with no total: as on the collectives' pages, a "
                    "total would let a hidden count be worked out."
                )
            ],
        ),
        attendance_figure(
            span,
            Event.Kind.COLLECTIVE,
            slug="events",
            title=_("Collective events and their attendance, by month"),
            held_words=ngettext_lazy("%(month)s (%(n)s event)", "%(month)s (%(n)s events)", "n"),
        ),
        Figure(
            slug="recommendations",
            title=_("Recommendations and their answers"),
            row_header=_("Collective"),
            rows=names,
            columns=[str(state.label) for state in states],
            table=publish(
                [[by_state.get((c.pk, s.value), 0) for s in states] for c in collectives],
                about_people=False,
            ),
            shares=False,
            notes=[_("Recommendations sent to the DEI office, by where they stand now.")],
        ),
    ]

"""Mentorship: who enrolled and who was matched, cycle by cycle; meetings logged by month;
how satisfied people say they are at the check-ins."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.insights.figures import Figure, publish
from belong.insights.training_reach import as_day, by_month, month_label, months, start_of
from belong.mentorship.models import CheckIn, Cycle, Enrollment, Match, Meeting


def build(*, actor) -> list[Figure]:
    cycles = list(Cycle.objects.order_by("enrolment_opens_on", "pk"))
    titles = [c.title for c in cycles]
    enrolled = {
        row["cycle_id"]: row
        for row in Enrollment.objects.values("cycle_id").annotate(
            mentees=Count("pk", filter=Q(role=Enrollment.Role.MENTEE)),
            mentors=Count("pk", filter=Q(role=Enrollment.Role.MENTOR)),
        )
    }
    matched = dict(
        Match.objects.values("cycle_id")
        .annotate(n=Count("mentee", distinct=True))
        .values_list("cycle_id", "n")
    )
    span = months(timezone.localdate())
    meetings = {
        as_day(row["month"]): row["n"]
        for row in by_month(Meeting.objects.all(), "created_at", start_of(span[0])).annotate(
            n=Count("pk")
        )
    }
    stages = list(CheckIn.Stage)
    satisfaction = {
        (row["match__cycle_id"], row["stage"], row["satisfaction"]): row["n"]
        for row in CheckIn.objects.values("match__cycle_id", "stage", "satisfaction").annotate(
            n=Count("pk")
        )
    }
    check_in_rows = [(c, s) for c in cycles for s in stages]
    return [
        Figure(
            slug="enrolled",
            title=_("Enrolled, by cycle"),
            row_header=_("Cycle"),
            rows=titles,
            columns=[_("Mentees"), _("Mentors")],
            table=publish(
                [
                    [
                        enrolled.get(c.pk, {}).get("mentees", 0),
                        enrolled.get(c.pk, {}).get("mentors", 0),
                    ]
                    for c in cycles
                ]
            ),
            shares=False,
        ),
        Figure(
            slug="matched",
            title=_("Mentees matched, by cycle"),
            row_header=_("Cycle"),
            rows=titles,
            columns=[_("Matched"), _("Not matched")],
            table=publish(
                [
                    [
                        matched.get(c.pk, 0),
                        enrolled.get(c.pk, {}).get("mentees", 0) - matched.get(c.pk, 0),
                    ]
                    for c in cycles
                ]
            ),
            notes=[
                _("Before a cycle's matches are published, every mentee counts as not matched.")
            ],
        ),
        Figure(
            slug="meetings",
            title=_("Meetings logged, by month"),
            row_header=_("Month"),
            rows=[month_label(m) for m in span],
            columns=[_("Meetings")],
            table=publish([[meetings.get(m, 0)] for m in span], row_totals=False),
            shares=False,
        ),
        Figure(
            slug="satisfaction",
            title=_("Satisfaction at the check-ins"),
            row_header=_("Check-in"),
            rows=[f"{c.title}: {s.label}" for c, s in check_in_rows],
            columns=[str(n) for n in range(1, 6)],
            table=publish(
                [
                    [satisfaction.get((c.pk, s.value, n), 0) for n in range(1, 6)]
                    for c, s in check_in_rows
                ]
            ),
            notes=[
                _("How satisfied people said they were with their match, from 1 (not at all) to 5.")
            ],
        ),
    ]

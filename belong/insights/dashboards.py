"""The dashboards at /insights/: fixed breakdowns only (no free-form filter, so figures cannot
be differenced down to a person). Their figures are read from the latest release
(belong.insights.topics: each dashboard's `build(release)`)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    description: str


DASHBOARDS = {
    d.slug: d
    for d in [
        Dashboard(
            "representation",
            _("Representation"),
            _(
                "GME programs, faculty and staff by self-identified race and ethnicity and by "
                "gender, beside the Minnesota 2020 Census; who answered; who is "
                "underrepresented in medicine."
            ),
        ),
        Dashboard(
            "training",
            _("Training reach"),
            _(
                "Workshop sessions held and their attendance by month, and the foundational "
                "path's completion by department and by month."
            ),
        ),
        Dashboard(
            "collectives",
            _("Collectives"),
            _(
                "Members and allies month by month, collective events and their attendance, "
                "recommendations and their answers."
            ),
        ),
        Dashboard(
            "mentorship",
            _("Mentorship"),
            _("Enrolled and matched by cycle, meetings logged by month, satisfaction."),
        ),
    ]
}

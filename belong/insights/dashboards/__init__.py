"""The dashboards at /insights/: fixed breakdowns only (no free-form filter, so figures cannot
be differenced down to a person), one module per dashboard (representation, training,
collectives, mentorship). Each gives `sources(actor=...)` (what a release counts for it: its
topics as of now, for belong.insights.cutting) and `build(release)` (its figures from a stored
release, belong.insights.serving); their figures are read from the latest release."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from belong.insights.dashboards import collectives, mentorship, representation, training


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


BOARDS = {
    "representation": representation,
    "training": training,
    "collectives": collectives,
    "mentorship": mentorship,
}


def all_sources(*, actor=None) -> list:
    """Every topic a release publishes, in a fixed order."""
    return [source for module in BOARDS.values() for source in module.sources(actor=actor)]


def figures(slug, release) -> list:
    """The figures of dashboard `slug` from `release` ([] before the first release)."""
    return BOARDS[slug].build(release) if release is not None else []

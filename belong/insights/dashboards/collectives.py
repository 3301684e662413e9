"""Collectives: members and allies release by release, collective events and their attendance,
recommendations and their answers.

Members and allies are the counts a collective's page shows: the topic `collectives.members`
(every membership of an active collective is a unit of its collective, in "members" or
"allies"), published with no total (a total beside them would let a hidden count be worked
out). Month by month means release by release: each column is one release's published counts,
never recomputed. Recommendations are not about people: published whole, live."""

from django.conf import settings
from django.db.models import Count
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from belong.collectives.models import Collective, Membership, Recommendation
from belong.events.models import Event
from belong.insights import serving, units
from belong.insights.dashboards.training import attendance_figure, attendance_source
from belong.insights.figures import Cell, Figure, Table, whole
from belong.insights.periods import months
from belong.insights.units import Source

RELEASES_SHOWN = 6
MEMBERS = "collectives.members"
ATTENDANCE = "collectives.attendance"


def group(collective_pk) -> str:
    return f"collective:{collective_pk}"


def members_source() -> Source:
    collectives = dict(
        Collective.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
    )
    rows = list(
        Membership.objects.filter(collective_id__in=list(collectives)).values_list(
            "person_id", "collective_id", "kind"
        )
    )
    keys = units.person_keys({person for person, _c, _k in rows})
    made, mint = [], units.mint()
    for person, collective, kind in rows:
        column = "allies" if kind == Membership.Kind.ALLY else "members"
        made.append(
            units.Unit(
                mint.token("membership", person, collective),
                keys[person],
                group(collective),
                {MEMBERS: column},
            )
        )

    def tokens_of(ids):
        return {units.token("membership", pk, c) for pk in ids for c in collectives}

    return Source(
        topic=MEMBERS,
        tables=[units.Table(MEMBERS, ["members", "allies"])],
        groups=[group(pk) for pk in collectives],
        units=made,
        meta={"labels": {group(pk): name for pk, name in collectives.items()}},
        tokens_of=tokens_of,
    )


def sources(*, actor=None) -> list[Source]:
    span = months(timezone.localdate())
    return [members_source(), attendance_source(ATTENDANCE, span, Event.Kind.COLLECTIVE)]


def _cell(view, group_key, column):
    """A collective's published count in `view` (None: not in that release)."""
    threshold = int(view.meta.get("threshold") or settings.DISCLOSURE_THRESHOLD)
    row = view.row(MEMBERS, group_key)
    if view.withheld_reason or not row or row.get("status") == "withheld":
        return Cell(None, threshold, withheld=True)
    figure = (row.get("cells") or {}).get(column) or {"value": 0}
    if figure.get("hidden") or figure.get("value") is None:
        return Cell(None, threshold)
    return Cell(int(figure["value"]), threshold)


def counts(release=None):
    """(as_of, max_noise, {collective pk: (members Cell, allies Cell)}) of the latest release
    (or `release`), or None before the first: what the collectives' pages and the API show."""
    release = release or serving.latest()
    view = release.topic(MEMBERS) if release is not None else None
    if view is None:
        return None
    found = {}
    for key in view.groups:
        pk = int(key.split(":", 1)[1])
        found[pk] = (_cell(view, key, "members"), _cell(view, key, "allies"))
    return view.as_of, view.max_noise, found


def _by_release(views, column, title, slug, notes):
    """Each collective's `column`, one column per release of `views` (TopicViews of MEMBERS,
    oldest first)."""
    latest = views[-1]
    labels = latest.meta.get("labels", {})
    rows = latest.groups
    cells = [[_cell(view, key, column) for view in views] for key in rows]
    return Figure(
        slug=slug,
        title=title,
        row_header=_("Collective"),
        rows=[labels.get(key, key) for key in rows],
        columns=[formats.date_format(view.as_of, "DATE_FORMAT") for view in views],
        table=Table(
            cells=cells,
            row_totals=None,
            column_totals=None,
            grand_total=None,
            hidden_count=sum(cell.hidden for row in cells for cell in row),
        ),
        shares=False,
        notes=notes,
        as_of=latest.as_of,
        max_noise=latest.max_noise,
    )


def _released(release) -> list[Figure]:
    """The figures read from releases: members and allies over the recent releases up to
    `release`, and the collective events of `release`."""
    views = [v.topic(MEMBERS) for v in serving.recent(RELEASES_SHOWN, up_to=release)]
    views = [v for v in views if v is not None]
    return [
        _by_release(
            views,
            "members",
            _("Members, release by release"),
            "members",
            [_("Each column is one release, as of its date.")],
        ),
        _by_release(
            views,
            "allies",
            _("Allies, release by release"),
            "allies",
            [
                _(
                    "Each count stands alone, with no total: as on the collectives' pages, a "
                    "total would let a hidden count be worked out."
                )
            ],
        ),
        attendance_figure(
            release.topic(ATTENDANCE),
            slug="events",
            title=_("Collective events and their attendance, by month"),
            held_words=ngettext_lazy("%(month)s (%(n)s event)", "%(month)s (%(n)s events)", "n"),
        ),
    ]


def build(release) -> list[Figure]:
    if release is None or release.topic(MEMBERS) is None or release.topic(ATTENDANCE) is None:
        return []
    # Built once per release and language in a process (releases never change): a view reads
    # only the recommendations live.
    key = ("collectives", release.number, release.cut_at, translation.get_language())
    released = serving.built(key, lambda: _released(release))
    collectives = list(
        Collective.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
    )
    states = [s for s in Recommendation.State if s != Recommendation.State.DRAFT]
    by_state = {
        (row["collective_id"], row["state"]): row["n"]
        for row in Recommendation.objects.exclude(state=Recommendation.State.DRAFT)
        .values("collective_id", "state")
        .annotate(n=Count("pk"))
    }
    return [
        *released,
        Figure(
            slug="recommendations",
            title=_("Recommendations and their answers"),
            row_header=_("Collective"),
            rows=[name for _pk, name in collectives],
            columns=[str(state.label) for state in states],
            table=whole(
                [[by_state.get((pk, s.value), 0) for s in states] for pk, _n in collectives]
            ),
            shares=False,
            notes=[_("Recommendations sent to the DEI office, by where they stand now.")],
        ),
    ]

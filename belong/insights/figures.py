"""A figure of a dashboard: a fixed table of counts, with what a page, a chart and a download
show of it.

A figure about people is read from a stored release (`released`: belong.insights.serving); it
is never counted live. Its figures are perturbed (about, +-D), hidden ("<11") or, for a row
whose figures were withheld this time, not published ("—"); cells and totals are perturbed
apart and need not add up. A figure that is not about people (recommendations) is shown whole
(`whole`).

Nothing here reads a count that was not published: the grid (what the page's table, the CSV and
the XLSX hold), the shares and the words of the summary all come from the published table.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from belong.lib import disclosure

WITHHELD = "—"


@dataclass(frozen=True)
class Cell:
    """A released figure: `value` is None when hidden or withheld; `shown` is what a page
    prints."""

    value: int | None
    threshold: int
    withheld: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        if self.withheld:
            return WITHHELD
        return f"<{self.threshold}" if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.shown


@dataclass(frozen=True)
class Table:
    """A released table, shaped as the disclosure engine's PublishedTable (cells, margins,
    hidden_count, figure_count) so that pages, charts, downloads and the API read both alike."""

    cells: list
    row_totals: list | None
    column_totals: list | None
    grand_total: Cell | None
    hidden_count: int
    primary_count: int = 0

    @property
    def figure_count(self) -> int:
        count = sum(len(row) for row in self.cells)
        count += len(self.row_totals or ()) + len(self.column_totals or ())
        return count + (self.grand_total is not None)


@dataclass
class Figure:
    slug: str
    title: str
    row_header: str
    rows: list[str]
    columns: list[str]
    table: disclosure.PublishedTable
    # Print each cell's share of its row's total beside it (a distribution per row).
    shares: bool = True
    # A reference distribution (percent per column, public data), shown as a last row.
    benchmark: list[float | None] | None = None
    benchmark_label: str = ""
    notes: list[str] = field(default_factory=list)
    # A released figure: the date it is as of, the largest deviation of its figures, and the
    # rows not published this time.
    as_of: datetime.date | None = None
    max_noise: int = 0
    withheld_rows: list[str] = field(default_factory=list)
    # Rows whose figures were carried from an earlier release: [(label, its date)].
    carried_rows: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def threshold(self):
        return self.table.cells[0][0].threshold if self.table.cells else 0

    def share(self, i, j) -> str | None:
        if not self.shares or self.table.row_totals is None:
            return None
        return disclosure.publish_share(self.table.cells[i][j], self.table.row_totals[i])

    def header(self) -> list[str]:
        head = [self.row_header]
        for column in self.columns:
            head.append(column)
            if self.shares:
                head.append(_("%(column)s, share") % {"column": column})
        if self.table.row_totals is not None:
            head.append(_("Total"))
        return head

    def grid(self) -> list[list[str]]:
        """Every row as shown: label, each cell (and its share), the row's total; then the
        column totals and the benchmark when there are."""
        lines = []
        if self.empty:
            return lines
        for i, label in enumerate(self.rows):
            line = [label]
            for j, cell in enumerate(self.table.cells[i]):
                line.append(cell.shown)
                if self.shares:
                    line.append(self.share(i, j) or ("" if cell.value == 0 else "—"))
            if self.table.row_totals is not None:
                line.append(self.table.row_totals[i].shown)
            lines.append(line)
        if self.table.column_totals is not None:
            line = [_("All")]
            for cell in self.table.column_totals:
                line.append(cell.shown)
                if self.shares:
                    grand = self.table.grand_total
                    share = disclosure.publish_share(cell, grand) if grand is not None else None
                    line.append(share or "—")
            if self.table.row_totals is not None:
                grand = self.table.grand_total
                line.append(grand.shown if grand is not None else "")
            lines.append(line)
        if self.benchmark is not None:
            line = [self.benchmark_label]
            for value in self.benchmark:
                line.append("")
                line.append("" if value is None else f"{value:.1f}%")
            if self.table.row_totals is not None:
                line.append("")
            lines.append(line)
        return lines

    def summary(self) -> list[str]:
        """The figure in words, from published values only."""
        if self.empty:
            return [_("Nothing to count yet.")]
        sentences = []
        for i, label in enumerate(self.rows):
            if not self.shares:
                break
            best = None
            for j, cell in enumerate(self.table.cells[i]):
                if cell.value and (best is None or cell.value > best[1]):
                    best = (j, cell.value)
            if best is not None and self.share(i, best[0]):
                sentences.append(
                    _("%(row)s: the largest group shown is %(column)s (%(share)s).")
                    % {
                        "row": label,
                        "column": self.columns[best[0]],
                        "share": self.share(i, best[0]),
                    }
                )
        if not self.shares and self.table.column_totals is not None:
            for j, column in enumerate(self.columns):
                total = self.table.column_totals[j]
                if total.value is not None:
                    sentences.append(
                        _("%(column)s, in all: %(total)s.")
                        % {"column": column, "total": total.value}
                    )
        hidden = self.table.hidden_count - self._withheld_count()
        if hidden:
            sentences.append(
                _(
                    "%(hidden)s of %(figures)s figures are hidden (shown as “<%(threshold)s”) so "
                    "that no group of fewer than %(threshold)s people can be seen or worked out."
                )
                % {
                    "hidden": hidden,
                    "figures": self.table.figure_count,
                    "threshold": self.threshold,
                }
            )
        return sentences

    def _withheld_count(self) -> int:
        rows = [*self.table.cells, self.table.row_totals or []]
        return sum(1 for row in rows for cell in row if getattr(cell, "withheld", False))

    def release_notes(self) -> list[str]:
        """What a reader must know of a released figure: its date, that it is perturbed, the
        rows not published this time."""
        if self.as_of is None:
            return []
        notes = [_("As of %(date)s.") % {"date": formats.date_format(self.as_of, "DATE_FORMAT")}]
        if self.max_noise:
            notes.append(
                _(
                    "Every figure is about right: each count is moved by at most %(d)s either "
                    "way (the same people always give the same figure), so cells, totals and "
                    "shares need not add up exactly."
                )
                % {"d": self.max_noise}
            )
        earlier = {}
        for label, day in self.carried_rows:
            earlier.setdefault(day, []).append(str(label))
        for day, labels in sorted(earlier.items()):
            notes.append(
                _("Unchanged since %(date)s (too few changes to move): %(rows)s.")
                % {"date": formats.date_format(day, "DATE_FORMAT"), "rows": ", ".join(labels)}
            )
        if self.withheld_rows:
            notes.append(
                ngettext(
                    "Not published this time (“%(dash)s”), too few changes since its last "
                    "figures: %(rows)s.",
                    "Not published this time (“%(dash)s”), too few changes since their last "
                    "figures: %(rows)s.",
                    len(self.withheld_rows),
                )
                % {"dash": WITHHELD, "rows": ", ".join(self.withheld_rows)}
            )
        return notes

    @property
    def all_notes(self) -> list[str]:
        return [*self.notes, *self.release_notes()]


def released(
    view,
    *,
    table_key,
    slug,
    title,
    row_header,
    columns,
    row_label,
    groups=None,
    **fields,
) -> Figure:
    """The figure of table `table_key` of a stored topic (`view`: serving.TopicView), its rows
    in the topic's order (or `groups`), each labelled by `row_label(group, meta)`; `columns`
    is [(column key, label)]. A withheld topic or row shows "—" and says so."""
    table = view.table(table_key)
    groups = view.groups if groups is None else groups
    threshold = int(view.meta.get("threshold") or settings.DISCLOSURE_THRESHOLD)
    keys = [key for key, _label in columns]
    topic_withheld = bool(view.withheld_reason) or not table
    hidden = 0

    def cell(fig, withheld=False):
        nonlocal hidden
        if withheld or fig is None:
            hidden += 1
            return Cell(None, threshold, withheld=True)
        if fig.get("hidden") or fig.get("value") is None:
            hidden += 1
            return Cell(None, threshold)
        return Cell(int(fig["value"]), threshold)

    spec = view.meta.get("tables", {}).get(table_key, {})
    cells, totals, withheld_rows, carried_rows = [], [], [], []
    rows = table.get("rows") or {}
    for group in groups:
        row = rows.get(group) or {}
        gone = topic_withheld or row.get("status") == "withheld" or not row
        if gone:
            withheld_rows.append(str(row_label(group, view.meta)))
        elif view.row_as_of(table_key, group) != view.as_of:
            carried_rows.append((row_label(group, view.meta), view.row_as_of(table_key, group)))
        figs = row.get("cells") or {}
        cells.append([cell(figs.get(key, {"value": 0}), gone) for key in keys])
        if spec.get("row_totals"):
            totals.append(cell(row.get("total"), gone))
    column_totals = grand_total = None
    if spec.get("column_totals"):
        published = table.get("column_totals") or {}
        column_totals = [cell(published.get(key), topic_withheld) for key in keys]
    if spec.get("grand_total"):
        grand_total = cell(table.get("grand_total"), topic_withheld)
    if topic_withheld:
        fields["notes"] = [
            *fields.get("notes", []),
            _("Not published in this release: its figures could not be protected (“%(dash)s”).")
            % {"dash": WITHHELD},
        ]
    return Figure(
        slug=slug,
        title=title,
        row_header=row_header,
        rows=[str(row_label(group, view.meta)) for group in groups],
        columns=[str(label) for _key, label in columns],
        table=Table(
            cells=cells,
            row_totals=totals if spec.get("row_totals") else None,
            column_totals=column_totals,
            grand_total=grand_total,
            hidden_count=hidden,
        ),
        as_of=view.as_of,
        max_noise=view.max_noise,
        withheld_rows=[] if topic_withheld else withheld_rows,
        carried_rows=carried_rows,
        **fields,
    )


def whole(rows) -> Table:
    """A table that does not count people (recommendations), shown whole with its margins, so
    that it reads like every other figure. Never for people: they are counted by releases."""
    n_cols = len(rows[0]) if rows else 0

    def cell(value):
        return Cell(value, 1)

    return Table(
        cells=[[cell(value) for value in row] for row in rows],
        row_totals=[cell(sum(row)) for row in rows],
        column_totals=[cell(sum(row[j] for row in rows)) for j in range(n_cols)],
        grand_total=cell(sum(sum(row) for row in rows)),
        hidden_count=0,
    )

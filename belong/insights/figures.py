"""A figure of a dashboard: a fixed table of counts about people, published through the
disclosure engine, with what a page, a chart and a download show of it.

Nothing here reads a count that was not published: the grid (what the page's table, the CSV and
the XLSX hold), the shares and the words of the summary all come from the `PublishedTable`.
Rows are disjoint groups and columns disjoint categories, so the margins are true sums and the
engine's complementary suppression protects every hidden cell against them.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from belong.insights import disclosure


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
        hidden = self.table.hidden_count
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


def publish(rows, *, about_people=True, **margins) -> disclosure.PublishedTable:
    """`rows` through the disclosure engine at the installation's threshold. A table that does
    not count people (recommendations, documents) is published whole (threshold 1 hides
    nothing), so that it reads like every other figure."""
    threshold = settings.DISCLOSURE_THRESHOLD if about_people else 1
    return disclosure.publish_table(rows, threshold=threshold, **margins)

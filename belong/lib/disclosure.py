"""The disclosure-control engine: what may be published of a table of counts about people.

Plain data in, plain data out; no Django imports, so that any app may use it (it sits in `lib`,
below every app) and it can be property-tested and benchmarked on its own.

Rules (DESIGN.md, decision 8):
- a count from 1 to `threshold - 1` is hidden (shown as "<threshold"); zero may show;
- complementary suppression hides further cells so that no hidden cell can be recomputed from
  the published cells and the published totals of its row, its column or the table;
- a percentage or rate of a hidden cell is hidden too (`publish_share`).

How `publish_table` decides
===========================

The figures of an R x C table are its inner cells and, when the caller publishes them, its row
totals, its column totals and its grand total. Each published margin is one linear equation
that a reader of the table knows:

    row i:    x[i][0] + ... + x[i][C-1] - r[i] = 0            (when row totals are published)
    column j: x[0][j] + ... + x[R-1][j] - c[j] = 0            (when column totals are published)
    table:    sum of every x[i][j]      - g    = 0            (when the grand total is published)

1. Primary suppression. Every figure (inner cell or published margin) from 1 to threshold - 1 is
   hidden. Zero is shown. With no margin published there is no equation, so nothing can be
   recomputed and the engine stops here (the cheap path: a list page that shows counts without
   totals costs one pass over the table).

2. What "recomputable" means. Move every shown figure to the right-hand side: what is left is a
   linear system A h = b over the hidden figures h. A hidden figure h[k] is recomputable exactly
   when its unit vector e_k lies in the row space of A (then some combination of the published
   equations reads "h[k] = number"). The test is done with exact rational arithmetic
   (`fractions.Fraction`; Python ints where the pivots are 1 or -1): incremental Gauss-Jordan
   elimination brings A to reduced row echelon form, and h[k] is recomputable if and only if k
   is a pivot column whose reduced row has no other entry (`_recomputable`).

3. The same question as a graph, to choose what to hide. The equations have the shape of a 2-D
   table: write the margins into an extended (R+1) x (C+1) table (row totals as column C,
   column totals as row R, the grand total in the corner). Each figure is an edge between its
   extended row and its extended column; each published equation is a node whose edges' signed
   values sum to zero. Lines with no published equation are merged into one free node. The
   hidden figures' solutions then form the circulations of the graph of hidden edges, so a
   hidden figure is recomputable exactly when its edge is a *bridge* of that graph (lies on no
   cycle). (When only the grand total is published, all rows are one node and every cell an edge
   from it to the free node.) Bridges are found in linear time (Tarjan).

4. Complementary suppression. For each bridge, in a fixed order (inner cells row by row, then
   row totals, column totals, the grand total), the engine finds the cheapest way to put it on a
   cycle: a shortest path between its two ends that avoids it, where an already hidden figure
   costs nothing and a shown figure costs its value (Dijkstra; ties: fewer newly hidden
   figures, then by node and id, so the same table always gives the same result). The shown
   figures on that path are hidden. This is the "least information loss" rule: the smallest
   total of published values that must go for that figure, which for a lone small cell with
   only row totals published is the smallest other non-zero cell of its row, and with every
   margin published usually the cheapest rectangle of four cells.
   Zero figures are never hidden: a path of non-zero figures always exists (summing the
   equations on one side of a bridge shows that some non-zero shown figure crosses it), and
   hiding every non-zero figure leaves nothing recomputable.

5. Tidying. A complement chosen early may become unneeded once later paths are hidden. The
   complements are tried again, largest value first (ties: the last in the fixed order first):
   one is shown again when the graph of hidden figures keeps no bridge without it.

6. Verification. After the graph steps, the linear algebra of (2) is run on the result. If it
   still finds a recomputable figure (it should not: the graph step is the same question), the
   engine hides the smallest non-zero shown figure of an equation containing it (ties: the first
   in the fixed order), runs the graph step again, and repeats until the linear algebra finds
   nothing. Each round hides one more non-zero figure, so it ends.

Because hidden figures are never zero, a figure that is not recomputable always has two
non-negative integer solutions: the true table, and the true table plus or minus one along a
cycle through it. The engine protects against exact recomputation, not against narrow ranges
(it has no "protection interval"). Every hidden figure prints as "<threshold" (Cell.shown),
whether small or hidden as a complement, so a reader cannot tell which is which.
"""

import heapq
from dataclasses import dataclass
from fractions import Fraction

DEFAULT_THRESHOLD = 11


@dataclass(frozen=True)
class Cell:
    """One published figure: `value` is None when hidden; `shown` is what a page prints."""

    value: int | None
    threshold: int = DEFAULT_THRESHOLD

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        return f"<{self.threshold}" if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.shown


def is_small(count: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """The primary rule: 1 to threshold - 1 must not be shown."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    return 0 < count < threshold


def publish_count(count: int, *, threshold: int = DEFAULT_THRESHOLD) -> Cell:
    """A count published on its own, with no total or neighbour it could be differenced with."""
    if count < 0:
        raise ValueError("a count of people cannot be negative")
    return Cell(None if is_small(count, threshold) else count, threshold)


@dataclass(frozen=True)
class PublishedTable:
    """What may be shown of a table of counts. `row_totals` and `column_totals` are None when the
    caller does not publish them, `grand_total` likewise; a hidden figure is a Cell whose value
    is None. `hidden_count` counts every hidden figure (inner cells and published margins),
    `primary_count` those hidden because they are small; the rest are complements."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None
    hidden_count: int
    primary_count: int = 0

    @property
    def complementary_count(self) -> int:
        return self.hidden_count - self.primary_count

    @property
    def figure_count(self) -> int:
        """How many figures the table publishes or hides: inner cells and published margins."""
        count = sum(len(row) for row in self.cells)
        count += len(self.row_totals or ()) + len(self.column_totals or ())
        return count + (self.grand_total is not None)

    @property
    def hidden_share(self) -> float:
        figures = self.figure_count
        return self.hidden_count / figures if figures else 0.0


def publish_table(
    rows: list[list[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
) -> PublishedTable:
    """Publish a table of counts (a list of rows of equal length) with the margins asked for:
    primary suppression of small figures, then complementary suppression until no hidden figure
    can be recomputed from what is shown (see the module's docstring)."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    table = _checked(rows)
    n_rows = len(table)
    n_cols = len(table[0]) if table else 0
    layout = _Layout(n_rows, n_cols, row_totals, column_totals, grand_total)
    values = [value for row in table for value in row]
    values.extend(sum(row) for row in table)
    values.extend(sum(row[j] for row in table) for j in range(n_cols))
    values.append(sum(values[: n_rows * n_cols]))

    hidden = {k for k in layout.figures if 0 < values[k] < threshold}
    primary_count = len(hidden)
    if hidden and layout.equations:
        _protect(layout, values, hidden)

    def cell(k):
        return Cell(None if k in hidden else values[k], threshold)

    cells = [[cell(i * n_cols + j) for j in range(n_cols)] for i in range(n_rows)]
    return PublishedTable(
        cells=cells,
        row_totals=[cell(layout.row_total(i)) for i in range(n_rows)] if row_totals else None,
        column_totals=(
            [cell(layout.column_total(j)) for j in range(n_cols)] if column_totals else None
        ),
        grand_total=cell(layout.grand) if grand_total else None,
        hidden_count=len(hidden),
        primary_count=primary_count,
    )


def publish_share(part: Cell, whole: Cell, *, digits: int = 0) -> str | None:
    """`part` as a percentage of `whole` ("42%", rounded half up to `digits` decimals), or None
    (hidden) when either figure is hidden or the whole is zero."""
    if digits < 0:
        raise ValueError("digits cannot be negative")
    if part.value is None or whole.value is None or whole.value == 0:
        return None
    scaled, rest = divmod(part.value * 100 * 10**digits, whole.value)
    if 2 * rest >= whole.value:
        scaled += 1
    text = str(scaled)
    if digits:
        text = text.rjust(digits + 1, "0")
        text = f"{text[:-digits]}.{text[-digits:]}"
    return f"{text}%"


# --- internals ---------------------------------------------------------------------------------


def _checked(rows):
    table = [list(row) for row in rows]
    if table:
        width = len(table[0])
        for row in table:
            if len(row) != width:
                raise ValueError("every row of a table must have the same number of cells")
            for value in row:
                if not isinstance(value, int) or isinstance(value, bool):
                    raise TypeError(f"a count must be an int, not {type(value).__name__}")
                if value < 0:
                    raise ValueError("a count of people cannot be negative")
    return table


class _Layout:
    """Where each figure of an R x C table sits: its id (inner cells row by row, then row totals,
    column totals, the grand total: also the engine's order of preference), the published
    equations over ids, and each figure's edge in the graph of step 3."""

    def __init__(self, n_rows, n_cols, row_totals, column_totals, grand_total):
        self.n_rows, self.n_cols = n_rows, n_cols
        inner = n_rows * n_cols
        self.grand = inner + n_rows + n_cols
        self.size = self.grand + 1
        figures = list(range(inner))
        if row_totals:
            figures.extend(self.row_total(i) for i in range(n_rows))
        if column_totals:
            figures.extend(self.column_total(j) for j in range(n_cols))
        if grand_total:
            figures.append(self.grand)
        self.figures = figures

        equations = []
        if row_totals:
            for i in range(n_rows):
                line = [(i * n_cols + j, 1) for j in range(n_cols)]
                equations.append([*line, (self.row_total(i), -1)])
        if column_totals:
            for j in range(n_cols):
                line = [(i * n_cols + j, 1) for i in range(n_rows)]
                equations.append([*line, (self.column_total(j), -1)])
        if grand_total:
            equations.append([*((k, 1) for k in range(inner)), (self.grand, -1)])
        self.equations = equations

        # The graph: nodes 0..R-1 the rows, R the extended row of column totals, R+1..R+C the
        # columns, R+C+1 the extended column of row totals, R+C+2 the free node (every line
        # without a published equation).
        free = self.free = n_rows + n_cols + 2
        self.node_count = free + 1
        if grand_total and not row_totals and not column_totals:
            # One equation over every inner cell and the grand total: one node, one edge each.
            ends = dict.fromkeys(range(inner), (0, free))
            ends[self.grand] = (0, free)
        else:

            def row_node(i):
                if i < n_rows:
                    return i if row_totals else free
                return n_rows if column_totals and grand_total else free

            def column_node(j):
                if j < n_cols:
                    return n_rows + 1 + j if column_totals else free
                return n_rows + n_cols + 1 if row_totals and grand_total else free

            ends = {}
            for i in range(n_rows):
                for j in range(n_cols):
                    ends[i * n_cols + j] = (row_node(i), column_node(j))
            if row_totals:
                for i in range(n_rows):
                    ends[self.row_total(i)] = (row_node(i), column_node(n_cols))
            if column_totals:
                for j in range(n_cols):
                    ends[self.column_total(j)] = (row_node(n_rows), column_node(j))
            if grand_total:
                ends[self.grand] = (row_node(n_rows), column_node(n_cols))
        # A figure on no published equation (both ends free) can never be recomputed: no edge.
        self.ends = {k: ends[k] for k in figures if ends[k][0] != ends[k][1]}
        self._adjacency: list[list[tuple[int, int]]] | None = None

    def row_total(self, i):
        return self.n_rows * self.n_cols + i

    def column_total(self, j):
        return self.n_rows * self.n_cols + self.n_rows + j

    @property
    def adjacency(self) -> list[list[tuple[int, int]]]:
        """Every edge, hidden or not, by node: [(other end, id)], ids ascending."""
        if self._adjacency is None:
            adjacency: list[list[tuple[int, int]]] = [[] for _ in range(self.node_count)]
            for k, (a, b) in self.ends.items():
                adjacency[a].append((b, k))
                adjacency[b].append((a, k))
            self._adjacency = adjacency
        return self._adjacency


def _protect(layout, values, hidden):
    """Complementary suppression: grow `hidden` (a set of ids) until the linear algebra finds no
    hidden figure recomputable (module docstring, steps 4 to 6)."""
    primary = frozenset(hidden)
    first_round = True
    while True:
        _protect_graph(layout, values, hidden)
        if first_round:
            _tidy(layout, values, hidden, primary)
            first_round = False
        determined = _recomputable(layout.equations, hidden)
        if not determined:
            return
        # The safety net (step 6): the smallest non-zero shown figure of an equation that
        # contains the first recomputable figure; any equation's, should those have none.
        first = determined[0]
        lines = [eq for eq in layout.equations if any(k == first for k, _ in eq)]
        for pool in (lines, layout.equations):
            candidates = {k for eq in pool for k, _ in eq if k not in hidden and values[k] > 0}
            if candidates:
                hidden.add(min(candidates, key=lambda k: (values[k], k)))
                break
        else:  # every non-zero figure is hidden, so nothing can be recomputed
            raise AssertionError("disclosure: a figure is recomputable with all others hidden")


def _tidy(layout, values, hidden, primary):
    """Step 5: show again each complement that later ones made unneeded, largest value first."""
    complements = sorted(hidden - primary, key=lambda k: (-values[k], -k))
    if len(complements) < 2:
        return
    ends = layout.ends
    degree = [0] * layout.node_count
    for k in hidden:
        if k in ends:
            a, b = ends[k]
            degree[a] += 1
            degree[b] += 1
    for k in complements:
        a, b = ends[k]
        if degree[a] <= 2 or degree[b] <= 2:
            continue  # without it, the one other hidden figure at that end is a bridge
        hidden.discard(k)
        if _bridges(layout, hidden):
            hidden.add(k)
        else:
            degree[a] -= 1
            degree[b] -= 1


def _protect_graph(layout, values, hidden):
    """Step 4: put every bridge of the graph of hidden figures on a cycle, cheapest first."""
    while True:
        bridges = _bridges(layout, hidden)
        if not bridges:
            return
        before = len(hidden)
        for bridge in bridges:
            path = _cheapest_cycle(layout, values, hidden, bridge)
            if path is None:  # cannot happen (module docstring); step 6 takes over
                return
            hidden.update(path)
        if len(hidden) == before:  # likewise: no progress is left to step 6
            return


def _bridges(layout, hidden):
    """The ids of the hidden figures that lie on no cycle of hidden figures, ascending."""
    ends = layout.ends
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(layout.node_count)]
    for k in sorted(hidden):
        if k in ends:
            a, b = ends[k]
            adjacency[a].append((b, k))
            adjacency[b].append((a, k))
    order = [-1] * layout.node_count
    low = [0] * layout.node_count
    clock = 0
    bridges = []
    for root in range(layout.node_count):
        if order[root] != -1 or not adjacency[root]:
            continue
        order[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            node, via, edges = stack[-1]
            for other, k in edges:
                if k == via:
                    continue
                if order[other] == -1:
                    order[other] = low[other] = clock
                    clock += 1
                    stack.append((other, k, iter(adjacency[other])))
                    break
                low[node] = min(low[node], order[other])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.append(via)
    bridges.sort()
    return bridges


def _cheapest_cycle(layout, values, hidden, bridge):
    """The shown figures to hide so that `bridge` lies on a cycle, at the least total value
    (then the fewest figures): a shortest path between its ends without it. [] when it already
    lies on one; None when no path exists."""
    start, goal = layout.ends[bridge]
    adjacency = layout.adjacency
    best: list[tuple[int, int] | None] = [None] * layout.node_count
    best[start] = (0, 0)
    came_from: list[tuple[int, int] | None] = [None] * layout.node_count
    heap = [(0, 0, start)]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        cost, count, node = pop(heap)
        if best[node] < (cost, count):
            continue
        if node == goal:
            break
        for other, k in adjacency[node]:
            if k in hidden:
                if k == bridge:
                    continue
                step = (cost, count)
            else:
                value = values[k]
                if not value:
                    continue  # a zero is never hidden
                step = (cost + value, count + 1)
            known = best[other]
            if known is None or step < known:
                best[other] = step
                came_from[other] = (node, k)
                push(heap, (*step, other))
    if best[goal] is None:
        return None
    path = []
    node = goal
    while node != start:
        node, k = came_from[node]
        if k not in hidden:
            path.append(k)
    return path


def _recomputable(equations, hidden):
    """The hidden ids whose unit vector lies in the row space of the published equations over
    the hidden figures, ascending (module docstring, step 2): incremental Gauss-Jordan
    elimination, exact."""
    # pivot id -> its row {id: coefficient}, with 1 at the pivot and no other pivot
    pivots: dict[int, dict] = {}
    for equation in equations:
        row = {k: c for k, c in equation if k in hidden}
        for k in [k for k in row if k in pivots]:
            factor = row.get(k)
            if factor:
                _subtract(row, factor, pivots[k])
        if not row:
            continue
        unit = [k for k, c in row.items() if c == 1 or c == -1]
        pivot = min(unit) if unit else min(row)
        factor = row[pivot]
        if factor == -1:
            row = {k: -c for k, c in row.items()}
        elif factor != 1:
            row = {k: Fraction(c) / factor for k, c in row.items()}
        for other in pivots.values():
            factor = other.get(pivot)
            if factor:
                _subtract(other, factor, row)
        pivots[pivot] = row
    return sorted(k for k, row in pivots.items() if len(row) == 1)


def _subtract(row, factor, pivot_row):
    """row -= factor * pivot_row, in place, dropping zeros."""
    for k, c in pivot_row.items():
        value = row.get(k, 0) - factor * c
        if value:
            row[k] = value
        else:
            row.pop(k, None)

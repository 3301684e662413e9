"""The disclosure engine (belong.lib.disclosure.publish_table) against a floor measured in
the same run: one plain Python pass over the same table that sums its rows and its columns.

Prints, per table, the median time of one call as a ratio to the floor's median on that table,
and the share of figures hidden (primary, then all). The tables are random (fixed seed), with
counts spread like a dashboard's: many small ones, some large. Nothing about time is asserted.

Run it alone with `.venv/bin/python -m bench bench_disclosure` (it needs no database)."""

import random
import time

from belong.lib.disclosure import publish_table
from bench.harness import median_time

ROUNDS = 7
SEED = 6

# (label, rows, columns, largest count, margins published)
TABLES = [
    ("50x2, no margins (list page)", 50, 2, 120, False),
    ("50x2, all margins", 50, 2, 120, True),
    ("50x6, all margins", 50, 6, 200, True),
    ("200x10, all margins", 200, 10, 200, True),
    ("200x10, mostly small, all margins", 200, 10, 30, True),
]


def random_table(rng, n_rows, n_cols, largest):
    """Counts skewed towards small values: a share of them fall below the threshold."""
    return [
        [min(largest, int(rng.expovariate(1 / (largest / 4)))) for _ in range(n_cols)]
        for _ in range(n_rows)
    ]


def floor(rows):
    """What any page does with a table at least once: every row's and every column's sum."""
    row_sums = [sum(row) for row in rows]
    column_sums = [sum(column) for column in zip(*rows, strict=True)]
    return sum(row_sums), column_sums


def median_seconds(call, repeat):
    return median_time(call, ROUNDS, repeat=repeat)[0]


def repeats_for(call):
    """Enough calls per round for about 20 ms, at least one."""
    start = time.perf_counter()
    call()
    once = time.perf_counter() - start
    return max(1, int(0.02 / max(once, 1e-7)))


def run():
    rng = random.Random(SEED)
    print("floor: one pass summing the rows and the columns of the same table (= 1.0)")
    for label, n_rows, n_cols, largest, margins in TABLES:
        rows = random_table(rng, n_rows, n_cols, largest)
        flags = {"row_totals": margins, "column_totals": margins, "grand_total": margins}

        def engine(rows=rows, flags=flags):
            return publish_table(rows, **flags)

        def plain(rows=rows):
            return floor(rows)

        base = median_seconds(plain, repeats_for(plain))
        took = median_seconds(engine, repeats_for(engine))
        table = engine()
        print(
            f"{label:36} {took / base:8.1f} x floor ({took * 1000:7.3f} ms; floor"
            f" {base * 1e6:6.1f} us)  hidden: {table.primary_count / table.figure_count:5.1%}"
            f" primary, {table.hidden_share:5.1%} in all"
        )

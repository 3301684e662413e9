"""The release engine: what a release of a topic publishes, protected together and perturbed
consistently (issue 14; docs/insights.md "Releases", docs/privacy.md "Figures about people").

Plain data in, plain data out: no Django imports (numpy and scipy only), property-tested with
hypothesis (tests/lib/test_releases*.py) and benchmarked on its own (bench/bench_releases.py).

The model
=========
A *topic* publishes several tables that share their rows. A row is a *group*; every *unit* (a
person, an attendance, ...) belongs to one group and counts in at most one column of each table
(`Unit.cells`). A table may publish its row totals, its column totals and its grand total.

Perturbation: the cell key method
---------------------------------
Every unit carries a secret random *record key* (0 <= k < 2**32). The *cell key* of a figure is
the sum of the record keys of the units it counts plus a salt, mod 2**32: the group's *epoch
salt* for the figures of a group, the *totals salt* for column and grand totals (a digest of the
state of every group, so the totals move whenever any group moves and only then). The
*p-table* maps (true count n, cell key) to a deviation d, and the figure shows n + d:

- n = 0 gives 0 (zero is never perturbed, so a shown 0 is a true 0);
- n >= 1 draws d from {-m..m} with m = min(n - 1, D), D = `max_noise`: the perturbed value is
  never below 1 and never more than D away from the truth;
- the draw is the maximum-entropy shape for a given variance: weight exp(-d**2 / (2 s**2)) with
  s = D / 2, quantized to integer key ranges out of 2**32 that are exactly symmetric, so every
  row has mean exactly 0 (unbiased). With D = 3 the full row (n >= 4) is
  P(0) = 0.2707, P(+-1) = 0.2167, P(+-2) = 0.1113, P(+-3) = 0.0366: variance 1.98, mean
  absolute deviation 1.10 (`noise_variance(D)` computes it).

A cell key is uniform (a sum of independent uniform keys), so the same units with the same salt
always give the same figure (repeated views cannot be averaged), and a change of even one unit
gives an independent new draw.

Figures and totals are perturbed apart, so cells do not add up to their totals exactly.
A figure whose true count is 1 to threshold - 1, or whose perturbed value falls below the
threshold, is hidden (*primary suppression*); a reader therefore knows that every shown value v
stands for a true count in [max(threshold, v - D), v + D], and a shown 0 for exactly 0.

Groups move only when enough of their units moved
-------------------------------------------------
Per group the state keeps an HMAC digest (keyed by `secret`) of every unit's token, and of its
token, record key, group and cells, as of the group's last published figures. At a release:
`changes` = units that joined, left or changed their cells since then.
- changes >= `min_changes`, or the group was never published: *fresh* (a new epoch salt, so
  every figure of the group gets new noise, the unchanged ones too);
- else, if a unit of the last figures must leave (absent now, `departed`, or `leaving`):
  *withheld* (no figure of the group; its current units still count in the totals);
- else *carried*: the same figures, the same hidden pattern, the same `as_of_release`.
Totals count each group as published: a carried group with its counts as of its figures, a fresh
or withheld one as it is now (never with a unit that must leave).

The protection check: the reader's integer program
--------------------------------------------------
Variables: for every group and table, the number of its units in each column and in none, with
the same group size across tables (`types=None`: any combination of columns is possible; with
this model a per-table count vector is all the reader can say, exactly as with types), or, when
`types` names the combinations that can exist (for example: whoever answered "prefer not to say"
to race has no Hispanic-origin answer), the number of units of each type in each group. Every
shown figure constrains its expression to [max(threshold, v - D), v + D] (0 exactly for 0),
every hidden figure to >= 1 (>= 0 when zeros may be hidden, `hide_zeros_when_needed`), withheld
groups' counts only by the totals. Each hidden figure and each count of a withheld group is
*protected* when the reader's feasible range covers [true - P, true + P] (P = `protection`,
the lower end clipped at the reader's lower bound); as P >= 1 is forced for counts 1 to
threshold - 1, no such count is ever pinned. The check asks for an integer solution at
each end of the interval, and declares a figure protected only when it has one: a pool of
integer solutions found so far (two solves of scipy's `milp`, HiGHS, push every checked figure
down, then up, once per cut) answers most ends without a solve; else a small program over the
figure's group alone, then over it and one other group whose same figure is hidden (up to
`LOCAL_PARTNERS`), the other groups' counts held at a solution of the pool (any answer is an
integer solution of the whole program); else the whole program. Every program is solved as a
linear relaxation first: infeasible, it proves that no integer solution exists (for the whole
program: a violation); a vertex that is integral (checked exactly: every coefficient is an
integer) is an integer solution; only otherwise is the integer program solved.

Choosing what to hide: primary suppression; then zeros of a row or column whose non-zero cells
are all hidden or withheld (when `hide_zeros_when_needed`); then, while the check finds a
violation, for each violating figure one shown figure of a fresh group or of fresh totals is
hidden: the one the reader's linear relaxation moves most out of its window when it brings the
violating figure to the end of its interval at the least total movement of the shown figures
(an elastic program: what the reader would have to stop knowing); when the relaxation needs no
figure moved, the first of the figures that share an equation with it (its row, its column,
the grand total's lines; then the other tables of its group; then its table; smallest first)
whose hiding alone mends the violation in a program over the two figures' groups, or that the
linear relaxation allows, else the first. Hiding a figure only widens the
reader's feasible set, so a figure once protected stays protected and only the violating and
the newly hidden figures are checked again. Carried figures are never newly hidden (a reader of
the last release knows them). A topic that cannot be protected is withheld whole
(`withheld_reason = "unprotectable"`). Everything is in a fixed order: the same input gives the
same release.

Across releases: the reader of every release, worst case
---------------------------------------------------------
A reader keeps every release and may know exactly how each group changed between two of them,
column by column (who joined, left or answered differently, and how: the differencing attacker
of bench/bench_releases.py, for every change). A carried group's counts are then the same, a
fresh or withheld one's moved by a known amount, so every figure of an earlier release is a
bound on the same figure's count now, moved by the known change: figure f's count is in
[true + low, true + high] with the offsets of that release's figure (shown: max(threshold,
v - D) - true .. v + D - true; hidden: floor - true ..; withheld: -true ..). Offsets relative
to the true count do not move with the change, so what all releases together tell about a
figure is one interval, the intersection of them: the state's *view*, one
[low, bounded, high] per figure id of the topic (the counts of a group in no column of a table,
and so group sizes, are not linked across releases: no figure shows them). Without it, a cell
of 5 hidden in one release that 10 joins take to 15 would be shown in the next, and a reader
who knows the 10 joins reads the 5 back to within one figure's noise (the attack suite across
releases, tests/lib/test_releases_across.py, finds this and more).

Every count the check ever protected (a hidden figure or a withheld count with a true count
below the threshold) is *kept*: the state holds its interval relative to the true count
([max(floor - true, -P), P]), and every later release must leave it reachable at both ends, in
the reader's program over this release plus the view (one row per figure with earlier bounds).
`cut` runs `_protect` over this release, then, when the previous state has a view,
`_protect_across` over the joint program: the same violations, each end of an interval asked
only as far as the earlier releases and the known changes alone allow (`_baseline`: a count
shown as 0 and known to be unchanged is 0 whatever this release hides; a cell seven people are
known to have left since had at least 7), and the same complements (a
shown figure of a fresh group or of fresh totals; carried figures never), so a figure hidden
last release stays hidden when showing it would give the kept count away (suppression patterns
carried across releases), and only then. A kept count stays kept for the life of the topic's
state, whatever it has grown to since: against a reader who knows every change, a cell once
small is at its old count plus the known change, and showing it would show the old count to
within D. A state without a view (cut before this audit, or one no key opens) starts afresh.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import itertools
import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from json.encoder import encode_basestring_ascii
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack, vstack

KEY_SPACE = 2**32
STATE_VERSION = 1
UNPROTECTABLE = "unprotectable"
SOLVER_SECONDS = 30.0
TRIED_COMPLEMENTS = 8  # candidates tried one by one before the smallest is taken
POOL_SIZE = 8  # integer points of the reader's program kept to answer checks without a solve
LOCAL_TRIES = 3  # points of the pool a small program over one or two groups starts from
LOCAL_PARTNERS = 4  # other groups tried one at a time beside the figure's own
LOCAL_SECONDS = 2.0  # a small program that finds nothing in time just hands over to the whole


@dataclass(frozen=True)
class TableSpec:
    key: str
    columns: tuple[str, ...]
    row_totals: bool = False
    column_totals: bool = False
    grand_total: bool = False


@dataclass(frozen=True)
class Unit:
    token: str
    record_key: int
    group: str
    cells: Mapping[str, str] = field(default_factory=dict)
    leaving: bool = False


@dataclass(frozen=True)
class Settings:
    threshold: int = 11
    max_noise: int = 3
    min_changes: int = 10
    protection: int = 3
    hide_zeros_when_needed: bool = True

    def __post_init__(self):
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")
        if self.max_noise < 0:
            raise ValueError("max_noise cannot be negative")
        if self.min_changes < 1:
            raise ValueError("min_changes must be at least 1")
        if self.protection < 0:
            raise ValueError("protection cannot be negative")


# --- the p-table -------------------------------------------------------------------------------


@cache
def ptable(max_noise: int, width: int) -> tuple[tuple[int, int], ...]:
    """The p-table row of deviations -width..width for noise up to `max_noise`: ((deviation,
    number of cell keys out of 2**32 that give it), ...), exactly symmetric."""
    if not 0 <= width <= max_noise:
        raise ValueError("width must be between 0 and max_noise")
    if width == 0:
        return ((0, KEY_SPACE),)
    spread = max_noise / 2
    weights = {d: math.exp(-(d * d) / (2 * spread * spread)) for d in range(width + 1)}
    total = weights[0] + 2 * sum(weights[d] for d in range(1, width + 1))
    share = {d: int(weights[d] / total * KEY_SPACE) for d in range(1, width + 1)}
    middle = KEY_SPACE - 2 * sum(share.values())
    row = [(-d, share[d]) for d in range(width, 0, -1)]
    row.append((0, middle))
    row.extend((d, share[d]) for d in range(1, width + 1))
    return tuple(row)


@cache
def _bounds(max_noise: int, width: int):
    row = ptable(max_noise, width)
    return [d for d, _n in row], list(itertools.accumulate(n for _d, n in row))


def deviation(count: int, cell_key: int, max_noise: int) -> int:
    """The p-table's deviation for a true `count` with `cell_key` (module docstring)."""
    if count <= 0 or max_noise == 0:
        return 0
    deviations, upper = _bounds(max_noise, min(count - 1, max_noise))
    return deviations[bisect.bisect_right(upper, cell_key % KEY_SPACE)]


def noise_variance(max_noise: int, count: int | None = None) -> float:
    """The variance of the deviation of a count (of a count above max_noise when None)."""
    width = max_noise if count is None else max(0, min(count - 1, max_noise))
    return sum(n * d * d for d, n in ptable(max_noise, width)) / KEY_SPACE


# --- figures -----------------------------------------------------------------------------------
# A figure's id: ("cell", table, group, column), ("total", table, group),
# ("column_total", table, column), ("grand_total", table).
FigureId = tuple[str, ...]


def true_figures(tables: Sequence[TableSpec], groups: Sequence[str], units: Iterable[Unit]):
    """{figure id: true count} of every figure the tables can publish, from `units` (for tests
    and benchmarks: the engine keeps its own)."""
    out: dict[FigureId, int] = {}
    for table in tables:
        for group in groups:
            out["total", table.key, group] = 0
            for column in table.columns:
                out["cell", table.key, group, column] = 0
        for column in table.columns:
            out["column_total", table.key, column] = 0
        out["grand_total", table.key] = 0
    for unit in units:
        for table in tables:
            unit_column = unit.cells.get(table.key)
            if unit_column is None:
                continue
            out["cell", table.key, unit.group, unit_column] += 1
            out["total", table.key, unit.group] += 1
            out["column_total", table.key, unit_column] += 1
            out["grand_total", table.key] += 1
    return out


def _digest(secret: bytes, *parts) -> str:
    message = json.dumps(parts, separators=(",", ":"), sort_keys=True).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


class _UnitDigests:
    """_digest(secret, "token", token) and _digest(secret, "unit", token, record key, group,
    sorted cells) of unit after unit: the same strings, with the JSON written out by hand (each
    cells mapping once) and HMAC-SHA256 from its two pads hashed once (a cut of 50,000 people's
    855,000 recorded seats computes 1.7 million of them; hmac.new or hmac.digest per message
    cost most of the cut)."""

    def __init__(self, secret: bytes):
        key = hashlib.sha256(secret).digest() if len(secret) > 64 else secret
        key = key.ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self.cells: dict[tuple[tuple[str, str], ...], str] = {}

    def _hex(self, message: str) -> str:
        inner = self.inner.copy()
        inner.update(message.encode())
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]

    def __call__(self, unit: Unit, group: str) -> tuple[str, str]:
        items = tuple(sorted(unit.cells.items()))
        cells = self.cells.get(items)
        if cells is None:
            cells = self.cells[items] = ",".join(
                f"{encode_basestring_ascii(k)}:{encode_basestring_ascii(v)}" for k, v in items
            )
        token = encode_basestring_ascii(unit.token)
        return (
            self._hex(f'["token",{token}]'),
            self._hex(
                f'["unit",{token},{int(unit.record_key)},{encode_basestring_ascii(group)},'
                f"{{{cells}}}]"
            ),
        )


def _salt(secret: bytes, *parts) -> int:
    return int(_digest(secret, "salt", *parts)[:8], 16)


class _Tally:
    """Counts and key sums of one group's units, per table and column ("" = the row total)."""

    def __init__(self, tables):
        self.counts = {t.key: dict.fromkeys(("", *t.columns), 0) for t in tables}
        self.keys = {t.key: dict.fromkeys(("", *t.columns), 0) for t in tables}

    def add(self, unit):
        for table, column in unit.cells.items():
            for c in (column, ""):
                self.counts[table][c] += 1
                self.keys[table][c] = (self.keys[table][c] + unit.record_key) % KEY_SPACE

    def as_json(self):
        return {"counts": self.counts, "keys": self.keys}

    @classmethod
    def from_json(cls, tables, data):
        tally = cls(tables)
        for t in tables:
            for c in ("", *t.columns):
                tally.counts[t.key][c] = int(data["counts"][t.key][c])
                tally.keys[t.key][c] = int(data["keys"][t.key][c])
        return tally


def _validated_units(tables, groups, units, departed, types):
    known = {t.key: set(t.columns) for t in tables}
    group_set = set(groups)
    kept, tokens, leaving = [], set(), set(departed)
    for unit in units:
        if unit.token in tokens:
            raise ValueError(f"unit token {unit.token!r} appears twice")
        tokens.add(unit.token)
        if not isinstance(unit.record_key, int) or not 0 <= unit.record_key < KEY_SPACE:
            raise ValueError("record_key must be an int in [0, 2**32)")
        if unit.group not in group_set:
            raise ValueError(f"unit group {unit.group!r} is not one of the groups")
        for table, column in unit.cells.items():
            if table not in known:
                raise ValueError(f"unit cells name an unknown table {table!r}")
            if column not in known[table]:
                raise ValueError(f"unit cells name an unknown column {column!r} of {table!r}")
        if types is not None and _type_of(unit.cells, tables) not in types:
            raise ValueError("a unit's combination of cells is not one of the types")
        if unit.leaving or unit.token in leaving:
            leaving.add(unit.token)
            continue
        kept.append(unit)
    return kept, leaving


def _type_of(cells, tables):
    return tuple(cells.get(t.key) for t in tables)


def _normal_types(types, tables):
    if types is None:
        return None
    known = {t.key: set(t.columns) for t in tables}
    out = set()
    for combination in types:
        for table, column in combination.items():
            if table not in known or (column is not None and column not in known[table]):
                raise ValueError(f"a type names an unknown table or column: {table!r}")
        out.add(_type_of(combination, tables))
    return frozenset(out)


# --- cut ---------------------------------------------------------------------------------------


def cut(
    topic: str,
    tables: Sequence[TableSpec],
    groups: Sequence[str],
    units: Iterable[Unit],
    previous: dict | None,
    *,
    settings: Settings,
    secret: bytes,
    departed: Collection[str] = (),
    types: Collection[Mapping[str, str | None]] | None = None,
) -> tuple[dict, dict]:
    """Cut the next release of a topic: -> (published, state), both JSON-serialisable.

    published = {"topic", "release", "max_noise", "threshold", "zeros_may_be_hidden",
                 "withheld_reason": None | "unprotectable",
                 "tables": {table: {"rows": {group: {"cells": {column: FIG}, "total": FIG,
                                                     "status": "fresh"|"carried"|"withheld",
                                                     "as_of_release": n}},
                                    "column_totals": {column: FIG}, "grand_total": FIG}}}
    FIG = {"value": int} | {"hidden": True}; "total", "column_totals", "grand_total" only when
    the table publishes them; a withheld row has "cells": {} and no "total". A withheld topic
    has no rows and no totals. `previous` is the state this function returned last time (None
    the first time); `departed` are the tokens of units that must leave; `types` optionally
    lists the combinations of cells a unit can have (module docstring)."""
    tables = tuple(tables)
    groups = tuple(dict.fromkeys(groups))
    _check_tables(tables)
    type_set = _normal_types(types, tables)
    kept, leaving = _validated_units(tables, groups, units, departed, type_set)
    previous = previous if previous and previous.get("version") == STATE_VERSION else None
    if previous is not None and previous.get("topic") != topic:
        raise ValueError("the previous state is of another topic")
    release = (previous["release"] if previous else 0) + 1
    before = previous["groups"] if previous else {}

    by_group: dict[str, list[Unit]] = {g: [] for g in groups}
    for unit in kept:
        by_group[unit.group].append(unit)

    d = settings.max_noise
    unit_digests = _UnitDigests(secret)
    # group -> (status, tally, group state for the new state, signature of a withheld group)
    plans: dict[str, tuple[str, _Tally, dict, str | None]] = {}
    for group in groups:
        members = sorted(by_group[group], key=lambda u: u.token)
        tally = _Tally(tables)
        for unit in members:
            tally.add(unit)
        digests = dict(unit_digests(u, group) for u in members)
        last = before.get(group)
        epoch = 0
        if last is not None:
            old = last["digests"]
            changes = sum(1 for k, v in digests.items() if old.get(k) != v)
            changes += sum(1 for k in old if k not in digests)
            must_leave = any(k not in digests for k in old)
            if changes >= settings.min_changes:
                epoch = last["epoch"] + 1
            elif must_leave:
                signature = _digest(secret, "withheld", sorted(digests.items()))
                plans[group] = ("withheld", tally, last, signature)
                continue
            else:
                plans[group] = ("carried", _Tally.from_json(tables, last["tally"]), last, None)
                continue
        entry = {
            "epoch": epoch,
            "as_of": release,
            "digests": digests,
            "tally": tally.as_json(),
            "salt": _salt(secret, topic, group, epoch),
        }
        plans[group] = ("fresh", tally, entry, None)

    # The totals: each group as published; their salt a digest of every group's state.
    signature = _digest(
        secret,
        "totals",
        topic,
        [[g, plans[g][2]["epoch"], plans[g][2]["as_of"], plans[g][3]] for g in groups],
    )
    old_totals = previous.get("totals") if previous else None
    # The figures of the totals, carried as they were when no group's state changed.
    carried_totals = (
        old_totals["tables"]
        if old_totals is not None and old_totals["signature"] == signature
        else None
    )
    totals_salt = _salt(secret, topic, "totals", signature)

    published: dict[str, Any] = {
        "topic": topic,
        "release": release,
        "max_noise": d,
        "threshold": settings.threshold,
        "zeros_may_be_hidden": settings.hide_zeros_when_needed,
        "withheld_reason": None,
        "tables": {},
    }
    truth: dict[FigureId, int] = {}
    free: set[FigureId] = set()
    for table in tables:
        rows = {}
        for group in groups:
            status, tally, entry, _sig = plans[group]
            if status == "carried":
                row = json.loads(json.dumps(entry["rows"][table.key]))
                row["status"] = "carried"
                for column in table.columns:
                    truth["cell", table.key, group, column] = tally.counts[table.key][column]
                if table.row_totals:
                    truth["total", table.key, group] = tally.counts[table.key][""]
            elif status == "withheld":
                row = {"cells": {}, "status": "withheld", "as_of_release": release}
                for column in table.columns:
                    truth["cell", table.key, group, column] = tally.counts[table.key][column]
            else:
                salt = entry["salt"]
                row = {"cells": {}, "status": "fresh", "as_of_release": release}
                for column in table.columns:
                    fid: FigureId = ("cell", table.key, group, column)
                    row["cells"][column] = _figure(tally, table.key, column, salt, settings)
                    truth[fid] = tally.counts[table.key][column]
                    free.add(fid)
                if table.row_totals:
                    fid = ("total", table.key, group)
                    row["total"] = _figure(tally, table.key, "", salt, settings)
                    truth[fid] = tally.counts[table.key][""]
                    free.add(fid)
            rows[group] = row
        out = {"rows": rows}
        combined = _Tally(tables)
        for group in groups:
            tally = plans[group][1]
            for c in ("", *table.columns):
                combined.counts[table.key][c] += tally.counts[table.key][c]
                combined.keys[table.key][c] += tally.keys[table.key][c]
        if table.column_totals:
            out["column_totals"] = {}
            for column in table.columns:
                fid = ("column_total", table.key, column)
                truth[fid] = combined.counts[table.key][column]
                if carried_totals is not None:
                    out["column_totals"][column] = dict(
                        carried_totals[table.key]["column_totals"][column]
                    )
                else:
                    out["column_totals"][column] = _figure(
                        combined, table.key, column, totals_salt, settings
                    )
                    free.add(fid)
        if table.grand_total:
            fid = ("grand_total", table.key)
            truth[fid] = combined.counts[table.key][""]
            if carried_totals is not None:
                out["grand_total"] = dict(carried_totals[table.key]["grand_total"])
            else:
                out["grand_total"] = _figure(combined, table.key, "", totals_salt, settings)
                free.add(fid)
        published["tables"][table.key] = out

    protected = _protect(tables, published, truth, free, settings, type_set)
    if protected and previous is not None and previous.get("view"):
        protected = _protect_across(tables, published, truth, free, settings, type_set, previous)

    if not protected:
        published["withheld_reason"] = UNPROTECTABLE
        published["tables"] = {t.key: {"rows": {}} for t in tables}
        state = dict(previous) if previous else _empty_state(topic)
        state["release"] = release
        return published, state

    new_groups = {}
    for group in groups:
        status, _tally, entry, _sig = plans[group]
        if status == "fresh":
            entry = dict(entry)
            entry["rows"] = {
                t.key: _without_status(published["tables"][t.key]["rows"][group]) for t in tables
            }
        new_groups[group] = entry
    totals = {
        "signature": signature,
        "tables": {
            t.key: {
                k: published["tables"][t.key][k]
                for k in ("column_totals", "grand_total")
                if k in published["tables"][t.key]
            }
            for t in tables
        },
    }
    state = {
        "version": STATE_VERSION,
        "topic": topic,
        "release": release,
        "groups": new_groups,
        "totals": totals,
        "view": _view(tables, groups, published, truth, previous),
        "kept": _kept(tables, groups, published, truth, settings, previous),
    }
    return published, state


def _empty_state(topic):
    return {"version": STATE_VERSION, "topic": topic, "release": 0, "groups": {}, "totals": None}


def _without_status(row):
    return {k: v for k, v in row.items() if k != "status"}


def _check_tables(tables):
    keys = [t.key for t in tables]
    if len(set(keys)) != len(keys):
        raise ValueError("two tables have the same key")
    for t in tables:
        if not t.columns or len(set(t.columns)) != len(t.columns) or "" in t.columns:
            raise ValueError(f"table {t.key!r} needs distinct, non-empty column names")


def _figure(tally, table, column, salt, settings):
    n = tally.counts[table][column]
    if n == 0:
        return {"value": 0}
    value = n + deviation(n, (tally.keys[table][column] + salt) % KEY_SPACE, settings.max_noise)
    if n < settings.threshold or value < settings.threshold:
        return {"hidden": True}
    return {"value": value}


# --- the reader's integer program ---------------------------------------------------------------


class _Program:
    """The reader's integer program over one published release: one constraint row per figure
    (shown, hidden, or a count of a withheld group), plus the coupling rows."""

    def __init__(self, tables, published, settings, types):
        self.tables = tables
        self.settings = settings
        d = published.get("max_noise", settings.max_noise)
        threshold = published.get("threshold", settings.threshold)
        zeros_hidden = published.get("zeros_may_be_hidden", settings.hide_zeros_when_needed)
        self.hidden_floor = 0 if zeros_hidden else 1
        first = published["tables"][tables[0].key]["rows"] if tables else {}
        self.groups = list(first)
        self.status = {g: first[g]["status"] for g in self.groups}
        columns = {t.key: t.columns for t in tables}

        # Variables: ("size", group), ("x", group, table, column) or ("y", group, block, type).
        var: dict[tuple, int] = {}
        coupling = []  # rows of (coefficients, value) == value
        if types is None:
            for g in self.groups:
                size = var.setdefault(("size", g), len(var))
                for t in tables:
                    line = {}
                    for c in (*t.columns, None):
                        line[var.setdefault(("x", g, t.key, c), len(var))] = 1
                    line[size] = -1
                    coupling.append(line)

            def members(g, table, column):
                if column is None:  # the row total: every column of the table
                    return [var["x", g, table, c] for c in columns[table]]
                return [var["x", g, table, column]]

        else:
            blocks = _blocks(types, len(tables))
            where = {}
            for b, (positions, _kinds) in enumerate(blocks):
                for k, i in enumerate(positions):
                    where[tables[i].key] = (b, k)
            for g in self.groups:
                size = var.setdefault(("size", g), len(var))
                for b, (_positions, kinds) in enumerate(blocks):
                    line = {}
                    for ty in kinds:
                        line[var.setdefault(("y", g, b, ty), len(var))] = 1
                    line[size] = -1
                    coupling.append(line)

            def members(g, table, column):
                b, k = where[table]
                return [
                    var["y", g, b, ty]
                    for ty in blocks[b][1]
                    if (ty[k] is not None if column is None else ty[k] == column)
                ]

        self.n_vars = len(var)
        group_index = {g: k for k, g in enumerate(self.groups)}
        self.var_group = np.full(max(self.n_vars, 1), -1, dtype=np.int64)
        for key, j in var.items():
            self.var_group[j] = group_index[key[1]]
        rows, lower, upper, ids = [], [], [], []
        self.kind: list[str] = []  # "shown" | "hidden" | "withheld" per figure row
        self.value: list[int | None] = []

        def add(fid, coefficients, fig):
            rows.append(coefficients)
            ids.append(fid)
            if fig is None:  # a count of a withheld group: known to be >= 0 only
                lower.append(0.0)
                upper.append(math.inf)
                self.kind.append("withheld")
                self.value.append(None)
            elif fig.get("hidden"):
                lower.append(float(self.hidden_floor))
                upper.append(math.inf)
                self.kind.append("hidden")
                self.value.append(None)
            else:
                v = int(fig["value"])
                if v == 0:
                    lo, hi = 0, 0
                else:
                    lo, hi = max(threshold, v - d, 1), v + d
                lower.append(float(lo))
                upper.append(float(hi))
                self.kind.append("shown")
                self.value.append(v)

        for t in tables:
            body = published["tables"][t.key]
            for g in self.groups:
                row = body["rows"][g]
                withheld = row["status"] == "withheld"
                for c in t.columns:
                    fig = None if withheld else row["cells"][c]
                    add(("cell", t.key, g, c), dict.fromkeys(members(g, t.key, c), 1), fig)
                if t.row_totals and not withheld:
                    add(
                        ("total", t.key, g), dict.fromkeys(members(g, t.key, None), 1), row["total"]
                    )
            if "column_totals" in body:
                for c in t.columns:
                    coefficients = {}
                    for g in self.groups:
                        coefficients.update(dict.fromkeys(members(g, t.key, c), 1))
                    add(("column_total", t.key, c), coefficients, body["column_totals"][c])
            if "grand_total" in body:
                coefficients = {}
                for g in self.groups:
                    coefficients.update(dict.fromkeys(members(g, t.key, None), 1))
                add(("grand_total", t.key), coefficients, body["grand_total"])

        self.ids = ids
        self.row_of = {fid: i for i, fid in enumerate(ids)}
        self.n_figures = len(ids)
        for line in coupling:
            rows.append(line)
            lower.append(0.0)
            upper.append(0.0)
        data, indices, indptr = [], [], [0]
        for line in rows:
            for j in sorted(line):
                indices.append(j)
                data.append(float(line[j]))
            indptr.append(len(indices))
        self.matrix = csr_array(
            (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
            shape=(len(rows), max(self.n_vars, 1)),
        )
        self.lower = np.array(lower, dtype=float)
        self.upper = np.array(upper, dtype=float)
        shown_sum = sum(v for v in self.value if v)
        # A bound on every variable far above anything the figures allow: it only keeps the
        # solver's problems bounded (a smaller feasible set can only make the check stricter).
        self.big = float(4 * (shown_sum + d * len(ids)) + 1000)
        self.solves = 0
        self.derive()

    def derive(self):
        """What the solves read besides the matrix and bounds, worked out again (after rows
        are added, `_extend`): the rows of the figures, the columns, the group of each figure
        whose variables all belong to one group (None: a total), an empty pool."""
        self.figure_matrix = self.matrix[: self.n_figures]
        self.columns = self.matrix.tocsc()
        self.group_of = []
        for i in range(self.n_figures):
            owners = set(
                self.var_group[
                    self.matrix.indices[self.matrix.indptr[i] : self.matrix.indptr[i + 1]]
                ]
            )
            self.group_of.append(owners.pop() if len(owners) == 1 else None)
        self.pool_min = np.full(self.n_figures, math.inf)
        self.pool_max = np.full(self.n_figures, -math.inf)
        self.solutions = []  # integer points of the program found so far, newest last
        self._parts = {}

    def hide(self, fid):
        i = self.row_of[fid]
        self.kind[i] = "hidden"
        self.value[i] = None
        self.lower[i] = float(self.hidden_floor)
        self.upper[i] = math.inf

    def _record(self, x):
        """Keep an integer point of the program (it stays one: hiding only widens the set)."""
        values = self.figure_matrix @ x
        np.minimum(self.pool_min, values, out=self.pool_min)
        np.maximum(self.pool_max, values, out=self.pool_max)
        self.solutions.append(x)
        del self.solutions[:-POOL_SIZE]

    def _bounds_for(self, row, lo, hi, relaxed):
        lower, upper = self.lower.copy(), self.upper.copy()
        if relaxed is not None:
            lower[relaxed], upper[relaxed] = float(self.hidden_floor), math.inf
        if row is not None:
            if lo is not None:
                lower[row] = max(lower[row], lo)
            if hi is not None:
                upper[row] = min(upper[row], hi)
        return lower, upper

    def _solve(self, objective, row=None, lo=None, hi=None, *, relaxed=None, integer=True):
        """A point of the whole program (integer, or of its linear relaxation) with the figure
        of `row` in [lo, hi] and the figure of `relaxed` hidden; None when there is none (or
        none found in SOLVER_SECONDS). Integer points of the program itself join the pool."""
        lower, upper = self._bounds_for(row, lo, hi, relaxed)
        if row is not None and lower[row] > upper[row]:
            return None
        self.solves += 1
        result = milp(
            objective,
            integrality=np.full(self.matrix.shape[1], 1 if integer else 0),
            bounds=Bounds(0, self.big),
            constraints=LinearConstraint(self.matrix, lower, upper),
            options={"time_limit": SOLVER_SECONDS, "mip_rel_gap": 0.5},
        )
        if result.x is None:
            return None
        if not integer:
            return result.x
        x = np.round(result.x)
        if relaxed is None:
            self._record(x)
        return x

    def _part(self, groups):
        """The columns of `groups`' variables, the rows they appear in, and those rows of the
        matrix restricted to them."""
        if groups not in self._parts:
            columns = np.flatnonzero(np.isin(self.var_group, groups))
            sub = self.columns[:, columns].tocsr()
            rows = np.flatnonzero(np.diff(sub.indptr))
            self._parts[groups] = (columns, rows, sub[rows], self.columns[:, columns])
        return self._parts[groups]

    def _local(self, groups, row, lo, hi, relaxed=None):
        """An integer point of the program found by moving only the variables of `groups` away
        from a point of the pool (the other groups' counts stay as they are there): a small
        program, and its answer is an integer point of the whole program. None when none of
        the last LOCAL_TRIES points of the pool allows one."""
        columns, rows, sub, block = self._part(groups)
        if row not in set(rows.tolist()):
            return None
        for x0 in reversed(self.solutions[-LOCAL_TRIES:]):
            rest = self.matrix @ x0 - block @ x0[columns]
            lower, upper = self._bounds_for(row, lo, hi, relaxed)
            lower, upper = lower - rest, upper - rest
            if np.any(lower[rows] > upper[rows]):
                continue
            y = self._point(sub, lower[rows], upper[rows], LOCAL_SECONDS)
            if y is not None:
                x = x0.copy()
                x[columns] = y
                if relaxed is None:
                    self._record(x)
                return x
        return None

    def _point(self, matrix, lower, upper, seconds):
        """An integer point of {lower <= matrix @ x <= upper, 0 <= x <= big}, or None when
        there is none (or none found in `seconds`). The linear relaxation first: infeasible,
        there is none; a vertex that is integral (checked exactly: the coefficients are
        integers) is one; else the integer program."""
        n = matrix.shape[1]

        def solve(integrality):
            self.solves += 1
            return milp(
                np.zeros(n),
                integrality=integrality,
                bounds=Bounds(0, self.big),
                constraints=LinearConstraint(matrix, lower, upper),
                options={"time_limit": seconds},
            )

        relaxation = solve(np.zeros(n))
        if relaxation.status == 2:  # proved infeasible: no integer point either
            return None
        x = np.round(relaxation.x) if relaxation.x is not None else None
        if x is not None and (
            np.all(np.abs(x - relaxation.x) < 1e-6)
            and np.all(x >= 0)
            and np.all(x <= self.big)
            and np.all(matrix @ x >= lower)
            and np.all(matrix @ x <= upper)
        ):
            return x
        result = solve(np.ones(n))
        return None if result.x is None else np.round(result.x)

    def _partners(self, fid):
        """The other groups whose same figure (same table, same column) is not shown: those
        that can make room in a shown total when this figure moves."""
        if fid[0] not in ("cell", "total"):
            return []
        index = {g: k for k, g in enumerate(self.groups)}
        out = []
        for g in self.groups:
            j = self.row_of.get((*fid[:2], g, *fid[3:]))
            if g != fid[2] and j is not None and self.kind[j] != "shown":
                out.append(index[g])
        return out

    def seed(self, fids):
        """Two solves that push every figure of `fids` down, then up: most checks then need no
        solve of their own."""
        if not fids:
            return
        weights = np.zeros(self.n_figures)
        for fid in fids:
            weights[self.row_of[fid]] = 1.0
        direction = weights @ self.figure_matrix
        self._solve(direction)
        self._solve(-direction)

    def reaches(self, fid, *, at_most=None, at_least=None) -> bool:
        """Whether an integer point of the program has the figure at most `at_most` (or at
        least `at_least`): exact. A point of the pool answers; else a small program over the
        figure's group alone; a linear relaxation without a point proves there is none; else
        the whole integer program decides."""
        i = self.row_of[fid]
        if at_most is not None and self.pool_min[i] <= at_most:
            return True
        if at_least is not None and self.pool_max[i] >= at_least:
            return True
        group = self.group_of[i]
        if group is not None:
            for groups in [(group,)] + [
                tuple(sorted((group, other))) for other in self._partners(fid)[:LOCAL_PARTNERS]
            ]:
                if self._local(groups, i, at_least, at_most) is not None:
                    return True
        lower, upper = self._bounds_for(i, at_least, at_most, None)
        if lower[i] > upper[i]:
            return False
        x = self._point(self.matrix, lower, upper, SOLVER_SECONDS)
        if x is None:
            return False
        self._record(x)
        return True

    def reaches_without(self, hidden, fid, *, at_most=None, at_least=None) -> bool:
        """Whether an integer point moving only the two figures' groups has the figure at
        most `at_most` (or at least `at_least`) were `hidden` hidden too (the program is left
        as it was). Yes is exact; no may be wrong (the whole program may still reach it)."""
        i, j = self.row_of[fid], self.row_of[hidden]
        group_i, group_j = self.group_of[i], self.group_of[j]
        if group_i is None or group_j is None:
            return False
        owners = tuple(sorted({group_i, group_j}))
        return self._local(owners, i, at_least, at_most, relaxed=j) is not None

    def may_reach_without(self, hidden, fid, *, at_most=None, at_least=None) -> bool:
        """Whether the linear relaxation reaches the bound were `hidden` hidden too: no is
        exact (no integer point does either), yes an estimate."""
        i, j = self.row_of[fid], self.row_of[hidden]
        zero = np.zeros(self.matrix.shape[1])
        return self._solve(zero, i, at_least, at_most, relaxed=j, integer=False) is not None

    def movers(self, fid, candidates, *, at_most=None, at_least=None):
        """The candidates (shown figures) that the linear relaxation moves out of their
        windows to bring the figure to the bound, at the least total movement, most moved
        first; [] when the relaxation needs none moved, or cannot reach the bound at all."""
        if not candidates:
            return []
        i = self.row_of[fid]
        n, k = self.matrix.shape[1], len(candidates)
        rows = np.array([self.row_of[f] for f in candidates], dtype=np.int64)
        slack = csr_array(
            (
                np.concatenate([-np.ones(k), np.ones(k)]),
                (np.concatenate([rows, rows]), np.arange(2 * k)),
            ),
            shape=(self.matrix.shape[0], 2 * k),
        )
        lower, upper = self._bounds_for(i, at_least, at_most, None)
        self.solves += 1
        result = milp(
            np.concatenate([np.zeros(n), np.ones(2 * k)]),
            integrality=np.zeros(n + 2 * k),
            bounds=Bounds(0, self.big),
            constraints=LinearConstraint(hstack([self.matrix, slack]), lower, upper),
            options={"time_limit": SOLVER_SECONDS},
        )
        if result.x is None:
            return []
        moved = result.x[n : n + k] + result.x[n + k :]
        order = sorted(range(k), key=lambda q: (-round(float(moved[q]), 6), q))
        return [candidates[q] for q in order if moved[q] > 1e-6]

    def extreme(self, fid, sign):
        """The least (sign 1) or greatest (sign -1) value of a figure the reader can reach."""
        i = self.row_of[fid]
        direction = sign * self.matrix[[i]].toarray()[0]
        result = milp(
            direction,
            integrality=np.ones(self.matrix.shape[1]),
            bounds=Bounds(0, self.big),
            constraints=LinearConstraint(self.matrix, self.lower, self.upper),
            options={"time_limit": SOLVER_SECONDS},
        )
        if result.x is None:
            return None
        return int(np.round((self.matrix[[i]] @ np.round(result.x))[0]))

    def checked(self):
        """The figures the check is about: hidden ones and the counts of withheld groups."""
        return [fid for i, fid in enumerate(self.ids) if self.kind[i] != "shown"]


def _blocks(types, n_tables):
    """Split the tables into independent blocks: [(table positions, the types projected on
    them, sorted)], such that the types are exactly every combination of their blocks' types
    (gender answered apart from race, say): the same integer program with far fewer
    variables."""

    def project(positions):
        return {tuple(ty[i] for i in positions) for ty in types}

    blocks = []
    remaining = list(range(n_tables))
    while remaining:
        first, others = remaining[0], remaining[1:]
        chosen = remaining
        if len(remaining) <= 12:
            for size in range(len(others) + 1):
                found = None
                for extra in itertools.combinations(others, size):
                    block = (first, *extra)
                    rest = [i for i in remaining if i not in block]
                    if not rest or len(project(remaining)) == len(project(block)) * len(
                        project(rest)
                    ):
                        found = list(block)
                        break
                if found:
                    chosen = found
                    break
        kinds = sorted(project(chosen), key=lambda ty: [(c is None, c or "") for c in ty])
        blocks.append((tuple(chosen), kinds))
        remaining = [i for i in remaining if i not in chosen]
    return blocks


def _floor(program, fid):
    return 0 if program.kind[program.row_of[fid]] == "withheld" else program.hidden_floor


def _violations(program, fids, truth, settings, seed=True):
    """(figure id, message) for each of `fids` whose feasible range does not cover its
    protection interval (`seed`: start with the two solves of `_Program.seed`)."""
    fids = [fid for fid in fids if truth[fid] < settings.threshold]
    if seed or not program.solutions:
        program.seed(fids)
    out = []
    for fid in fids:
        t = truth[fid]
        p = settings.protection
        if 1 <= t < settings.threshold:
            p = max(p, 1)
        low = max(_floor(program, fid), t - p)
        high = t + p
        if not program.reaches(fid, at_most=low):
            out.append(
                (fid, f"{_name(fid)}: the reader can show it is above {low}", {"at_most": low})
            )
        elif not program.reaches(fid, at_least=high):
            out.append(
                (fid, f"{_name(fid)}: the reader can show it is below {high}", {"at_least": high})
            )
    return out


def _name(fid):
    return "/".join(str(part) for part in fid)


def _lines(fid, tables_by_key, groups):
    """The figures that share an equation with `fid`, nearest first: ([same line], [same
    group, other tables], [same table])."""
    kind, table = fid[0], fid[1]
    spec = tables_by_key[table]
    near: list[FigureId]

    def row_line(g) -> list[FigureId]:
        out: list[FigureId] = [("cell", table, g, c) for c in spec.columns]
        if spec.row_totals:
            out.append(("total", table, g))
        return out

    def column_line(c) -> list[FigureId]:
        out: list[FigureId] = [("cell", table, g, c) for g in groups]
        if spec.column_totals:
            out.append(("column_total", table, c))
        return out

    grand: list[FigureId] = [("grand_total", table)] if spec.grand_total else []
    if kind == "cell":
        near = row_line(fid[2]) + column_line(fid[3])
    elif kind == "total":
        near = row_line(fid[2]) + [("total", table, g) for g in groups] + grand
    elif kind == "column_total":
        near = column_line(fid[2]) + [("column_total", table, c) for c in spec.columns] + grand
    else:
        near = [("total", table, g) for g in groups]
        near += [("column_total", table, c) for c in spec.columns]
    group_wide: list[FigureId] = []
    if kind in ("cell", "total"):
        for other in tables_by_key.values():
            if other.key == table:
                continue
            group_wide += [("cell", other.key, fid[2], c) for c in other.columns]
            if other.row_totals:
                group_wide.append(("total", other.key, fid[2]))
    everything: list[FigureId] = [("cell", table, g, c) for g in groups for c in spec.columns]
    everything += [("total", table, g) for g in groups]
    everything += [("column_total", table, c) for c in spec.columns] + grand
    return near, group_wide, everything


def _hide_zeros(tables, program, free, groups):
    """Hide the shown zeros of a row or column (of one table) whose non-zero cells are all
    hidden or withheld, and that has one at least. Repeats until nothing changes."""
    kind = {fid: program.kind[i] for i, fid in enumerate(program.ids)}
    value = {fid: program.value[i] for i, fid in enumerate(program.ids)}
    changed = True
    while changed:
        changed = False
        for t in tables:
            lines = [[("cell", t.key, g, c) for c in t.columns] for g in groups]
            lines += [[("cell", t.key, g, c) for g in groups] for c in t.columns]
            for line in lines:
                if not any(kind[f] != "shown" for f in line):
                    continue
                if any(kind[f] == "shown" and value[f] for f in line):
                    continue
                for f in line:
                    if kind[f] == "shown" and f in free:
                        program.hide(f)
                        kind[f], value[f] = "hidden", None
                        changed = True


def _protect(tables, published, truth, free, settings, types) -> bool:
    """Grow the hidden figures of `published` (in place) until the reader's integer program
    finds no violation; False when no more figure can be hidden and one remains."""
    if not tables:
        return True
    program = _Program(tables, published, settings, types)
    groups = program.groups
    if settings.hide_zeros_when_needed:
        _hide_zeros(tables, program, free, groups)
    tables_by_key = {t.key: t for t in tables}
    order = {fid: i for i, fid in enumerate(program.ids)}
    first = program.checked()

    def violations(pending):
        return _violations(program, pending, truth, settings, seed=pending is first)

    if not _hide_until_protected(program, first, violations, free, settings, tables_by_key, order):
        return False
    _write_hidden(published, program)
    return True


def _hide_until_protected(
    program, pending, violations, free, settings, tables_by_key, order, watched=None
) -> bool:
    """Hide a complement for each violation `violations(pending)` finds, then check again the
    violating figures and the newly hidden ones (of those, only `watched` when given), until
    none is found; False when a violation is left with no complement."""
    while pending:
        found = violations(pending)
        if not found:
            break
        newly = []
        for fid, _message, side in found:
            choice = _complement(
                program, fid, side, free, settings, tables_by_key, program.groups, order
            )
            if choice is not None:
                program.hide(choice)
                newly.append(choice)
        if not newly:
            return False
        fresh = set(newly) if watched is None else set(newly) & watched
        pending = sorted({f for f, _m, _s in found} | fresh, key=order.__getitem__)
    return True


def _complement(program, fid, side, free, settings, tables_by_key, groups, order):
    """The figure to hide for a violation of `fid`: among the shown figures of fresh groups and
    fresh totals that share an equation with it (nearest equations first, smallest value
    first), the first of up to TRIED_COMPLEMENTS whose hiding alone mends the violation, else
    the first; None when there is none."""
    candidates, seen = [], set()
    for pool in _lines(fid, tables_by_key, groups):
        found = []
        for f in pool:
            i = program.row_of.get(f)
            if f in seen or f not in free or i is None or program.kind[i] != "shown":
                continue
            if program.value[i] or settings.hide_zeros_when_needed:
                found.append(f)
                seen.add(f)
        found.sort(
            key=lambda f: (
                program.value[program.row_of[f]] == 0,
                program.value[program.row_of[f]],
                order[f],
            )
        )
        candidates += found
    if not candidates:
        return None
    anywhere = [
        f
        for i, f in enumerate(program.ids)
        if f in free
        and f not in seen
        and program.kind[i] == "shown"
        and (program.value[i] or settings.hide_zeros_when_needed)
    ]
    moved = program.movers(fid, candidates + anywhere, **side)
    if moved:
        return moved[0]
    tried = candidates[:TRIED_COMPLEMENTS]
    for f in tried:
        if program.reaches_without(f, fid, **side):
            return f
    for f in tried:
        if program.may_reach_without(f, fid, **side):
            return f
    return candidates[0]


def _write_hidden(published, program):
    for i, fid in enumerate(program.ids):
        if program.kind[i] != "hidden":
            continue
        body = published["tables"][fid[1]]
        if fid[0] == "cell":
            body["rows"][fid[2]]["cells"][fid[3]] = {"hidden": True}
        elif fid[0] == "total":
            body["rows"][fid[2]]["total"] = {"hidden": True}
        elif fid[0] == "column_total":
            body["column_totals"][fid[2]] = {"hidden": True}
        else:
            body["grand_total"] = {"hidden": True}


# --- the attacker, for everyone ----------------------------------------------------------------


def ranges(
    tables: Sequence[TableSpec],
    published: dict,
    *,
    settings: Settings,
    types: Collection[Mapping[str, str | None]] | None = None,
) -> dict:
    """{figure id: (least, greatest)} the reader can reach for every hidden figure and every
    count of a withheld group, from `published` alone (greatest None: unbounded)."""
    tables = tuple(tables)
    if published.get("withheld_reason") or not tables:
        return {}
    program = _Program(tables, published, settings, _normal_types(types, tables))
    out = {}
    for fid in program.checked():
        low = program.extreme(fid, 1)
        high = program.extreme(fid, -1)
        out[fid] = (low, None if high is None or high >= program.big / 2 else high)
    return out


def audit(
    tables: Sequence[TableSpec],
    published: dict,
    *,
    settings: Settings,
    truth: Mapping | None = None,
    types: Collection[Mapping[str, str | None]] | None = None,
) -> list[str]:
    """The attacker: the reader's integer program over `published` alone. Returns violations:
    with `truth` ({figure id: true count}, e.g. from `true_figures`), every hidden figure and
    every count of a withheld group whose feasible range does not cover its protection interval;
    without it, those whose range is narrower than `protection` or pins a count of 1 to
    threshold - 1. Empty: protected."""
    tables = tuple(tables)
    if published.get("withheld_reason") or not tables:
        return []
    program = _Program(tables, published, settings, _normal_types(types, tables))
    fids = program.checked()
    if truth is not None:
        return [m for _f, m, _side in _violations(program, fids, truth, settings)]
    out = []
    for fid in fids:
        low = program.extreme(fid, 1)
        high = program.extreme(fid, -1)
        if low is None or high is None:
            out.append(f"{_name(fid)}: the release is inconsistent")
        elif low == high and 1 <= low < settings.threshold:
            out.append(f"{_name(fid)}: pinned at {low}")
        elif high - low < settings.protection and low < settings.threshold:
            out.append(f"{_name(fid)}: between {low} and {high} only")
    return out


# --- across releases ---------------------------------------------------------------------------
# The state keeps a *view* of what this release published (every figure: shown with its value,
# hidden, or a count of a withheld group; with its true count then) and the *kept* counts: every
# count ever checked as small (hidden or withheld, true count below the threshold), with the
# interval around its true count the reader must not narrow, relative to that count. The next
# cut audits its own figures jointly with the view and the kept counts (module docstring,
# "Across releases").


def _figure_ids(tables, groups) -> list[FigureId]:
    out: list[FigureId] = []
    for t in tables:
        for g in groups:
            out += [("cell", t.key, g, c) for c in t.columns]
            if t.row_totals:
                out.append(("total", t.key, g))
        if t.column_totals:
            out += [("column_total", t.key, c) for c in t.columns]
        if t.grand_total:
            out.append(("grand_total", t.key))
    return out


def _cells_of(fid, tables_by_key, groups):
    """The cells whose sum a figure is, as the tables and groups are now; None when the figure
    names a table, group or column that is gone."""
    spec = tables_by_key.get(fid[1])
    if spec is None:
        return None
    kind = fid[0]
    if kind == "cell":
        return [fid] if fid[2] in groups and fid[3] in spec.columns else None
    if kind == "total":
        return [("cell", spec.key, fid[2], c) for c in spec.columns] if fid[2] in groups else None
    if kind == "column_total":
        return [("cell", spec.key, g, fid[2]) for g in groups] if fid[2] in spec.columns else None
    return [("cell", spec.key, g, c) for g in groups for c in spec.columns]


def _code(published, fid):
    """(0 shown | 1 hidden | 2 a count of a withheld group, the shown value or 0)."""
    body = published["tables"][fid[1]]
    if fid[0] in ("cell", "total"):
        row = body["rows"][fid[2]]
        if row["status"] == "withheld":
            return 2, 0
        fig = row["cells"][fid[3]] if fid[0] == "cell" else row["total"]
    elif fid[0] == "column_total":
        fig = body["column_totals"][fid[2]]
    else:
        fig = body["grand_total"]
    return (1, 0) if fig.get("hidden") else (0, int(fig["value"]))


def _view(tables, groups, published, truth, previous):
    """What the reader knows of every figure after this release, from this release and every
    earlier one: [figure id, low, bounded, high], the figure's count is in [true + low, true +
    high] (no upper end when bounded is 0). The change since a release being known, a bound
    relative to the true count holds at every later release: the knowledge of all releases is
    one interval per figure. Every figure id of the topic is there whatever is hidden, so that
    the sealed state's length does not follow the pattern."""
    tables_by_key = {t.key: t for t in tables}
    d, threshold = published["max_noise"], published["threshold"]
    floor = 0 if published["zeros_may_be_hidden"] else 1
    old = {fid: (low, high) for fid, low, high in _read_view(previous)}
    rows = []
    for fid in _figure_ids(tables, groups):
        code, value = _code(published, fid)
        count = sum(truth[c] for c in _cells_of(fid, tables_by_key, groups))
        if code == 2:
            low, high = -count, None
        elif code == 1:
            low, high = floor - count, None
        elif value == 0:
            low, high = 0, 0
        else:
            low, high = max(threshold, value - d, 1) - count, value + d - count
        if fid in old:
            before = old[fid]
            low = max(low, before[0])
            high = (
                before[1] if high is None else high if before[1] is None else min(high, before[1])
            )
        rows.append([list(fid), low, int(high is not None), high or 0])
    return {"rows": rows}


def _read_view(state):
    view = (state or {}).get("view") or {}
    return [
        (tuple(fid), low, high if bounded else None)
        for fid, low, bounded, high in view.get("rows", [])
    ]


def _small(code, count, settings, hidden_floor):
    """(low, high) offsets from the true count of the interval a checked count keeps."""
    p = max(settings.protection, 1) if count else settings.protection
    floor = 0 if code == 2 else hidden_floor
    return max(floor - count, -p), p


def _kept(tables, groups, published, truth, settings, previous):
    """The kept counts after this release: those of `previous` whose figure still exists, and
    every hidden figure and withheld count of this release whose true count is below the
    threshold. Listed for every figure id (flag 0: none kept), so that the length is fixed."""
    tables_by_key = {t.key: t for t in tables}
    floor = 0 if published["zeros_may_be_hidden"] else 1
    old = {tuple(fid): (low, high) for fid, low, high in _read_kept(previous)}
    rows = []
    for fid in _figure_ids(tables, groups):
        code, _value = _code(published, fid)
        count = sum(truth[c] for c in _cells_of(fid, tables_by_key, groups))
        interval = old.get(fid)
        checked = code == 1 or (code == 2 and fid[0] == "cell")
        if checked and count < settings.threshold:
            low, high = _small(code, count, settings, floor)
            interval = (low, high) if interval is None else tuple(map(max, interval, (low, high)))
        rows.append([list(fid), 0, 0, 0] if interval is None else [list(fid), 1, *interval])
    return rows


def _read_kept(state):
    if not state:
        return []
    return [(tuple(fid), low, high) for fid, flag, low, high in state.get("kept") or [] if flag]


def _extend(program, rows):
    """Add rows to the reader's program: [(row id, cells, lower, upper, kind)], each the sum of
    the program's rows of `cells` bounded by [lower, upper]; `kind` is not "shown", "hidden" or
    "withheld", so that the single-release check and the hiding leave them alone."""
    if not rows:
        return
    n = program.n_figures
    lines = []
    for _id, cells, _lo, _hi, _kind in rows:
        lines.append(program.matrix[[program.row_of[c] for c in cells]].sum(axis=0))
    extra = csr_array(np.array(lines, dtype=float).reshape(len(rows), program.matrix.shape[1]))
    matrix = program.matrix
    program.matrix = vstack([matrix[:n], extra, matrix[n:]], format="csr")
    program.lower = np.concatenate([program.lower[:n], [r[2] for r in rows], program.lower[n:]])
    program.upper = np.concatenate([program.upper[:n], [r[3] for r in rows], program.upper[n:]])
    program.ids = program.ids + [r[0] for r in rows]
    program.kind = program.kind + [r[4] for r in rows]
    program.value = program.value + [None] * len(rows)
    program.row_of = {fid: i for i, fid in enumerate(program.ids)}
    program.n_figures = len(program.ids)
    program.derive()  # the rows moved, and a point of the pool may not satisfy the new ones


def _joint(tables, published, truth, free, settings, types, previous):
    """The reader's program over this release with what the earlier releases told (the view:
    one interval per figure, relative to its true count, which moves by the known change: the
    worst-case reader knows who changed and how) and a row for each kept count; -> (program,
    {row id: (low, high) the kept count's range must reach})."""
    program = _Program(tables, published, settings, types)
    groups = program.groups
    tables_by_key = {t.key: t for t in tables}
    rows = []
    for fid, low, high in _read_view(previous):
        cells = _cells_of(fid, tables_by_key, groups)
        if cells is None:
            continue
        now = sum(truth[c] for c in cells)
        lo, hi = now + low, math.inf if high is None else now + high
        i = program.row_of.get(fid)
        if i is not None and fid not in free and lo <= program.lower[i] and hi >= program.upper[i]:
            continue  # a carried figure that says as much (a fresh one may be hidden yet)
        rows.append(((*fid, "earlier"), cells, lo, hi, "earlier"))
    kept = {}
    for fid, low, high in _read_kept(previous):
        cells = _cells_of(fid, tables_by_key, groups)
        if cells is None:
            continue
        now = sum(truth[c] for c in cells)
        row = fid if fid in program.row_of else (*fid, "kept")
        if row != fid:
            rows.append((row, cells, -math.inf, math.inf, "kept"))
        kept[row] = (now + low, now + high)
    _extend(program, rows)
    return program, kept


def _baseline(program, fid, sign, cache):
    """The least (sign 1) or greatest (sign -1, None: unbounded) value of a row the reader can
    reach from the earlier releases alone (this release's figures left out): what this release
    cannot be asked to hide."""
    if (fid, sign) not in cache:
        mine = np.array([kind in ("shown", "hidden", "withheld") for kind in program.kind])
        mine = np.concatenate([mine, np.zeros(program.matrix.shape[0] - len(mine), bool)])
        result = milp(
            sign * program.matrix[[program.row_of[fid]]].toarray()[0],
            integrality=np.ones(program.matrix.shape[1]),
            bounds=Bounds(0, program.big),
            constraints=LinearConstraint(
                program.matrix,
                np.where(mine, -np.inf, program.lower),
                np.where(mine, np.inf, program.upper),
            ),
            options={"time_limit": SOLVER_SECONDS},
        )
        value = None
        if result.x is not None:
            value = int(np.round((program.matrix[[program.row_of[fid]]] @ np.round(result.x))[0]))
            if sign < 0 and value >= program.big / 2:
                value = None
        cache[fid, sign] = value
    return cache[fid, sign]


def _across_violations(program, fids, wanted, cache):
    """(figure id, message, side) for each of `fids` whose range does not reach both ends of
    its wanted interval, each end asked only as far as the earlier releases and the known
    changes allow (`_baseline`: a count shown as 0 before, and known to be unchanged, is 0
    whatever this release hides; this release is not asked to undo that)."""
    program.seed(fids)
    out = []
    for fid in fids:
        low, high = wanted[fid]
        if not program.reaches(fid, at_most=low):
            floor = _baseline(program, fid, 1, cache)
            low = max(low, floor) if floor is not None else low
            if not program.reaches(fid, at_most=low):
                message = f"{_name(fid)}: with earlier releases, it is above {low}"
                out.append((fid, message, {"at_most": low}))
                continue
        if not program.reaches(fid, at_least=high):
            ceiling = _baseline(program, fid, -1, cache)
            high = min(high, ceiling) if ceiling is not None else high
            if not program.reaches(fid, at_least=high):
                message = f"{_name(fid)}: with earlier releases, it is below {high}"
                out.append((fid, message, {"at_least": high}))
    return out


def _protect_across(tables, published, truth, free, settings, types, previous) -> bool:
    """Grow the hidden figures of `published` (in place, after `_protect`) until the reader's
    joint program over this release, the earlier ones (the view) and the kept counts finds no
    violation: every hidden figure and withheld count of this release below the threshold
    reaching [true - P, true + P] (clipped as `_violations` clips it), and every kept count
    its interval, as far as the earlier releases allow. Complements are chosen as `_protect`
    chooses them (figures of fresh groups and fresh totals only); False when none is left."""
    program, kept = _joint(tables, published, truth, free, settings, types, previous)
    tables_by_key = {t.key: t for t in tables}
    order = {fid: i for i, fid in enumerate(program.ids)}
    wanted = dict(kept)
    for fid in program.checked():
        if fid not in truth or truth[fid] >= settings.threshold:
            continue
        t = truth[fid]
        p = max(settings.protection, 1) if t else settings.protection
        low, high = max(_floor(program, fid), t - p), t + p
        if fid in wanted:
            low, high = min(low, wanted[fid][0]), max(high, wanted[fid][1])
        wanted[fid] = (low, high)
    cache: dict[tuple[FigureId, int], int | None] = {}  # _baseline's answers

    def violations(pending):
        return _across_violations(program, pending, wanted, cache)

    pending = sorted(wanted, key=order.__getitem__)
    if not _hide_until_protected(
        program, pending, violations, free, settings, tables_by_key, order, watched=set(wanted)
    ):
        return False
    _write_hidden(published, program)
    return True

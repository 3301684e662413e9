"""An attacker over several consecutive releases of one topic, taken jointly (issue 14,
"Suppression patterns carried across releases"): written apart from the engine (its own
variables and constraints, scipy's milp directly), so that it checks the engine's joint
audit rather than repeating it.

What the reader knows, worst case:
- every release's figures: a shown value v stands for [max(threshold, v - D), v + D], a shown
  0 for 0, a hidden figure for >= 1 (>= 0 when zeros may be hidden), a withheld group's counts
  only through the totals (>= 0);
- exactly how every group changed between two releases, column by column of every table (who
  joined, left or changed and how; as bench/bench_releases.py's attacker does for one person):
  a carried group's counts are the same, a fresh or withheld group's counts moved by known
  amounts. The numbers of a group's units in no column of a table (and so the group's size)
  are not linked across releases.

Variables: per release, group, table and column (and "in no column"), with the same group size
across the tables of a release; the links make the counts of release k those of release k - 1
moved by the known change."""

import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from belong.lib.releases import true_figures


class Series:
    """Consecutive releases of one topic and the true counts behind each: a carried group as of
    its figures, every other group as now (`add` the units of each release as the engine saw
    them, without the ones that must leave)."""

    def __init__(self, tables, groups, settings):
        self.tables, self.groups, self.settings = tables, groups, settings
        self.released, self.truths = [], []
        self.as_of = {g: [] for g in groups}  # each group's units as of its last figures

    def add(self, published, units):
        if published["withheld_reason"] is not None:
            # Nothing published; the engine's state stays the earlier one.
            assert all(not body.get("rows") for body in published["tables"].values())
            return
        status = next(iter(published["tables"].values()))["rows"]
        now = {g: [u for u in units if u.group == g] for g in self.groups}
        chosen = []
        for g in self.groups:
            chosen += self.as_of[g] if status[g]["status"] == "carried" else now[g]
            if status[g]["status"] == "fresh":
                self.as_of[g] = now[g]
        self.released.append(published)
        self.truths.append(true_figures(self.tables, self.groups, chosen))

    def violations(self):
        """The joint attacker's violations over the first release, the first two, ... every
        release so far: what each release added, with every earlier one and every change known."""
        out = []
        for k in range(1, len(self.released) + 1):
            program = Joint(
                self.tables, self.groups, self.released[:k], self.truths[:k], self.settings
            )
            out += [(k - 1, *found) for found in program.violations()]
        return out


class Joint:
    """The joint integer program over `releases` (published dicts, oldest first) whose true
    figures are `truths` (as `counted` gives them); the change between two releases is taken
    from the truths (the worst-case reader knows it)."""

    def __init__(self, tables, groups, releases, truths, settings):
        self.tables, self.groups, self.settings = tables, groups, settings
        self.releases, self.truths = releases, truths
        var = {}
        eq = []  # (coefficients, value)
        self.rows = []  # (release, fid, coefficients, lower, upper, kind)
        for k, published in enumerate(releases):
            d = published["max_noise"]
            floor = 0 if published["zeros_may_be_hidden"] else 1
            for g in groups:
                size = var.setdefault((k, "size", g), len(var))
                for t in tables:
                    line = {
                        var.setdefault((k, g, t.key, c), len(var)): 1 for c in (*t.columns, None)
                    }
                    line[size] = -1
                    eq.append((line, 0))
            if published["withheld_reason"]:
                continue
            for t in tables:
                body = published["tables"][t.key]
                for g in groups:
                    row = body["rows"][g]
                    withheld = row["status"] == "withheld"
                    for c in t.columns:
                        fig = None if withheld else row["cells"][c]
                        self._add(k, ("cell", t.key, g, c), {var[k, g, t.key, c]: 1}, fig, d, floor)
                    if t.row_totals and not withheld:
                        coefficients = {var[k, g, t.key, c]: 1 for c in t.columns}
                        self._add(k, ("total", t.key, g), coefficients, row["total"], d, floor)
                if "column_totals" in body:
                    for c in t.columns:
                        coefficients = {var[k, g, t.key, c]: 1 for g in groups}
                        fig = body["column_totals"][c]
                        self._add(k, ("column_total", t.key, c), coefficients, fig, d, floor)
                if "grand_total" in body:
                    coefficients = {var[k, g, t.key, c]: 1 for g in groups for c in t.columns}
                    self._add(
                        k, ("grand_total", t.key), coefficients, body["grand_total"], d, floor
                    )
        # The links: the counts of release k are those of release k - 1 moved by the change.
        for k in range(1, len(releases)):
            for g in groups:
                for t in tables:
                    for c in t.columns:
                        fid = ("cell", t.key, g, c)
                        change = truths[k][fid] - truths[k - 1][fid]
                        eq.append(({var[k, g, t.key, c]: 1, var[k - 1, g, t.key, c]: -1}, change))
        self.var = var
        lines = [coefficients for _k, _f, coefficients, _lo, _hi, _kind in self.rows]
        lines += [coefficients for coefficients, _v in eq]
        lower = [lo for _k, _f, _c, lo, _hi, _kind in self.rows] + [v for _c, v in eq]
        upper = [hi for _k, _f, _c, _lo, hi, _kind in self.rows] + [v for _c, v in eq]
        data, indices, indptr = [], [], [0]
        for line in lines:
            for j in sorted(line):
                indices.append(j)
                data.append(float(line[j]))
            indptr.append(len(indices))
        self.matrix = csr_array(
            (np.array(data), np.array(indices), np.array(indptr)), shape=(len(lines), len(var))
        )
        self.lower, self.upper = np.array(lower, float), np.array(upper, float)
        self.big = 10 * (sum(sum(t.values()) for t in truths) + 100)

    def _add(self, k, fid, coefficients, fig, d, floor):
        threshold = self.releases[k]["threshold"]
        if fig is None:
            self.rows.append((k, fid, coefficients, 0.0, math.inf, "withheld"))
        elif fig.get("hidden"):
            self.rows.append((k, fid, coefficients, float(floor), math.inf, "hidden"))
        elif fig["value"] == 0:
            self.rows.append((k, fid, coefficients, 0.0, 0.0, "shown"))
        else:
            v = fig["value"]
            lo, hi = max(threshold, v - d, 1), v + d
            self.rows.append((k, fid, coefficients, float(lo), float(hi), "shown"))

    def extreme(self, coefficients, sign, before=None):
        """The least (sign 1) or greatest (sign -1; None: unbounded) value of an expression,
        from every release, or (`before` k) from the releases before k alone."""
        objective = np.zeros(len(self.var))
        for j, a in coefficients.items():
            objective[j] = sign * a
        lower, upper = self.lower, self.upper
        if before is not None:
            later = np.array(
                [k >= before for k, *_rest in self.rows] + [False] * (len(lower) - len(self.rows))
            )
            lower, upper = np.where(later, -np.inf, lower), np.where(later, np.inf, upper)
        result = milp(
            objective,
            integrality=np.ones(len(self.var)),
            bounds=Bounds(0, self.big),
            constraints=LinearConstraint(self.matrix, lower, upper),
            options={"time_limit": 60},
        )
        assert result.x is not None, "the releases are inconsistent with their own truth"
        value = round(float(objective @ np.round(result.x)) * sign)
        return None if sign < 0 and value >= self.big / 2 else value

    def targets(self):
        """(release, fid, coefficients, kind) of every hidden figure and withheld count."""
        return [(k, f, c, kind) for k, f, c, _lo, _hi, kind in self.rows if kind != "shown"]

    def violations(self):
        """Every hidden figure and every count of a withheld group, of any of the releases,
        whose true count is below the threshold and whose feasible range does not cover
        [true - P, true + P] (P = protection, at least 1; the lower end clipped at what the
        reader knows: 0 for a withheld count, the hidden floor for a hidden figure) or that
        the reader recovers exactly: by the newest release. An end that the known changes and
        the releases before the newest already put out of reach is asked only as far as they
        allow (a count shown as 0 and known to be unchanged since is 0, whatever a later release
        hides; a cell seven people are known to have left since had at least 7, and a total of
        that release bounds the other cells by it: the newest release cannot undo that)."""
        out = []
        s = self.settings
        for k, fid, coefficients, kind in self.targets():
            truth = self.truths[k][fid]
            if truth >= s.threshold:
                continue
            floor = 0 if kind == "withheld" or self.releases[k]["zeros_may_be_hidden"] else 1
            p = max(s.protection, 1) if truth else s.protection
            low, high = self.extreme(coefficients, 1), self.extreme(coefficients, -1)
            assert low <= truth and (high is None or high >= truth), (k, fid, truth, low, high)
            want_low, want_high = max(floor, truth - p), truth + p
            if low > want_low or (high is not None and high < want_high):
                newest = len(self.releases) - 1
                earlier_low = self.extreme(coefficients, 1, before=newest)
                earlier_high = self.extreme(coefficients, -1, before=newest)
                want_low = max(want_low, earlier_low)
                if earlier_high is not None:
                    want_high = min(want_high, earlier_high)
            if low == high and want_low < want_high:
                out.append((k, fid, truth, low, high, "recovered exactly"))
            elif low > want_low or (high is not None and high < want_high):
                out.append((k, fid, truth, low, high, "narrower than the interval"))
        return out

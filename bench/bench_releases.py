"""The release engine (belong.lib.releases): differencing attacks, utility and speed.

1. Differencing (issue 14). Over at least 1,000 trials: a random population, a release, one
   random person changes (answers and consents: joins with an answer; revokes: `departed`;
   joins; leaves), the next release, and an attacker who knows who changed, how, and in which
   group, knows D and the p-table, and guesses the person's race column (or "none") from the
   difference of the two releases. The attacker's best strategy here: the exact likelihood of
   every published difference under each guess (a shown figure moved by d has likelihood
   P(dev_new - dev_old = d - true change), the convolution of the p-table with itself), the
   figures of the changed group and every total, times the prior (the population's true
   shares, more than any reader knows), argmax. The printed accuracy sits beside the base-rate
   guess (the most common column). The bound the engine is held to: **the attacker's accuracy
   is within 5 points of the base rate** (one person's change never moves the group's own
   figures: the group is carried or withheld; only the totals move, with fresh noise on every
   one of them).
2. Utility: the share of published cells (inner cells of every table) an analyst can read,
   and their mean absolute error against the truth, for the demo itself (the representation
   topic of `load_demo`, gathered as a release gathers it), a demo-sized representation topic
   (400 people, 8 groups, the demo's answer shares) and at 50,000 people, beside today's
   engine (belong.lib.disclosure.publish_table, exact, one table at a time); why each
   hidden cell is hidden (a count of 1 to 10, a count perturbed below 11, a zero, a
   complementary cell), and two upper bounds measured from the truth with the release's ratio
   to each: the cells whose true count is 0 or at least 11 (no engine with threshold 11 shows
   more), and those left once issue 14's zero rule hides the zeros of every line whose non-zero
   cells are all hidden (no release of this engine shows more). A shown zero counts as
   readable, a hidden one does not.
3. Speed: a cut of the representation topic (five tables, their types) at 50,000 people,
   including the protection check, as a ratio to a floor measured in the same run (one plain
   Python pass tallying the same units into the five tables), beside today's computation (the
   tally plus publish_table on each table). Nothing about time is asserted.

Run it alone with `.venv/bin/python -m bench bench_releases` (the demo is loaded into the
temporary SQLite database `python -m bench` makes; the rest needs no database)."""

import json
import math
import random
import time
from collections import Counter

from belong.lib.disclosure import publish_table
from belong.lib.releases import (
    KEY_SPACE,
    Settings,
    TableSpec,
    Unit,
    _salt,
    cut,
    deviation,
    ptable,
    true_figures,
)
from bench.harness import median_time

SEED = 14
SECRET = b"bench secret"
SETTINGS = Settings()
TRIALS = 1000
WORLDS = 25

# --- a representation-like topic ---------------------------------------------------------------

RACES = ("aian", "asian", "black", "nhpi", "white", "other", "two", "prefer")
GENDERS = ("woman", "man", "another", "prefer")
TABLES = (
    TableSpec("race", RACES, True, True, True),
    TableSpec("hispanic", ("yes", "no"), True, True, True),
    TableSpec("urim", ("yes", "no"), True, True, True),
    TableSpec("gender", GENDERS, True, True, True),
    TableSpec("answered", ("yes", "no"), True, True, True),
)
# Race shares like the demo's (belong/home/demo.py): white 58, black 12, asian 10, Hispanic
# origin 9, two or more 3, American Indian 2, MENA (white) 2; 4% prefer not to say; 10% did
# not answer.
RACE_WEIGHTS = {"aian": 2, "asian": 10, "black": 12, "nhpi": 0.5, "white": 62, "other": 5, "two": 3}
URIM = {"aian", "black", "nhpi"}


def types():
    """Every combination of cells a person can have (the representation dashboard's rules)."""
    out = []
    for gender in (*GENDERS, None):
        out.append({"answered": "no", "gender": gender})
        out.append({"answered": "yes", "race": "prefer", "gender": gender})
        for race in RACES[:-1]:
            for hispanic in ("yes", "no"):
                for urim in ("yes", "no"):
                    out.append(
                        {
                            "answered": "yes",
                            "race": race,
                            "hispanic": hispanic,
                            "urim": urim,
                            "gender": gender,
                        }
                    )
    return out


def answers(rng):
    cells = {}
    if rng.random() < 0.9:
        cells["answered"] = "yes"
        if rng.random() < 0.04:
            cells["race"] = "prefer"
        else:
            race = rng.choices(list(RACE_WEIGHTS), list(RACE_WEIGHTS.values()))[0]
            hispanic = "yes" if race == "other" or rng.random() < 0.05 else "no"
            urim = race in URIM or hispanic == "yes" or (race == "two" and rng.random() < 0.5)
            cells |= {"race": race, "hispanic": hispanic, "urim": "yes" if urim else "no"}
    else:
        cells["answered"] = "no"
    if rng.random() < 0.9:
        cells["gender"] = rng.choices(GENDERS, [55, 40, 3, 2])[0]
    return cells


def population(rng, size, sizes):
    """`size` people over groups of relative `sizes`."""
    groups = [f"group {i:02d}" for i in range(len(sizes))]
    units = [
        Unit(f"p{n}", rng.randrange(KEY_SPACE), rng.choices(groups, sizes)[0], answers(rng))
        for n in range(size)
    ]
    return groups, units


def demo_population(rng):
    # Like the demo: two residency programs of 70, other trainees, faculty 90, staff 170; here
    # the programs split in five so that there are 8 groups.
    return population(rng, 400, [28, 28, 28, 28, 28, 5, 90, 165])


def large_population(rng):
    return population(rng, 50_000, [rng.paretovariate(1.1) for _ in range(40)])


# --- 1. differencing ---------------------------------------------------------------------------

DIFF_TABLES = (
    TableSpec("race", ("asian", "black", "white", "other", "prefer"), True, True, True),
    TableSpec("gender", ("woman", "man", "another"), True, True, True),
)
DIFF_RACES = {"asian": 10, "black": 12, "white": 62, "other": 8, "prefer": 4, None: 10}
CHANGES = ("answer and consent", "revoke", "join", "leave")


def diff_person(rng, n, group):
    race = rng.choices(list(DIFF_RACES), list(DIFF_RACES.values()))[0]
    cells = {"gender": rng.choices(("woman", "man", "another"), [55, 42, 3])[0]}
    if race:
        cells["race"] = race
    return Unit(f"p{n}", rng.randrange(KEY_SPACE), group, cells)


def noise_difference():
    """P(dev_new - dev_old = k) for two independent draws of the full p-table row."""
    row = [(d, n / KEY_SPACE) for d, n in ptable(SETTINGS.max_noise, SETTINGS.max_noise)]
    out = Counter()
    for a, pa in row:
        for b, pb in row:
            out[a - b] += pa * pb
    return out


def shown_values(published):
    out = {}
    for key, body in published["tables"].items():
        for group, row in body["rows"].items():
            for column, fig in row["cells"].items():
                if "value" in fig:
                    out["cell", key, group, column] = fig["value"]
            if "value" in row.get("total", {}):
                out["total", key, group] = row["total"]["value"]
        for column, fig in body.get("column_totals", {}).items():
            if "value" in fig:
                out["column_total", key, column] = fig["value"]
        if "value" in body.get("grand_total", {}):
            out["grand_total", key] = body["grand_total"]["value"]
    return out


def moved_by(guess, change, person_group):
    """{figure id: true change} if the person's race column is `guess` (None: no race), for a
    change that adds (+1) or removes (-1) the person; only figures the change can touch."""
    out = {("column_total", "race", c): 0 for c in DIFF_RACES if c}
    out["grand_total", "race"] = 0
    if guess is not None:
        out["column_total", "race", guess] = change
        out["grand_total", "race"] = change
    return out


def attack(before, after, person_group, change, prior, difference):
    """The attacker's guess of the race column: argmax of prior x likelihood of every shown
    figure that moved or could have moved (module docstring)."""
    old, new = shown_values(before), shown_values(after)
    if after["tables"]["race"]["rows"][person_group]["status"] == "carried":
        change = 0  # a carried group counts in the totals as of its figures: without the change
    best, best_score = None, -math.inf
    for guess, weight in prior.items():
        score = math.log(weight)
        for fid, true_change in moved_by(guess, change, person_group).items():
            if fid not in old or fid not in new:
                continue
            if old[fid] == new[fid] and _same_noise(before, after):
                if true_change:
                    score = -math.inf  # nothing moved, so the true count did not move
                continue
            p = difference.get(new[fid] - old[fid] - true_change, 0.0)
            score += math.log(p) if p else -math.inf
        # The changed group's own figures: carried (no move) or withheld (gone): no evidence.
        if score > best_score:
            best, best_score = guess, score
    return best


def _same_noise(before, after):
    """Whether the totals were carried (the same cell keys): then equal values mean equal
    counts."""
    return before["tables"]["race"].get("column_totals") == after["tables"]["race"].get(
        "column_totals"
    ) and before["tables"]["race"].get("grand_total") == after["tables"]["race"].get("grand_total")


def differencing(rng):
    difference = noise_difference()
    prior = {k: v / sum(DIFF_RACES.values()) for k, v in DIFF_RACES.items()}
    base_guess = max(prior, key=prior.get)
    hits = Counter()
    base_hits = Counter()
    counts = Counter()
    statuses = Counter()
    per_world = math.ceil(TRIALS / WORLDS)
    trial = 0
    for _world in range(WORLDS):
        groups = [f"g{i}" for i in range(4)]
        units = [diff_person(rng, n, rng.choice(groups)) for n in range(rng.randrange(120, 240))]
        first, state = cut(
            "diff", DIFF_TABLES, groups, units, None, settings=SETTINGS, secret=SECRET
        )
        for _ in range(per_world):
            change = CHANGES[trial % len(CHANGES)]
            trial += 1
            departed = ()
            if change in ("answer and consent", "join"):
                person = diff_person(rng, f"new{trial}", rng.choice(groups))
                if change == "answer and consent" and "race" not in person.cells:
                    person = Unit(
                        person.token,
                        person.record_key,
                        person.group,
                        {**person.cells, "race": "white"},
                    )
                after_units, sign = [*units, person], 1
            else:
                person = rng.choice(units)
                after_units, sign = [u for u in units if u.token != person.token], -1
                if change == "revoke":
                    departed = (person.token,)
            second, _ = cut(
                "diff",
                DIFF_TABLES,
                groups,
                after_units,
                state,
                settings=SETTINGS,
                secret=SECRET,
                departed=departed,
            )
            statuses[second["tables"]["race"]["rows"][person.group]["status"]] += 1
            truth = person.cells.get("race")
            guess = attack(first, second, person.group, sign, prior, difference)
            hits[change] += guess == truth
            base_hits[change] += base_guess == truth
            counts[change] += 1
    total = sum(counts.values())
    print(
        f"differencing: {total} trials (25 populations of 120-240 people in 4 groups; D = {SETTINGS.max_noise}, min_changes = {SETTINGS.min_changes})"
    )
    print(f"  the changed person's group after the change: {dict(statuses)}")
    for change in CHANGES:
        print(
            f"  {change:20} attacker {hits[change] / counts[change]:6.1%}   base rate {base_hits[change] / counts[change]:6.1%}   ({counts[change]} trials)"
        )
    attacker, base = sum(hits.values()) / total, sum(base_hits.values()) / total
    print(
        f"  {'all':20} attacker {attacker:6.1%}   base rate {base:6.1%}   (bound: within 5 points: {'kept' if attacker - base <= 0.05 else 'BROKEN'})"
    )


# --- 2. utility and 3. speed --------------------------------------------------------------------


def tally(tables, groups, units):
    """The floor: one plain pass counting the units into every table's cells."""
    index = {g: i for i, g in enumerate(groups)}
    out = {t.key: [[0] * len(t.columns) for _ in groups] for t in tables}
    position = {t.key: {c: j for j, c in enumerate(t.columns)} for t in tables}
    for unit in units:
        row = index[unit.group]
        for key, column in unit.cells.items():
            out[key][row][position[key][column]] += 1
    return out


def today(tables, groups, units):
    counts = tally(tables, groups, units)
    return {t.key: publish_table(counts[t.key]) for t in tables}


def folded(groups, units):
    """The groups and units a release counts: the representation topic's rule (a group of
    fewer people than the threshold is left out; the programs are already folded where the
    product folds them: the demo's own source does it, the synthetic groups have no program)."""
    from belong.insights.dashboards.representation import small_groups_folded

    kept, _left_out = small_groups_folded({n: unit.group for n, unit in enumerate(units)})
    return [g for g in groups if g in set(kept.values())], [units[n] for n in kept]


def utility(label, groups, units, *, tables=TABLES, unit_types=None):
    """The release of `units` (as the product folds them) beside today's engine on the same
    people before folding, as it published them."""
    unit_types = types() if unit_types is None else unit_types
    start = time.perf_counter()
    counts = tally(tables, groups, units)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    old = today(tables, groups, units)
    old_seconds = time.perf_counter() - start
    all_groups = len(groups)
    groups, units = folded(groups, units)
    same_rows = today(tables, groups, units)
    start, cpu = time.perf_counter(), time.process_time()
    published, _ = cut(
        "representation",
        tables,
        groups,
        units,
        None,
        settings=SETTINGS,
        secret=SECRET,
        types=unit_types,
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    truth = true_figures(tables, groups, units)
    shown = errors = cells = 0
    for key, body in published["tables"].items():
        for group, row in body["rows"].items():
            for column, fig in row["cells"].items():
                cells += 1
                if "value" in fig:
                    shown += 1
                    errors += abs(fig["value"] - truth["cell", key, group, column])
    why = hidden_causes(tables, groups, units, published, truth)
    bounds = readable_bounds(tables, groups, truth)
    old_cells = sum(len(c) * len(c[0]) for c in counts.values())
    old_shown = sum(not cell.hidden for t in old.values() for row in t.cells for cell in row)
    print(
        f"{label}: {len(units)} people, {len(groups)} groups, {len(tables)} tables ({cells} cells)"
        + (
            f"; {all_groups - len(groups)} group(s) of fewer than {SETTINGS.threshold} left out"
            if all_groups > len(groups)
            else ""
        )
    )
    print(
        f"  releases: readable {shown / cells:6.1%} of cells ({shown}), mean absolute error"
        f" {errors / max(shown, 1):.2f}"
    )
    print(
        f"    hidden: {why['primary']} counts 1-10, {why['perturbed']} counts >= 11 perturbed"
        f" below 11, {why['zeros']} zeros, {why['complementary']} complementary"
    )
    print(
        f"    at most readable with threshold 11 (true 0 or >= 11 shown, nothing else hidden):"
        f" {bounds['threshold'] / cells:6.1%} (releases at {shown / bounds['threshold']:.0%} of it);"
        f" with the zeros issue 14 hides too (a line whose non-zero cells are all hidden):"
        f" {bounds['zeros'] / cells:6.1%} (releases at {shown / bounds['zeros']:.0%} of it)"
    )
    print(
        f"  today   : readable {old_shown / old_cells:6.1%} of cells ({old_shown} of {old_cells},"
        f" all {all_groups} groups), mean absolute error 0 (exact)"
        + (
            f"; on the rows the release shows: {_readable(same_rows):6.1%}"
            if all_groups > len(groups)
            else ""
        )
    )
    print(
        f"  time: a cut with its protection check {seconds / floor:9.0f} x floor ({seconds:6.2f} s,"
        f" CPU {cpu:.2f} s: less than the time when the machine is busy);"
        f" today {old_seconds / floor:7.0f} x floor ({old_seconds * 1000:.0f} ms); floor (one tally"
        f" pass) {floor * 1000:.1f} ms"
    )
    return published


def _readable(published):
    cells = [cell for table in published.values() for row in table.cells for cell in row]
    return sum(not cell.hidden for cell in cells) / len(cells)


def hidden_causes(tables, groups, units, published, truth):
    """Why each hidden inner cell is hidden: a count of 1 to 10; a count >= 11 whose perturbed
    value fell below 11 (recomputed from the record keys and the group's salt of a first
    release); a zero; else a complementary cell."""
    keys = {}
    for unit in units:
        for table, column in unit.cells.items():
            cell = ("cell", table, unit.group, column)
            keys[cell] = (keys.get(cell, 0) + unit.record_key) % KEY_SPACE
    out = Counter(primary=0, perturbed=0, zeros=0, complementary=0)
    for key, body in published["tables"].items():
        for group, row in body["rows"].items():
            for column, fig in row["cells"].items():
                if "value" in fig:
                    continue
                cell = ("cell", key, group, column)
                n = truth[cell]
                salt = _salt(SECRET, "representation", group, 0)
                value = n + deviation(n, keys.get(cell, 0) + salt, SETTINGS.max_noise) if n else 0
                if n == 0:
                    out["zeros"] += 1
                elif n < SETTINGS.threshold:
                    out["primary"] += 1
                elif value < SETTINGS.threshold:
                    out["perturbed"] += 1
                else:
                    out["complementary"] += 1
    return out


def readable_bounds(tables, groups, truth):
    """Upper bounds of the readable inner cells, from the truth alone: "threshold", the cells
    whose true count is 0 or at least 11 (no engine with threshold 11 shows more); "zeros",
    those left once the zeros of every row or column of a table whose non-zero cells are all
    hidden are hidden too, repeatedly (the rule of issue 14, reproduction 1, which the release
    engine keeps: no release of it can show more, whatever its noise and complements)."""
    threshold = SETTINGS.threshold
    shown = {f: n == 0 or n >= threshold for f, n in truth.items() if f[0] == "cell"}
    before = sum(shown.values())
    changed = True
    while changed:
        changed = False
        for t in tables:
            lines = [[("cell", t.key, g, c) for c in t.columns] for g in groups]
            lines += [[("cell", t.key, g, c) for g in groups] for c in t.columns]
            for line in lines:
                if all(shown[f] for f in line) or any(shown[f] and truth[f] for f in line):
                    continue
                for f in line:
                    if shown[f]:
                        shown[f] = False
                        changed = True
    return {"threshold": before, "zeros": sum(shown.values())}


def the_demo():
    """The representation topic of the demo itself (`load_content` and `load_demo` in the
    bench's database), as a release gathers it: (groups, units, tables, types)."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    from belong.insights.dashboards import representation

    with override_settings(DEMO=True):  # the bench's own throwaway database
        call_command("load_content", verbosity=0)
        call_command("load_demo", verbosity=0)
    # Every group as it is (utility() folds them as a release does, and compares with today's
    # engine on them all): a threshold of 1 folds nothing.
    with override_settings(DISCLOSURE_THRESHOLD=1):
        source = representation.source()
    tables = tuple(
        TableSpec(t.key, tuple(t.columns), t.row_totals, t.column_totals, t.grand_total)
        for t in source.tables
    )
    units = [Unit(u.token, u.record_key, u.group, dict(u.cells)) for u in source.units]
    return list(source.groups), units, tables, source.types


def run():
    rng = random.Random(SEED)
    differencing(rng)
    groups, units, tables, unit_types = the_demo()
    utility("the demo itself", groups, units, tables=tables, unit_types=unit_types)
    utility("demo-sized", *demo_population(rng))
    published = utility("50,000 people", *large_population(rng))
    text = json.dumps(published)
    reading, _read = median_time(lambda: json.loads(text), 20)
    print(
        f"  reading the stored release back (json.loads of {len(text) // 1024} KiB): {reading * 1000:.2f} ms"
    )

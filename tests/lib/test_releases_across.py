"""The attack suite across releases (issue 14, "Suppression patterns carried across
releases"): integer programs over two and three consecutive releases of the same topic taken
jointly (tests/lib/release_attacker.py: carried groups' counts are the same, fresh and withheld
groups moved by changes the reader knows exactly, withheld groups only in the totals, every
release's totals with their own noise).

The protection interval, across releases as within one: every hidden figure and every count of
a withheld group, of any of the releases, whose true count (then) is below the threshold keeps
a feasible range that covers [true - P, true + P] (P = `protection`, 3 by default, at least 1;
the lower end clipped at 0 for a withheld count, at the hidden floor for a hidden figure), so
that no count from 1 to threshold - 1 is narrowed to less than P either way and none hidden in
an earlier release is recovered exactly. Random topics and changes from hypothesis, and the
worst cases by hand: a small cell that grows past the threshold, a hidden cell whose row
moves around it, one person changing at a time."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belong.lib.releases import KEY_SPACE, Settings, TableSpec, Unit, cut
from tests.lib.release_attacker import Series
from tests.lib.test_releases_attacks import topics

SECRET = b"across releases"
DEFAULT = Settings()
ONE = (TableSpec("t", ("a", "b", "c"), row_totals=True, column_totals=True, grand_total=True),)
GROUPS = ["g0", "g1", "g2"]


class Topic(Series):
    """A topic cut release after release by the engine, attacked jointly."""

    def __init__(self, tables, groups, config, secret=SECRET):
        super().__init__(tables, groups, config)
        self.secret, self.state = secret, None

    def cut(self, units, departed=()):
        published, self.state = cut(
            "topic",
            self.tables,
            self.groups,
            units,
            self.state,
            settings=self.settings,
            secret=self.secret,
            departed=departed,
        )
        self.add(published, [u for u in units if u.token not in set(departed)])
        return published


def units_of(rows, seed, prefix="u", table="t", columns=("a", "b", "c")):
    rng = random.Random(seed)
    return [
        Unit(f"{prefix}{i}.{j}.{k}", rng.randrange(KEY_SPACE), f"g{i}", {table: columns[j]})
        for i, row in enumerate(rows)
        for j, count in enumerate(row)
        for k in range(count)
    ]


def joined(group, column, count, seed, prefix):
    rng = random.Random(seed)
    return [
        Unit(f"{prefix}{k}", rng.randrange(KEY_SPACE), group, {"t": column}) for k in range(count)
    ]


# --- the worst cases by hand -------------------------------------------------------------------

BASE = [[5, 30, 25], [20, 4, 30], [30, 30, 30]]


def test_a_small_cell_that_grows_is_not_read_back_from_the_next_release():
    """g0's "a" is 5 and hidden; 10 people join it, so g0 is fresh and "a" is 15. Were "a"
    shown in release 2, a reader who knows the 10 joins would read the 5 back to within the
    noise of one figure (the single-release check cannot see it). Over several secrets: the
    joint audit keeps it protected, and "a" stays hidden unless its new noise happens to leave
    the old count's interval whole."""
    shown = 0
    for n in range(8):
        topic = Topic(ONE, GROUPS, DEFAULT, secret=b"grow %d" % n)
        base = units_of(BASE, seed=n)
        first = topic.cut(base)
        assert first["tables"]["t"]["rows"]["g0"]["cells"]["a"] == {"hidden": True}
        second = topic.cut(base + joined("g0", "a", 10, n, "j"))
        assert second["tables"]["t"]["rows"]["g0"]["status"] == "fresh"
        shown += "value" in second["tables"]["t"]["rows"]["g0"]["cells"]["a"]
        assert topic.violations() == []
        assert topic.state["kept"]  # the 5 is kept for the releases to come
    assert shown < 8


def test_without_the_joint_audit_the_attacker_reads_the_small_cell_back():
    """The same cut without the previous release's view and kept counts (a state as the engine
    kept it before the joint audit): the attacker finds the leak, so the suite can see one."""
    leaks = 0
    for n in range(8):
        topic = Topic(ONE, GROUPS, DEFAULT, secret=b"grow %d" % n)
        base = units_of(BASE, seed=n)
        topic.cut(base)
        topic.state = {k: v for k, v in topic.state.items() if k not in ("view", "kept")}
        topic.cut(base + joined("g0", "a", 10, n, "j"))
        leaks += bool(topic.violations())
    assert leaks >= 4


def test_a_hidden_cell_whose_row_moves_around_it_stays_protected():
    """g0's "a" (5) does not change; 12 people join "b" and "c" of g0, so the row is fresh:
    its total, "b" and "c" get new noise, a second look at "a" as total - b - c. Three
    releases, the row moving twice."""
    for n in range(4):
        topic = Topic(ONE, GROUPS, DEFAULT, secret=b"around %d" % n)
        units = units_of(BASE, seed=n)
        topic.cut(units)
        for step in range(2):
            units = units + joined("g0", "b", 6, 100 * n + step, f"b{step}.")
            units = units + joined("g0", "c", 6, 200 * n + step, f"c{step}.")
            topic.cut(units)
        assert len(topic.released) == 3
        assert topic.violations() == []


def test_a_count_known_from_an_earlier_release_does_not_withhold_the_topic():
    """g1's "a" is shown as 0 in release 1; one person of g1 leaves, so g1 is withheld and its
    counts are only in the totals. A reader who knows the change knows "a" is still 0 whatever
    release 2 hides: the joint audit asks release 2 only for what it could protect, and the
    topic is published."""
    topic = Topic(
        ONE, GROUPS, DEFAULT, secret=b"zero1"
    )  # a secret whose first release shows g1.a as 0
    units = units_of([[5, 30, 25], [0, 20, 30], [30, 30, 30]], seed=3)
    first = topic.cut(units)
    assert first["tables"]["t"]["rows"]["g1"]["cells"]["a"] == {"value": 0}
    leaving = next(u for u in units if u.group == "g1")
    second = topic.cut([u for u in units if u is not leaving], (leaving.token,))
    assert second["withheld_reason"] is None
    assert second["tables"]["t"]["rows"]["g1"]["status"] == "withheld"
    assert topic.violations() == []


def test_one_person_changing_at_a_time():
    """Each release, one person of g1 changes (joins "b", the small cell; leaves; answers
    differently): g1 is carried or withheld, the totals move with fresh noise; after 10
    changes g1 is fresh. The releases so far are attacked together, three times."""
    rng = random.Random(7)
    topic = Topic(ONE, GROUPS, DEFAULT, secret=b"one at a time")
    units = units_of(BASE, seed=7)
    topic.cut(units)
    statuses = []
    for step in range(12):
        g1 = [u for u in units if u.group == "g1"]
        kind = step % 3
        if kind == 0:
            units = units + joined("g1", "b", 1, step, f"one{step}.")
            departed = ()
        elif kind == 1:
            leaving = rng.choice(g1)
            units = [u for u in units if u.token != leaving.token]
            departed = (leaving.token,)
        else:
            moving = rng.choice(g1)
            units = [
                Unit(u.token, u.record_key, u.group, {"t": "b"}) if u is moving else u
                for u in units
            ]
            departed = ()
        published = topic.cut(units, departed)
        statuses.append(published["tables"]["t"]["rows"]["g1"]["status"])
        if step in (2, 6, 11):
            assert topic.violations() == []
    assert {"carried", "withheld", "fresh"} <= set(statuses)


# --- random topics and changes -----------------------------------------------------------------


def changed(tables, groups, units, rng, serial):
    """Random changes: per group nothing, one person, a few, or many (past min_changes) join,
    leave (half of them revoking), or answer differently. -> (units, departed)."""
    out, departed = [], []
    how = {g: rng.choice(("none", "one", "few", "many")) for g in groups}
    rate = {"none": 0.0, "one": 0.0, "few": 0.15, "many": 0.6}
    touched = {g: 0 for g in groups}
    for unit in units:
        g = unit.group
        roll = rng.random()
        if how[g] == "one" and touched[g] == 0:
            roll = 0.0
        elif roll >= rate[how[g]]:
            out.append(unit)
            continue
        touched[g] += 1
        roll = rng.random()
        if roll < 0.2:
            departed.append(unit.token)
        elif roll < 0.4:
            continue
        else:
            cells = {t.key: rng.choice(t.columns) for t in tables if rng.random() < 0.8}
            out.append(Unit(unit.token, unit.record_key, g, cells))
    for g in groups:
        joins = {"none": 0, "one": 0, "few": 2, "many": 8}[how[g]]
        for n in range(rng.randrange(joins + 1)):
            cells = {t.key: rng.choice(t.columns) for t in tables if rng.random() < 0.8}
            out.append(Unit(f"n{serial}.{g}.{n}", rng.randrange(KEY_SPACE), g, cells))
    return out, departed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topics())
def test_no_two_or_three_releases_together_narrow_a_small_count(topic):
    tables, groups, config, units, rng = topic
    series = Topic(tables, groups, config)
    series.cut(units)
    for step in range(2):
        units, departed = changed(tables, groups, units, rng, step)
        series.cut(units, departed)
    assert series.violations() == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**16), st.sampled_from([1, 3]))
def test_many_small_cells_that_grow_and_shrink(seed, protection):
    """Small cells everywhere, most groups fresh at every release: cells cross the threshold
    both ways."""
    rng = random.Random(seed)
    config = Settings(protection=protection)
    rows = [[rng.randrange(1, 14) for _c in range(3)] for _g in GROUPS]
    series = Topic(ONE, GROUPS, config, secret=b"%d" % seed)
    units = units_of(rows, seed)
    series.cut(units)
    for step in range(2):
        units, departed = changed(ONE, GROUPS, units, rng, step)
        series.cut(units, departed)
    assert series.violations() == []

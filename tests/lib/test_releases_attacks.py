"""The attack suite of the release engine (issue 14): random topics from hypothesis (random
tables, margins, groups and units, random settings), two releases with random changes between
them (joins, leaves, revocations, changed answers), and for every release the attacker's
integer program over everything it publishes:

- no hidden count from 1 to threshold - 1 and no count of a withheld group is pinned, and each
  such count's feasible range covers [true - P, true + P] (the lower end clipped at what the
  reader knows: 0, or 1 when zeros are never hidden), checked twice: by `audit` with the truth,
  and by `ranges` (the least and greatest values by optimisation, another code path than the
  audit's pool of solutions);
- the reader's program over counts per column (types=None) and the one over explicit types
  (every combination) give the same ranges;
- carried groups keep their values and their hidden pattern; a unit that left or revoked is in
  no figure (its group is never carried, and the truth the check uses leaves it out)."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belong.lib.releases import (
    KEY_SPACE,
    Settings,
    TableSpec,
    Unit,
    audit,
    cut,
    ranges,
    true_figures,
)

SECRET = b"attack suite"


@st.composite
def topics(draw):
    n_tables = draw(st.integers(1, 3))
    tables = []
    for t in range(n_tables):
        width = draw(st.integers(1, 4))
        tables.append(
            TableSpec(
                f"t{t}",
                tuple(f"c{j}" for j in range(width)),
                row_totals=draw(st.booleans()),
                column_totals=draw(st.booleans()),
                grand_total=draw(st.booleans()),
            )
        )
    groups = [f"g{i}" for i in range(draw(st.integers(1, 4)))]
    config = Settings(
        threshold=draw(st.sampled_from([3, 5, 11])),
        max_noise=draw(st.sampled_from([0, 1, 3])),
        min_changes=draw(st.sampled_from([2, 4])),
        protection=draw(st.sampled_from([1, 3])),
        hide_zeros_when_needed=draw(st.booleans()),
    )
    # Each unit: a group and a column-or-none per table; counts skewed so that small cells abound.
    kinds = [
        (
            draw(st.sampled_from(groups)),
            tuple(draw(st.sampled_from((None, *t.columns))) for t in tables),
        )
        for _ in range(draw(st.integers(1, 6)))
    ]
    units = []
    for n, (group, cells) in enumerate(kinds):
        for k in range(draw(st.integers(1, 25))):
            units.append(
                Unit(
                    f"u{n}.{k}",
                    draw(st.integers(0, KEY_SPACE - 1)),
                    group,
                    {t.key: c for t, c in zip(tables, cells, strict=True) if c is not None},
                )
            )
    return tables, groups, config, units, draw(st.randoms(use_true_random=False))


def check_release(tables, groups, config, published, truth):
    if published["withheld_reason"] is not None:
        # Nothing published at all (a degenerate topic: say a withheld group's count of 0
        # pinned by a total of 0, when zeros are never hidden).
        assert published["tables"] == {t.key: {"rows": {}} for t in tables}
        return
    assert audit(tables, published, settings=config, truth=truth) == []
    floor = 0 if config.hide_zeros_when_needed else 1
    found = ranges(tables, published, settings=config)
    for fid, (low, high) in found.items():
        t = truth[fid]
        if not t < config.threshold:
            continue
        rows = published["tables"][fid[1]]["rows"]
        withheld = fid[0] == "cell" and rows[fid[2]]["status"] == "withheld"
        p = max(config.protection, 1) if t else config.protection
        assert low <= max(0 if withheld else floor, t - p), (fid, t, low, high)
        assert high is None or high >= t + p, (fid, t, low, high)
    # every hidden figure and every count of a withheld group is in `found`
    for key, body in published["tables"].items():
        for group, row in body["rows"].items():
            for column, fig in row["cells"].items():
                assert ("hidden" in fig) == (("cell", key, group, column) in found)
            if row["status"] == "withheld":
                assert all(("cell", key, group, c) in found for c in tables_by(tables)[key].columns)


def tables_by(tables):
    return {t.key: t for t in tables}


def as_published_truth(tables, groups, published, old_units, new_units):
    """The true figures of a release: carried groups as of their figures, others as now."""
    status = next(iter(published["tables"].values()))["rows"]
    chosen = [
        u
        for units, carried in ((old_units, True), (new_units, False))
        for u in units
        if (status[u.group]["status"] == "carried") == carried
    ]
    return true_figures(tables, groups, chosen)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topics())
def test_no_release_lets_the_reader_narrow_a_small_count(topic):
    tables, groups, config, units, rng = topic
    published, state = cut("topic", tables, groups, units, None, settings=config, secret=SECRET)
    if config.hide_zeros_when_needed:
        # With zeros hidden where needed a first release can always be protected; with zeros
        # never hidden, k hidden cells of a small total tell the reader it is at least k, and
        # the topic may be withheld.
        assert published["withheld_reason"] is None
    check_release(tables, groups, config, published, true_figures(tables, groups, units))

    # Random changes: some leave (half of them revoking: `departed`), some change their
    # answers, some join.
    changed, departed = [], []
    for unit in units:
        roll = rng.random()
        if roll < 0.05:
            departed.append(unit.token)
        elif roll < 0.1:
            continue  # left the population
        elif roll < 0.2:
            cells = {t.key: rng.choice(t.columns) for t in tables if rng.random() < 0.7}
            changed.append(Unit(unit.token, unit.record_key, unit.group, cells))
        else:
            changed.append(unit)
    for n in range(rng.randrange(0, 12)):
        cells = {t.key: rng.choice(t.columns) for t in tables if rng.random() < 0.7}
        changed.append(Unit(f"new{n}", rng.randrange(KEY_SPACE), rng.choice(groups), cells))
    second, _ = cut(
        "topic", tables, groups, changed, state, settings=config, secret=SECRET, departed=departed
    )
    if second["withheld_reason"] is not None:
        check_release(tables, groups, config, second, {})
        return
    check_release(
        tables, groups, config, second, as_published_truth(tables, groups, second, units, changed)
    )
    gone = {u.token: u.group for u in units}.keys() - {u.token for u in changed}
    for key, body in second["tables"].items():
        for group, row in body["rows"].items():
            if published["withheld_reason"] is not None:
                # Nothing was published the first time (zeros never hidden): nothing to carry.
                assert row["status"] != "carried"
                continue
            before = published["tables"][key]["rows"][group]
            if row["status"] == "carried":
                assert row["cells"] == before["cells"]
                assert row.get("total") == before.get("total")
                assert row["as_of_release"] == before["as_of_release"]
                assert not any(u.group == group for u in units if u.token in gone)
            elif row["status"] == "withheld":
                assert row["cells"] == {} and "total" not in row


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topics())
def test_the_program_over_columns_and_the_program_over_types_agree(topic):
    tables, groups, config, units, _rng = topic
    published, _ = cut("topic", tables, groups, units, None, settings=config, secret=SECRET)
    every = [
        {t.key: c for t, c in zip(tables, combination, strict=True) if c is not None}
        for combination in itertools.product(*[(None, *t.columns) for t in tables])
    ]
    assert ranges(tables, published, settings=config) == ranges(
        tables, published, settings=config, types=every
    )

"""The release engine (belong.lib.releases): the p-table, the cell keys, the per-group
refresh / carry / withhold decision, the protection check, and the issue's reproductions that
concern the engine (issue 14: 1, 2, 3, 4, 5). The random attacks are in
test_releases_attacks.py."""

import random

import pytest

from belong.lib import releases
from belong.lib.releases import (
    KEY_SPACE,
    Settings,
    TableSpec,
    Unit,
    audit,
    cut,
    deviation,
    noise_variance,
    ptable,
    ranges,
    true_figures,
)

SECRET = b"test secret"
SETTINGS = Settings()


def units_from(rows, table="t", columns=("a", "b"), seed=1, prefix="u"):
    """Units from a table of counts: rows[i][j] people in group g{i}, column j."""
    rng = random.Random(seed)
    out = []
    for i, row in enumerate(rows):
        for j, count in enumerate(row):
            for k in range(count):
                out.append(
                    Unit(
                        f"{prefix}{i}.{j}.{k}",
                        rng.randrange(KEY_SPACE),
                        f"g{i}",
                        {table: columns[j]},
                    )
                )
    return out


def figures(published):
    """{figure id: FIG} of a published release (the ids of releases.true_figures)."""
    out = {}
    for key, body in published["tables"].items():
        for group, row in body["rows"].items():
            for column, fig in row["cells"].items():
                out["cell", key, group, column] = fig
            if "total" in row:
                out["total", key, group] = row["total"]
        for column, fig in body.get("column_totals", {}).items():
            out["column_total", key, column] = fig
        if "grand_total" in body:
            out["grand_total", key] = body["grand_total"]
    return out


# --- the p-table --------------------------------------------------------------------------------


@pytest.mark.parametrize("max_noise", [0, 1, 2, 3, 5])
def test_every_ptable_row_is_symmetric_unbiased_and_bounded(max_noise):
    for width in range(max_noise + 1):
        row = ptable(max_noise, width)
        assert sum(n for _d, n in row) == KEY_SPACE
        shares = dict(row)
        assert set(shares) == set(range(-width, width + 1))
        assert all(shares[d] == shares[-d] for d in shares)
        assert sum(d * n for d, n in row) == 0


def test_the_default_ptable_has_the_stated_variance():
    assert noise_variance(3) == pytest.approx(1.983, abs=0.001)
    assert noise_variance(3, count=2) < noise_variance(3, count=3) < noise_variance(3)
    assert noise_variance(0) == 0


def test_zero_is_never_perturbed_and_no_count_falls_below_one():
    rng = random.Random(3)
    for _ in range(2000):
        count, key = rng.randrange(0, 30), rng.randrange(KEY_SPACE)
        moved = deviation(count, key, 3)
        assert abs(moved) <= 3
        assert count + moved >= (1 if count else 0)
        if count == 0:
            assert moved == 0


def test_deviations_follow_the_ptable():
    rng = random.Random(4)
    draws = [deviation(50, rng.randrange(KEY_SPACE), 3) for _ in range(40000)]
    for d, n in ptable(3, 3):
        assert draws.count(d) / len(draws) == pytest.approx(n / KEY_SPACE, abs=0.01)


# --- cut: figures ---------------------------------------------------------------------------------

TABLE = TableSpec("t", ("a", "b"), row_totals=True, column_totals=True, grand_total=True)


def test_the_same_units_give_the_same_release_and_no_figure_is_exact_by_rule():
    units = units_from([[30, 40], [25, 60], [50, 35]])
    one, state_one = cut(
        "x", [TABLE], ["g0", "g1", "g2"], units, None, settings=SETTINGS, secret=SECRET
    )
    two, state_two = cut(
        "x",
        [TABLE],
        ["g0", "g1", "g2"],
        list(reversed(units)),
        None,
        settings=SETTINGS,
        secret=SECRET,
    )
    assert one == two and state_one == state_two
    truth = true_figures([TABLE], ["g0", "g1", "g2"], units)
    shown = {f: fig["value"] for f, fig in figures(one).items() if "value" in fig}
    assert all(abs(v - truth[f]) <= 3 for f, v in shown.items())
    assert any(v != truth[f] for f, v in shown.items())


def test_another_secret_or_record_keys_give_other_noise():
    units = units_from([[30, 40], [25, 60], [50, 35]])
    one, _ = cut("x", [TABLE], ["g0", "g1", "g2"], units, None, settings=SETTINGS, secret=SECRET)
    rekeyed = units_from([[30, 40], [25, 60], [50, 35]], seed=2)
    two, _ = cut("x", [TABLE], ["g0", "g1", "g2"], rekeyed, None, settings=SETTINGS, secret=SECRET)
    assert figures(one) != figures(two)


def test_bad_input_is_refused_naming_what():
    with pytest.raises(ValueError, match="group"):
        cut(
            "x",
            [TABLE],
            ["g0"],
            [Unit("u", 1, "elsewhere", {"t": "a"})],
            None,
            settings=SETTINGS,
            secret=SECRET,
        )
    with pytest.raises(ValueError, match="column"):
        cut(
            "x",
            [TABLE],
            ["g0"],
            [Unit("u", 1, "g0", {"t": "z"})],
            None,
            settings=SETTINGS,
            secret=SECRET,
        )
    with pytest.raises(ValueError, match="record_key"):
        cut(
            "x",
            [TABLE],
            ["g0"],
            [Unit("u", KEY_SPACE, "g0", {"t": "a"})],
            None,
            settings=SETTINGS,
            secret=SECRET,
        )
    with pytest.raises(ValueError, match="twice"):
        cut(
            "x",
            [TABLE],
            ["g0"],
            [Unit("u", 1, "g0", {}), Unit("u", 2, "g0", {})],
            None,
            settings=SETTINGS,
            secret=SECRET,
        )
    with pytest.raises(ValueError, match="threshold"):
        Settings(threshold=0)


# --- cut: groups move only when enough of their units moved ---------------------------------------


def test_fewer_changes_than_min_changes_carry_the_group_and_enough_refresh_it():
    groups = ["g0", "g1"]
    units = units_from([[30, 40], [25, 60]])
    first, state = cut("x", [TABLE], groups, units, None, settings=SETTINGS, secret=SECRET)
    joined = units + units_from([[3, 2]], prefix="new")  # five people join g0
    second, state = cut("x", [TABLE], groups, joined, state, settings=SETTINGS, secret=SECRET)
    assert figures(second) == figures(first)
    assert second["tables"]["t"]["rows"]["g0"]["status"] == "carried"
    assert second["tables"]["t"]["rows"]["g0"]["as_of_release"] == 1
    more = joined + units_from([[2, 3]], prefix="more")  # ten changes in g0 since release 1
    third, _ = cut("x", [TABLE], groups, more, state, settings=SETTINGS, secret=SECRET)
    rows = third["tables"]["t"]["rows"]
    assert rows["g0"]["status"] == "fresh" and rows["g0"]["as_of_release"] == 3
    assert (
        rows["g1"]["status"] == "carried"
        and rows["g1"]["cells"] == first["tables"]["t"]["rows"]["g1"]["cells"]
    )


def test_a_unit_that_must_leave_withholds_its_group_until_enough_changes():
    groups = ["g0", "g1"]
    units = units_from([[30, 40], [25, 60]])
    first, state = cut("x", [TABLE], groups, units, None, settings=SETTINGS, secret=SECRET)
    gone = units[0].token
    rest = [u for u in units if u.token != gone]
    second, state = cut(
        "x", [TABLE], groups, rest, state, settings=SETTINGS, secret=SECRET, departed=[gone]
    )
    row = second["tables"]["t"]["rows"]["g0"]
    assert row["status"] == "withheld" and row["cells"] == {} and "total" not in row
    assert second["tables"]["t"]["rows"]["g1"]["status"] == "carried"
    # nine more changes: ten since g0 was published, so it is published again, without them
    more = rest + units_from([[5, 4]], prefix="more")
    third, _ = cut("x", [TABLE], groups, more, state, settings=SETTINGS, secret=SECRET)
    assert third["tables"]["t"]["rows"]["g0"]["status"] == "fresh"


def test_leaving_units_and_departed_tokens_are_not_counted():
    units = units_from([[30, 40]])
    flagged = [
        Unit(u.token, u.record_key, u.group, u.cells, leaving=(i < 3)) for i, u in enumerate(units)
    ]
    one, _ = cut(
        "x",
        [TABLE],
        ["g0"],
        flagged,
        None,
        settings=Settings(threshold=1, max_noise=0),
        secret=SECRET,
    )
    assert one["tables"]["t"]["rows"]["g0"]["total"] == {"value": 67}
    two, _ = cut(
        "x",
        [TABLE],
        ["g0"],
        units,
        None,
        settings=Settings(threshold=1, max_noise=0),
        secret=SECRET,
        departed=[u.token for u in units[:3]],
    )
    assert two["tables"]["t"]["rows"]["g0"]["total"] == {"value": 67}


def test_a_departed_unit_is_in_no_figure_of_the_next_release():
    """Whatever the departed unit's record key and cells were, the next release is the same:
    nothing of it is in any figure (threshold 1: no suppression couples the groups)."""
    settings = Settings(threshold=1)
    groups = ["g0", "g1", "g2"]
    base = units_from([[30, 40], [25, 60], [12, 14]])
    outputs = set()
    for key, column in [(1, "a"), (99999, "b"), (2**31, "a")]:
        departing = Unit("leaver", key, "g0", {"t": column})
        _first, state = cut(
            "x", [TABLE], groups, [*base, departing], None, settings=settings, secret=SECRET
        )
        second, state2 = cut(
            "x", [TABLE], groups, base, state, settings=settings, secret=SECRET, departed=["leaver"]
        )
        joined = base + units_from([[6, 5]], prefix="j")
        third, _ = cut("x", [TABLE], groups, joined, state2, settings=settings, secret=SECRET)
        assert second["tables"]["t"]["rows"]["g0"]["status"] == "withheld"
        assert third["tables"]["t"]["rows"]["g0"]["status"] == "fresh"
        outputs.add(repr((second["tables"], third["tables"])))
    assert len(outputs) == 1


def test_totals_move_only_when_a_group_moves():
    groups = ["g0", "g1"]
    units = units_from([[30, 40], [25, 60]])
    first, state = cut("x", [TABLE], groups, units, None, settings=SETTINGS, secret=SECRET)
    joined = units + units_from([[1, 0]], prefix="new")
    second, state = cut("x", [TABLE], groups, joined, state, settings=SETTINGS, secret=SECRET)
    assert second["tables"]["t"]["column_totals"] == first["tables"]["t"]["column_totals"]
    assert second["tables"]["t"]["grand_total"] == first["tables"]["t"]["grand_total"]


# --- the protection check -------------------------------------------------------------------------


def test_issue_2_hidden_cells_are_at_least_one_and_the_reader_cannot_use_it():
    """publish_table([[30, 1], [20, 1], [40, 20]]) with every margin let a reader recover all four
    hidden cells: here every hidden figure below the threshold keeps a range of +-3 or more."""
    units = units_from([[30, 1], [20, 1], [40, 20]])
    groups = ["g0", "g1", "g2"]
    truth = true_figures([TABLE], groups, units)
    for settings in (SETTINGS, Settings(hide_zeros_when_needed=False), Settings(max_noise=0)):
        published, _ = cut("x", [TABLE], groups, units, None, settings=settings, secret=SECRET)
        assert published["withheld_reason"] is None
        assert audit([TABLE], published, settings=settings, truth=truth) == []
        assert audit([TABLE], published, settings=settings) == []
        found = ranges([TABLE], published, settings=settings)
        for fid in [("cell", "t", "g0", "b"), ("cell", "t", "g1", "b")]:
            low, high = found[fid]
            assert low <= max(1 if not settings.hide_zeros_when_needed else 0, truth[fid] - 3)
            assert high is None or high >= truth[fid] + 3


def test_the_audit_finds_the_issue_2_attack_on_the_old_engines_output():
    """The old engine's answer to issue 2 as a release (exact, hidden >= 1): the audit finds
    every hidden cell pinned."""
    exact = Settings(max_noise=0, hide_zeros_when_needed=False)
    published = {
        "topic": "x",
        "max_noise": 0,
        "threshold": 11,
        "zeros_may_be_hidden": False,
        "withheld_reason": None,
        "tables": {
            "t": {
                "rows": {
                    "g0": {
                        "cells": {"a": {"value": 30}, "b": {"hidden": True}},
                        "total": {"value": 31},
                        "status": "fresh",
                    },
                    "g1": {
                        "cells": {"a": {"value": 20}, "b": {"hidden": True}},
                        "total": {"value": 21},
                        "status": "fresh",
                    },
                    "g2": {
                        "cells": {"a": {"value": 40}, "b": {"value": 20}},
                        "total": {"value": 60},
                        "status": "fresh",
                    },
                },
                "column_totals": {"a": {"value": 90}, "b": {"value": 22}},
                "grand_total": {"value": 112},
            }
        },
    }
    found = audit([TABLE], published, settings=exact)
    assert len(found) == 2 and all("pinned at 1" in m for m in found)


def test_issue_1_a_row_whose_non_zero_cells_are_hidden_hides_its_zeros():
    """One resident outside the named programs: '<11' in one column of each table and 0 elsewhere
    gave the person's answers away. Now the zeros of that row are hidden too."""
    tables = [
        TableSpec("race", ("asian", "black", "white"), row_totals=True, column_totals=True),
        TableSpec("gender", ("woman", "man"), row_totals=True, column_totals=True),
    ]
    rng = random.Random(5)
    units = [Unit("lone", rng.randrange(KEY_SPACE), "other", {"race": "black", "gender": "woman"})]
    for i in range(120):
        units.append(
            Unit(
                f"p{i}",
                rng.randrange(KEY_SPACE),
                "faculty",
                {"race": ("asian", "black", "white")[i % 3], "gender": ("woman", "man")[i % 2]},
            )
        )
    published, _ = cut(
        "rep", tables, ["faculty", "other"], units, None, settings=SETTINGS, secret=SECRET
    )
    for key in ("race", "gender"):
        row = published["tables"][key]["rows"]["other"]
        assert all(fig == {"hidden": True} for fig in row["cells"].values()), row
    truth = true_figures(tables, ["faculty", "other"], units)
    assert audit(tables, published, settings=SETTINGS, truth=truth) == []


REP_TABLES = [
    TableSpec("race", ("asian", "black", "white", "prefer"), row_totals=True, column_totals=True),
    TableSpec("hispanic", ("yes", "no"), row_totals=True, column_totals=True),
]
# A person who chose "prefer not to say" for race has no Hispanic-origin answer; anyone who gave
# a race has one: so race total - Hispanic total = the "prefer not to say" count.
REP_TYPES = [{"race": "prefer"}, {}] + [
    {"race": r, "hispanic": h} for r in ("asian", "black", "white") for h in ("yes", "no")
]


def test_issue_3_tables_about_the_same_people_are_protected_together():
    """The race row total minus the Hispanic-origin row total is the hidden 'prefer not' count:
    with the types the audit knows it, finds it on an exact release, and the engine's release
    keeps the count protected."""
    exact = Settings(max_noise=0, hide_zeros_when_needed=False)
    published = {
        "topic": "rep",
        "max_noise": 0,
        "threshold": 11,
        "zeros_may_be_hidden": False,
        "withheld_reason": None,
        "tables": {
            "race": {
                "rows": {
                    "g": {
                        "cells": {
                            "asian": {"value": 20},
                            "black": {"hidden": True},
                            "white": {"value": 40},
                            "prefer": {"hidden": True},
                        },
                        "total": {"value": 72},
                        "status": "fresh",
                    }
                },
                "column_totals": {
                    c: {"hidden": True} for c in ("asian", "black", "white", "prefer")
                },
            },
            "hispanic": {
                "rows": {
                    "g": {
                        "cells": {"yes": {"value": 12}, "no": {"value": 58}},
                        "total": {"value": 70},
                        "status": "fresh",
                    }
                },
                "column_totals": {"yes": {"value": 12}, "no": {"value": 58}},
            },
        },
    }
    assert any(
        "prefer" in m and "pinned at 2" in m
        for m in audit(REP_TABLES, published, settings=exact, types=REP_TYPES)
    )
    assert audit(REP_TABLES, published, settings=exact) == []  # without the types it cannot see it

    rng = random.Random(6)
    units = [Unit(f"p{i}", rng.randrange(KEY_SPACE), "g", {"race": "prefer"}) for i in range(2)]
    for i in range(70):
        race = ("asian", "black", "white")[0 if i < 20 else 1 if i < 30 else 2]
        units.append(
            Unit(
                f"q{i}",
                rng.randrange(KEY_SPACE),
                "g",
                {"race": race, "hispanic": "yes" if i % 6 == 0 else "no"},
            )
        )
    for settings in (SETTINGS, exact):
        release, _ = cut(
            "rep", REP_TABLES, ["g"], units, None, settings=settings, secret=SECRET, types=REP_TYPES
        )
        truth = true_figures(REP_TABLES, ["g"], units)
        assert audit(REP_TABLES, release, settings=settings, truth=truth, types=REP_TYPES) == []
        assert release["tables"]["race"]["rows"]["g"]["cells"]["prefer"] == {"hidden": True}


def test_a_unit_outside_the_types_is_refused():
    with pytest.raises(ValueError, match="types"):
        cut(
            "rep",
            REP_TABLES,
            ["g"],
            [Unit("u", 1, "g", {"hispanic": "yes"})],
            None,
            settings=SETTINGS,
            secret=SECRET,
            types=REP_TYPES,
        )


def test_issue_4_one_persons_change_moves_no_figure():
    """One resident answers and consents: before, "Black" +1, "Woman" +1 ... were readable; now
    the group's figures are carried unchanged, and so are the totals."""
    tables = [
        TableSpec(
            "race",
            ("asian", "black", "white"),
            row_totals=True,
            column_totals=True,
            grand_total=True,
        ),
        TableSpec(
            "gender", ("woman", "man"), row_totals=True, column_totals=True, grand_total=True
        ),
    ]
    rng = random.Random(7)
    units = [
        Unit(
            f"p{i}",
            rng.randrange(KEY_SPACE),
            f"g{i % 3}",
            {
                "race": ("asian", "black", "white")[i % 3 if i % 5 else 2],
                "gender": ("woman", "man")[i % 2],
            },
        )
        for i in range(150)
    ]
    groups = ["g0", "g1", "g2"]
    first, state = cut("rep", tables, groups, units, None, settings=SETTINGS, secret=SECRET)
    answered = [
        *units,
        Unit("new", rng.randrange(KEY_SPACE), "g1", {"race": "black", "gender": "woman"}),
    ]
    second, state = cut("rep", tables, groups, answered, state, settings=SETTINGS, secret=SECRET)
    assert second["tables"] == first["tables"] | {
        key: {**body, "rows": {g: {**row, "status": "carried"} for g, row in body["rows"].items()}}
        for key, body in first["tables"].items()
    }
    # she revokes: her group is withheld, nothing else moves
    third, _ = cut(
        "rep", tables, groups, units, state, settings=SETTINGS, secret=SECRET, departed=["new"]
    )
    for key in ("race", "gender"):
        assert (
            third["tables"][key]["rows"]["g0"]["cells"]
            == first["tables"][key]["rows"]["g0"]["cells"]
        )


def test_issue_5_collective_counts_are_perturbed_and_do_not_follow_one_person():
    """A collective's member count (a topic of one table, one column, one group a collective):
    14, 15, 14 as one person joined and left was readable; now the count is perturbed, the join
    moves nothing and the leave withholds the count until enough changes."""
    table = TableSpec("members", ("members",))
    rng = random.Random(8)
    exact = 0
    for n in range(60):
        units = [
            Unit(f"c{n}.{i}", rng.randrange(KEY_SPACE), f"c{n}", {"members": "members"})
            for i in range(14)
        ]
        release, _ = cut(
            "collectives", [table], [f"c{n}"], units, None, settings=SETTINGS, secret=SECRET
        )
        value = release["tables"]["members"]["rows"][f"c{n}"]["cells"]["members"]
        exact += value.get("value") == 14
    assert exact < 30  # about 27% of draws give no deviation

    units = [
        Unit(f"m{i}", rng.randrange(KEY_SPACE), "latinx", {"members": "members"}) for i in range(14)
    ]
    first, state = cut(
        "collectives", [table], ["latinx"], units, None, settings=SETTINGS, secret=SECRET
    )
    joined = [*units, Unit("joiner", rng.randrange(KEY_SPACE), "latinx", {"members": "members"})]
    second, state = cut(
        "collectives", [table], ["latinx"], joined, state, settings=SETTINGS, secret=SECRET
    )
    assert (
        second["tables"]["members"]["rows"]["latinx"]["cells"]
        == first["tables"]["members"]["rows"]["latinx"]["cells"]
    )
    third, _ = cut(
        "collectives", [table], ["latinx"], units, state, settings=SETTINGS, secret=SECRET
    )
    assert third["tables"]["members"]["rows"]["latinx"]["cells"] in (
        first["tables"]["members"]["rows"]["latinx"]["cells"],  # she was never published
    )


def test_a_joiner_who_was_never_published_may_leave_without_withholding():
    table = TableSpec("members", ("members",))
    units = [Unit(f"m{i}", i * 7919, "c", {"members": "members"}) for i in range(14)]
    _first, state = cut(
        "collectives", [table], ["c"], units, None, settings=SETTINGS, secret=SECRET
    )
    _second, state = cut(
        "collectives",
        [table],
        ["c"],
        [*units, Unit("j", 5, "c", {"members": "members"})],
        state,
        settings=SETTINGS,
        secret=SECRET,
    )
    third, _ = cut(
        "collectives",
        [table],
        ["c"],
        units,
        state,
        settings=SETTINGS,
        secret=SECRET,
        departed=["j"],
    )
    assert third["tables"]["members"]["rows"]["c"]["status"] == "carried"


def test_a_topic_that_cannot_be_protected_is_withheld_with_its_reason():
    """A protection interval no release can meet: the topic is not published, and the state
    keeps nothing new."""
    units = units_from([[30, 1], [20, 1], [40, 20]])
    settings = Settings(max_noise=0, protection=10**6)
    published, state = cut(
        "x", [TABLE], ["g0", "g1", "g2"], units, None, settings=settings, secret=SECRET
    )
    assert published["withheld_reason"] == releases.UNPROTECTABLE
    assert published["tables"] == {"t": {"rows": {}}}
    assert state["release"] == 1 and state["groups"] == {}
    assert audit([TABLE], published, settings=settings) == []


@pytest.mark.parametrize(
    "secret, token, group, cells",
    [
        (SECRET, "p1", "group 00", {"race": "white", "gender": "woman"}),
        (b"k" * 64, 'quote " and \\ back', "grüppe ☃", {"z": "é", "a": "\n\t"}),
        (b"a much longer secret than the block of sha256" * 3, "", "", {}),
    ],
)
def test_the_fast_unit_digests_are_the_state_s_digests(secret, token, group, cells):
    """A state written before the fast path was taken must still match unit by unit: the
    digests are exactly those of the generic `_digest` (JSON, sorted keys, hmac.new), for
    secrets shorter than, as long as and longer than SHA-256's block."""
    unit = Unit(token, 4_000_000_000, group, cells)
    digests = releases._UnitDigests(secret)
    for _ in range(2):  # the second time from the cells already written out
        assert digests(unit, group) == (
            releases._digest(secret, "token", token),
            releases._digest(
                secret, "unit", token, unit.record_key, group, dict(sorted(cells.items()))
            ),
        )


PREFER_TABLES = [
    TableSpec("race", ("asian", "black", "white", "prefer"), True, True, True),
    TableSpec("hispanic", ("yes", "no"), True, True, True),
    TableSpec("answered", ("yes", "no"), True, True, True),
]
PREFER_TYPES = [{"answered": "no"}, {"answered": "yes", "race": "prefer"}] + [
    {"answered": "yes", "race": r, "hispanic": h}
    for r in ("asian", "black", "white")
    for h in ("yes", "no")
]


def test_a_complement_is_looked_for_in_the_other_tables_that_pin_the_figure():
    """'Prefer not to say' = answered 'yes' - Hispanic total: exact figures pin it through two
    other tables of its group. What the reader would have to stop knowing is hidden there (the
    engine used to hide its row and column first, uselessly: 28 figures instead of 12); the
    race cells of 15 or more stay readable and nothing is left pinned."""
    rng = random.Random(3)
    units = []
    for group in ("g0", "g1", "g2"):
        for count, cells in (
            (20, {"answered": "yes", "race": "asian", "hispanic": "no"}),
            (15, {"answered": "yes", "race": "black", "hispanic": "yes"}),
            (40, {"answered": "yes", "race": "white", "hispanic": "no"}),
            (5, {"answered": "yes", "race": "prefer"}),
            (12, {"answered": "no"}),
        ):
            for _ in range(count):
                units.append(Unit(f"u{len(units)}", rng.randrange(KEY_SPACE), group, cells))
    exact = Settings(max_noise=0, hide_zeros_when_needed=False)
    groups = ["g0", "g1", "g2"]
    published, _ = cut(
        "rep", PREFER_TABLES, groups, units, None, settings=exact, secret=SECRET, types=PREFER_TYPES
    )
    assert published["withheld_reason"] is None
    hidden = [fid for fid, fig in figures(published).items() if fig.get("hidden")]
    assert len(hidden) <= 12, hidden
    for group in groups:
        for column in ("asian", "black", "white"):
            assert "value" in published["tables"]["race"]["rows"][group]["cells"][column]
    truth = true_figures(PREFER_TABLES, groups, units)
    assert audit(PREFER_TABLES, published, settings=exact, truth=truth, types=PREFER_TYPES) == []

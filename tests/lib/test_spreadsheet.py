"""belong.lib.spreadsheet: a cell never begins like a formula, whether a spreadsheet splits
its line on "," or (Excel in Spanish and other locales) on ";", and an exported cell reads back
as what was written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from belong.lib.spreadsheet import FORMULA_STARTS, csv_cell, csv_value

# Text made mostly of the characters that matter here.
CELLS = (
    st.text(st.sampled_from([*FORMULA_STARTS, ";", "'", "a", " ", ",", '"']), max_size=12)
    | st.text()
)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        (";", "';"),
        (";Ana", "';Ana"),
        ("';Ana", "'';Ana"),
        ("Ana;=1+1", "Ana;'=1+1"),
        ("Ana;-1;@x;+2;\tt", "Ana;'-1;'@x;'+2;'\tt"),
        ("Ana;'=1", "Ana;''=1"),
        ("Ana;;b", "Ana;;b"),
        ("Ana; =1", "Ana; =1"),
        ("a=b;c", "a=b;c"),
        ("", ""),
        (None, ""),
    ],
)
def test_cells(value, cell):
    assert csv_cell(value) == cell
    assert csv_value(cell) == ("" if value is None else value)


@given(CELLS)
def test_no_cell_or_part_after_a_semicolon_begins_like_a_formula(value):
    cell = csv_cell(value)
    assert cell[:1] not in (*FORMULA_STARTS, ";")
    for part in cell.split(";")[1:]:
        assert part[:1] not in FORMULA_STARTS


@given(CELLS)
def test_a_cell_reads_back_as_written(value):
    assert csv_value(csv_cell(value)) == value


@given(CELLS)
def test_what_needs_no_guard_is_left_alone(value):
    if value[:1] not in (*FORMULA_STARTS, ";", "'") and not any(
        part[:1] in (*FORMULA_STARTS, "'") for part in value.split(";")[1:]
    ):
        assert csv_cell(value) == value

"""Count tables (surveys, overview page, reports, finance) through the one disclosure layer.

Moved from surveys/tests/test_rules.py when the survey copy of the suppression was removed
(issue 14); the cases are unchanged.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thuis.core import disclosure


@pytest.mark.parametrize(
    ("counts", "row_totals", "col_totals", "expected"),
    [
        # Nothing small: all shown.
        ([[10, 20]], True, False, [["shown", "shown"]]),
        # One small cell with a shown total: the smallest other non-zero cell goes too.
        ([[3, 20, 15]], True, False, [["primary", "shown", "secondary"]]),
        # Two small cells: nothing extra needed.
        ([[3, 4, 20]], True, False, [["primary", "primary", "shown"]]),
        # Zero is not a small cell.
        ([[0, 20, 15]], True, False, [["shown", "shown", "shown"]]),
        # Without totals there is nothing to recover from.
        ([[3, 20, 15]], False, False, [["primary", "shown", "shown"]]),
        # Column totals: a column with one hidden cell hides another in the same column.
        (
            [[3, 20], [30, 40], [12, 50]],
            False,
            True,
            [["primary", "shown"], ["shown", "shown"], ["secondary", "shown"]],
        ),
    ],
)
def test_protect_table(
    counts: list[list[int]], row_totals: bool, col_totals: bool, expected: list[list[str]]
) -> None:
    result = disclosure.protect_counts(
        counts, k=10, with_row_totals=row_totals, with_col_totals=col_totals
    )
    assert result.cells == expected


def test_protect_hides_total_when_no_other_cell_can_go() -> None:
    # One small cell and only zeros besides it: the row total equals the cell -> total primary.
    result = disclosure.protect_counts([[4, 0, 0]], k=10)
    assert result.row_totals == ["primary"]


def _recoverable(
    counts: list[list[int]], p: disclosure.Protection, rows_t: bool, cols_t: bool
) -> bool:
    if rows_t:
        for i, row in enumerate(p.cells):
            if p.row_totals[i] == disclosure.SHOWN and sum(c != disclosure.SHOWN for c in row) == 1:
                return True
    if cols_t:
        for j in range(len(p.cells[0]) if p.cells else 0):
            col = [p.cells[i][j] for i in range(len(p.cells))]
            if p.col_totals[j] == disclosure.SHOWN and sum(c != disclosure.SHOWN for c in col) == 1:
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    ),
    rows_t=st.booleans(),
    cols_t=st.booleans(),
)
def test_no_small_cell_shown_and_none_recoverable(
    counts: list[list[int]], rows_t: bool, cols_t: bool
) -> None:
    p = disclosure.protect_counts(counts, k=10, with_row_totals=rows_t, with_col_totals=cols_t)
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            if 0 < n < 10:
                assert p.cells[i][j] != disclosure.SHOWN
        if rows_t and 0 < sum(row) < 10:
            assert p.row_totals[i] != disclosure.SHOWN
    assert not _recoverable(counts, p, rows_t, cols_t)


@pytest.mark.parametrize(
    ("n", "state", "text"),
    [
        (5, disclosure.PRIMARY, "<10"),
        (12, disclosure.SECONDARY, "x"),
        (12, disclosure.SHOWN, "12"),
        (0, disclosure.SHOWN, "0"),
    ],
)
def test_cell_text(n: int, state: str, text: str) -> None:
    assert disclosure.count_text(n, state, k=10) == text

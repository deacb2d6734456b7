"""Pure rules: XLSForm expressions, disclosure control, completeness, pseudonyms (no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thuis.surveys import rules


@pytest.mark.parametrize(
    ("expression", "answers", "current", "expected"),
    [
        ("${a} = 'ja'", {"a": "ja"}, None, True),
        ("${a} = 'ja'", {"a": "nee"}, None, False),
        ("${a} = 'ja'", {}, None, False),
        ("${a} != 'ja'", {}, None, True),
        ("${n} > 18", {"n": 20}, None, True),
        ("${n} > 18", {"n": 18}, None, False),
        ("${n} > 18", {}, None, False),
        ("${n} >= 18 and ${n} <= 65", {"n": 40}, None, True),
        ("${n} = 1", {"n": "1"}, None, True),
        ("selected(${m}, 'werk')", {"m": ["taal", "werk"]}, None, True),
        ("selected(${m}, 'werk')", {"m": ["taal"]}, None, False),
        ("selected(${m}, 'werk')", {}, None, False),
        ("not(selected(${m}, 'werk'))", {"m": ["taal"]}, None, True),
        ("${a} = 'x' or ${b} = 'y'", {"b": "y"}, None, True),
        ("(${a} = 'x' or ${b} = 'y') and ${c} = 'z'", {"b": "y"}, None, False),
        (". >= 1 and . <= 60", {}, 30, True),
        (". >= 1 and . <= 60", {}, 61, False),
        ("string-length(.) <= 5", {}, "abcdef", False),
        ("not(selected(., 'geen') and count-selected(.) > 1)", {}, "geen taal", False),
        ("not(selected(., 'geen') and count-selected(.) > 1)", {}, "geen", True),
        ("not(selected(., 'geen') and count-selected(.) > 1)", {}, "taal werk", True),
        ("${n} + 2 = 5", {"n": 3}, None, True),
        ("${n} mod 2 = 0", {"n": 4}, None, True),
        ("-${n} < 0", {"n": 4}, None, True),
        ("true()", {}, None, True),
        ("false()", {}, None, False),
    ],
)
def test_evaluate(expression: str, answers: dict[str, Any], current: Any, expected: bool) -> None:
    node = rules.parse_expression(expression)
    assert rules.evaluate(node, answers=answers, current=current) is expected


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("today() > ${d}", "today()"),
        ("pulldata('x', 'y')", "pulldata()"),
        ("${a} = ", "te vroeg"),
        ("${a} = 'ja' )", "onverwacht"),
        ("/data/a = 'ja'", "onbekend teken"),
        ("selected(${a})", "verwacht 2"),
        ("", "lege"),
    ],
)
def test_unsupported_expressions_are_refused(expression: str, fragment: str) -> None:
    with pytest.raises(rules.ExpressionError, match=None) as exc:
        rules.parse_expression(expression)
    assert fragment in str(exc.value)


def test_references() -> None:
    node = rules.parse_expression("${a} = 'x' and selected(${b}, 'y') or . > 1")
    assert rules.references(node) == {"a", "b"}
    assert rules.uses_dot(node)


def test_relevance_and_constraint_helpers() -> None:
    assert rules.is_relevant("", answers={})
    assert rules.meets_constraint(". > 3", value=None, answers={})
    assert not rules.meets_constraint(". > 3", value=2, answers={})


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
    result = rules.protect_table(
        counts, k=10, with_row_totals=row_totals, with_col_totals=col_totals
    )
    assert result.cells == expected


def test_protect_hides_total_when_no_other_cell_can_go() -> None:
    # One small cell and only zeros besides it: the row total equals the cell -> total primary.
    result = rules.protect_table([[4, 0, 0]], k=10)
    assert result.row_totals == ["primary"]


def _recoverable(counts: list[list[int]], p: rules.Protection, rows_t: bool, cols_t: bool) -> bool:
    if rows_t:
        for i, row in enumerate(p.cells):
            if p.row_totals[i] == rules.SHOWN and sum(c != rules.SHOWN for c in row) == 1:
                return True
    if cols_t:
        for j in range(len(p.cells[0]) if p.cells else 0):
            col = [p.cells[i][j] for i in range(len(p.cells))]
            if p.col_totals[j] == rules.SHOWN and sum(c != rules.SHOWN for c in col) == 1:
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
    p = rules.protect_table(counts, k=10, with_row_totals=rows_t, with_col_totals=cols_t)
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            if 0 < n < 10:
                assert p.cells[i][j] != rules.SHOWN
        if rows_t and 0 < sum(row) < 10:
            assert p.row_totals[i] != rules.SHOWN
    assert not _recoverable(counts, p, rows_t, cols_t)


@pytest.mark.parametrize(
    ("n", "state", "text"),
    [
        (5, rules.PRIMARY, "<10"),
        (12, rules.SECONDARY, "x"),
        (12, rules.SHOWN, "12"),
        (0, rules.SHOWN, "0"),
    ],
)
def test_cell_text(n: int, state: str, text: str) -> None:
    assert rules.cell_text(n, state, k=10) == text


def test_completeness() -> None:
    texts = [{"nl": "Ja", "en": "Yes", "ar": ""}, {"nl": "Nee", "en": "", "ar": ""}, {"nl": ""}]
    assert rules.completeness(texts, ["nl", "en", "ar"]) == {"nl": 100, "en": 50, "ar": 0}


def test_month_start_and_keys() -> None:
    assert rules.month_start(date(2026, 5, 17)) == date(2026, 5, 1)
    a = rules.pseudonym(key=b"k1", subject="person:1")
    assert a == rules.pseudonym(key=b"k1", subject="person:1")
    assert a != rules.pseudonym(key=b"k2", subject="person:1")
    assert rules.key_fingerprint(b"k1") != rules.key_fingerprint(b"k2")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True),
        ("TRUE()", True),
        ("1", True),
        ("", False),
        ("no", False),
        ("${a} = 'x'", None),
    ],
)
def test_parse_required(raw: str, expected: bool | None) -> None:
    assert rules.parse_required(raw) is expected

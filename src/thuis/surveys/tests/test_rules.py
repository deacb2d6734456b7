"""Pure rules: XLSForm expressions, disclosure control, completeness, pseudonyms (no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

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


def test_nesting_up_to_the_limit_parses_and_evaluates_and_beyond_is_refused() -> None:
    deep = "(" * (rules.MAX_DEPTH - 1) + "${a} = 'x'" + ")" * (rules.MAX_DEPTH - 1)
    node = rules.parse_expression(deep)
    assert rules.evaluate(node, answers={"a": "x"}) is True
    for text in (
        "(" * (rules.MAX_DEPTH + 1) + "1" + ")" * (rules.MAX_DEPTH + 1),
        "(" * 100_000,
        "-" * 100_000 + "1",
        "1" + " or 1" * 100_000,
    ):
        with pytest.raises(rules.ExpressionError) as exc:
            rules.parse_expression(text)
        assert "te diep genest" in str(exc.value)

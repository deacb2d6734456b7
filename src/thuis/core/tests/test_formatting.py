"""core.formatting and its template filters: Dutch dates, numbers, amounts and percentages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.template import Context, Template

import pytest

from thuis.core import formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "€ 0,00"),
        ("1234.5", "€ 1.234,50"),
        ("1234567.891", "€ 1.234.567,89"),
        ("-37480", "-€ 37.480,00"),
        ("999.995", "€ 1.000,00"),
        ("-0.005", "-€ 0,01"),
    ],
)
def test_euro(value: str, expected: str) -> None:
    """Moved from finance/tests/test_rules.py (test_format_eur), same cases."""
    assert formatting.euro(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (45.25, 1, "45,3"),
        (7.8, 1, "7,8"),
        (75, 0, "75"),
        (Decimal("75.0"), 0, "75"),
        (None, 1, ""),
        (100, 1, "100,0"),
    ],
)
def test_number_rounds_half_up_with_a_decimal_comma(value: Any, decimals: int, text: str) -> None:
    """Moved from policy/tests/test_rules.py (test_nl_number), same cases."""
    assert formatting.number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "grouping", "text"),
    [
        (1234.5, 1, True, "1.234,5"),
        (1234567, 0, True, "1.234.567"),
        (-1234.56, 2, True, "-1.234,56"),
        (1234.5, 1, False, "1234,5"),
        (999.95, 1, True, "1.000,0"),
        (0.04, 1, True, "0,0"),
    ],
)
def test_number_groups_thousands_with_a_dot(
    value: float, decimals: int, grouping: bool, text: str
) -> None:
    assert formatting.number(value, decimals, grouping=grouping) == text


def test_percent() -> None:
    assert formatting.percent(44) == "44,0%"
    assert formatting.percent(61.25) == "61,3%"
    assert formatting.percent(75, 0) == "75%"
    assert formatting.percent(None) == ""


@pytest.mark.parametrize(
    ("value", "short", "long"),
    [
        (date(2026, 12, 3), "03-12-2026", "3 december 2026"),
        (date(2024, 2, 29), "29-02-2024", "29 februari 2024"),
        (date(2022, 1, 1), "01-01-2022", "1 januari 2022"),
        (date(2023, 4, 12), "12-04-2023", "12 april 2023"),
        ("2017-04-18", "18-04-2017", "18 april 2017"),
        ("2017-04-18T10:00:00", "18-04-2017", "18 april 2017"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_dates(value: Any, short: str, long: str) -> None:
    assert formatting.date_short(value) == short
    assert formatting.date_long(value) == long


def test_datetime_in_local_time() -> None:
    # 23:30 UTC on 31 December is already New Year in Amsterdam.
    moment = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert formatting.datetime_short(moment) == "01-01-2026 00:30"
    assert formatting.date_short(moment) == "01-01-2026"
    assert formatting.datetime_short(None) == ""


def test_decimal_comma_keeps_the_value_as_it_is() -> None:
    assert formatting.decimal_comma(Decimal("1234.50")) == "1234,50"
    assert formatting.decimal_comma(0.1) == "0,1"
    assert formatting.decimal_comma(None) == ""


def test_template_filters_call_the_same_functions() -> None:
    template = Template(
        "{% load thuis_format %}{{ a|euro }}|{{ n|number:2 }}|{{ n|number }}|{{ p|percent }}|"
        "{{ d|date_short }}|{{ d|date_long }}|{{ t|datetime_short }}|{{ missing|euro }}"
    )
    out = template.render(
        Context(
            {
                "a": Decimal("1234.5"),
                "n": Decimal("12.345"),
                "p": 44,
                "d": date(2026, 12, 3),
                "t": datetime(2026, 12, 3, 13, 5, tzinfo=UTC),
            }
        )
    )
    assert out == "€ 1.234,50|12,35|12,3|44,0%|03-12-2026|3 december 2026|03-12-2026 14:05|"


def test_no_other_module_writes_dates_or_amounts_itself() -> None:
    """The copies this module replaced stay gone (cases/rules.py is migrated separately)."""
    import re
    from pathlib import Path

    root = Path(formatting.__file__).parents[1]
    pattern = re.compile(r"%d-%m-%Y\}|def (nl_date|nl_number|nl_percent|format_eur|eur)\(")
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts
        and p.name != "formatting.py"
        and p.relative_to(root).as_posix() != "cases/rules.py"
        and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []

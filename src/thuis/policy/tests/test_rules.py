from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from thuis.policy import rules


def c(
    sex: str | None,
    waarde: float | None,
    low: float | None,
    high: float | None,
    n: int = 50,
    **extra: str,
) -> dict:
    keys = {"geslacht": sex} if sex else {}
    return {
        **keys,
        **extra,
        "teller": None if waarde is None else 1,
        "noemer": n,
        "waarde": waarde,
        "ondergrens": low,
        "bovengrens": high,
        "onderdrukt": waarde is None,
    }


@pytest.mark.parametrize(
    ("cells", "expected_low"),
    [
        ([c("M", 48.4, 36.6, 60.4), c("V", 12.0, 5.6, 23.8)], "V"),  # no overlap: women low
        ([c("M", 10.0, 4.0, 20.0), c("V", 45.0, 32.0, 58.0)], "M"),  # men low
        ([c("M", 40.0, 30.0, 50.0), c("V", 30.0, 20.0, 40.0)], None),  # overlap
        ([c("M", 40.0, 30.0, 50.0), c("V", 25.0, 15.0, 30.0)], None),  # touching = overlap
        ([c("M", 48.4, 36.6, 60.4), c("V", None, None, None)], None),  # V suppressed
        ([c("M", 48.4, 36.6, 60.4)], None),  # no women cell
        ([c("M", 48.4, None, None), c("V", 12.0, 5.6, 23.8)], None),  # no interval
        (  # only the cohort margin counts, not one cohort
            [c("M", 48.4, 36.6, 60.4, cohort="2019"), c("V", 12.0, 5.6, 23.8, cohort="2019")],
            None,
        ),
        (
            [c("M", 48.4, 36.6, 60.4, cohort="totaal"), c("V", 12.0, 5.6, 23.8, cohort="totaal")],
            "V",
        ),
    ],
)
def test_gender_gap(cells: list[dict], expected_low: str | None) -> None:
    result = rules.gender_gap(code="WERK_12M", name="Met werk", cells=cells)
    if expected_low is None:
        assert result is None
    else:
        assert result is not None
        assert result.data["laag"] == expected_low
        assert result.key == "gender_gap:WERK_12M"
        assert "overlappen niet" in result.evidence


@pytest.mark.parametrize(
    ("cell", "target", "comparison", "fires"),
    [
        (c(None, 59.6, 46.1, 71.8), 75, "gte", True),
        (c(None, 75.0, 60.0, 85.0), 75, "gte", False),
        (c(None, 80.0, 70.0, 90.0), 75, "gte", False),
        (c(None, 30.0, 20.0, 40.0), 25, "lte", True),
        (c(None, 20.0, 10.0, 30.0), 25, "lte", False),
        (c(None, None, None, None), 75, "gte", False),  # suppressed: no suggestion
        (None, 75, "gte", False),  # not available
    ],
)
def test_below_target(cell: dict | None, target: int, comparison: str, fires: bool) -> None:
    result = rules.below_target(
        goal="75% participeert",
        code="P",
        name="Participeert",
        cell=cell,
        target=Decimal(target),
        comparison=comparison,
    )
    assert (result is not None) is fires
    if result:
        assert "gemeten" in result.evidence and "doel" in result.evidence


@pytest.mark.parametrize(
    ("numerator", "denominator", "fires"),
    [
        (12, 40, True),
        (20, 40, False),
        (25, 40, False),
        (3, 9, False),
        (None, 40, False),
        (12, None, False),
        (0, 10, True),
    ],
)
def test_low_social_network(numerator: int | None, denominator: int | None, fires: bool) -> None:
    result = rules.low_social_network(
        label="Netwerk", numerator=numerator, denominator=denominator, k=10
    )
    assert (result is not None) is fires


@pytest.mark.parametrize(
    ("dependent", "total", "fires"),
    [
        (30, 40, True),
        (20, 40, True),
        (19, 40, False),
        (5, 6, False),
        (None, 40, False),
        (0, 0, False),
    ],
)
def test_volunteer_dependence(dependent: int | None, total: int | None, fires: bool) -> None:
    assert (rules.volunteer_dependence(dependent=dependent, total=total, k=10) is not None) is fires


@pytest.mark.parametrize(
    ("value", "target", "comparison", "expected"),
    [
        (75.0, 75, "gte", True),
        (74.9, 75, "gte", False),
        (10.0, 20, "lte", True),
        (20.1, 20, "lte", False),
        (None, 75, "gte", None),
        (50.0, None, "gte", None),
    ],
)
def test_goal_met(
    value: float | None, target: int | None, comparison: str, expected: bool | None
) -> None:
    assert rules.goal_met(value=value, target=target, comparison=comparison) is expected


def test_action_progress() -> None:
    result = rules.action_progress(["done", "done", "running", "stopped"])
    assert result == {
        "planned": 0,
        "running": 1,
        "done": 2,
        "stopped": 1,
        "total": 4,
        "done_pct": 50,
    }
    assert rules.action_progress([])["done_pct"] == 0


TODAY = date(2024, 2, 1)


@pytest.mark.parametrize(
    ("status", "ps", "pe", "as_", "ae", "problem"),
    [
        ("planned", date(2024, 3, 1), date(2024, 4, 1), None, None, None),
        ("planned", date(2024, 4, 1), date(2024, 3, 1), None, None, "geplande einde"),
        ("running", None, None, None, None, "echte start"),
        ("running", None, None, date(2023, 1, 1), None, None),
        ("done", None, None, date(2023, 1, 1), None, "echte einde"),
        ("done", None, None, date(2023, 1, 1), date(2023, 6, 1), None),
        ("stopped", None, None, date(2023, 1, 1), date(2022, 6, 1), "vóór de echte start"),
        ("running", None, None, date(2024, 3, 1), None, "toekomst"),
        ("done", None, None, date(2023, 1, 1), date(2024, 3, 1), "toekomst"),
        ("planned", None, None, None, date(2023, 1, 1), "geen echt einde"),
    ],
)
def test_action_dates_problem(status, ps, pe, as_, ae, problem) -> None:
    result = rules.action_dates_problem(
        status=status,
        planned_start=ps,
        planned_end=pe,
        actual_start=as_,
        actual_end=ae,
        today=TODAY,
    )
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result


def test_intervals() -> None:
    assert rules.intervals_overlap((1, 2), (2, 3))
    assert not rules.intervals_overlap((1, 2), (2.1, 3))
    low, high = rules.wilson(6, 50)
    assert (low, high) == (5.6, 23.8)
    with pytest.raises(ValueError):
        rules.wilson(5, 0)

"""Pure finance rules: rounding, taakstelling, parameters and hand-computed forecasts (no DB)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from thuis.finance import rules
from thuis.finance.rules import ForecastInputs, ScenarioParams

D = Decimal  # short for the money tables below


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),  # half up, not banker's rounding
        ("0.015", "0.02"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("1.004", "1.00"),
        ("1234.5", "1234.50"),
    ],
)
def test_money_rounds_half_up_to_cents(value: str, expected: str) -> None:
    assert rules.money(D(value)) == D(expected)
    assert str(rules.money(D(value))) == expected


@pytest.mark.parametrize(
    ("national", "inhabitants", "nl", "expected"),
    [
        (1000, 30_000, 1_000_000, "30.00"),
        # Dalfsen 1-1-2024 (29,684; wet-inburgering.md §10) with 10,000 nationally.
        (10_000, 29_684, 17_942_942, "16.54"),
        # Cross-check in §10: 2016-II 23,000 nationally, ~28.0k of ~17.0M inhabitants.
        (23_000, 28_000, 17_000_000, "37.88"),
        (0, 30_000, 1_000_000, "0.00"),
    ],
)
def test_taakstelling_share_rule_30(
    national: int, inhabitants: int, nl: int, expected: str
) -> None:
    assert rules.taakstelling_share(
        national_number=national, inhabitants=inhabitants, national_inhabitants=nl
    ) == D(expected)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2021, "0.00"), (2022, "100"), (2023, "100"), (2024, "200"), (2030, "200")],
)
def test_rate_for_year_carries_forward(year: int, expected: str) -> None:
    assert rules.rate_for_year({2022: D("100"), 2024: D("200")}, year) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("€ 1.250,00", "1250.00"),
        ("1.234", "1234"),
        ("12.345.678", "12345678"),
        ("12.5", "12.5"),
        ("-12,50", "-12.50"),
        ("(80,00)", "-80.00"),
        ("0", "0"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert rules.parse_amount(text) == D(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,234,56", "12,345", "1.2.3", "12a", "1.23.4"])
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_amount(text)


def test_row_key_uses_reference_or_checksum_with_occurrence() -> None:
    fields = ["2025-01-31", "tolk", "Tolkdienst", "", "100.00", "", ""]
    assert rules.row_key(reference="BK-1", fields=fields, occurrence=1) == "ref:BK-1"
    first = rules.row_key(reference="", fields=fields, occurrence=1)
    second = rules.row_key(reference="", fields=fields, occurrence=2)
    assert first.startswith("sha:") and first != second
    assert rules.row_key(reference="", fields=fields, occurrence=1) == first
    # A key that Thuis exported itself comes back unchanged (re-importing an export is a no-op).
    assert rules.row_key(reference=first, fields=["x"], occurrence=1) == first
    assert rules.export_reference("ref:BK-1") == "BK-1"


# ------------------------------------------------------------------------------------------
# Hand-computed forecasts
# ------------------------------------------------------------------------------------------

SIMPLE = ScenarioParams(
    first_year=2026,
    taakstelling=(1000,) * 8,
    national_inhabitants=1_000_000,
    share_plichtig_pct=D("50"),
    family_reunification_pct=D("10"),
    gezinsmigranten_per_year=D("5"),
    share_b1_pct=D("60"),
    share_onderwijs_pct=D("10"),
    share_z_pct=D("30"),
    cost_b1=D("10000"),
    cost_onderwijs=D("17000"),
    cost_z=D("10000"),
    cost_mb=D("2000"),
    cost_pvt=D("200"),
    cost_map=D("400"),
    spread_pct=(D("100"), D("0"), D("0")),
    staff_hours_per_year=D("1000"),
    staff_hourly_rate=D("75"),
    other_fixed_costs=D("10000"),
    cost_index_pct=D("0"),
    opening_balance=D("0"),
)
SIMPLE_INPUTS = ForecastInputs(
    inhabitants=dict.fromkeys(range(2026, 2030), 30_000),
    rates={
        "spuk_asiel": {2022: D("13000")},
        "spuk_gezin": {2022: D("600")},
        "onderwijsroute": {2026: D("17000")},
    },
    fixed_income={2026: D("50000")},
)


def test_simple_scenario_by_hand() -> None:
    """30,000 of 1,000,000 inhabitants × 1,000 per half year = 30 + 30 = 60 vergunninghouders;
    50% plichtig = 30; +10% nareizigers = 3; asiel 33; gezin 5.

    Income: 33 × 13,000 + 5 × 600 = 432,000; onderwijsroute 33 × 10% × 17,000 = 56,100;
    fixed 50,000 in 2026 only.
    Spending: route price 0.6×10,000 + 0.1×17,000 + 0.3×10,000 = 10,700 → 33 × 10,700 =
    353,100; MB+PVT+MAP 2,000 + 200 + 0.9×400 = 2,560 → 33 × 2,560 = 84,480, gezin 5 × 600 =
    3,000; staff 1,000 × 75 = 75,000; other 10,000. Total 525,580.
    """
    projection = rules.project(params=SIMPLE, inputs=SIMPLE_INPUTS)
    first = projection.years[0]
    assert first.statushouders == D("60.00")
    assert first.plichtig_taakstelling == D("30.00")
    assert first.nareizigers == D("3.00")
    assert first.asiel_plichtig == D("33.00")
    assert first.income_spuk == D("432000.00")
    assert first.income_onderwijsroute == D("56100.00")
    assert first.income_fixed == D("50000.00")
    assert first.income_total == D("538100.00")
    assert first.cost_routes == D("353100.00")
    assert first.cost_components == D("87480.00")
    assert first.cost_staff == D("75000.00")
    assert first.cost_other == D("10000.00")
    assert first.spending_total == D("525580.00")
    assert first.result == D("12520.00")
    assert [y.result for y in projection.years] == [
        D("12520.00"),
        D("-37480.00"),
        D("-37480.00"),
        D("-37480.00"),
    ]
    assert [y.cumulative for y in projection.years] == [
        D("12520.00"),
        D("-24960.00"),
        D("-62440.00"),
        D("-99920.00"),
    ]
    kinds = [(w.kind, w.year) for w in projection.warnings]
    assert kinds == [("tekort", 2027), ("tekort", 2028), ("tekort", 2029), ("saldo", 2027)]
    assert "€ 37.480,00" in projection.warnings[0].message
    assert "-€ 24.960,00" in projection.warnings[-1].message


SPREAD = ScenarioParams(
    first_year=2026,
    taakstelling=(1000, 1000, 0, 0, 0, 0, 0, 0),
    national_inhabitants=1_000_000,
    share_plichtig_pct=D("50"),
    family_reunification_pct=D("0"),
    gezinsmigranten_per_year=D("0"),
    share_b1_pct=D("100"),
    share_onderwijs_pct=D("0"),
    share_z_pct=D("0"),
    cost_b1=D("10000"),
    cost_mb=D("0"),
    cost_pvt=D("100"),
    cost_map=D("0"),
    spread_pct=(D("40"), D("40"), D("20")),
    staff_hours_per_year=D("0.5"),
    staff_hourly_rate=D("10.01"),
    other_fixed_costs=D("1000"),
    cost_index_pct=D("2"),
    opening_balance=D("100000"),
)
SPREAD_INPUTS = ForecastInputs(
    inhabitants=dict.fromkeys(range(2026, 2030), 30_000),
    rates={"spuk_asiel": {2022: D("13000")}},
    running={
        ("asielstatushouder", 2025): 10,  # 40% left in 2026, 20% in 2027, at 2025 prices
        ("gezinsmigrant", 2024): 4,  # 20% left in 2026
        ("asielstatushouder", 2026): 5,  # started in the forecast: part of the inflow
        ("asielstatushouder", 2022): 7,  # spread finished before the forecast
    },
)


def test_spread_index_commitments_and_rounding_by_hand() -> None:
    """Cohort 2026: 30 asiel × 10,000 = 300,000 (40/40/20) and PVT 30 × 100 = 3,000.

    Running asiel 2025: 10 × 10,100 × 40% / 1.02 = 39,607.843… → 39,607.84 (2026) and
    10 × 10,100 × 20% / 1.02 = 19,803.921… → 19,803.92 (2027).
    Running gezin 2024: 4 × 100 × 20% / 1.02² = 76.8935… → 76.89 (2026).
    Staff 0.5 h × 10.01 = 5.005 → 5.01 (half up); ×1.02 = 5.1051 → 5.11; ×1.0404 → 5.21;
    ×1.061208 → 5.31. Other 1,000 → 1,000 / 1,020 / 1,040.40 / 1,061.21.
    """
    p = rules.project(params=SPREAD, inputs=SPREAD_INPUTS)
    y26, y27, y28, y29 = p.years
    assert (y26.cost_routes, y27.cost_routes, y28.cost_routes, y29.cost_routes) == (
        D("120000.00"),
        D("120000.00"),
        D("60000.00"),
        D("0.00"),
    )
    assert (y26.cost_components, y27.cost_components, y28.cost_components) == (
        D("1200.00"),
        D("1200.00"),
        D("600.00"),
    )
    assert y26.cost_running == D("39607.84") + D("76.89")
    assert y27.cost_running == D("19803.92")
    assert y28.cost_running == D("0.00")
    assert [y.cost_staff for y in p.years] == [D("5.01"), D("5.11"), D("5.21"), D("5.31")]
    assert [y.cost_other for y in p.years] == [
        D("1000.00"),
        D("1020.00"),
        D("1040.40"),
        D("1061.21"),
    ]
    assert y26.income_total == D("390000.00")
    assert y27.income_total == D("0.00")
    assert y26.spending_total == D("161889.74")
    assert [y.cumulative for y in p.years] == [
        D("328110.26"),
        D("186081.23"),
        D("124435.62"),
        D("123369.10"),
    ]
    assert [w.kind for w in p.warnings] == ["tekort", "tekort", "tekort"]
    assert not any(y.below_zero for y in p.years)


def test_totals_add_up_to_the_cent() -> None:
    p = rules.project(params=SPREAD, inputs=SPREAD_INPUTS)
    running = p.opening_balance
    for y in p.years:
        running += y.income_total - y.spending_total
        assert y.cumulative == running
        for value in (y.income_total, y.spending_total, y.result):
            assert value == rules.money(value)


def test_changing_a_parameter_and_back_gives_the_same_projection() -> None:
    original = rules.project(params=SIMPLE, inputs=SIMPLE_INPUTS)
    changed_params = replace(SIMPLE, share_b1_pct=D("50"), share_onderwijs_pct=D("20"))
    changed = rules.project(params=changed_params, inputs=SIMPLE_INPUTS)
    assert changed != original
    back_params = rules.params_from_dict(
        {
            **rules.params_to_dict(changed_params),
            "share_b1_pct": "60",
            "share_onderwijs_pct": "10.00",
        }
    )
    assert rules.params_checksum(back_params) == rules.params_checksum(SIMPLE)
    assert rules.project(params=back_params, inputs=SIMPLE_INPUTS) == original


def test_params_round_trip_and_canonical_checksum() -> None:
    data = rules.params_to_dict(SPREAD)
    assert rules.params_from_dict(data) == SPREAD
    spelled_differently = {**data, "cost_b1": "10000.00", "cost_index_pct": "2.0"}
    assert rules.params_checksum(rules.params_from_dict(spelled_differently)) == (
        rules.params_checksum(SPREAD)
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"share_b1_pct": "70"}, "route_mix"),
        ({"spread_pct": ["50", "50", "10"]}, "spread_pct"),
        ({"taakstelling": [1, 2, 3]}, "taakstelling"),
        ({"cost_b1": "-1"}, "cost_b1"),
        ({"share_plichtig_pct": "101"}, "share_plichtig_pct"),
        ({"national_inhabitants": 0}, "national_inhabitants"),
        ({"cost_z": "abc"}, "cost_z"),
        ({"first_year": "twintig"}, "first_year"),
    ],
)
def test_invalid_parameters_are_refused_in_dutch(change: dict, field: str) -> None:
    data = {**rules.params_to_dict(SIMPLE), **change}
    with pytest.raises(rules.ParameterError) as info:
        rules.params_from_dict(data)
    assert field in info.value.errors


def test_negative_opening_balance_is_allowed_and_warns_at_once() -> None:
    params = replace(SIMPLE, opening_balance=D("-20000"))
    p = rules.project(params=params, inputs=SIMPLE_INPUTS)
    assert p.years[0].cumulative == D("-7480.00")
    assert ("saldo", 2026) in [(w.kind, w.year) for w in p.warnings]


def test_no_warnings_when_income_covers_spending() -> None:
    rich = replace(SIMPLE_INPUTS, fixed_income=dict.fromkeys(range(2026, 2030), D("40000")))
    p = rules.project(params=SIMPLE, inputs=rich)
    assert all(y.result == D("2520.00") for y in p.years[1:])
    assert p.warnings == ()


def test_missing_inhabitants_is_an_error() -> None:
    with pytest.raises(ValueError):
        rules.project(params=SIMPLE, inputs=replace(SIMPLE_INPUTS, inhabitants={2026: 1}))


def test_default_params_are_valid_and_sum_to_the_dalfsen_estimate() -> None:
    params = rules.default_params(first_year=2026)
    assert rules.validate_params(params) == {}
    # Leerroute (SZW trajectprijs ≈ 10,000) + MB 2,370 + PVT/MAP 600 ≈ Dalfsen's 13,000 (§8.1).
    assert D("10000") + params.cost_mb + params.cost_pvt + params.cost_map == D("12970.00")

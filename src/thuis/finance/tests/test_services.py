"""Finance services and selectors with the database: scenarios, import, commitments, report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.audit.models import ProcessingRecord
from thuis.cases.choices import CaseStatus, Doelgroep, GedetailleerdeDoelgroep
from thuis.cases.models import IntegrationCase
from thuis.core.errors import ConflictError, ValidationFailed
from thuis.demo.finance import seed_finance_demo
from thuis.finance import exports, rules, selectors, services
from thuis.finance.choices import BudgetSource, CostCategory, ImportStatus, RateKind
from thuis.finance.models import CostEntry, PerCapitaRate, Scenario
from thuis.people.models import MunicipalityPopulation
from thuis.tests import factories
from thuis.tests.uploads import xlsx

D = Decimal  # short for the money tables below

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(make_user: Any) -> Any:
    return make_user(Role.BELEIDSMEDEWERKER, username="beleid")


@pytest.fixture
def populated(municipality: Any) -> Any:
    MunicipalityPopulation.objects.create(municipality=municipality, year=2024, inhabitants=30_000)
    return municipality


def _params(**changes: Any) -> rules.ScenarioParams:
    base = rules.ScenarioParams(
        first_year=2026,
        taakstelling=(1000,) * 8,
        national_inhabitants=1_000_000,
        cost_index_pct=D("2"),
        staff_hours_per_year=D("100"),
        staff_hourly_rate=D("80"),
    )
    return replace(base, **changes)


# ------------------------------------------------------------------------------------------
# Scenarios: versions, change and back
# ------------------------------------------------------------------------------------------


def test_scenario_change_and_back_gives_the_same_projection(populated: Any, policy: Any) -> None:
    scenario = services.scenario_create(
        by=policy, municipality=populated, name="Basis", params=_params()
    )
    assert scenario.is_default and scenario.version == 1
    _, first = selectors.scenario_projection(scenario=scenario)

    services.scenario_update(
        by=policy,
        scenario=scenario,
        params=_params(family_reunification_pct=D("40")),
        expected_version=1,
        note="meer nareizigers",
    )
    scenario.refresh_from_db()
    _, changed = selectors.scenario_projection(scenario=scenario)
    assert changed.years[0].nareizigers != first.years[0].nareizigers

    services.scenario_update(by=policy, scenario=scenario, params=_params(), expected_version=2)
    scenario.refresh_from_db()
    assert scenario.version == 3
    _, back = selectors.scenario_projection(scenario=scenario)
    assert back == first
    versions = {v.number: v for v in scenario.versions.all()}
    assert versions[3].checksum == versions[1].checksum != versions[2].checksum
    # Older versions stay available and give their own projection.
    _, v2 = selectors.scenario_projection(scenario=scenario, version=2)
    assert v2 == changed


def test_saving_the_same_parameters_adds_no_version(populated: Any, policy: Any) -> None:
    scenario = services.scenario_create(
        by=policy, municipality=populated, name="A", params=_params()
    )
    services.scenario_update(by=policy, scenario=scenario, params=_params(), expected_version=1)
    scenario.refresh_from_db()
    assert scenario.version == 1 and scenario.versions.count() == 1


def test_stale_version_is_a_conflict(populated: Any, policy: Any) -> None:
    scenario = services.scenario_create(
        by=policy, municipality=populated, name="A", params=_params()
    )
    services.scenario_update(
        by=policy, scenario=scenario, params=_params(cost_b1=D("12000")), expected_version=1
    )
    with pytest.raises(ConflictError) as exc:
        services.scenario_update(
            by=policy, scenario=scenario, params=_params(cost_b1=D("9000")), expected_version=1
        )
    assert exc.value.code == "conflict"


def test_one_default_scenario_per_municipality(populated: Any, policy: Any) -> None:
    a = services.scenario_create(by=policy, municipality=populated, name="A", params=_params())
    b = services.scenario_create(by=policy, municipality=populated, name="B", params=_params())
    assert Scenario.objects.get(pk=a.pk).is_default and not b.is_default
    services.scenario_set_default(by=policy, scenario=b)
    assert list(Scenario.objects.filter(is_default=True)) == [b]
    with pytest.raises(ValidationFailed) as exc:
        services.scenario_create(by=policy, municipality=populated, name="A", params=_params())
    assert exc.value.code == "scenario_naam_bestaat"


def test_projection_needs_inhabitants(municipality: Any, policy: Any) -> None:
    scenario = services.scenario_create(
        by=policy, municipality=municipality, name="A", params=_params()
    )
    with pytest.raises(ValidationFailed, match="inwonertal") as exc:
        selectors.scenario_projection(scenario=scenario)
    assert exc.value.code == "geen_inwoners"


def test_inhabitants_take_latest_earlier_year(municipality: Any) -> None:
    MunicipalityPopulation.objects.create(municipality=municipality, year=2024, inhabitants=100)
    MunicipalityPopulation.objects.create(municipality=municipality, year=2026, inhabitants=300)
    assert selectors.inhabitants_for_years(
        municipality=municipality, years=[2023, 2025, 2026, 2027]
    ) == {2023: 100, 2025: 100, 2026: 300, 2027: 300}


# ------------------------------------------------------------------------------------------
# Rates and budget lines
# ------------------------------------------------------------------------------------------


def test_seeded_default_rates_are_estimates_with_source(municipality: Any) -> None:
    rows = selectors.rate_rows(municipality=municipality)
    asiel = [r for r in rows if r.kind == RateKind.SPUK_ASIEL]
    assert {r.year for r in asiel} >= {2022, 2025}
    assert all(r.amount == D("13000.00") and r.is_estimate and "Dalfsen" in r.source for r in asiel)
    onderwijs = [r for r in rows if r.kind == RateKind.ONDERWIJSROUTE]
    assert {r.year for r in onderwijs} == {2026, 2027, 2028, 2029}


def test_municipality_rate_overrides_default_and_resets(municipality: Any, policy: Any) -> None:
    services.rate_set(
        by=policy,
        municipality=municipality,
        year=2026,
        kind=RateKind.SPUK_ASIEL,
        amount=D("14250.5"),
        is_estimate=False,
        source="Regeling inburgering",
    )
    rates = selectors.rates_by_kind(municipality=municipality)
    assert rates["spuk_asiel"][2026] == D("14250.50")
    assert rates["spuk_asiel"][2025] == D("13000.00")
    services.rate_reset(by=policy, municipality=municipality, year=2026, kind=RateKind.SPUK_ASIEL)
    assert selectors.rates_by_kind(municipality=municipality)["spuk_asiel"][2026] == D("13000.00")
    assert PerCapitaRate.objects.filter(municipality__isnull=True, year=2026).exists()


def test_fixed_income_carries_forward(municipality: Any, policy: Any) -> None:
    for source, amount in (
        (BudgetSource.ALGEMENE_UITKERING, "80000"),
        (BudgetSource.OVERIG, "5000"),
        (BudgetSource.SPUK_INBURGERING, "200000"),
    ):
        services.budget_line_create(
            by=policy, municipality=municipality, year=2025, source=source, amount=D(amount)
        )
    assert selectors.fixed_income(municipality=municipality, years=[2024, 2025, 2027]) == {
        2024: D("0.00"),
        2025: D("85000.00"),
        2027: D("85000.00"),
    }
    # Each change is in the processing log, without a data subject.
    records = ProcessingRecord.objects.filter(object_type="finance-budget")
    assert records.count() == 3 and set(records.values_list("data_subject_id", flat=True)) == {""}


# ------------------------------------------------------------------------------------------
# Commitments from running cases (aggregate only)
# ------------------------------------------------------------------------------------------


def _case(
    municipality: Any,
    *,
    plicht: date,
    vestiging: date | None = None,
    doelgroep: str = Doelgroep.ASIELSTATUSHOUDER,
) -> IntegrationCase:
    detail = (
        GedetailleerdeDoelgroep.ASIELSTATUSHOUDER
        if doelgroep == Doelgroep.ASIELSTATUSHOUDER
        else GedetailleerdeDoelgroep.GEZINSVORMER
    )
    return factories.CaseFactory(
        person=factories.PersonFactory(municipality=municipality),
        plicht_start=plicht,
        vestiging_date=vestiging,
        doelgroep=doelgroep,
        gedetailleerde_doelgroep=detail,
    )


def test_running_cases_counts_open_wi2021_cases(municipality: Any, other_municipality: Any) -> None:
    _case(municipality, plicht=date(2024, 5, 1))
    _case(municipality, plicht=date(2024, 2, 1), vestiging=date(2025, 1, 10))
    _case(municipality, plicht=date(2025, 3, 1), doelgroep=Doelgroep.GEZINSMIGRANT)
    _case(municipality, plicht=date(2021, 6, 1))  # Wi2013: not counted
    closed = _case(municipality, plicht=date(2024, 6, 1))
    IntegrationCase.objects.filter(pk=closed.pk).update(status=CaseStatus.VOLDAAN)
    _case(other_municipality, plicht=date(2024, 6, 1))
    assert selectors.running_cases(municipality=municipality) == {
        ("asielstatushouder", 2024): 1,
        ("asielstatushouder", 2025): 1,
        ("gezinsmigrant", 2025): 1,
    }
    summary = selectors.running_cases_summary(municipality=municipality)
    assert [c["count"] for c in summary] == ["<10", "<10", "<10"]


# ------------------------------------------------------------------------------------------
# Import: all-or-nothing, idempotent
# ------------------------------------------------------------------------------------------

CSV_OK = (
    b"datum;soort;leverancier;omschrijving;bedrag;uren;uurtarief;kenmerk\n"
    b"2025-01-31;leerroute B1;Taalschool;januari;1.250,50;;;BK-1\n"
    b"31-01-2025;tolk;Tolkdienst;;99,99;;;\n"
    b"31-01-2025;tolk;Tolkdienst;;99,99;;;\n"
    b"2025-02-28;personeel;;regie;;10;78,50;\n"
)


def test_import_preview_confirm_and_reimport_is_a_no_op(municipality: Any, policy: Any) -> None:
    upload, parsed = services.cost_import_upload(
        by=policy, municipality=municipality, filename="kosten.csv", content=CSV_OK
    )
    assert parsed.errors == [] and len(parsed.rows) == 4
    assert CostEntry.objects.count() == 0  # preview books nothing
    done = services.cost_import_confirm(by=policy, cost_import=upload)
    assert (done.status, done.rows_created, done.rows_skipped) == (ImportStatus.DONE, 4, 0)
    entries = CostEntry.objects.order_by("booked_on", "amount")
    assert [e.amount for e in entries] == [D("99.99"), D("99.99"), D("1250.50"), D("785.00")]
    assert selectors.cost_totals(municipality=municipality, year=2025)[CostCategory.TOLK] == D(
        "199.98"
    )
    before = sorted(CostEntry.objects.values_list("row_key", "amount"))

    again, _ = services.cost_import_upload(
        by=policy, municipality=municipality, filename="kosten.csv", content=CSV_OK
    )
    second = services.cost_import_confirm(by=policy, cost_import=again)
    assert (second.rows_created, second.rows_skipped) == (0, 4)
    assert sorted(CostEntry.objects.values_list("row_key", "amount")) == before
    with pytest.raises(ConflictError) as exc:
        services.cost_import_confirm(by=policy, cost_import=second)
    assert exc.value.code == "conflict"


def test_import_with_one_bad_row_books_nothing(municipality: Any, policy: Any) -> None:
    bad = CSV_OK + b"2025-03-01;onbekend;;;12,345;;;\n2025-13-01;tolk;;;10;;;\n"
    upload, parsed = services.cost_import_upload(
        by=policy, municipality=municipality, filename="kosten.csv", content=bad
    )
    assert upload.status == ImportStatus.REJECTED
    assert "Rij 6, kolom 'soort': 'onbekend' is geen bekende soort kosten." in parsed.errors
    assert any(e.startswith("Rij 6, kolom 'bedrag'") for e in parsed.errors)
    assert any(e.startswith("Rij 7, kolom 'datum'") for e in parsed.errors)
    with pytest.raises(ConflictError) as exc:
        services.cost_import_confirm(by=policy, cost_import=upload)
    assert exc.value.code == "conflict"
    assert CostEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"datum;bedrag\n2025-01-01;10\n", "Rij 1: de kolom(men) 'soort' ontbreken."),
        (
            b"datum;soort;bedrag;kenmerk\n2025-01-01;tolk;10;A\n2025-01-02;tolk;11;A\n",
            "Rij 3, kolom 'kenmerk': 'A' staat ook al in rij 2.",
        ),
        (
            b"datum;soort;bedrag;uren;uurtarief\n2025-01-01;personeel;100;2;40\n",
            "Rij 2, kolom 'bedrag': € 100,00 is niet gelijk aan uren × uurtarief (€ 80,00).",
        ),
        (
            b"datum;soort;bedrag;uren\n2025-01-01;personeel;;2\n",
            "Rij 2, kolom 'uurtarief': vul uren én uurtarief in, of geen van beide.",
        ),
    ],
)
def test_import_errors_name_row_and_column(content: bytes, message: str) -> None:
    from thuis.finance.importing import parse_cost_file

    assert message in parse_cost_file(content=content, filename="k.csv").errors


def test_import_refuses_other_file_types() -> None:
    from thuis.finance.importing import parse_cost_file

    assert parse_cost_file(content=b"x", filename="k.pdf").errors == [
        "Kies een CSV-bestand of een Excel-bestand (.xlsx)."
    ]


def test_xlsx_import(municipality: Any, policy: Any) -> None:
    content = xlsx(
        [
            ["Datum", "Soort", "Leverancier", "Bedrag", "Kenmerk"],
            [date(2025, 4, 1), "MAP", "Werkplein", 1234.56, 1001],
            [date(2025, 4, 2), "pvt", "VWN", 300, 1002],
            [None, None, None, None, None],
        ]
    )
    done = services.cost_import_file(
        by=policy, municipality=municipality, filename="kosten.xlsx", content=content
    )
    assert done.rows_created == 2
    assert set(CostEntry.objects.values_list("row_key", "amount")) == {
        ("ref:1001", D("1234.56")),
        ("ref:1002", D("300.00")),
    }


def test_xlsx_with_three_decimals_is_refused(municipality: Any, policy: Any) -> None:
    content = xlsx([["datum", "soort", "bedrag"], [date(2025, 4, 1), "map", 12.345]])
    with pytest.raises(ValidationFailed, match="Rij 2, kolom 'bedrag'") as exc:
        services.cost_import_file(
            by=policy, municipality=municipality, filename="k.xlsx", content=content
        )
    assert exc.value.code == "kosten_bestand_fouten"
    assert CostEntry.objects.count() == 0


def test_export_can_be_imported_again_without_changes(municipality: Any, policy: Any) -> None:
    services.cost_import_file(
        by=policy, municipality=municipality, filename="k.csv", content=CSV_OK
    )
    services.cost_entry_create(
        by=policy,
        municipality=municipality,
        booked_on=date(2025, 5, 1),
        category=CostCategory.OVERIG,
        amount=D("10"),
        description="=HYPERLINK()",
    )
    before = sorted(CostEntry.objects.values_list("row_key", "amount", "description"))
    entries = list(selectors.cost_entries(municipality=municipality))
    csv_body = exports.to_csv(exports.COST_HEADER, exports.cost_rows(entries))
    assert "'=HYPERLINK()" in csv_body.decode("utf-8-sig")  # no formula injection
    done = services.cost_import_file(
        by=policy, municipality=municipality, filename="export.csv", content=csv_body
    )
    assert done.rows_created == 0 and done.rows_skipped == 5
    xlsx_body = exports.to_xlsx(exports.COST_HEADER, exports.cost_rows(entries), title="kosten")
    done = services.cost_import_file(
        by=policy, municipality=municipality, filename="export.xlsx", content=xlsx_body
    )
    assert done.rows_created == 0
    after = sorted(CostEntry.objects.values_list("row_key", "amount", "description"))
    assert [(k, a) for k, a, _ in after] == [(k, a) for k, a, _ in before]


def test_manual_staff_cost_from_hours(municipality: Any, policy: Any) -> None:
    entry = services.cost_entry_create(
        by=policy,
        municipality=municipality,
        booked_on=date(2025, 6, 1),
        category=CostCategory.PERSONEEL,
        amount=None,
        hours=D("7.5"),
        hourly_rate=D("80.01"),
    )
    assert entry.amount == D("600.08")  # 600.075 rounds half up
    with pytest.raises(ValidationFailed) as exc:
        services.cost_entry_create(
            by=policy,
            municipality=municipality,
            booked_on=date(2025, 6, 1),
            category=CostCategory.PERSONEEL,
            amount=D("1"),
            hours=D("1"),
            hourly_rate=D("2"),
        )
    assert exc.value.code == "bedrag_uren_tarief"


# ------------------------------------------------------------------------------------------
# Report section and demo seed
# ------------------------------------------------------------------------------------------


def test_finance_report_section(populated: Any, policy: Any) -> None:
    services.budget_line_create(
        by=policy,
        municipality=populated,
        year=2025,
        source=BudgetSource.SPUK_INBURGERING,
        amount=D("198000"),
    )
    services.cost_entry_create(
        by=policy,
        municipality=populated,
        booked_on=date(2025, 3, 1),
        category=CostCategory.MB,
        amount=D("2370"),
    )
    services.scenario_create(by=policy, municipality=populated, name="Basis", params=_params())
    section = selectors.finance_report_section(municipality=populated, year=2025)
    assert section["budget_total"] == D("198000.00")
    assert section["costs_total"] == D("2370.00")
    assert section["balance"] == D("195630.00")
    forecast = section["forecast"]
    assert forecast["scenario"] == "Basis" and [y["year"] for y in forecast["years"]] == [
        2026,
        2027,
        2028,
        2029,
    ]
    assert "<title" in forecast["chart_svg"] and "<desc" in forecast["chart_svg"]
    assert any("13.000,00" in e for e in section["estimates"])
    assert [c["doelgroep"] for c in section["running_cases"]][-1] == "Totaal"


def test_report_section_without_scenario(municipality: Any) -> None:
    section = selectors.finance_report_section(municipality=municipality, year=2025)
    assert section["forecast"] is None and section["notes"]


def test_seed_finance_demo_is_idempotent(municipality: Any) -> None:
    today = date(2026, 6, 30)
    scenario = seed_finance_demo(municipality, today=today)
    counts = (CostEntry.objects.count(), Scenario.objects.count())
    assert counts[0] > 10 and scenario.is_default
    again = seed_finance_demo(municipality, today=today)
    assert again == scenario
    assert (CostEntry.objects.count(), Scenario.objects.count()) == counts
    _, projection = selectors.scenario_projection(scenario=scenario)
    assert projection.years[0].year == 2026
    budget = selectors.budget_totals(municipality=municipality)
    assert budget[2023][BudgetSource.SPUK_INBURGERING] == D("190000.00")

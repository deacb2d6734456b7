"""Demo finance: realistic figures for "Dalfsen (demo)" (budget lines, costs, one scenario).

Written through the finance services; all cost rows are invented (origin "seed").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from thuis.finance import rules as finance_rules
from thuis.finance import selectors as finance_selectors
from thuis.finance import services as finance_services
from thuis.finance.choices import BudgetSource, CostCategory, CostOrigin
from thuis.people.models import Municipality, MunicipalityPopulation

if TYPE_CHECKING:
    from thuis.finance.models import Scenario

# Gemeente Dalfsen, Perspectiefnota 2022, beleidsveld 6.2: the SPUK is budget-neutral.
DALFSEN_SPUK_BUDGET = {
    2022: Decimal("137000.00"),
    2023: Decimal("190000.00"),
    2024: Decimal("200000.00"),
    2025: Decimal("198000.00"),
}


@transaction.atomic
def seed_finance_demo(
    municipality: Municipality, *, by: Any = "seed", today: date | None = None
) -> Scenario:
    """Realistic demo figures for "Dalfsen (demo)": budget lines, costs and one scenario.

    Idempotent: running it again changes nothing. All cost rows are invented (origin "seed").
    """
    today = today or timezone.localdate()
    if not MunicipalityPopulation.objects.filter(municipality=municipality).exists():
        # Dalfsen 1-1-2024: 29,684 inhabitants (CBS StatLine, Bevolking per gemeente).
        MunicipalityPopulation.objects.create(
            municipality=municipality, year=2024, inhabitants=29684
        )
    if not finance_selectors.budget_lines(municipality=municipality).exists():
        for year, spuk in DALFSEN_SPUK_BUDGET.items():
            finance_services.budget_line_create(
                by=by,
                municipality=municipality,
                year=year,
                source=BudgetSource.SPUK_INBURGERING,
                amount=spuk,
                description="SPUK Wet inburgering 2021 (baten = lasten)",
                reference="Perspectiefnota 2022, beleidsveld 6.2 Integratie statushouders",
            )
            finance_services.budget_line_create(
                by=by,
                municipality=municipality,
                year=year,
                source=BudgetSource.ALGEMENE_UITKERING,
                amount=Decimal("85000.00"),
                description="Uitvoeringskosten (brede intake, PIP, ontzorgen) – demobedrag",
                reference="Demo: algemene uitkering vanaf 2023 structureel (§8.1)",
            )
    demo_costs = [
        # (month, category, provider, description, amount, hours, rate)
        (
            2,
            CostCategory.LEERROUTE_B1,
            "Taalschool IJsselland (demo)",
            "B1-route, 6 deelnemers",
            "38250.00",
            None,
            None,
        ),
        (
            3,
            CostCategory.LEERROUTE_Z,
            "Taalschool IJsselland (demo)",
            "Z-route, 3 deelnemers",
            "17400.00",
            None,
            None,
        ),
        (
            4,
            CostCategory.LEERROUTE_ONDERWIJS,
            "Deltion taalschakeltraject (demo)",
            "Onderwijsroute, 1 deelnemer",
            "8500.00",
            None,
            None,
        ),
        (
            4,
            CostCategory.MB,
            "VluchtelingenWerk (demo)",
            "Maatschappelijke begeleiding",
            "21330.00",
            None,
            None,
        ),
        (
            5,
            CostCategory.PVT,
            "VluchtelingenWerk (demo)",
            "PVT-groep voorjaar",
            "2400.00",
            None,
            None,
        ),
        (6, CostCategory.MAP, "Werkplein (demo)", "MAP-groep", "4800.00", None, None),
        (6, CostCategory.TOLK, "Tolkdienst (demo)", "Tolken brede intake", "3185.50", None, None),
        (
            7,
            CostCategory.KINDEROPVANG,
            "Kinderopvang (demo)",
            "Opvang tijdens taalles",
            "2760.00",
            None,
            None,
        ),
        (
            8,
            CostCategory.ONTZORGEN,
            "Gemeente (demo)",
            "Uitvoering ontzorgen",
            "1950.00",
            None,
            None,
        ),
        (
            9,
            CostCategory.PERSONEEL,
            "",
            "Regisseurs inburgering, kwartaal 3",
            "51480.00",
            "660",
            "78.00",
        ),
        (10, CostCategory.OVERIG, "", "Voorlichtingsbijeenkomst", "640.25", None, None),
    ]
    for year in (today.year - 1, today.year):
        for month, category, provider, description, value, hours, rate in demo_costs:
            booked = date(year, month, 15)
            if booked > today:
                continue
            key = f"demo:{year}:{month}:{category}"
            if (
                finance_selectors.cost_entries(municipality=municipality)
                .filter(row_key=key)
                .exists()
            ):
                continue
            finance_services.cost_entry_create(
                by=by,
                municipality=municipality,
                booked_on=booked,
                category=category,
                amount=Decimal(value),
                provider=provider,
                description=description,
                hours=Decimal(hours) if hours else None,
                hourly_rate=Decimal(rate) if rate else None,
                origin=CostOrigin.SEED,
                row_key=key,
            )
    existing = (
        finance_selectors.scenarios(municipality=municipality).filter(name="Basis (demo)").first()
    )
    if existing is not None:
        return existing
    params = finance_rules.ScenarioParams(
        first_year=today.year,
        taakstelling=(10_000,) * 8,
        staff_hours_per_year=Decimal("1600"),
        staff_hourly_rate=Decimal("78.00"),
        other_fixed_costs=Decimal("12000.00"),
        cost_index_pct=Decimal("2.5"),
        opening_balance=Decimal("40000.00"),
    )
    return finance_services.scenario_create(
        by=by,
        municipality=municipality,
        name="Basis (demo)",
        params=params,
        description="Taakstelling 10.000 per halfjaar landelijk, 20% nareizigers, "
        "routemix 60/10/30. Demobedragen.",
        make_default=True,
    )

"""CSV and XLSX exports of finance figures (no personal data).

Written by the one export writer (core/export: UTF-8 with BOM, ';' as separator, a decimal
comma, formula injection neutralised), so Dutch spreadsheet programs open it directly. The
cost export uses the import's columns: importing an export again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from thuis.core import export

from . import rules
from .choices import BudgetSource, CostCategory
from .models import BudgetLine, CostEntry

Cell = str | int | Decimal | None


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    return export.to_csv([header, *rows])


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str) -> bytes:
    return export.to_xlsx([header, *rows], title=title)


COST_HEADER = [
    "datum",
    "soort",
    "leverancier",
    "omschrijving",
    "bedrag",
    "uren",
    "uurtarief",
    "kenmerk",
]


def cost_rows(entries: Sequence[CostEntry]) -> list[list[Cell]]:
    return [
        [
            e.booked_on.isoformat(),
            e.category,
            e.provider,
            e.description,
            rules.money(e.amount),
            None if e.hours is None else rules.money(e.hours),
            None if e.hourly_rate is None else rules.money(e.hourly_rate),
            rules.export_reference(e.row_key),
        ]
        for e in entries
    ]


BUDGET_HEADER = ["jaar", "bron", "omschrijving", "bedrag", "vindplaats"]


def budget_rows(lines: Sequence[BudgetLine]) -> list[list[Cell]]:
    labels = dict(BudgetSource.choices)
    return [
        [
            line.year,
            str(labels[line.source]),
            line.description,
            rules.money(line.amount),
            line.reference,
        ]
        for line in lines
    ]


FORECAST_HEADER = [
    "jaar",
    "vergunninghouders (taakstelling)",
    "inburgeringsplichtige asielstatushouders",
    "waarvan nareizigers",
    "gezins- en overige migranten",
    "SPUK inburgering",
    "SPUK onderwijsroute",
    "vaste inkomsten",
    "inkomsten totaal",
    "leerroutes nieuwe instroom",
    "MB, PVT en MAP nieuwe instroom",
    "lopende trajecten (verplichtingen)",
    "personeel",
    "overige vaste kosten",
    "uitgaven totaal",
    "resultaat",
    "saldo na het jaar",
]


def forecast_rows(projection: rules.Projection) -> list[list[Cell]]:
    return [
        [
            y.year,
            y.statushouders,
            y.asiel_plichtig,
            y.nareizigers,
            y.gezinsmigranten,
            y.income_spuk,
            y.income_onderwijsroute,
            y.income_fixed,
            y.income_total,
            y.cost_routes,
            y.cost_components,
            y.cost_running,
            y.cost_staff,
            y.cost_other,
            y.spending_total,
            y.result,
            y.cumulative,
        ]
        for y in projection.years
    ]


def category_label(value: str) -> Any:
    return dict(CostCategory.choices).get(value, value)

"""CSV and XLSX exports of finance figures (no personal data).

CSV: UTF-8 with BOM, ';' as separator and a decimal comma, so Dutch spreadsheet programs open it
directly. The cost export uses the import's columns: importing an export again changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from thuis.core import formatting

from . import rules
from .choices import BudgetSource, CostCategory
from .models import BudgetLine, CostEntry

Cell = str | int | Decimal | None

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    """Stop spreadsheet formula injection in text cells."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return formatting.decimal_comma(value)
    if isinstance(value, int):
        return str(value)
    return _safe_text(value)


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_safe_text(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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

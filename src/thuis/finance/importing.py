"""Reading a CSV or XLSX file of actual costs from the financial system (no database access).

Layout: one header row, then one booking per row. Column names (any order, case-insensitive):
datum*, soort*, bedrag* (or uren + uurtarief for personeel), leverancier, omschrijving, kenmerk.
Errors name the row (as in a spreadsheet: the header is row 1) and the column, in Dutch.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from thuis.core import formatting, tabular

from . import rules
from .choices import CostCategory

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000

COLUMNS = {
    "datum": "datum",
    "boekdatum": "datum",
    "soort": "soort",
    "categorie": "soort",
    "kostensoort": "soort",
    "leverancier": "leverancier",
    "aanbieder": "leverancier",
    "crediteur": "leverancier",
    "omschrijving": "omschrijving",
    "bedrag": "bedrag",
    "uren": "uren",
    "uurtarief": "uurtarief",
    "tarief": "uurtarief",
    "kenmerk": "kenmerk",
    "boekingsnummer": "kenmerk",
    "factuurnummer": "kenmerk",
}
REQUIRED = ("datum", "soort")

_ALIASES = {
    "b1": CostCategory.LEERROUTE_B1,
    "b1-route": CostCategory.LEERROUTE_B1,
    "onderwijs": CostCategory.LEERROUTE_ONDERWIJS,
    "onderwijsroute": CostCategory.LEERROUTE_ONDERWIJS,
    "z": CostCategory.LEERROUTE_Z,
    "z-route": CostCategory.LEERROUTE_Z,
    "tolken": CostCategory.TOLK,
    "maatschappelijke begeleiding": CostCategory.MB,
}


def category_from_text(text: str) -> str | None:
    key = text.strip().lower()
    for value, label in CostCategory.choices:
        if key in {value, str(label).lower()}:
            return str(value)
    alias = _ALIASES.get(key) or _ALIASES.get(key.removeprefix("leerroute").strip())
    return str(alias) if alias else None


@dataclass(frozen=True)
class ParsedRow:
    line: int
    booked_on: date
    category: str
    provider: str
    description: str
    amount: Decimal
    hours: Decimal | None
    hourly_rate: Decimal | None
    reference: str
    row_key: str

    @property
    def year(self) -> int:
        return self.booked_on.year


@dataclass
class ParseResult:
    checksum: str
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), rules.ZERO)


def file_checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def parse_cost_file(*, content: bytes, filename: str) -> ParseResult:
    """Parse and validate every row. Any error means the whole file is refused."""
    result = ParseResult(checksum=file_checksum(content))
    if not filename.lower().endswith((".csv", ".xlsx")):
        result.errors.append("Kies een CSV-bestand of een Excel-bestand (.xlsx).")
        return result
    try:
        table = tabular.read_table(
            content=content,
            filename=filename,
            columns=tabular.Columns(required=REQUIRED, aliases=COLUMNS),
            limits=tabular.Limits.from_settings(max_bytes=MAX_BYTES, max_rows=MAX_ROWS),
            fallback_encoding="cp1252",
        )
    except tabular.ImportFailed as exc:
        result.errors.extend(exc.errors)
        return result
    seen: Counter[tuple[str, ...]] = Counter()
    refs: dict[str, int] = {}
    for index, cells in table.rows:
        row = _parse_row(index, cells, result.errors)
        if row is None:
            continue
        ref = cells.get("kenmerk", "").strip()
        if ref:
            if ref in refs:
                result.errors.append(
                    f"Rij {index}, kolom 'kenmerk': '{ref}' staat ook al in rij {refs[ref]}."
                )
                continue
            refs[ref] = index
        fields = (
            row["booked_on"].isoformat(),
            row["category"],
            row["provider"],
            row["description"],
            f"{rules.money(row['amount'])}",
            "" if row["hours"] is None else f"{rules.money(row['hours'])}",
            "" if row["hourly_rate"] is None else f"{rules.money(row['hourly_rate'])}",
        )
        seen[fields] += 1
        result.rows.append(
            ParsedRow(
                line=index,
                reference=ref,
                row_key=rules.row_key(reference=ref, fields=fields, occurrence=seen[fields]),
                **row,
            )
        )
    return result


def _parse_row(line: int, cells: dict[str, str], errors: list[str]) -> dict[str, Any] | None:
    ok = True

    def fail(column: str, message: str) -> None:
        nonlocal ok
        ok = False
        errors.append(f"Rij {line}, kolom '{column}': {message}")

    booked_on = None
    try:
        booked_on = tabular.parse_date(cells.get("datum", ""))
    except tabular.CellError:
        fail(
            "datum", f"'{cells.get('datum', '')}' is geen datum (gebruik 2025-03-31 of 31-03-2025)."
        )
    category = category_from_text(cells.get("soort", ""))
    if category is None:
        fail("soort", f"'{cells.get('soort', '')}' is geen bekende soort kosten.")

    def number(column: str) -> Decimal | None:
        text = cells.get(column, "").strip()
        if not text:
            return None
        try:
            return rules.parse_amount(text)
        except ValueError:
            fail(column, f"'{text}' is geen geldig bedrag of getal (hoogstens twee decimalen).")
            return None

    amount = number("bedrag")
    hours = number("uren")
    rate = number("uurtarief")
    if (hours is None) != (rate is None):
        fail(
            "uren" if hours is None else "uurtarief", "vul uren én uurtarief in, of geen van beide."
        )
    elif hours is not None and rate is not None:
        computed = rules.money(hours * rate)
        if amount is None:
            amount = computed
        elif amount != computed:
            fail(
                "bedrag",
                f"{formatting.euro(amount)} is niet gelijk aan uren × uurtarief "
                f"({formatting.euro(computed)}).",
            )
    if amount is None and ok:
        fail("bedrag", "vul een bedrag in (of uren en uurtarief).")
    provider = cells.get("leverancier", "")
    description = cells.get("omschrijving", "")
    if len(provider) > 200:
        fail("leverancier", "hoogstens 200 tekens.")
    if len(description) > 300:
        fail("omschrijving", "hoogstens 300 tekens.")
    if len(cells.get("kenmerk", "")) > 90:
        fail("kenmerk", "hoogstens 90 tekens.")
    if amount is not None and abs(amount) >= Decimal("1000000000000"):
        fail("bedrag", "het bedrag is te groot.")
    if not ok or booked_on is None or category is None or amount is None:
        return None
    return {
        "booked_on": booked_on,
        "category": category,
        "provider": provider,
        "description": description,
        "amount": amount,
        "hours": hours,
        "hourly_rate": rate,
    }

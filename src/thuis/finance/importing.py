"""Reading a CSV or XLSX file of actual costs from the financial system (no database access).

Layout: one header row, then one booking per row. Column names (any order, case-insensitive):
datum*, soort*, bedrag* (or uren + uurtarief for personeel), leverancier, omschrijving, kenmerk.
Errors name the row (as in a spreadsheet: the header is row 1) and the column, in Dutch.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from thuis.core import formatting

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


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int):
        # Spreadsheets store amounts as binary floats: use the shortest spelling, with a decimal
        # comma so that parse_amount never reads the dot as a thousands separator.
        text = str(int(value)) if value == int(value) else repr(value)
        return text.replace(".", ",")
    return str(value).strip()


def _read_table(content: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ValueError("Het bestand is geen geldig Excel-bestand (.xlsx).") from exc
        sheet = book.worksheets[0]
        table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return table
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _parse_date(text: str) -> date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValueError(text)


def parse_cost_file(*, content: bytes, filename: str) -> ParseResult:
    """Parse and validate every row. Any error means the whole file is refused."""
    result = ParseResult(checksum=file_checksum(content))
    if len(content) > MAX_BYTES:
        result.errors.append("Het bestand is groter dan 5 MB.")
        return result
    if not filename.lower().endswith((".csv", ".xlsx")):
        result.errors.append("Kies een CSV-bestand of een Excel-bestand (.xlsx).")
        return result
    try:
        table = _read_table(content, filename)
    except ValueError as exc:
        result.errors.append(str(exc))
        return result
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        result.errors.append("Het bestand is leeg.")
        return result
    header = [COLUMNS.get(h.strip().lower(), "") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(
            "Rij 1: de kolom(men) " + ", ".join(f"'{c}'" for c in missing) + " ontbreken."
        )
        return result
    if len(table) - 1 > MAX_ROWS:
        result.errors.append(f"Het bestand heeft meer dan {MAX_ROWS} regels.")
        return result
    seen: Counter[tuple[str, ...]] = Counter()
    refs: dict[str, int] = {}
    for index, raw in enumerate(table[1:], start=2):
        cells = {name: (raw[i] if i < len(raw) else "") for i, name in enumerate(header) if name}
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
        booked_on = _parse_date(cells.get("datum", ""))
    except ValueError:
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

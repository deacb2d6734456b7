"""CSV and XLSX exports of published (suppressed) indicator cells. No personal data."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from thuis.core import disclosure, formatting

VALUE_COLUMNS = disclosure.VALUE_KEYS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def key_columns(cells: Sequence[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for cell in cells:
        for k in cell:
            if k not in VALUE_COLUMNS and k not in keys:
                keys.append(k)
    return keys


def rows(cells: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows; a suppressed cell gets no numbers (`disclosure.Published`)."""
    keys = key_columns(cells)
    header = [*keys, *VALUE_COLUMNS]
    return header, [[c.get(k) for k in header] for c in disclosure.published(cells)]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return formatting.decimal_comma(value)
    return str(_safe(value))


def to_csv(code: str, peildatum: str, k: int, cells: Sequence[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM, ';' separator and decimal comma (opens directly in Dutch Excel)."""
    header, data = rows(cells)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([f"# {code}", f"peildatum {peildatum}", f"k={k}"])
    writer.writerow(header)
    for row in data:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(code: str, peildatum: str, k: int, cells: Sequence[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    header, data = rows(cells)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=code[:31])
    sheet.append([code, f"peildatum {peildatum}", f"k={k}"])
    sheet.append(header)
    for row in data:
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

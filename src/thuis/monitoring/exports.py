"""CSV and XLSX exports of published (suppressed) indicator cells. No personal data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thuis.core import disclosure, export

VALUE_COLUMNS = disclosure.VALUE_KEYS


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


def to_csv(code: str, peildatum: str, k: int, cells: Sequence[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM, ';' separator and decimal comma (opens directly in Dutch Excel)."""
    header, data = rows(cells)
    return export.to_csv([[f"# {code}", f"peildatum {peildatum}", f"k={k}"], header, *data])


def to_xlsx(code: str, peildatum: str, k: int, cells: Sequence[dict[str, Any]]) -> bytes:
    header, data = rows(cells)
    return export.to_xlsx([[code, f"peildatum {peildatum}", f"k={k}"], header, *data], title=code)

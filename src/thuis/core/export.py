"""One writer for every CSV and XLSX export, safe against formula injection.

Every download of a table (finance figures, published indicators, survey answers, the XLSForm
of a survey) is written here; no other module calls `csv.writer` or openpyxl's `Workbook`
(`tests/test_architecture_exports.py`). What this module guarantees:

- A text cell that a spreadsheet would run as a formula, one starting with = + - @ a tab or a
  carriage return, gets a leading `'` (the OWASP rule for CSV injection,
  https://owasp.org/www-community/attacks/CSV_Injection), in CSV and in XLSX alike. Numbers,
  dates and booleans stay typed, so a negative amount is still a number. In XLSX a text cell
  is always written as text, never as a formula.
- CSV is UTF-8 with a BOM, `;` as separator, CRLF line ends and a decimal comma: Dutch Excel
  opens it directly, and the import of Thuis (core/tabular) reads it back.
- XLSX is written with openpyxl in write-only mode (streaming), one or more sheets; control
  characters that XLSX cannot hold are dropped instead of failing the download.

`to_xlsx_sheets(..., exact_text=True)` keeps texts exact (still as text, never a formula) for
a file that another program reads as a definition, such as an XLSForm for KoboToolbox.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from . import formatting

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XLSX cannot hold (openpyxl refuses them): C0 controls except tab, LF and CR.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Sheet = tuple[str, Iterable[Sequence[Any]]]


def neutralise(text: str) -> str:
    """A text that no spreadsheet runs as a formula: a leading `'` where one could start."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(value: Any) -> str:
    """One CSV cell: numbers with a decimal comma, dates ISO, ja/nee, texts neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return formatting.decimal_comma(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """All rows (a header is a row too) as a Dutch CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """All rows (a header is a row too) as a workbook with one sheet."""
    return to_xlsx_sheets([(title, rows)])


def to_xlsx_sheets(sheets: Sequence[Sheet], *, exact_text: bool = False) -> bytes:
    """A workbook with one sheet per (title, rows). See the module text for `exact_text`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title=title[:31])

        def cell(value: Any, sheet: Any = sheet) -> Any:
            if isinstance(value, datetime) and timezone.is_aware(value):
                return timezone.localtime(value).replace(tzinfo=None)  # XLSX has no zones
            if isinstance(value, bool | int | float | Decimal | date) or value is None:
                return value
            text = _ILLEGAL_XML.sub("", str(value))
            out = WriteOnlyCell(sheet, value=text if exact_text else neutralise(text))
            out.data_type = "s"  # text, never a formula, whatever it starts with
            return out

        for row in rows:
            sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

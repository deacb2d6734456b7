"""One reader for every CSV and XLSX upload: streaming, limited, with Dutch row/column errors.

Every importer (the caseload migration, the partner bulk upload, the finance cost import) reads
its file here and keeps only its own column rules. What this module guarantees:

- Limits come from settings (`THUIS_IMPORT_*`, see docs/configuration.md) and the caller's
  byte and row limits. They are checked *before* work is done: the size of the upload, the
  uncompressed size of every member of an XLSX (its zip directory, `ZipInfo.file_size`) and
  the compression ratio before openpyxl opens the file, then the number of columns, the length
  of a cell and the number of rows while streaming. Reading stops at the first row over the
  limit: a zip bomb or a sheet of a million rows is refused in Dutch within a second and
  without materialising the sheet. Python's zipfile never inflates a member past the size in
  its directory entry, so checking `file_size` bounds what openpyxl can read.
- XLSX is read with openpyxl in read-only mode, row by row, with an explicit column bound (a
  sheet's declared dimension is not trusted). CSV is decoded incrementally (UTF-8 with or
  without BOM; a caller may allow a cp1252 fallback) with `;`, `,` or tab as separator.
- A formula is never evaluated: a cell that holds one is read as its text (`=SUM(A1:A3)`), and
  so fails any typed parser instead of passing a value Thuis cannot see.
- Errors are Dutch and name the row as a spreadsheet shows it (the header is row 1) and the
  column: "Rij 12, kolom 'geboortedatum': ...". A file is applied whole or not at all
  (`all_or_nothing`, `apply_rows`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import ThuisError, ValidationFailed

MAX_ERRORS = 100
# A member of an XLSX smaller than this is not checked for its compression ratio (small XML
# parts such as styles compress very well and are harmless).
RATIO_FLOOR_BYTES = 1024 * 1024

Row = tuple[int, dict[str, str]]
T = TypeVar("T")


class ImportFailed(ValidationFailed):
    """Nothing was imported. `errors` holds one Dutch message per problem (at most 100 shown)."""

    code = "import_mislukt"

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        self.errors = shown + ([_("… en nog %(n)d fouten.") % {"n": more}] if more > 0 else [])
        super().__init__(
            _("Het bestand is niet ingelezen; er is niets veranderd. %(n)s fout(en).")
            % {"n": len(errors)}
        )


# --- Limits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What one upload may hold. `max_bytes` and `max_rows` are the importer's own."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cell_chars: int
    max_uncompressed_bytes: int
    max_ratio: int

    @classmethod
    def from_settings(cls, *, max_bytes: int, max_rows: int) -> Limits:
        return cls(
            max_bytes=max_bytes,
            max_rows=max_rows,
            max_columns=settings.THUIS_IMPORT_MAX_COLUMNS,
            max_cell_chars=settings.THUIS_IMPORT_MAX_CELL_CHARS,
            max_uncompressed_bytes=settings.THUIS_IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_ratio=settings.THUIS_IMPORT_MAX_COMPRESSION_RATIO,
        )


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


# --- Cells and headers -------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """The text of one cell as the user typed it: dates ISO, whole numbers without '.0',
    other numbers with a decimal comma (so that Dutch amount parsers never read a thousands dot),
    booleans ja/nee, formulas as their text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value).strip()


def header_name(value: Any) -> str:
    """A column name as the importers compare it: lower case, '_' for spaces and hyphens."""
    return cell_text(value).lower().replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class Columns:
    """The columns an importer knows. `aliases` maps other spellings to a column name."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)

    def name(self, header: str) -> str:
        return self.aliases.get(header, header)


@dataclass
class Table:
    """The header (mapped column names) and the non-empty data rows of a file."""

    header: list[str]
    rows: list[Row]


@dataclass(frozen=True)
class Preview:
    """What an upload would do: its header, the first rows, how many rows, and every error."""

    header: list[str]
    rows: list[Row]
    total_rows: int
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading -----------------------------------------------------------------------------------


def is_xlsx(*, filename: str, content: bytes) -> bool:
    return filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04"


def read_table(
    *,
    content: bytes,
    filename: str,
    columns: Columns,
    limits: Limits,
    fallback_encoding: str | None = None,
) -> Table:
    """Read a CSV or XLSX file into a table, or raise ImportFailed with Dutch messages.

    Empty rows are skipped (their numbers are kept, so errors match the spreadsheet). A file
    without data rows gives an empty table; the importer decides whether that is an error.
    """
    if len(content) > limits.max_bytes:
        raise ImportFailed(
            [_("Het bestand is groter dan %(mb)s MB.") % {"mb": _megabytes(limits.max_bytes)}]
        )
    if is_xlsx(filename=filename, content=content):
        return _table(_xlsx_lines(content, limits), columns, limits)
    try:
        return _table(_csv_lines(content, "utf-8-sig", limits), columns, limits)
    except UnicodeDecodeError as exc:
        if fallback_encoding is None:
            raise ImportFailed([_("Het bestand is geen UTF-8-tekst.")]) from exc
        return _table(_csv_lines(content, fallback_encoding, limits), columns, limits)


def preview(
    *,
    content: bytes,
    filename: str,
    columns: Columns,
    limits: Limits,
    check: Callable[[Table], object] | None = None,
    first: int = 10,
) -> Preview:
    """Read and check a file without applying it: the first `first` rows and all errors."""
    try:
        table = read_table(content=content, filename=filename, columns=columns, limits=limits)
    except ImportFailed as exc:
        return Preview(header=[], rows=[], total_rows=0, errors=exc.errors)
    errors: list[str] = []
    if check is not None:
        try:
            check(table)
        except ImportFailed as exc:
            errors = exc.errors
    return Preview(
        header=table.header, rows=table.rows[:first], total_rows=len(table.rows), errors=errors
    )


def _table(lines: Generator[list[str]], columns: Columns, limits: Limits) -> Table:
    header_cells = next(lines, None)
    if header_cells is None or not any(header_cells):
        raise ImportFailed([_("Het bestand is leeg.")])
    if len([h for h in header_cells if h]) > limits.max_columns:
        raise ImportFailed(
            [_("Het bestand heeft meer dan %(max)s kolommen.") % {"max": limits.max_columns}]
        )
    header = [columns.name(header_name(h)) for h in header_cells]
    missing = [c for c in columns.required if c not in header]
    if missing:
        raise ImportFailed(
            [
                _("Rij 1: de kolom(men) %(kolommen)s ontbreken.")
                % {"kolommen": ", ".join(f"'{c}'" for c in missing)}
            ]
        )
    rows: list[Row] = []
    # Blank rows are skipped, but they are read too: a sheet of a million empty rows is as
    # much work as a million full ones.
    max_physical = 2 * limits.max_rows + 1
    for number, values in enumerate(lines, start=2):
        if number > max_physical + 1 or (
            len(rows) == limits.max_rows and any(v.strip() for v in values)
        ):
            lines.close()
            raise ImportFailed(
                [_("Het bestand heeft meer dan %(max)s regels.") % {"max": limits.max_rows}]
            )
        if not any(v.strip() for v in values):
            continue
        row: dict[str, str] = {}
        for i, name in enumerate(header):
            text = values[i].strip() if i < len(values) else ""
            if len(text) > limits.max_cell_chars:
                raise ImportFailed(
                    [
                        where(number, name or str(i + 1))
                        + ": "
                        + _("de waarde is langer dan %(max)s tekens.")
                        % {"max": limits.max_cell_chars}
                    ]
                )
            if name:
                row[name] = text
        rows.append((number, row))
    return Table(header=[h for h in header if h], rows=rows)


def _csv_lines(content: bytes, encoding: str, limits: Limits) -> Generator[list[str]]:
    first = content[: content.find(b"\n") if b"\n" in content[:65536] else 65536]
    first_text = first.decode("latin-1")
    delimiter = max(";,\t", key=first_text.count)
    text = io.TextIOWrapper(
        io.BytesIO(content),
        encoding=encoding,
        errors="strict" if encoding.startswith("utf") else "replace",
        newline="",
    )
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for line in reader:
            if len(line) > 2 * limits.max_columns:
                raise ImportFailed(
                    [
                        _("Het bestand heeft meer dan %(max)s kolommen.")
                        % {"max": limits.max_columns}
                    ]
                )
            yield line
    except csv.Error as exc:
        raise ImportFailed(
            [_("Rij %(rij)s: het CSV-bestand is niet goed opgebouwd.") % {"rij": reader.line_num}]
        ) from exc


def check_xlsx_archive(content: bytes, limits: Limits) -> None:
    """Refuse an XLSX whose members would inflate past the limits, before anything inflates."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed([_("Het bestand is geen geldig XLSX-bestand.")]) from exc
    total = sum(m.file_size for m in members)
    too_dense = any(
        m.file_size > RATIO_FLOOR_BYTES and m.file_size > limits.max_ratio * max(m.compress_size, 1)
        for m in members
    )
    if len(members) > 10_000 or total > limits.max_uncompressed_bytes or too_dense:
        raise ImportFailed(
            [
                _(
                    "Het bestand is uitgepakt te groot (meer dan %(mb)s MB) of verdacht sterk "
                    "ingepakt. Sla het op als CSV of splits het bestand."
                )
                % {"mb": _megabytes(limits.max_uncompressed_bytes)}
            ]
        )


def _xlsx_lines(content: bytes, limits: Limits) -> Generator[list[str]]:
    from openpyxl import load_workbook

    check_xlsx_archive(content, limits)
    try:
        # data_only=False: a formula comes back as its text and is never taken as a value.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise ImportFailed([_("Het bestand is geen geldig XLSX-bestand.")]) from exc
    try:
        # An explicit max_col: openpyxl would otherwise pad every row to the sheet's declared
        # dimension, which the file itself controls.
        for values in sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1):
            cells = [cell_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            yield cells
    except ImportFailed:
        raise
    except Exception as exc:  # a broken sheet part
        raise ImportFailed([_("Het bestand is geen geldig XLSX-bestand.")]) from exc
    finally:
        book.close()


# --- Typed cells and row errors ----------------------------------------------------------------


class CellError(Exception):
    """A cell could not be read; the message is Dutch and names neither row nor column."""


def where(row: int, column: str) -> str:
    return _("Rij %(rij)s, kolom '%(kolom)s'") % {"rij": row, "kolom": column}


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def _quick_date(text: str) -> date | None:
    """jjjj-mm-dd and dd-mm-jjjj without strptime (an import reads many thousands of dates)."""
    if len(text) != 10 or not (text[:2].isdigit() and text[-2:].isdigit()):
        return None
    try:
        if text[4] == "-" and text[7] == "-":
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        if text[2] in "-/." and text[5] == text[2]:
            return date(int(text[6:]), int(text[3:5]), int(text[:2]))
    except ValueError:
        return None
    return None


def parse_date(text: str) -> date:
    """A date written dd-mm-jjjj (also with / or .) or jjjj-mm-dd (ISO, a time part ignored)."""
    text = text.strip()
    candidates = (text, text[:10]) if len(text) > 10 and text[10] in "T " else (text,)
    for candidate in candidates:
        quick = _quick_date(candidate)
        if quick is not None:
            return quick
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(candidate, fmt).date()  # noqa: DTZ007 - a date only
            except ValueError:
                continue
    raise CellError(
        _("'%(v)s' is geen datum (gebruik dd-mm-jjjj of jjjj-mm-dd).") % {"v": text[:20]}
    )


def parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise CellError(_("'%(v)s' is geen geheel getal.") % {"v": text[:20]}) from exc


def parse_decimal(text: str) -> Decimal:
    """A number with a decimal comma ('12,5', '1.234,5') or a decimal point ('12.5')."""
    raw = text.strip().replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(_("'%(v)s' is geen getal.") % {"v": text[:20]}) from exc
    if not value.is_finite():
        raise CellError(_("'%(v)s' is geen getal.") % {"v": text[:20]})
    return value


_TRUE = {"ja", "j", "waar", "true", "1", "yes"}
_FALSE = {"nee", "n", "onwaar", "false", "0", "no"}


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(_("'%(v)s' is geen ja of nee.") % {"v": text[:20]})


def parse_choice(text: str, choices: Iterable[tuple[str, Any]]) -> str:
    """The value of a choice given as its value or its label (case-insensitive)."""
    options = list(choices)
    lowered = text.strip().lower()
    for value, label in options:
        if lowered in {str(value).lower(), str(label).lower()}:
            return str(value)
    allowed = ", ".join(str(v) for v, _label in options if v)
    raise CellError(
        _("'%(v)s' is geen geldige waarde. Kies uit: %(keuze)s.")
        % {"v": text[:30], "keuze": allowed}
    )


class Errors:
    """Collects Dutch errors of a whole file; `raise_if_any` refuses the file."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(f"{where(row, column)}: {message}")

    def add_row(self, row: int, message: str) -> None:
        self.items.append(f"{_('Rij %(rij)s') % {'rij': row}}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.items)


class RowReader:
    """Reads typed values from one row; each failure is added to `errors` with row and column."""

    def __init__(self, number: int, values: Mapping[str, str], errors: Errors) -> None:
        self.number, self.values, self.errors = number, values, errors
        self.ok = True

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def get(
        self,
        column: str,
        parse: Callable[[str], T],
        *,
        required: bool = False,
        missing: str | Promise | None = None,
    ) -> T | None:
        text = self.text(column)
        if not text:
            if required:
                self.fail(column, str(missing or _("is verplicht.")))
            return None
        try:
            return parse(text)
        except CellError as exc:
            self.fail(column, str(exc))
            return None

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.errors.add(self.number, column, message)


# --- All or nothing ----------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside the transaction of a preview, so that nothing is kept."""


@contextmanager
def all_or_nothing(*, preview: bool = False) -> Iterator[None]:
    """One transaction for a whole file; with `preview` everything is rolled back at the end.

    An exception inside rolls back every row (and propagates); on-commit callbacks registered
    inside a preview never run.
    """
    try:
        with transaction.atomic():
            yield
            if preview:
                raise _Rollback
    except _Rollback:
        pass


def apply_rows(
    planned: Iterable[tuple[int, T]], save: Callable[[T], str], *, preview: bool = False
) -> Counter[str]:
    """Save every planned row (row number, arguments) in one transaction, or none.

    `save` returns an outcome ('created', 'updated', 'unchanged', ...) that is counted. A
    ThuisError from a service becomes "Rij N: <its message>" and rolls back every row.
    """
    outcomes: Counter[str] = Counter()
    with all_or_nothing(preview=preview):
        for number, args in planned:
            try:
                outcomes[save(args)] += 1
            except ThuisError as exc:
                raise ImportFailed(
                    [f"{_('Rij %(rij)s') % {'rij': number}}: {exc.message}"]
                ) from exc
    return outcomes

"""One reader for every CSV and XLSX upload: streaming, limited, with Dutch row/column errors.

Every importer (the caseload migration, the partner bulk upload, the finance cost import) reads
its file here and keeps only its own column rules. What this module guarantees:

- Limits come from settings (`THUIS_IMPORT_*`, see docs/configuration.md) and the caller's
  byte and row limits. They are checked *before* work is done: the size of the upload, the
  uncompressed size of every member of an XLSX (its zip directory, `ZipInfo.file_size`) and
  the compression ratio before anything inflates (Python's zipfile never inflates a member
  past the size in its directory entry). Then one streaming pass over every XML part, without
  an object per row or tag, refuses what openpyxl would build whole before Thuis could count
  it: a text or tag longer than a cell, a row with more tags than the column limit allows, a
  sheet with more rows than the limit, too many tags outside the rows, and a large part other
  than a worksheet (shared strings, styles). A CSV is counted the same way on its bytes
  (records and separators outside quotes). A zip bomb or a sheet of a million rows is refused
  in Dutch within a second and without materialising the sheet.
- XLSX is read with openpyxl in read-only mode, row by row, with an explicit column bound (a
  sheet's declared dimension is not trusted); openpyxl parses with defusedxml. CSV is decoded
  incrementally (UTF-8 with or without BOM; a caller may allow a cp1252 fallback) with `;`,
  `,` or tab as separator. `open_xlsx` and `xlsx_rows` give the same checks to a reader of
  other sheets (the XLSForm import).
- A formula is never evaluated: a cell that holds one is read as its text (`=SUM(A1:A3)`), and
  so fails any typed parser instead of passing a value Thuis cannot see.
- Errors are Dutch and name the row as a spreadsheet shows it (the header is row 1) and the
  column: "Rij 12, kolom 'geboortedatum': ...". A file is applied whole or not at all
  (`all_or_nothing`, `apply_rows`).
"""

from __future__ import annotations

import csv
import io
import re
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
    _check_csv_shape(content, delimiter.encode(), limits)
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
        if "field limit" in str(exc):  # the csv module's own bound on one field (128 KB)
            raise ImportFailed(
                [
                    _("Rij %(rij)s") % {"rij": reader.line_num}
                    + ": "
                    + _("de waarde is langer dan %(max)s tekens.") % {"max": limits.max_cell_chars}
                ]
            ) from exc
        raise ImportFailed(
            [_("Rij %(rij)s: het CSV-bestand is niet goed opgebouwd.") % {"rij": reader.line_num}]
        ) from exc


def _check_csv_shape(content: bytes, delimiter: bytes, limits: Limits) -> None:
    """Count records and fields per record on the raw bytes, before csv parses anything.

    The csv module builds a whole record before Thuis can count its fields, and `_table` keeps
    every row it reads: a line of a million separators, or a file of a million lines, would be
    built in memory first. This pass holds one line at a time. Quotes are followed across lines
    (a quoted cell may hold separators and line breaks); `"` and the separators are ASCII, so
    they are found in UTF-8 and cp1252 alike.
    """
    max_fields = 2 * limits.max_columns
    max_records = 2 * limits.max_rows + 2
    data = content
    if content.count(b"\r") > content.count(b"\r\n"):  # lone CR line ends (old Mac)
        data = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    too_wide = ImportFailed(
        [_("Het bestand heeft meer dan %(max)s kolommen.") % {"max": limits.max_columns}]
    )
    if b'"' not in data:  # no quotes: one record per line, counted without a loop
        if data.count(b"\n") + (not data.endswith(b"\n")) > max_records:
            raise _too_many_rows(limits)
        sep = re.escape(delimiter)
        if re.search(rb"(?m)^(?:[^\n%s]*+%s){%d}" % (sep, sep, max_fields), data):
            raise too_wide
        return
    in_quotes = False
    separators = 0  # in the current record
    records = 0
    for line in io.BytesIO(data):
        if not in_quotes and b'"' not in line:
            separators += line.count(delimiter)
        else:
            pieces = line.split(b'"')
            separators += sum(p.count(delimiter) for p in pieces[1 if in_quotes else 0 :: 2])
            in_quotes ^= len(pieces) % 2 == 0
        if separators >= max_fields:
            raise too_wide
        if not in_quotes:
            records += 1
            separators = 0
            if records > max_records:
                raise _too_many_rows(limits)


def invalid_xlsx_message() -> str:
    return _("Het bestand is geen geldig XLSX-bestand.")


def check_xlsx_archive(content: bytes, limits: Limits) -> None:
    """Refuse an XLSX that would cost more than the limits to read, before openpyxl opens it.

    First the zip directory (total unpacked size, ratio per part), then one streaming pass over
    every XML part, 1 MB at a time: no text, tag or run of spaces may be longer than a cell
    may be (openpyxl would hold it whole), a part other than a worksheet may not be bigger than
    `part_max_bytes` (openpyxl reads those whole: shared strings, styles), a row may not hold
    more than `max_tags_per_row` tags (openpyxl builds a whole row before it cuts it to the
    column limit), and a worksheet may not have more rows than the importer could read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _check_directory(members, limits)
            for member in members:
                # The parts openpyxl parses; custom XML (a document system's metadata) it
                # leaves alone.
                name = member.filename.lower()
                if name.endswith((".xml", ".rels", ".vml")) and not name.startswith("customxml/"):
                    _scan_part(archive, member, limits)
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportFailed([invalid_xlsx_message()]) from exc


def _too_big(limits: Limits) -> ImportFailed:
    return ImportFailed(
        [
            _(
                "Het bestand is uitgepakt te groot (meer dan %(mb)s MB) of verdacht sterk "
                "ingepakt. Sla het op als CSV of splits het bestand."
            )
            % {"mb": _megabytes(limits.max_uncompressed_bytes)}
        ]
    )


def _too_many_rows(limits: Limits) -> ImportFailed:
    return ImportFailed(
        [_("Het bestand heeft meer dan %(max)s regels.") % {"max": limits.max_rows}]
    )


def _check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(m.file_size for m in members)
    too_dense = any(
        m.file_size > RATIO_FLOOR_BYTES and m.file_size > limits.max_ratio * max(m.compress_size, 1)
        for m in members
    )
    too_big_part = any(
        m.file_size > part_max_bytes(limits) and not _is_worksheet(m.filename) for m in members
    )
    if len(members) > 10_000 or total > limits.max_uncompressed_bytes or too_dense or too_big_part:
        raise _too_big(limits)


def part_max_bytes(limits: Limits) -> int:
    """The unpacked size of one part other than a worksheet (openpyxl reads those whole)."""
    return max(16 * 2**20, 4 * limits.max_bytes)


def max_token_bytes(limits: Limits) -> int:
    """The longest run between two '<' in an XLSX part: a full cell (UTF-8, escaped), a tag."""
    return 16 * limits.max_cell_chars + 8192


def max_tags_per_row(limits: Limits) -> int:
    """Tags in one row of a worksheet: a few per cell (c, v, is, t, f, their ends) per column."""
    return 16 * (limits.max_columns + 1) + 64


def _is_worksheet(name: str) -> bool:
    return name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml")


# The start of a row, with or without a namespace prefix.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CLOSING_PREFIX = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?")


def _end_of_rows(buffer: bytes) -> int:
    """Where '</sheetData>' (or '</x:sheetData>') begins in `buffer`, or -1. A plain find, not
    a regular expression: that would try every closing tag of the sheet."""
    at = buffer.find(b"sheetData>")
    while at >= 0:
        lt = buffer.rfind(b"<", 0, at)
        if lt >= 0 and _CLOSING_PREFIX.fullmatch(buffer, lt, at):
            return lt
        at = buffer.find(b"sheetData>", at + 1)
    return -1


_CHUNK = 2**20


def _wide_row(body: bytes, row_tag: bytes, max_tags: int) -> bool:
    """Whether a row in `body` (which starts at a row or at the start of the data) has more
    than `max_tags` tags. Without an object per row: a window of `max_tags` bytes that holds a
    row start bounds the row before it to two windows (a tag takes at least 3 bytes, so fewer
    than `max_tags` tags); only the row around a window without a row start is counted."""
    window = max_tags
    start = 0
    while start < len(body):
        end = min(start + window, len(body))
        if body.find(row_tag, start, end) >= 0:
            start = end
            continue
        first = max(body.rfind(row_tag, 0, start + len(row_tag)), 0)
        nxt = body.find(row_tag, end)
        stop = len(body) if nxt < 0 else nxt
        if body.count(b"<", first, stop) > max_tags:
            return True
        start = stop
    return False


# Tags of a worksheet outside its rows (column widths before them; merged cells, links and
# conditional formats after them): openpyxl keeps each of them.
MAX_TAGS_OUTSIDE_ROWS = 50_000


def _long_token(limits: Limits) -> ImportFailed:
    return ImportFailed(
        [
            _(
                "Het bestand bevat een cel of stuk tekst van meer dan %(max)s tekens, of is niet "
                "goed opgebouwd."
            )
            % {"max": limits.max_cell_chars}
        ]
    )


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """One pass over a part, 1 MB at a time, without an object per row or per tag (a hostile
    sheet of a million rows must cost as little as possible)."""
    block = max_token_bytes(limits) // 2
    sheet = _is_worksheet(member.filename)
    max_tags = max_tags_per_row(limits)
    # A worksheet may hold blank rows too (see _table); one more row is the header.
    max_physical = 2 * limits.max_rows + 2
    max_row_bytes = (limits.max_columns + 1) * max_token_bytes(limits)
    rows = 0
    since_tag = 0  # bytes since the last '<' at the end of the previous chunk
    outside = 0  # tags before the first row and after the last
    row_tag = b""  # '<row', or '<x:row' in a sheet that uses a namespace prefix
    ended = False  # past the end of the rows ('</sheetData>')
    carry = b""
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            # No run without a '<' may be longer than a token (openpyxl would hold it whole):
            # every block of half a token inside the chunk holds a '<', and so does the run
            # across the border with the previous chunk.
            first = chunk.find(b"<")
            if since_tag + (len(chunk) if first < 0 else first) > block:
                raise _long_token(limits)
            for start in range(0, len(chunk) - block + 1, block):
                if chunk.find(b"<", start, start + block) < 0:
                    raise _long_token(limits)
            last = chunk.rfind(b"<")
            since_tag = since_tag + len(chunk) if last < 0 else len(chunk) - 1 - last
            if not sheet:
                continue
            if ended:
                outside += chunk.count(b"<")
            elif not row_tag:
                # Before the first row: keep a few bytes, so that a row tag cut in two by the
                # chunk border is found whole.
                buffer = carry + chunk
                found = _ROW_TAG.search(buffer)
                at = found.start() if found else max(len(buffer) - 64, len(carry))
                outside += buffer.count(b"<", len(carry), max(at, len(carry)))
                if found:
                    row_tag = found.group()[:-1]
                    carry = buffer[at:]
                else:
                    carry = buffer[at:]
            else:
                carry += chunk
            if row_tag and not ended and carry:
                buffer, carry = carry, b""
                close = _end_of_rows(buffer)
                if close >= 0:
                    ended = True
                    outside += buffer.count(b"<", close)
                    body = buffer[:close]
                else:
                    # Cut before the last row start, so that every row is checked whole.
                    cut = buffer.rfind(row_tag)
                    body, carry = buffer[:cut], buffer[cut:]
                rows += body.count(row_tag)
                if (
                    _wide_row(body, row_tag, max_tags)
                    or carry.count(b"<") > max_tags
                    or len(carry) > max_row_bytes
                ):
                    raise _wide(limits)
                if rows > max_physical:
                    raise _too_many_rows(limits)
            if outside > MAX_TAGS_OUTSIDE_ROWS:
                raise ImportFailed(
                    [
                        _(
                            "Het werkblad heeft te veel opmaak of onderdelen buiten de rijen. "
                            "Kopieer alleen de gegevens naar een nieuw bestand, of sla het op "
                            "als CSV."
                        )
                    ]
                )
    if rows + carry.count(row_tag or b"<row") > max_physical:
        raise _too_many_rows(limits)


def _wide(limits: Limits) -> ImportFailed:
    return ImportFailed(
        [_("Een rij in het bestand heeft meer dan %(max)s kolommen.") % {"max": limits.max_columns}]
    )


@contextmanager
def open_xlsx(content: bytes, limits: Limits, *, data_only: bool = False) -> Iterator[Any]:
    """An openpyxl workbook in read-only mode, after `check_xlsx_archive`; closed at the end.

    With `data_only=False` (the default) a formula comes back as its text and is never taken
    as a value. Raises ImportFailed (Dutch) for a file that is not a workbook.
    """
    from openpyxl import load_workbook

    check_xlsx_archive(content, limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise ImportFailed([invalid_xlsx_message()]) from exc
    try:
        yield book
    finally:
        book.close()


def xlsx_rows(sheet: Any, limits: Limits, *, check_cells: bool = True) -> Iterator[tuple[Any, ...]]:
    """The rows of one read-only sheet as raw values, streaming, at most `max_columns` + 1
    values each (a sheet's declared dimension is not trusted). Raises ImportFailed past the
    physical row bound of the limits or (with `check_cells`) at a cell longer than
    `max_cell_chars`."""
    max_physical = 2 * limits.max_rows + 2
    try:
        # The sheet's declared dimension is the file's own claim: without a reset, openpyxl
        # would stop at its last row (silently dropping the rows after it) and pad every row
        # to its width. The width is bounded by an explicit max_col instead.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1)
        for number, values in enumerate(rows, start=1):
            if number > max_physical:
                raise _too_many_rows(limits)
            for i, value in enumerate(values if check_cells else ()):
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise ImportFailed(
                        [
                            _("Rij %(rij)s, kolom %(kolom)s") % {"rij": number, "kolom": i + 1}
                            + ": "
                            + _("de waarde is langer dan %(max)s tekens.")
                            % {"max": limits.max_cell_chars}
                        ]
                    )
            yield values
    except ImportFailed:
        raise
    except Exception as exc:  # a broken sheet part
        raise ImportFailed([invalid_xlsx_message()]) from exc


def _xlsx_lines(content: bytes, limits: Limits) -> Generator[list[str]]:
    with open_xlsx(content, limits) as book:
        if not book.worksheets:
            raise ImportFailed([invalid_xlsx_message()])
        # _table checks each cell, naming its column.
        for values in xlsx_rows(book.worksheets[0], limits, check_cells=False):
            cells = [cell_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            yield cells


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

"""Upload files for tests: a real XLSX, and a zip bomb built from one."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb(uncompressed: int) -> bytes:
    """A real workbook whose sheet part is padded with whitespace to `uncompressed` bytes."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["bsn", "geboortedatum"], ["1", "2"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<sheetData>")
            with z.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                chunk = b" " * 2**20
                for _ in range(uncompressed // len(chunk)):
                    member.write(chunk)
                member.write(tail)
    return out.getvalue()


def sheet_xlsx(body: Iterable[bytes], *, title: str = "Sheet") -> bytes:
    """A real workbook whose first sheet (named `title`) has `body` as its rows.

    `body` is streamed into the zip (a generator of chunks), so a sheet of hundreds of MB costs
    the test only the time to deflate it.
    """
    book = Workbook()
    book.active.title = title
    book.active.append(["x"])
    raw = io.BytesIO()
    book.save(raw)
    base = zipfile.ZipFile(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, data)
                continue
            head, rest = data.split(b"<sheetData>")
            tail = rest.split(b"</sheetData>")[1]
            with z.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                for chunk in body:
                    member.write(chunk)
                member.write(b"</sheetData>" + tail)
    return out.getvalue()


def spaces(n: int) -> Iterator[bytes]:
    """`n` bytes of whitespace between two rows: a classic zip bomb (ratio about 1000)."""
    yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>bsn</t></is></c></row>'
    chunk = b" " * 2**20
    for _ in range(n // len(chunk)):
        yield chunk
    yield b'<row r="2"><c r="A2"><v>1</v></c></row>'


def many_rows(n: int, *, first: str = "bsn") -> Iterator[bytes]:
    """A header and `n` numbered rows of one cell (a "million rows" sheet)."""
    yield f'<row r="1"><c r="A1" t="inlineStr"><is><t>{first}</t></is></c></row>'.encode()
    for start in range(2, n + 2, 10_000):
        yield "".join(
            f'<row r="{i}"><c><v>1</v></c></row>' for i in range(start, min(start + 10_000, n + 2))
        ).encode()


def wide_row(cells: int) -> Iterator[bytes]:
    """One row of `cells` cells: openpyxl builds a whole row before it cuts it to a width."""
    yield b'<row r="1">'
    for start in range(0, cells, 10_000):
        yield "".join(
            f"<c><v>{i % 997}</v></c>" for i in range(start, min(start + 10_000, cells))
        ).encode()
    yield b"</row>"


def long_cell(chars: int) -> Iterator[bytes]:
    """A header and one inline text cell of `chars` characters (after a normal header)."""
    yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>bsn</t></is></c></row>'
    yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    for _ in range(chars // 2**20):
        yield b"abcdefgh" * 2**17
    yield b"x" * (chars % 2**20)
    yield b"</t></is></c></row>"

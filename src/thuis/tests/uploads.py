"""Upload files for tests: a real XLSX, and a zip bomb built from one."""

from __future__ import annotations

import io
import zipfile
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

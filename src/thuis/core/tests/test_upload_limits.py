"""Every upload entry point refuses a hostile file in Dutch, within 2 seconds and 50 MB.

The four entry points are the functions their views call: the partner bulk upload
(`partners.imports.read_rows`), the finance cost import (`finance.importing.parse_cost_file`),
the caseload migration (`migration.services.import_file`) and the XLSForm import
(`surveys.xlsform.parse_workbook`). The files are real: a zip bomb (a few hundred KB that unpack
to hundreds of MB), a sheet of a million rows, a row of millions of cells, a cell of 50 MB, and
CSV files with a long cell, too many columns or too many rows. They are built by streaming into
zipfile, so the tests themselves stay cheap.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import openpyxl.xml
import pytest

from thuis.core.tabular import ImportFailed
from thuis.finance.importing import parse_cost_file
from thuis.migration import services as migration_services
from thuis.partners import imports
from thuis.surveys import xlsform
from thuis.tests.uploads import long_cell, many_rows, sheet_xlsx, spaces, wide_row

pytestmark = pytest.mark.django_db

SECONDS = 2
PEAK_BYTES = 50 * 2**20

Entry = Callable[[bytes, str], list[str]]


def _partners(content: bytes, filename: str) -> list[str]:
    imports.read_rows(filename=filename, content=content)
    return []


def _finance(content: bytes, filename: str) -> list[str]:
    return parse_cost_file(content=content, filename=filename).errors


def _migration(content: bytes, filename: str) -> list[str]:
    migration_services.import_file(
        kind="personen", content=content, filename=filename, gemeente="0999", by="test"
    )
    return []


def _xlsform(content: bytes, filename: str) -> list[str]:
    try:
        xlsform.parse_workbook(content)
    except xlsform.XLSFormError as exc:
        return exc.errors
    return []


XLSX_ENTRIES: dict[str, Entry] = {
    "partners": _partners,
    "finance": _finance,
    "migration": _migration,
    "xlsform": _xlsform,
}
CSV_ENTRIES = {k: v for k, v in XLSX_ENTRIES.items() if k != "xlsform"}
# A header each importer accepts, so that a CSV reaches its rows.
CSV_HEADERS = {
    "partners": "verwijzing;soort;van;tot_en_met",
    "finance": "datum;soort;bedrag",
    "migration": "bsn;geboortedatum;geslacht;geboorteland;doelgroep;plicht_start;koppeling;"
    "vestiging;huishouden",
}


def refused(entry: Entry, content: bytes, filename: str) -> list[str]:
    """The Dutch errors of a refused upload; fails if it took too long or too much memory."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        try:
            errors = entry(content, filename)
        except ImportFailed as exc:
            errors = exc.errors
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert errors, "the file was accepted"
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"
    return errors


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    content = sheet_xlsx(spaces(300 * 2**20))
    assert len(content) < 1024 * 1024
    return content


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    content = sheet_xlsx(many_rows(10**6), title="survey")
    assert len(content) < 5 * 2**20  # under every importer's size limit
    return content


@pytest.fixture
def no_ratio_check(settings: Any) -> None:
    """A hostile part can be packed just under the ratio limit; the other checks must hold."""
    settings.THUIS_IMPORT_MAX_COMPRESSION_RATIO = 10**6


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("name", XLSX_ENTRIES)
def test_a_zip_bomb_is_refused(name: str, zip_bomb: bytes) -> None:
    errors = refused(XLSX_ENTRIES[name], zip_bomb, "bom.xlsx")
    assert "uitgepakt te groot" in errors[0]


@pytest.mark.parametrize("name", XLSX_ENTRIES)
def test_a_zip_bomb_under_the_size_limit_is_refused(name: str, no_ratio_check: None) -> None:
    content = sheet_xlsx(spaces(150 * 2**20))
    errors = refused(XLSX_ENTRIES[name], content, "bom.xlsx")
    assert errors[0].startswith("Het bestand bevat een cel of stuk tekst van meer dan 10000")


@pytest.mark.parametrize("name", XLSX_ENTRIES)
def test_a_million_rows_are_refused(name: str, million_rows: bytes) -> None:
    errors = refused(XLSX_ENTRIES[name], million_rows, "rijen.xlsx")
    assert "meer dan" in errors[0]
    assert "regels" in errors[0]


@pytest.mark.parametrize("name", XLSX_ENTRIES)
def test_a_row_of_millions_of_cells_is_refused(name: str, no_ratio_check: None) -> None:
    content = sheet_xlsx(wide_row(3 * 10**6), title="survey")
    errors = refused(XLSX_ENTRIES[name], content, "breed.xlsx")
    assert errors[0] == "Een rij in het bestand heeft meer dan 100 kolommen."


@pytest.mark.parametrize("name", XLSX_ENTRIES)
def test_a_cell_of_50_mb_is_refused(name: str, no_ratio_check: None) -> None:
    content = sheet_xlsx(long_cell(50 * 2**20), title="survey")
    errors = refused(XLSX_ENTRIES[name], content, "lang.xlsx")
    assert errors[0].startswith("Het bestand bevat een cel of stuk tekst van meer dan 10000")


def test_a_long_cell_in_an_xlsform_is_refused_with_its_row() -> None:
    content = sheet_xlsx(long_cell(20_000), title="survey")
    with pytest.raises(xlsform.XLSFormError) as exc:
        xlsform.parse_workbook(content)
    assert exc.value.errors == ["Rij 2, kolom 1: de waarde is langer dan 10000 tekens."]


def test_an_xlsform_over_the_size_limit_is_refused() -> None:
    with pytest.raises(xlsform.XLSFormError) as exc:
        xlsform.parse_workbook(b"PK\x03\x04" + b"\0" * (5 * 2**20))
    assert exc.value.errors == ["Het bestand is groter dan 5 MB."]


@pytest.mark.parametrize("name", CSV_ENTRIES)
def test_a_csv_with_a_long_cell_is_refused(name: str) -> None:
    for chars in (20_000, 4 * 2**20):
        content = (CSV_HEADERS[name] + "\n" + "x" * chars + ";1\n").encode()
        errors = refused(CSV_ENTRIES[name], content, "lang.csv")
        assert "de waarde is langer dan 10000 tekens." in errors[0]
        assert errors[0].startswith("Rij 2")


@pytest.mark.parametrize("name", CSV_ENTRIES)
def test_a_csv_with_too_many_columns_is_refused(name: str) -> None:
    for line in ("ab;" * 1_500_000, '"a;b";' * 250, "ab;" * 150 + '"x\ny";' + "ab;" * 150):
        content = (CSV_HEADERS[name] + "\n" + line + "\n").encode()
        errors = refused(CSV_ENTRIES[name], content, "breed.csv")
        assert errors == ["Het bestand heeft meer dan 100 kolommen."], line[:20]


@pytest.mark.parametrize("name", CSV_ENTRIES)
def test_a_csv_with_a_million_rows_is_refused(name: str) -> None:
    for end in ("\n", "\r\n", "\r"):
        content = (CSV_HEADERS[name] + end + ("1;2" + end) * 10**6).encode()
        errors = refused(CSV_ENTRIES[name], content, "rijen.csv")
        assert "meer dan" in errors[0]
        assert "regels" in errors[0]


def test_quoted_separators_and_line_breaks_are_not_columns_or_rows() -> None:
    cell = '"' + "a;\n" * 150 + '"'
    content = ("verwijzing;toelichting\n" + f"1;{cell}\n" * 3).encode()
    rows = imports.read_rows(filename="r.csv", content=content)
    assert [n for n, _row in rows] == [2, 3, 4]
    assert rows[0][1]["toelichting"].count(";") == 150


def test_a_json_upload_of_a_million_objects_is_refused() -> None:
    def entry(content: bytes, filename: str) -> list[str]:
        imports.read_rows(filename=filename, content=content)
        return []

    content = ("[" + ",".join(["{}"] * 10**6) + "]").encode()
    errors = refused(entry, content, "rijen.json")
    assert errors == ["Het bestand heeft meer dan 10000 regels."]
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    assert refused(entry, deep, "diep.json") == ["Het bestand is geen geldige JSON."]
    many_columns = ('[{"' + '":1,"'.join(f"k{i}" for i in range(200)) + '":1}]').encode()
    assert refused(entry, many_columns, "breed.json") == [
        "Het bestand heeft meer dan 100 kolommen."
    ]

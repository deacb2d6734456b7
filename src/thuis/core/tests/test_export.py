"""The one export writer: no cell of any export runs as a formula, in CSV or in XLSX.

Every export of Thuis is written by `core/export.py` (the guard is
tests/test_architecture_exports.py); each is called here with texts that a spreadsheet would
run (`=HYPERLINK("x")`, `+1`, `@x`, `-2+3`, a leading tab or CR) and read back: in CSV the
text has a leading `'`, in XLSX no cell is a formula, and real numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from thuis.core import export
from thuis.finance import exports as finance_exports
from thuis.monitoring import exports as monitoring_exports
from thuis.surveys import services as survey_services
from thuis.surveys import xlsform

HOSTILE = ['=HYPERLINK("x")', "+1", "@x", "-2+3", "\tx", "\rx"]


def xlsx_cells(content: bytes) -> list[Any]:
    """Every written cell of every sheet (not the padding of a shorter row)."""
    book = load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_neutral_csv(content: bytes) -> None:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    for value in HOSTILE:
        assert "'" + value in cells, value
    assert not any(c.startswith(export.FORMULA_START) for c in cells if not _number(c))


def _number(text: str) -> bool:
    try:
        Decimal(text.replace(",", "."))
    except ArithmeticError:
        return False
    return True


def assert_neutral_xlsx(content: bytes) -> None:
    cells = xlsx_cells(content)
    assert cells
    assert all(c.data_type != "f" for c in cells)
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for value in HOSTILE:
        if value[0] in "\t\r":
            continue  # openpyxl reads a leading tab or CR back differently; the '"' is there
        assert "'" + value in texts, value
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)


def test_neutralise_follows_the_owasp_rule_and_keeps_numbers_typed() -> None:
    assert [export.neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert export.neutralise("gewoon") == "gewoon"
    assert export.csv_text(-2) == "-2"
    assert export.csv_text(Decimal("-1.50")) == "-1,50"
    assert export.csv_text(-0.5) == "-0,5"
    assert export.csv_text(date(2026, 1, 31)) == "2026-01-31"
    assert export.csv_text(None) == ""
    content = export.to_xlsx([["a"], [-2, Decimal("-1.5"), date(2026, 1, 31), "-2"]], title="t")
    values = [c.value for c in xlsx_cells(content)]
    assert values[1:3] == [-2, -1.5] and values[3].date() == date(2026, 1, 31)
    assert values[4] == "'-2"  # a text that looks like a number is a text


def test_a_control_character_does_not_break_an_xlsx_export() -> None:
    content = export.to_xlsx([["a\x01b\x0b"]], title="t")
    assert [c.value for c in xlsx_cells(content)] == ["ab"]


def test_finance_exports() -> None:
    header = ["omschrijving", "bedrag"]
    rows: list[list[Any]] = [[v, Decimal("-2.50")] for v in HOSTILE]
    assert_neutral_csv(finance_exports.to_csv(header, rows))
    content = finance_exports.to_xlsx(header, rows, title="kosten")
    assert_neutral_xlsx(content)
    assert -2.5 in [c.value for c in xlsx_cells(content)]  # still a number


def test_monitoring_exports() -> None:
    cells = [{"gemeente": v, "teller": 3, "noemer": 12, "waarde": 25.0} for v in HOSTILE]
    assert_neutral_csv(monitoring_exports.to_csv("=code", "2026-01-01", 10, cells))
    assert_neutral_xlsx(monitoring_exports.to_xlsx("I1", "2026-01-01", 10, cells))


def test_survey_answer_exports() -> None:
    header = ["respons", "opmerking", "aantal"]
    rows: list[list[Any]] = [["1", v, -3] for v in HOSTILE]
    assert_neutral_csv(survey_services.rows_to_csv(header, rows))
    content = survey_services.rows_to_xlsx(header, rows)
    assert_neutral_xlsx(content)
    assert -3 in [c.value for c in xlsx_cells(content)]


def test_the_xlsform_export_keeps_texts_exact_but_never_as_a_formula() -> None:
    spec = xlsform.FormSpec(
        form_id="f",
        title={"nl": '=HYPERLINK("x")'},
        version_label="",
        default_language="nl",
        languages=["nl"],
        questions=[
            xlsform.QuestionSpec(
                type="text", name="q", label={"nl": '=HYPERLINK("x")'}, constraint="-1 < ."
            )
        ],
        choices={},
    )
    content = xlsform.build_workbook(spec)
    cells = xlsx_cells(content)
    assert all(c.data_type != "f" for c in cells)
    assert '=HYPERLINK("x")' in {c.value for c in cells}  # pyxform reads the text as written
    assert xlsform.parse_workbook(content).questions[0].constraint == "-1 < ."


@pytest.mark.parametrize("value", HOSTILE)
def test_the_csv_export_reads_back_through_the_import(value: str) -> None:
    from thuis.core import tabular

    content = export.to_csv([["omschrijving"], [value]])
    table = tabular.read_table(
        content=content,
        filename="x.csv",
        columns=tabular.Columns(required=("omschrijving",)),
        limits=tabular.Limits(
            max_bytes=2**20,
            max_rows=10,
            max_columns=10,
            max_cell_chars=100,
            max_uncompressed_bytes=2**20,
            max_ratio=100,
        ),
    )
    assert table.rows[0][1]["omschrijving"] == ("'" + value).strip()

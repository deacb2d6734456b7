"""The one CSV/XLSX reader: limits before parsing, streaming, same rows for both formats."""

from __future__ import annotations

import time
import tracemalloc
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

import pytest

from thuis.core import tabular
from thuis.core.errors import NotAllowed
from thuis.core.tabular import Columns, ImportFailed, Limits
from thuis.tests.uploads import bomb, xlsx

COLUMNS = Columns(
    required=("bsn", "geboortedatum"), optional=("uren",), aliases={"gb": "geboortedatum"}
)
LIMITS = Limits(
    max_bytes=5 * 2**20,
    max_rows=1000,
    max_columns=20,
    max_cell_chars=100,
    max_uncompressed_bytes=200 * 2**20,
    max_ratio=100,
)


def read(content: bytes, filename: str, limits: Limits = LIMITS, **kw: Any) -> tabular.Table:
    return tabular.read_table(
        content=content, filename=filename, columns=COLUMNS, limits=limits, **kw
    )


def test_a_zip_bomb_is_refused_quickly_in_dutch_with_bounded_memory() -> None:
    content = bomb(300 * 2**20)
    assert len(content) < 1024 * 1024  # small on the wire, 300 MB unpacked
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFailed) as exc:
            read(content, "bom.xlsx", Limits.from_settings(max_bytes=50 * 2**20, max_rows=10**6))
        assert exc.value.code == "import_mislukt"
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.value.errors[0].startswith("Het bestand is uitgepakt te groot (meer dan 200 MB)")
    assert elapsed < 2
    assert peak - len(content) < 10 * 2**20


def test_a_densely_packed_part_under_the_size_limit_is_refused_by_its_ratio() -> None:
    content = bomb(20 * 2**20)
    with pytest.raises(ImportFailed) as exc:
        read(content, "bom.xlsx")
    assert exc.value.code == "import_mislukt"
    assert "verdacht sterk ingepakt" in exc.value.errors[0]


def test_the_row_limit_stops_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    content = xlsx([["bsn", "geboortedatum"]] + [[str(i), "2000-01-01"] for i in range(3000)])
    seen = 0
    real = tabular.cell_text

    def counting(value: Any) -> str:
        nonlocal seen
        seen += 1
        return real(value)

    monkeypatch.setattr(tabular, "cell_text", counting)
    small = Limits(**{**LIMITS.__dict__, "max_rows": 100})
    with pytest.raises(ImportFailed) as exc:
        read(content, "r.xlsx", small)
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == ["Het bestand heeft meer dan 100 regels."]
    assert seen <= 21 * 103  # the header and 101 rows of 21 cells were read, not 3000 rows
    csv = ("bsn;geboortedatum\n" + "1;2000-01-01\n" * 3000).encode()
    with pytest.raises(ImportFailed) as exc:
        read(csv, "r.csv", small)
    assert exc.value.code == "import_mislukt"


def test_blank_rows_count_towards_the_work_limit() -> None:
    csv = ("bsn;geboortedatum\n1;2\n" + ";\n" * 500).encode()
    small = Limits(**{**LIMITS.__dict__, "max_rows": 100})
    with pytest.raises(ImportFailed) as exc:
        read(csv, "r.csv", small)
    assert exc.value.code == "import_mislukt"
    assert len(read(csv, "r.csv").rows) == 1


def test_csv_and_xlsx_give_the_same_rows() -> None:
    rows: list[list[Any]] = [
        ["BSN", "GB", "Uren", "Extra kolom"],
        ["123456782", date(1990, 2, 28), 12.5, '=HYPERLINK("x")'],
        [None, None, None, None],
        ["111222333", "01-03-1991", 8, "tekst"],
    ]
    from_xlsx = read(xlsx(rows), "r.xlsx")
    text = (
        "BSN;GB;Uren;Extra kolom\n"
        '123456782;1990-02-28;12,5;=HYPERLINK("x")\n'
        ";;;\n"
        "111222333;01-03-1991;8;tekst\n"
    )
    from_csv = read(text.encode("utf-8-sig"), "r.csv")
    assert from_xlsx == from_csv
    assert from_csv.header == ["bsn", "geboortedatum", "uren", "extra_kolom"]
    assert from_csv.rows[0] == (
        2,
        {
            "bsn": "123456782",
            "geboortedatum": "1990-02-28",
            "uren": "12,5",
            "extra_kolom": '=HYPERLINK("x")',  # a formula stays text, never a value
        },
    )
    assert from_csv.rows[1][0] == 4  # the blank row keeps its number


def test_a_formula_in_xlsx_is_its_text_not_its_cached_value() -> None:
    content = xlsx([["bsn", "geboortedatum"], ["=1+1", "=TODAY()"]])
    assert read(content, "r.xlsx").rows == [(2, {"bsn": "=1+1", "geboortedatum": "=TODAY()"})]


def test_file_level_refusals_are_dutch() -> None:
    cases = [
        (b"", "r.csv", "Het bestand is leeg."),
        (b"bsn;uren\n1;2\n", "r.csv", "Rij 1: de kolom(men) 'geboortedatum' ontbreken."),
        (b"\xff\xfe\x00bsn", "r.csv", "Het bestand is geen UTF-8-tekst."),
        (b"geen zip", "r.xlsx", "Het bestand is geen geldig XLSX-bestand."),
        (b"x" * (LIMITS.max_bytes + 1), "r.csv", "Het bestand is groter dan 5 MB."),
        (
            ("bsn;geboortedatum\n1;" + "x" * 101 + "\n").encode(),
            "r.csv",
            "Rij 2, kolom 'geboortedatum': de waarde is langer dan 100 tekens.",
        ),
        (
            (";".join(f"k{i}" for i in range(21)) + "\n").encode(),
            "r.csv",
            "Het bestand heeft meer dan 20 kolommen.",
        ),
    ]
    for content, filename, message in cases:
        with pytest.raises(ImportFailed) as exc:
            read(content, filename)
        assert exc.value.errors == [message], filename
        assert exc.value.code == "import_mislukt"


def test_cp1252_only_where_the_importer_allows_it() -> None:
    content = "bsn;geboortedatum\nPiñata é;2000-01-01\n".encode("cp1252")
    with pytest.raises(ImportFailed) as exc:
        read(content, "r.csv")
    assert exc.value.code == "import_mislukt"
    table = read(content, "r.csv", fallback_encoding="cp1252")
    assert table.rows[0][1]["bsn"] == "Piñata é"


def test_typed_parsers_and_dutch_errors_name_row_and_column() -> None:
    errors = tabular.Errors()
    row = tabular.RowReader(12, {"geboortedatum": "31-02-1990", "uren": "12,5"}, errors)
    assert row.get("geboortedatum", tabular.parse_date) is None
    assert row.get("uren", tabular.parse_decimal) == Decimal("12.5")
    assert row.get("bsn", str, required=True) is None
    assert not row.ok
    assert errors.items == [
        "Rij 12, kolom 'geboortedatum': '31-02-1990' is geen datum "
        "(gebruik dd-mm-jjjj of jjjj-mm-dd).",
        "Rij 12, kolom 'bsn': is verplicht.",
    ]
    with pytest.raises(ImportFailed) as exc:
        errors.raise_if_any()
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == errors.items
    assert tabular.parse_date("29-02-2024") == date(2024, 2, 29)
    assert tabular.parse_date("2024-02-29T00:00:00") == date(2024, 2, 29)
    assert tabular.parse_date("01/03/1991") == tabular.parse_date("1-3-1991") == date(1991, 3, 1)
    assert tabular.parse_date("31.01.2022") == date(2022, 1, 31)
    for wrong in ("2023-02-29", "29-02-2023", "31-04-2022", "2022-13-01", "+024-02-29"):
        with pytest.raises(tabular.CellError):
            tabular.parse_date(wrong)
    assert tabular.parse_decimal("1.234,5") == Decimal("1234.5")
    assert tabular.parse_decimal("12.5") == Decimal("12.5")
    assert tabular.parse_int("7") == 7
    assert tabular.parse_bool("Ja") is True and tabular.parse_bool("nee") is False
    for parse, text in (
        (tabular.parse_int, "7,5"),
        (tabular.parse_decimal, "NaN"),
        (tabular.parse_bool, "misschien"),
    ):
        with pytest.raises(tabular.CellError):
            parse(text)
    with pytest.raises(tabular.CellError) as choice:
        tabular.parse_choice("z", [("a", "Aap"), ("b", "Beer")])
    assert str(choice.value) == "'z' is geen geldige waarde. Kies uit: a, b."
    assert tabular.parse_choice("beer", [("a", "Aap"), ("b", "Beer")]) == "b"


def test_more_than_a_hundred_errors_are_summarised() -> None:
    failed = ImportFailed([f"fout {i}" for i in range(130)])
    assert len(failed.errors) == 101 and failed.errors[-1] == "… en nog 30 fouten."


@pytest.mark.django_db
def test_apply_rows_is_all_or_nothing_and_preview_keeps_nothing() -> None:
    from thuis.people.models import Municipality

    def save(code: str) -> str:
        if code == "bad":
            raise NotAllowed("Dat mag niet.")
        Municipality.objects.create(code=code, name=code)
        return "created"

    with pytest.raises(ImportFailed) as exc:
        tabular.apply_rows([(2, "0001"), (3, "bad")], save)
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == ["Rij 3: Dat mag niet."]
    assert not Municipality.objects.filter(code="0001").exists()
    assert tabular.apply_rows([(2, "0001")], save, preview=True) == {"created": 1}
    assert not Municipality.objects.filter(code="0001").exists()
    assert tabular.apply_rows([(2, "0001")], save) == {"created": 1}
    assert Municipality.objects.filter(code="0001").exists()
    assert connection.in_atomic_block  # the test's own transaction, not a leaked one


def test_preview_shows_the_first_rows_and_every_error() -> None:
    text = "bsn;geboortedatum\n" + "".join(f"{i};x\n" for i in range(30))

    def check(table: tabular.Table) -> None:
        errors = tabular.Errors()
        for number, values in table.rows:
            tabular.RowReader(number, values, errors).get("geboortedatum", tabular.parse_date)
        errors.raise_if_any()

    shown = tabular.preview(
        content=text.encode(), filename="r.csv", columns=COLUMNS, limits=LIMITS, check=check
    )
    assert not shown.ok and shown.total_rows == 30 and len(shown.rows) == 10
    assert len(shown.errors) == 30 and shown.errors[0].startswith("Rij 2, kolom 'geboortedatum'")
    empty = tabular.preview(content=b"", filename="r.csv", columns=COLUMNS, limits=LIMITS)
    assert empty.errors == ["Het bestand is leeg."] and empty.rows == []

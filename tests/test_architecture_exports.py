"""One export writer: no module but thuis/core/export.py writes CSV or builds an XLSX workbook.

An AST scan of src/thuis (tests excluded): a call of `csv.writer` or `csv.DictWriter` (also
imported by name), a use of openpyxl's `Workbook` or `WriteOnlyCell`, or an import of them,
outside core/export.py fails here. Reading (`csv.reader`, `load_workbook` in core/tabular) is
not writing. So every export gets the same protection against formula injection.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "thuis"
ALLOWED = {Path("core/export.py")}
CSV_WRITERS = {"writer", "DictWriter"}
OPENPYXL_WRITERS = {"Workbook", "WriteOnlyCell"}


def _offences(tree: ast.AST) -> list[str]:
    found: list[str] = []
    csv_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if node.module == "csv" and alias.name in CSV_WRITERS:
                    csv_names.add(alias.asname or alias.name)
                    found.append(f"line {node.lineno}: from csv import {alias.name}")
                if node.module.startswith("openpyxl") and alias.name in OPENPYXL_WRITERS:
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Attribute):
            value = node.value
            if (
                isinstance(value, ast.Name) and value.id == "csv" and node.attr in CSV_WRITERS
            ) or node.attr in OPENPYXL_WRITERS:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_only_core_export_writes_csv_or_xlsx() -> None:
    offences: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative in ALLOWED or "tests" in relative.parts or "migrations" in relative.parts:
            continue
        for offence in _offences(ast.parse(path.read_text(), filename=str(path))):
            offences.append(f"{relative} {offence}")
    assert offences == [], "write exports with thuis.core.export:\n" + "\n".join(offences)


def test_the_guard_finds_each_way_of_writing() -> None:
    samples = {
        "import csv\ncsv.writer(out)": 1,
        "import csv\ncsv.DictWriter(out, [])": 1,
        "from csv import writer\nwriter(out)": 1,
        "from openpyxl import Workbook\nWorkbook()": 1,
        "import openpyxl\nopenpyxl.Workbook(write_only=True)": 1,
        "from openpyxl.cell import WriteOnlyCell": 1,
        "import csv\ncsv.reader(text)": 0,
        "from openpyxl import load_workbook\nload_workbook(f, read_only=True)": 0,
    }
    for source, expected in samples.items():
        assert len(_offences(ast.parse(source))) == expected, source

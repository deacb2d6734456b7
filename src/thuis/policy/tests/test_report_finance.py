"""The report's finance section uses the years that have a budget and says plainly when the
year it shows has none (never "Begroting totaal € 0" for a year without budget lines)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest

from thuis.accounts.choices import Role
from thuis.demo.policy import seed_policy_demo
from thuis.finance import services as finance_services
from thuis.finance.choices import BudgetSource, CostCategory
from thuis.policy import report as report_builder
from thuis.policy import services
from thuis.policy.sources import LiveSources

from .conftest import PEILDATUM
from .fakes import FakeSources

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


class FinanceLive(FakeSources):
    """Fake indicators and surveys; the real finance selectors."""

    def finance(self, *, municipality: Any, year: int) -> Any:
        return LiveSources().finance(municipality=municipality, year=year)

    def budget_years(self, *, municipality: Any) -> Any:
        return LiveSources().budget_years(municipality=municipality)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert PDFTOTEXT, "pdftotext (poppler-utils) is needed: apt-get install poppler-utils"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603 - fixed binary, our own file
        [PDFTOTEXT, str(path), "-"], capture_output=True, check=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def _finance_part(text: str) -> str:
    start = text.rindex("7. Financiën")  # the section, not the table of contents
    return text[start : text.index("8. Vervolgstappen", start)]


@pytest.fixture
def report(municipality: Any, make_user: Any) -> Any:
    by = make_user(Role.BELEIDSMEDEWERKER, username="beleid")
    finance_services.budget_line_create(
        by=by,
        municipality=municipality,
        year=2023,
        source=BudgetSource.SPUK_INBURGERING,
        amount=Decimal("198000"),
    )
    for booked in (date(2023, 3, 1), date(2024, 1, 15)):
        finance_services.cost_entry_create(
            by=by,
            municipality=municipality,
            booked_on=booked,
            category=CostCategory.MB,
            amount=Decimal("2370"),
        )
    seed_policy_demo(municipality, today=PEILDATUM)
    return municipality.policy_reports.get()


def _texts(report: Any, tmp_path: Path) -> tuple[dict[str, Any], str, str, str]:
    snapshot, files = services.documents_for(
        report=report,
        peildatum=PEILDATUM,
        sources=FinanceLive(),
        formats=["html", "pdf", "docx"],
        documents=["evaluatie"],
    )
    html = files[("evaluatie", "html")].decode("utf-8")
    pdf = _pdf_text(files[("evaluatie", "pdf")], tmp_path)
    document = docx.Document(io.BytesIO(files[("evaluatie", "docx")]))
    words = [p.text for p in document.paragraphs]
    words += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return (
        snapshot["inhoud"]["financien"],
        _finance_part(" ".join(html.split())),
        _finance_part(pdf),
        " ".join(words),  # paragraphs, then tables: the whole document
    )


def test_a_year_with_a_budget_shows_budget_costs_and_balance(report: Any, tmp_path: Path) -> None:
    # No year set on the report: the latest year up to the peildatum (2024) with a budget.
    fin, html, pdf, word = _texts(report, tmp_path)
    assert fin["jaar"] == 2023 and fin["begroting_jaren"] == [2023]
    assert fin["geen_begroting"] == ""
    assert "Begroting totaal" in word and "Saldo" in word
    for text in (html, pdf):
        assert "Begroting en kosten 2023" in text
        assert "Begroting totaal" in text and "€ 198.000" in text
        assert "Saldo" in text and "€ 195.630" in text
        assert "geen begroting" not in text


def test_a_year_without_budget_lines_says_so_and_shows_no_zero_budget(
    report: Any, tmp_path: Path
) -> None:
    report.finance_year = 2024
    report.save()
    fin, html, pdf, word = _texts(report, tmp_path)
    assert fin["jaar"] == 2024 and fin["begroting"] == [] and fin["saldo"] == ""
    assert "Voor 2024 staat er geen begroting in Thuis." in word
    assert "Begroting totaal" not in word and "Saldo" not in word
    for text in (html, pdf):
        assert "Voor 2024 staat er geen begroting in Thuis." in text
        assert "Er is wel een begroting voor 2023." in text
        assert "Begroting totaal" not in text and "Begroting:" not in text
        assert "Saldo" not in text
        assert "Kosten 2024" in text and "€ 2.370" in text


def test_no_budget_at_all_names_no_other_year(municipality: Any) -> None:
    seed_policy_demo(municipality, today=PEILDATUM)
    report = municipality.policy_reports.get()
    fin = report_builder.section_financien(report, PEILDATUM, FinanceLive())
    assert fin["jaar"] == PEILDATUM.year
    assert fin["geen_begroting"] == (
        "Voor 2024 staat er geen begroting in Thuis. "
        "Daarom ziet u hier geen begroting en geen saldo."
    )


@pytest.mark.parametrize(
    ("chosen", "years", "expected"),
    [
        (None, [2022, 2023, 2026], 2023),  # latest budget year up to the peildatum's year
        (None, [2024], 2024),
        (None, [2025, 2026], 2024),  # only later budgets: the peildatum's year (none)
        (None, [], 2024),
        (2026, [2023], 2026),  # the year set on the report wins
    ],
)
def test_finance_year(chosen: int | None, years: list[int], expected: int) -> None:
    class R:
        finance_year = chosen

    assert report_builder.finance_year(R(), PEILDATUM, years) == expected  # type: ignore[arg-type]


def test_no_budget_text_lists_the_budget_years_in_dutch() -> None:
    assert report_builder.no_budget_text(2024, [2021, 2022, 2023]).endswith(
        "Er is wel een begroting voor 2021, 2022 en 2023."
    )
    assert report_builder.no_budget_text(2024, [2022, 2023]).endswith(
        "Er is wel een begroting voor 2022 en 2023."
    )

"""Finance screens in the browser: every page passes axe-core with zero violations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.demo.finance import seed_finance_demo
from thuis.finance.models import BudgetLine, CostImport
from thuis.tests import factories

from .test_pages import login as pages_login

PASSWORD = "Thuis-test-2026!"


@pytest.fixture
def finance_demo(transactional_db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    users = {
        role: factories.UserFactory(username=f"fin-{role}", role=role, municipalities=[home])
        for role in (Role.BELEIDSMEDEWERKER, Role.BEHEERDER)
    }
    for _ in range(3):
        factories.CaseFactory(person=factories.PersonFactory(municipality=home))
    scenario = seed_finance_demo(home, today=date(2026, 6, 30))
    return {"users": users, "scenario": scenario, "municipality": home}


def login(page: Any, base: str, username: str) -> None:
    pages_login(page, base, username, lambda _page: None)


def test_finance_pages_policy_officer(
    page: Any, live_server: Any, finance_demo: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, f"fin-{Role.BELEIDSMEDEWERKER}")
    page.goto(live_server.url + "/start/")
    page.get_by_role("link", name="Financiën").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator("svg.fin-chart title").count() == 1
    assert page.get_by_role("table", name="Inkomsten, uitgaven en saldo per jaar").is_visible()
    scenario = finance_demo["scenario"]
    line = BudgetLine.objects.filter(municipality=finance_demo["municipality"]).first()
    for path in (
        "/financien/",
        f"/financien/?scenario={scenario.pk}",
        "/financien/begroting/",
        f"/financien/begroting/{line.pk}/",
        "/financien/bedragen/",
        "/financien/kosten/",
        "/financien/kosten/?jaar=2025&soort=tolk",
        "/financien/kosten/inlezen/",
        "/financien/scenarios/",
        "/financien/scenarios/nieuw/",
        f"/financien/scenarios/{scenario.pk}/",
        "/financien/export/",
    ):
        visit(path)


def test_import_preview_and_form_errors(
    page: Any, live_server: Any, finance_demo: dict[str, Any], tmp_path: Any, axe_check: Any
) -> None:
    login(page, live_server.url, f"fin-{Role.BEHEERDER}")
    good = tmp_path / "kosten.csv"
    good.write_text("datum;soort;bedrag;kenmerk\n2026-05-01;tolk;120,00;B-1\n", encoding="utf-8")
    page.goto(live_server.url + "/financien/kosten/inlezen/")
    page.get_by_label("Bestand (CSV of Excel)").set_input_files(str(good))
    page.get_by_role("button", name="Bekijk voorbeeld").click()
    page.wait_for_load_state()
    axe_check(page)  # preview with the rows
    page.get_by_role("button", name="Bevestig en boek 1 regel").click()
    page.wait_for_load_state()
    axe_check(page)
    assert CostImport.objects.filter(status="done").count() == 1

    bad = tmp_path / "fout.csv"
    bad.write_text("datum;soort;bedrag\n2026-05-01;tolk;abc\n", encoding="utf-8")
    page.goto(live_server.url + "/financien/kosten/inlezen/")
    page.get_by_label("Bestand (CSV of Excel)").set_input_files(str(bad))
    page.get_by_role("button", name="Bekijk voorbeeld").click()
    page.wait_for_load_state()
    axe_check(page)  # preview with errors
    assert page.get_by_text("We lezen niets in").is_visible()

    # A form with errors (route mix not 100%) must stay accessible too.
    page.goto(live_server.url + f"/financien/scenarios/{finance_demo['scenario'].pk}/")
    page.get_by_label("B1-route (%)").fill("75")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("samen 100%").first.is_visible()

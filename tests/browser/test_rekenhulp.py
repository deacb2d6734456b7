"""The rekenhulp page in the browser: form, result table, errors; axe-core on every state."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from thuis.accounts.choices import Role
from thuis.tests import factories

from .test_pages import login


@pytest.fixture
def regisseur(transactional_db: Any) -> Any:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    return factories.UserFactory(
        username=Role.REGISSEUR, role=Role.REGISSEUR, municipalities=[home]
    )


def test_regisseur_calculates_dates(
    page: Any, live_server: Any, regisseur: Any, visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.REGISSEUR, axe_check)
    page.get_by_role("link", name="Rekenhulp").click()
    page.wait_for_url("**/rekenhulp/")
    visit("/rekenhulp/")
    page.get_by_label("Start inburgeringsplicht").fill("2023-03-01")
    page.get_by_label("Doelgroep").select_option("asielstatushouder")
    page.get_by_label("Vestiging in de gemeente (BRP)").fill("2024-01-15")
    page.get_by_label("Kennisgeving van DUO").fill("2023-12-01")
    page.get_by_label("Dagtekening PIP").fill("2024-02-29")
    page.get_by_label("Leerroute").select_option("B1")
    page.get_by_label("Niveau").select_option("B1")
    page.get_by_label("Verlengingen van de termijn").fill("6")
    page.get_by_label("Start bijstand").fill("2024-01-31")
    page.get_by_label("Peildatum voor signalen").fill("2027-07-01")
    page.get_by_role("button", name="Reken uit").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Uitkomst")).to_be_visible()
    table = page.get_by_role("table", name="Datums met grondslag en uitleg")
    expect(table.locator('tr[data-code="TERMIJN_START"]')).to_contain_text("1 maart 2024")
    expect(table.locator('tr[data-code="TERMIJN_EINDE"]')).to_contain_text("28 augustus 2027")
    expect(table.locator('tr[data-code="PIP_UITERLIJK"]')).to_contain_text("25 maart 2024")
    expect(table.locator('tr[data-code="ONTZORGEN_EINDE"]')).to_contain_text("30 juli 2024")
    expect(table.locator('tr[data-code="TERMIJN_EINDE"]')).to_contain_text("Wi2021 art. 11")
    expect(
        page.get_by_role("listitem").filter(
            has_text="De inburgeringstermijn eindigt op 28 augustus 2027."
        )
    ).to_be_visible()
    # The filled-in facts stay in the form, so the user can change one and calculate again.
    expect(page.get_by_label("Dagtekening PIP")).to_have_value("2024-02-29")
    page.get_by_text("Invoer en uitkomst als JSON").click()
    axe_check(page)


def test_errors_are_shown_and_accessible(
    page: Any, live_server: Any, regisseur: Any, visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.REGISSEUR, axe_check)
    visit("/rekenhulp/")
    page.get_by_label("Verlengingen van de termijn").fill("zes maanden")
    page.get_by_role("button", name="Reken uit").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("De rekenhulp kan nog niet rekenen.")
    expect(alert).to_contain_text("Start inburgeringsplicht")
    expect(alert).to_contain_text("heel aantal maanden")
    axe_check(page)
    # Wi2013 with a leerroute: dates are calculated and the mismatch is listed.
    page.get_by_label("Start inburgeringsplicht").fill("2020-02-29")
    page.get_by_label("Verlengingen van de termijn").fill("")
    page.get_by_label("Leerroute").select_option("Z")
    page.get_by_role("button", name="Reken uit").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Wet inburgering 2013")).to_be_visible()
    expect(page.locator('tr[data-code="TERMIJN_EINDE"]')).to_contain_text("28 februari 2023")
    expect(
        page.get_by_role("listitem").filter(has_text="Daarin bestaat geen PIP of leerroute.")
    ).to_be_visible()
    axe_check(page)

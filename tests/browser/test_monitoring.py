"""Monitoring pages in a real browser: axe-core finds zero violations on every page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.monitoring import services
from thuis.partners import services as partner_services
from thuis.tests import factories

from .test_pages import login


@pytest.fixture
def figures(transactional_db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    users = {
        role: factories.UserFactory(username=role, role=role, municipalities=[home])
        for role in (Role.BELEIDSMEDEWERKER, Role.BEHEERDER)
    }
    for i in range(30):
        person = factories.PersonFactory(
            municipality=home, sex="MV"[i % 2], birth_date=date(1988, 1, 1)
        )
        case = factories.CaseFactory(person=person, plicht_start=date(2021 + i % 3, 2, 1))
        case.vestiging_date = date(2021 + i % 3, 4, 1)
        case.save(update_fields=["vestiging_date"])
        if i % 3:
            partner_services.spell_create(
                by="test", person=person, kind="werk", start_date=date(2021 + i % 3, 5, 1)
            )
    services.housing_quota_set(municipality=home, period="2022-H1", persons=12)
    services.facts_rebuild(municipality=home)
    return {"users": users}


def test_policy_officer_dashboards(
    page: Any, live_server: Any, figures: Any, visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.BELEIDSMEDEWERKER, axe_check)
    visit("/monitor/")
    assert page.get_by_role("link", name="Monitor").is_visible()
    assert page.locator("svg[role=img] title").count() >= 2
    visit("/monitor/indicator/WERK_12M/?per=geslacht&per2=cohort")
    assert page.get_by_role("table").first.is_visible()
    visit("/monitor/indicator/PARTICIPATIE_6M_VESTIGING/?per=cohort")
    visit("/monitor/indicator/DOORLOOP_KOPPELING_VESTIGING/")
    visit("/monitor/indicator/LEERROUTE_MIX/")
    visit("/monitor/indicator/TAAKSTELLING/")
    visit("/monitor/benchmark/")


def test_import_pages_for_the_beheerder(
    page: Any, live_server: Any, figures: Any, visit: Any, axe_check: Any, tmp_path: Any
) -> None:
    login(page, live_server.url, Role.BEHEERDER, axe_check)
    visit("/monitor/import/")
    path = tmp_path / "personen.csv"
    path.write_text("bsn;geslacht\n123;Q\n")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url("**/monitor/import/*/")
    assert page.get_by_text(
        "Rij 1: de kolom(men) 'geboortedatum', 'geboorteland', 'doelgroep', 'plicht_start', "
        "'koppeling', 'vestiging', 'huishouden' ontbreken."
    ).is_visible()
    axe_check(page)


def test_public_figures_without_login(
    page: Any, live_server: Any, figures: Any, visit: Any
) -> None:
    visit("/cijfers/0148/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cijfers inburgering")

"""Issue 3: a regisseur takes a person from koppeling to plicht voldaan in the browser."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.cases import services
from thuis.tests import factories

from .test_pages import login


@pytest.fixture
def koppeling(transactional_db: Any) -> Any:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    regisseur = factories.UserFactory(
        username=Role.REGISSEUR, role=Role.REGISSEUR, municipalities=[home]
    )
    person = factories.PersonFactory(
        municipality=home,
        given_names="Yonas",
        family_name="Tesfay",
        nationality="ER",
        country_of_birth="ER",
    )
    case = factories.CaseFactory(
        person=person,
        regisseur=regisseur,
        plicht_start=date(2024, 1, 10),
        koppeling_date=date(2024, 1, 24),
    )
    return case


def fill_form(page: Any, values: dict[str, str]) -> None:
    for label, value in values.items():
        field = page.get_by_label(re.compile("^" + re.escape(label) + r"( \(niet verplicht\))?$"))
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def act(
    page: Any, base: str, case_id: int, link: str, values: dict[str, str], axe_check: Any
) -> None:
    page.goto(f"{base}/trajecten/{case_id}/")
    page.get_by_role("link", name=link, exact=True).first.click()
    page.wait_for_load_state()
    axe_check(page)
    fill_form(page, values)
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/trajecten/{case_id}/")
    errors = page.locator(".utrecht-alert--error")
    assert errors.count() == 0, errors.all_inner_texts()


def test_koppeling_to_plicht_voldaan(
    page: Any, live_server: Any, koppeling: Any, axe_check: Any
) -> None:
    base, pk = live_server.url, koppeling.pk
    login(page, base, Role.REGISSEUR, axe_check)
    act(
        page,
        base,
        pk,
        "Datums wijzigen",
        {
            "Kennisgeving DUO (start van de 10 weken voor de PIP)": "2024-01-10",
            "Datum vestiging in de gemeente (BRP)": "2024-04-02",
        },
        axe_check,
    )
    assert page.locator('[data-code="PIP_UITERLIJK"]').inner_text() == "2024-06-11"
    axe_check(page)
    act(page, base, pk, "Afspraak plannen", {"Datum afspraak": "2024-04-08"}, axe_check)
    act(page, base, pk, "Gezondheid vastleggen", {"Lichamelijke gezondheid": "Goed"}, axe_check)
    act(
        page,
        base,
        pk,
        "Intake invullen",
        {
            "Intake gestart op": "2024-04-08",
            "Score leerbaarheidstoets (0 tot en met 40)": "33",
            "Datum leerbaarheidstoets": "2024-04-08",
            "Opleiding in het land van herkomst": "12 jaar school",
            "Intake afgerond op": "2024-04-20",
        },
        axe_check,
    )
    act(
        page,
        base,
        pk,
        "PIP vaststellen",
        {
            "Dagtekening van de beschikking": "2024-05-15",
            "Leerroute": "B1",
            "Taalniveau": "B1",
        },
        axe_check,
    )
    assert page.locator('[data-code="TERMIJN_EINDE"]').inner_text() == "2027-05-15"
    for component in ("lezen", "luisteren", "schrijven", "spreken", "knm"):
        act(
            page,
            base,
            pk,
            "Examen",
            {
                "Onderdeel": component,
                "Niveau": "" if component == "knm" else "B1",  # KNM has no level
                "Examendatum": "2025-11-03",
                "Uitslag": "geslaagd",
            },
            axe_check,
        )
    for component in ("pvt", "map"):
        act(
            page,
            base,
            pk,
            "Onderdeel afgerond",
            {"Onderdeel": component, "Afgerond op": "2025-06-01"},
            axe_check,
        )
    act(
        page,
        base,
        pk,
        "Einde plicht",
        {"Reden einde plicht": "voldaan", "Datum": "2026-01-05"},
        axe_check,
    )
    assert "Inburgeringsplicht voldaan" in page.locator("main").inner_text()
    koppeling.refresh_from_db()
    assert koppeling.status == "voldaan"
    assert (
        services.case_dates(koppeling, today=date(2026, 1, 6))["datums"]["TERMIJN_START"]["datum"]
        == "2024-05-16"
    )
    page.goto(f"{base}/trajecten/werkvoorraad/")
    axe_check(page)

"""Partner portal and the regisseur's participation section, with axe-core on every page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.partners import rules, services
from thuis.partners.models import Organisation
from thuis.tests import factories

from .test_pages import login

TODAY = date(2025, 3, 3)


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    org = Organisation.objects.create(name="Taalschool Vecht (test)", kind="taal")
    org.municipalities.add(home)
    regisseur = factories.UserFactory(
        username="regisseur", role=Role.REGISSEUR, municipalities=[home]
    )
    partner = factories.UserFactory(
        username="partner", role=Role.PARTNER, municipalities=[home], organisation=org
    )
    person = factories.PersonFactory(municipality=home, family_name="Haddad", given_names="Amal")
    case = factories.CaseFactory(person=person, regisseur=regisseur)
    referral, _ = services.referral_share(
        by=regisseur, person=person, organisation=org, referral_type="taal", today=TODAY, case=case
    )
    for step in ("accepted", "active"):
        referral = services.referral_transition(
            by=partner, referral=referral, to=step, actor=rules.PARTNER, on=TODAY
        )
    services.report_save(
        by=partner,
        referral=referral,
        kind="uren_taal",
        period_start=TODAY,
        period_end=TODAY,
        hours=3,
    )
    services.spell_create(
        by=regisseur, person=person, kind="werk", start_date=TODAY, hours_per_week=16
    )
    services.spell_create(
        by=regisseur,
        person=person,
        kind="opleiding",
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
    services.contact_create(
        by=regisseur, person=person, kind="taalmaatje", community="nederlands", start_date=TODAY
    )
    return {"person": person, "referral": referral, "org": org}


def test_partner_portal_pages(
    page: Any, live_server: Any, world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, "partner", axe_check)
    assert page.url.endswith("/partners/portaal/")
    axe_check(page)
    assert page.get_by_role("link", name="Verwijzingen").is_visible()
    visit("/partners/portaal/")
    page.get_by_role("link", name=f"Verwijzing {world['referral'].pk}").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Leerroute").is_visible()
    assert world["person"].bsn not in page.content()
    page.get_by_label("Soort rapportage").select_option("uren_knm")
    page.get_by_label("Periode van").fill("2025-03-10")
    page.get_by_label("Periode tot en met").fill("2025-03-16")
    page.locator("#id_hours").fill("2")
    page.get_by_role("button", name="Rapportage opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("De rapportage is opgeslagen.").is_visible()
    axe_check(page)
    visit("/partners/portaal/inlezen/")
    visit("/partners/meldingen/")
    visit(f"/personen/{world['person'].pk}/", status=403)


def test_regisseur_timeline_section(
    page: Any, live_server: Any, world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, "regisseur", axe_check)
    pk = world["person"].pk
    visit(f"/personen/{pk}/")
    assert page.get_by_role("heading", name="Tijdlijn deelname").is_visible()
    assert page.get_by_text("Betaald werk").is_visible()
    assert page.get_by_text("Taalschool Vecht (test)", exact=False).first.is_visible()
    page.get_by_text(f"Status wijzigen (verwijzing {world['referral'].pk})").click()
    axe_check(page)
    visit(f"/partners/personen/{pk}/verwijzen/")
    visit(f"/partners/personen/{pk}/deelname/")
    page.get_by_label("Soort", exact=True).select_option("vrijwilligerswerk")
    page.get_by_label("Begindatum").fill("2025-01-01")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/personen/{pk}/#deelname")
    axe_check(page)
    assert page.get_by_text("Vrijwilligerswerk").first.is_visible()
    visit(f"/partners/personen/{pk}/steunnetwerk/")
    visit("/partners/deelname/inlezen/")


def test_beheer_contracts_and_tokens(
    page: Any, live_server: Any, world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    home = world["org"].municipalities.get()
    factories.UserFactory(username="beheerder", role=Role.BEHEERDER, municipalities=[home])
    login(page, live_server.url, "beheerder", axe_check)
    visit("/partners/contracten/")
    visit("/partners/contracten/nieuw/")
    page.get_by_label("Product of dienst").fill("B1-route 2025")
    page.get_by_label("Soort verwijzing").select_option("taal")
    page.get_by_label("Eenheid", exact=True).select_option(index=1)
    page.get_by_label("Prijs per eenheid (euro)").fill("8500.00")
    page.get_by_label("Ingangsdatum").fill("2025-01-01")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/partners/contracten/")
    axe_check(page)
    assert page.get_by_role("cell", name="B1-route 2025", exact=True).is_visible()
    page.get_by_role("link", name="Wijzigen B1-route 2025").click()
    page.wait_for_load_state()
    axe_check(page)
    visit("/partners/beheer/sleutels/")
    page.get_by_label("Omschrijving").fill("Koppeling LVS")
    page.get_by_role("button", name="Sleutel maken").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Kopieer de sleutel nu.").is_visible()
    page.get_by_role("button", name="Intrekken").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Ingetrokken op").is_visible()

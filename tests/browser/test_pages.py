"""Walk the main pages as each role, with axe-core on every page (zero violations)."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from thuis.accounts.choices import Role
from thuis.tests import factories

PASSWORD = "Thuis-test-2026!"


@pytest.fixture
def demo(transactional_db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    users = {
        role: factories.UserFactory(username=role, role=role, municipalities=[home])
        for role in (Role.REGISSEUR, Role.TEAMLEIDER, Role.BELEIDSMEDEWERKER, Role.BEHEERDER)
    }
    household = factories.HouseholdFactory(municipality=home, name="Huishouden Haddad")
    person = factories.PersonFactory(municipality=home, family_name="Haddad", given_names="Amal")
    factories.HouseholdMemberFactory(household=household, person=person)
    for _ in range(3):
        factories.CaseFactory(
            person=factories.PersonFactory(municipality=home), regisseur=users[Role.REGISSEUR]
        )
    case = factories.CaseFactory(person=person, regisseur=users[Role.REGISSEUR])
    return {"users": users, "person": person, "household": household, "case": case}


def login(page: Any, base: str, username: str, axe_check: Any) -> None:
    """A first login: password, the activation code from the beheerder, then the app."""
    from thuis.accounts import services as account_services
    from thuis.accounts.models import User

    code = account_services.activation_code_bootstrap(
        user=User.objects.get(username=username), reset=False
    )
    page.goto(base + "/accounts/inloggen/")
    axe_check(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/tweede-stap/**")
    axe_check(page)  # first login: the activation code
    page.get_by_label("Activeringscode").fill(code)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_load_state()
    axe_check(page)  # then the QR code set-up page
    device = TOTPDevice.objects.get(user__username=username)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code uit de authenticator-app (6 cijfers)").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state()


def test_regisseur_pages(
    page: Any, live_server: Any, demo: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.REGISSEUR, axe_check)
    visit("/personen/")
    assert page.get_by_role("link", name="Haddad, Amal").is_visible()
    page.get_by_label("Zoek op naam").fill("hadd")
    page.get_by_role("button", name="Zoek naam").click()
    expect(page.get_by_text("1 traject gevonden.")).to_be_visible()
    assert page.locator("tbody tr").count() == 1
    assert "hadd" not in page.url  # the name is posted, never in the address bar
    page.get_by_label("Alleen mijn caseload").check()  # htmx filter keeps the name search
    page.wait_for_url("**/personen/?*mijn=on*")
    expect(page.get_by_label("Zoek op naam")).to_have_value("hadd")
    assert "hadd" not in page.url
    axe_check(page)
    page.get_by_role("link", name="Haddad, Amal").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", level=1).inner_text().endswith("Haddad")
    visit(f"/personen/huishoudens/{demo['household'].pk}/")
    visit("/overzicht/")
    visit("/personen/999999/", status=404)


def test_bsn_search_by_post(
    page: Any, live_server: Any, demo: dict[str, Any], axe_check: Any
) -> None:
    login(page, live_server.url, Role.REGISSEUR, axe_check)
    page.goto(live_server.url + "/personen/")
    page.get_by_label("Zoek op BSN").fill(demo["person"].bsn)
    page.get_by_role("button", name="Zoek BSN").click()
    page.wait_for_url(f"**/personen/{demo['person'].pk}/")
    assert demo["person"].bsn not in page.url
    axe_check(page)


def test_policy_officer_and_privacy_officer(
    page: Any, live_server: Any, demo: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.BELEIDSMEDEWERKER, axe_check)
    visit("/overzicht/")
    visit("/personen/", status=403)
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    login(page, live_server.url, Role.BEHEERDER, axe_check)
    visit("/verwerkingen/")
    page.get_by_label("Verwerkingen voor BSN").fill(demo["person"].bsn)
    page.get_by_role("button", name="Toon per persoon").click()
    page.wait_for_load_state()
    axe_check(page)
    # Inzage-export: a wrong BSN gives a Dutch error on the page, a right one a JSON download.
    page.get_by_label("Inzage-export voor BSN").fill("123456789")
    page.get_by_role("button", name="Maak inzage-export").click()
    page.wait_for_load_state()
    assert "geen geldig BSN" in page.content()
    axe_check(page)
    page.get_by_label("Inzage-export voor BSN").fill(demo["person"].bsn)
    with page.expect_download() as download:
        page.get_by_role("button", name="Maak inzage-export").click()
    assert download.value.suggested_filename.startswith("inzage-")
    assert demo["person"].bsn not in download.value.suggested_filename


def test_api_docs_page(page: Any, live_server: Any, demo: dict[str, Any], visit: Any) -> None:
    visit("/api/v1/docs/")

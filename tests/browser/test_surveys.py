"""Surveys in Chromium: fill in an imported XLSForm in Arabic (RTL) with skip logic, export it
again with the same structure; axe-core zero violations in Dutch and Arabic and on staff pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from thuis.accounts.choices import Role
from thuis.surveys import services, xlsform
from thuis.surveys.choices import VersionStatus
from thuis.surveys.models import Response
from thuis.surveys.tests.sample import workbook_bytes
from thuis.tests import factories

from .test_pages import login


@pytest.fixture
def surveys(transactional_db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    policy = factories.UserFactory(
        username=Role.BELEIDSMEDEWERKER, role=Role.BELEIDSMEDEWERKER, municipalities=[home]
    )
    version = services.survey_import_xlsform(municipality=home, content=workbook_bytes())
    services.version_set_status(version=version, status=VersionStatus.OPEN)
    services.public_link_create(version=version)
    version.refresh_from_db()
    standard = services.standard_survey_install(home)
    return {"home": home, "policy": policy, "version": version, "standard": standard}


def test_fill_in_arabic_with_skip_logic_and_round_trip(
    page: Any, live_server: Any, surveys: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    version = surveys["version"]
    visit(f"/e/open/{version.public_token}/")  # language choice (Dutch page)
    page.get_by_role("link", name="العربية").click()
    page.wait_for_load_state()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    axe_check(page)
    # Sending an empty form shows the errors in Arabic (and is still accessible).
    page.get_by_role("button", name="إرسال").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("لا يزال هناك شيء ناقص")
    axe_check(page)
    assert page.locator("[name=q_cursus_goed]").count() == 0
    page.get_by_role("group", name="أشعر بالترحيب.").get_by_label("أوافق", exact=True).check()
    page.get_by_role("group", name="هل تتابع دورة لغة؟").get_by_label("نعم").check()
    page.get_by_label("كم عمرك؟").fill("31")
    page.get_by_role("button", name="إرسال").click()
    page.wait_for_load_state()
    # Skip logic: "ja" made new questions relevant; they are shown before anything is saved.
    follow_up = page.get_by_role("group", name="الدورة تساعدني.")
    expect(follow_up).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("أضافت إجاباتك أسئلة جديدة")
    assert not Response.objects.exists()
    axe_check(page)
    follow_up.get_by_label("أوافق", exact=True).check()
    page.get_by_role("group", name="التحدث").get_by_label("جيد").check()
    page.get_by_role("group", name="القراءة").get_by_label("مقبول").check()
    page.get_by_role("button", name="إرسال").click()
    page.wait_for_url("**/e/bedankt/?taal=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(page)
    response = Response.objects.get()
    assert response.language == "ar" and response.person_id is None
    answers = {a.question.name: a.value for a in response.answers.all()}
    assert answers["cursus_goed"] == "eens" and answers["taal"] == {
        "spreken": "goed",
        "lezen": "redelijk",
    }
    # Export gives the same structure as the imported file.
    exported = services.survey_export_xlsform(version=version)
    assert (
        xlsform.parse_workbook(exported).structure()
        == xlsform.parse_workbook(workbook_bytes()).structure()
    )


def test_respondent_pages_in_dutch_and_arabic(
    page: Any, surveys: dict[str, Any], visit: Any
) -> None:
    for version in (surveys["version"], surveys["standard"]):
        for lang, direction in (("nl", "ltr"), ("ar", "rtl")):
            visit(f"/e/open/{version.public_token}/?taal={lang}")
            expect(page.locator("html")).to_have_attribute("dir", direction)
    visit("/e/bedankt/?taal=nl")
    visit("/e/open/bestaat-niet/", status=404)


def test_staff_survey_pages(
    page: Any, live_server: Any, surveys: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    version = surveys["version"]
    for i in range(12):
        services.response_submit_anonymous(
            version=version,
            language="nl",
            answers={"welkom": "eens" if i < 9 else "oneens", "cursus": "nee", "leeftijd": 30},
            today=date(2026, 4, 1),
        )
    login(page, live_server.url, Role.BELEIDSMEDEWERKER, axe_check)
    visit("/enquetes/")
    expect(page.get_by_role("link", name="Enquêtes")).to_be_visible()
    visit(f"/enquetes/{version.survey_id}/")
    visit(f"/enquetes/versie/{version.pk}/")
    visit(f"/enquetes/versie/{version.pk}/resultaten/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    visit(f"/enquetes/{version.survey_id}/vergelijking/")
    visit(f"/enquetes/versie/{version.pk}/onderzoeksexport/")
    visit("/enquetes/importeren/")
    visit("/enquetes/nieuw/")
    visit("/enquetes/gesprekken/nieuw/")
    page.get_by_label("Datum").fill("2026-03-01")
    page.get_by_label("Onderwerp").fill("Gesprek met vrouwen")
    page.get_by_label("Sociale netwerken").check()
    page.get_by_label("Bevindingen").fill("Weinig contact met buren.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    axe_check(page)
    visit("/enquetes/gesprekken/?thema=social_network")
    expect(page.get_by_role("link", name="Gesprek met vrouwen")).to_be_visible()
    visit("/enquetes/adviezen/nieuw/")
    page.get_by_label("Onderwerp").fill("Evaluatie Thuis")
    page.get_by_label("Ontvangen op").fill("2026-01-15")
    page.get_by_label("Adviespunten (één per regel)").fill("Meer taal na de inburgering\nMaatjes")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="Afdrukversie (bijlagen raadsvoorstel)").click()
    page.wait_for_load_state()
    axe_check(page)

"""DUO koppeling screens (issue 4) with axe-core: the DUO section on the case page, the DUO
signals in the work queue, the signals page, the DUO page of a case, inbox and outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from thuis.accounts.choices import Role
from thuis.duo import rules, services
from thuis.duo.models import DuoCaseState
from thuis.duo.services.common import signal_raise
from thuis.tests import factories

from .test_pages import login

DUO_OIN = "00000001800000000001"
GEMEENTE_OIN = "00000001001234567148"


@pytest.fixture
def duo_world(transactional_db: Any, settings: Any) -> dict[str, Any]:
    settings.THUIS_DUO_OIN, settings.THUIS_GEMEENTE_OIN = DUO_OIN, GEMEENTE_OIN
    settings.THUIS_DUO_BASE_URL = ""  # DUO unreachable: messages wait in inbox and outbox
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    settings.THUIS_DUO_GEMEENTECODE = home.code
    regisseur = factories.UserFactory(
        username=Role.REGISSEUR, role=Role.REGISSEUR, municipalities=[home]
    )
    factories.UserFactory(username=Role.BEHEERDER, role=Role.BEHEERDER, municipalities=[home])
    person = factories.PersonFactory(municipality=home, given_names="Yonas", family_name="Tesfay")
    case = factories.CaseFactory(person=person, regisseur=regisseur, plicht_start=date(2024, 1, 10))
    DuoCaseState.objects.create(
        case=case, kennisgeving_date=date(2024, 6, 3), pip_deadline=date(2024, 8, 12)
    )
    signal_raise(
        code="SS139",
        title="Persoon is inburgeringsplichtig en de termijn van 10 weken voor de PIP is gestart.",
        text="PIP uiterlijk 12 augustus 2024.",
        case=case,
        person=person,
        due_date=date(2024, 8, 12),
    )
    services.notification_receive(
        bron=DUO_OIN,
        doel=GEMEENTE_OIN,
        bericht_id=str(uuid.uuid4()),
        notification=rules.Notification(
            datetime(2024, 6, 3, 9, 0, tzinfo=UTC), "SS126", person.bsn, None
        ),
        raw_body="{}",
        headers={},
    )
    services.outbox_enqueue(
        operation="getVerlengingsgronden", description="Verlengingsgronden", by=regisseur, case=case
    )
    return {"case": case}


def test_regisseur_sees_duo_signals(
    page: Any, live_server: Any, duo_world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    case = duo_world["case"]
    login(page, live_server.url, Role.REGISSEUR, axe_check)
    visit(reverse("cases:detail", args=[case.pk]))
    section = page.locator("section", has=page.get_by_role("heading", name="DUO", exact=True))
    expect(section.get_by_text("12-08-2024: SS139")).to_be_visible()
    expect(section.get_by_text("1 wacht op verzending")).to_be_visible()
    visit(reverse("cases:work-queue"))
    expect(page.get_by_role("heading", name="Signalen van DUO")).to_be_visible()
    expect(page.get_by_role("link", name="Tesfay").first).to_be_visible()
    page.get_by_role("link", name="DUO", exact=True).click()  # main menu
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith(reverse("duo:signals"))
    visit(reverse("duo:case", args=[case.pk]))


def test_beheerder_sees_inbox_and_outbox(
    page: Any, live_server: Any, duo_world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.BEHEERDER, axe_check)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="DUO", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("duo:inbox"))
    axe_check(page)
    expect(page.get_by_text("SS126", exact=True)).to_be_visible()
    visit(reverse("duo:outbox"))
    expect(page.get_by_role("cell", name="Verlengingsgronden", exact=True)).to_be_visible()

"""Screens: beheerder inbox/outbox, per-case DUO page, signals; commands; no inline code."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.urls import reverse

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.cases import rules as law
from thuis.cases import services as case_services
from thuis.cases.services.facts import case_facts
from thuis.duo import rules, services
from thuis.duo.choices import InboxStatus, OutboxStatus
from thuis.duo.models import DuoCaseState, DuoSignal, InboxMessage, OutboxMessage
from thuis.duo.simulator import SimulatorState, serve
from thuis.tests import factories

from .conftest import DUO_OIN, GEMEENTE_OIN


def _receive(bsn: str, code: str) -> InboxMessage:
    message, _ = services.notification_receive(
        bron=DUO_OIN,
        doel=GEMEENTE_OIN,
        bericht_id=str(uuid.uuid4()),
        notification=rules.Notification(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), code, bsn, None),
        raw_body="{}",
        headers={},
    )
    return message


@pytest.mark.django_db
def test_beheerder_sees_inbox_and_outbox_without_personal_data(
    simulator: Any,
    sim_person: Callable[..., str],
    make_user: Callable[..., Any],
    login: Callable[[Any], Any],
    regisseur: Any,
) -> None:
    bsn = sim_person()
    services.inbox_process(message_id=_receive(bsn, "SS139").pk)
    services.inbox_process(message_id=_receive(bsn, "SS777").pk)
    case = InboxMessage.objects.filter(case__isnull=False).first().case
    services.pip_deliver(case=case, by=regisseur, dagtekening=date(2026, 3, 20), leerroute="B")
    client = login(make_user("beheerder", username="beheer"))
    inbox = client.get(reverse("duo:inbox")).content.decode()
    assert "SS139" in inbox and "SS777" in inbox and "Onbekende gebeurtenis" in inbox
    assert bsn not in inbox and "Onbekend (via DUO)" not in inbox
    filtered = client.get(
        reverse("duo:inbox"), {"status": InboxStatus.UNKNOWN_CODE}
    ).content.decode()
    assert "SS777" in filtered and "SS139" not in filtered
    outbox = client.get(reverse("duo:outbox")).content.decode()
    assert "PIP doorgeven" in outbox and bsn not in outbox


@pytest.mark.django_db
def test_beheerder_actions(
    duo_settings: Any,
    make_user: Callable[..., Any],
    login: Callable[[Any], Any],
    regisseur: Any,
    case: Any,
) -> None:
    beheerder = make_user("beheerder", username="beheer")
    client = login(beheerder)
    message = _receive(case.person.bsn, "SS102")
    InboxMessage.objects.filter(pk=message.pk).update(status=InboxStatus.FAILED)
    response = client.post(reverse("duo:inbox-reprocess", args=[message.pk]))
    assert response.status_code == 302
    assert InboxMessage.objects.get(pk=message.pk).attempts == 0
    outgoing = services.outbox_enqueue(
        operation="getVerlengingsgronden", description="test", by=regisseur
    )
    OutboxMessage.objects.filter(pk=outgoing.pk).update(status=OutboxStatus.FAILED, attempts=24)
    assert client.post(reverse("duo:outbox-retry", args=[outgoing.pk])).status_code == 302
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutboxStatus.PENDING, 0)
    assert ProcessingRecord.objects.filter(
        actor_label="beheer", object_type="duo_levering"
    ).exists()


@pytest.mark.django_db
def test_case_page_and_pip_form(
    simulator: Any,
    login: Callable[[Any], Any],
    regisseur: Any,
    municipality: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = factories.PersonFactory(municipality=municipality)
    simulator.add_person(person.bsn, begindatum=date(2026, 1, 10))
    services.inbox_process(message_id=_receive(person.bsn, "SS139").pk)
    case = InboxMessage.objects.get().case
    client = login(regisseur)
    page = client.get(reverse("duo:case", args=[case.pk])).content.decode()
    assert "11-05-2026" in page  # PIP uiterlijk
    assert "SS139" in page
    assert ProcessingRecord.objects.filter(actor_label="regisseur", reason="duo").exists()

    bad = client.post(
        reverse("duo:case-pip", args=[case.pk]),
        {"dagtekening": "2026-01-01", "leerroute": "Z", "niveau": "B1", "alfabetisering": "NVT"},
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "DUO zou dit niet aannemen" in text and "De Z-route kan niet met niveau B1." in text
    assert not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            reverse("duo:case-pip", args=[case.pk]),
            {"dagtekening": "2026-03-20", "leerroute": "B", "alfabetisering": "NVT"},
        )
    assert good.status_code == 302
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
    resultaat = client.post(
        reverse("duo:case-resultaat", args=[case.pk]), {"soort": "pvt", "datum": "2026-04-01"}
    )
    assert resultaat.status_code == 200  # termijn not yet known in Thuis (no SS102 yet)
    assert "termijn is nog niet bekend" in resultaat.content.decode()


@pytest.mark.django_db
def test_signals_page_and_resolve(
    simulator: Any,
    sim_person: Callable[..., str],
    login: Callable[[Any], Any],
    regisseur: Any,
    make_user: Callable[..., Any],
) -> None:
    bsn = sim_person()
    services.inbox_process(message_id=_receive(bsn, "SS139").pk)
    client = login(regisseur)
    page = client.get(reverse("duo:signals")).content.decode()
    assert "SS139" in page and "PERSOONSGEGEVENS" in page
    signal = DuoSignal.objects.get(code="SS139")
    assert client.post(reverse("duo:signal-resolve", args=[signal.pk])).status_code == 302
    signal.refresh_from_db()
    assert signal.status == "done" and signal.resolved_by == regisseur
    other = make_user(
        "regisseur", municipalities=[factories.MunicipalityFactory(code="0193")], username="ander"
    )
    assert login(other).post(reverse("duo:signal-resolve", args=[signal.pk])).status_code == 404


def test_templates_have_no_inline_styles_or_scripts() -> None:
    folder = Path(__file__).parents[1] / "templates" / "duo"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"\sstyle=|<script|\son[a-z]+=", text), template.name


@pytest.mark.django_db
def test_management_commands(
    simulator: Any,
    sim_person: Callable[..., str],
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bsn = sim_person()
    with django_capture_on_commit_callbacks(execute=False):
        _receive(bsn, "SS139")
    out = io.StringIO()
    call_command("duo_inbox", stdout=out)
    assert "verwerkt=1 wachtend=0" in out.getvalue()
    case = InboxMessage.objects.get().case
    with django_capture_on_commit_callbacks(execute=False):
        services.pip_deliver(case=case, by=regisseur, dagtekening=date(2026, 3, 20), leerroute="B")
    out = io.StringIO()
    call_command("duo_outbox", stdout=out)
    assert "verzonden=1" in out.getvalue()


def test_simulator_only_on_loopback() -> None:
    state = SimulatorState(duo_oin=DUO_OIN, gemeente_oin=GEMEENTE_OIN)
    with pytest.raises(ValueError, match="loopback"):
        serve(state, host="0.0.0.0")  # noqa: S104


@pytest.mark.django_db
def test_dead_letters_show_their_reason_to_the_beheerder(
    duo_settings: Any,
    make_user: Callable[..., Any],
    login: Callable[[Any], Any],
    regisseur: Any,
    case: Any,
) -> None:
    client = login(make_user("beheerder", username="beheer"))
    outgoing = services.outbox_enqueue(
        operation="getVerlengingsgronden", description="test", by=regisseur
    )
    OutboxMessage.objects.filter(pk=outgoing.pk).update(
        status=OutboxStatus.FAILED, attempts=24, dead_reason="max_attempts"
    )
    incoming = _receive(case.person.bsn, "SS102")
    InboxMessage.objects.filter(pk=incoming.pk).update(
        status=InboxStatus.FAILED, dead_reason="refused"
    )
    outbox_page = client.get(reverse("duo:outbox")).content.decode()
    assert "Opgegeven na het hoogste aantal pogingen" in outbox_page
    assert "Opnieuw versturen" in outbox_page
    inbox_page = client.get(reverse("duo:inbox")).content.decode()
    assert "Geweigerd of niet te verwerken, niet opnieuw geprobeerd" in inbox_page
    assert "Opnieuw verwerken" in inbox_page


@pytest.mark.django_db
def test_case_page_shows_the_rules_pip_deadline(
    login: Callable[[Any], Any], regisseur: Any, municipality: Any
) -> None:
    """ "Wat DUO weet" shows the case's own PIP deadline (the one rule, with its toelichting),
    not a stored copy; DUO's own fact, the kennisgeving, stays labelled as DUO's."""
    person = factories.PersonFactory(municipality=municipality)
    # The migration-import shape: a vestiging, no kennisgeving.
    case = case_services.case_open(
        by=regisseur,
        person=person,
        plicht_start=date(2023, 4, 12),
        doelgroep="asielstatushouder",
        gedetailleerde_doelgroep="asielstatushouder",
        vestiging_date=date(2023, 5, 12),
        regisseur=regisseur,
    )
    DuoCaseState.objects.create(case=case, pip_deadline=date(2099, 1, 1))
    expected = law.pip_deadline_of(case_facts(case))
    assert expected.value is not None
    page = login(regisseur).get(reverse("duo:case", args=[case.pk])).content.decode()
    assert f'data-duo-date="PIP_UITERLIJK">{expected.value:%d-%m-%Y}<' in page
    assert expected.toelichting in page
    assert "kennisgeving van DUO is niet bekend" in expected.toelichting
    assert "01-01-2099" not in page
    assert "Kennisgeving (volgens DUO)" in page
    assert 'data-duo-fact="kennisgeving">nog niet bekend<' in page

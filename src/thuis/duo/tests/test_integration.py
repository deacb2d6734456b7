"""The DUO koppeling inside the regie flows: PIP and MAP/PVT/Z-route deliveries after commit,
termijn extensions from DUO, DUO signals on the case page, in the work queue and in the API,
the simulator's demo helpers and the `thuis duo-simulator` alias."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import requests

from thuis import cli
from thuis.audit.models import ProcessingRecord
from thuis.cases import services as case_services
from thuis.cases.choices import ExtensionStatus
from thuis.cases.models import IntegrationCase, TermijnExtension
from thuis.cases.services.facts import date_of
from thuis.demo.duo import demo_person
from thuis.duo import rules, services
from thuis.duo.choices import InboxStatus, OutboxStatus, SignalStatus
from thuis.duo.models import DuoCaseState, DuoSignal, InboxMessage, OutboxMessage
from thuis.duo.services import deliveries
from thuis.duo.simulator import SimPerson, SimulatorState, serve
from thuis.people.models import Person
from thuis.tests import factories
from thuis.tests.factories import random_bsn

from .conftest import DUO_OIN, GEMEENTE_OIN

PLICHT_START = date(2024, 1, 10)
DAGTEKENING = date(2024, 5, 1)


def _receive(bsn: str, code: str) -> InboxMessage:
    message, _ = services.notification_receive(
        bron=DUO_OIN,
        doel=GEMEENTE_OIN,
        bericht_id=str(uuid.uuid4()),
        notification=rules.Notification(datetime(2024, 6, 3, 9, 0, tzinfo=UTC), code, bsn, None),
        raw_body="{}",
        headers={},
    )
    return message


def _wi2021_case(municipality: Any, regisseur: Any) -> IntegrationCase:
    """A Wi2021 case with the brede intake done, ready for its first PIP."""
    person = factories.PersonFactory(municipality=municipality, family_name="Tesfay")
    case = factories.CaseFactory(
        person=person,
        regisseur=regisseur,
        plicht_start=PLICHT_START,
        koppeling_date=date(2024, 1, 24),
        vestiging_date=date(2024, 4, 2),
    )
    case_services.intake_update(
        case=case,
        by=regisseur,
        today=date(2024, 4, 20),
        started_on=date(2024, 4, 8),
        lbt_score=29,
        lbt_date=date(2024, 4, 8),
        education_history="12 jaar school",
        work_history="Kapper",
    )
    return case


def _establish(case: IntegrationCase, by: Any) -> Any:
    return case_services.pip_establish(
        case=case,
        by=by,
        dagtekening=DAGTEKENING,
        leerroute="B1",
        niveau="B1",
        geschatte_intensiteit_b1=600,
        today=date(2024, 5, 10),
    )


# --- 1. deliveries after commit ---


@pytest.mark.django_db
def test_pip_establish_delivers_the_pip_to_duo(
    simulator: SimulatorState,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _wi2021_case(municipality, regisseur)
    simulator.add_person(case.person.bsn, begindatum=PLICHT_START)
    with django_capture_on_commit_callbacks(execute=True):
        _establish(case, regisseur)

    delivery = OutboxMessage.objects.get()
    assert (delivery.operation, delivery.status) == ("postPipByBsn", OutboxStatus.SENT)
    assert delivery.case == case and delivery.created_by == regisseur
    assert delivery.payload == {
        "dagtekeningPip": "2024-05-01",
        "leerroute": "B",
        "niveau": "B1",
        "geschatteIntensiteitB1Route": 600,
        "indicatorMagOpleidingAfmaken": False,
        "indicatorAlfabetiseringsonderwijs": "NVT",
    }
    sim = simulator.persons[case.person.bsn]
    assert sim.pip is not None and sim.pip["leerroute"] == "B"
    assert sim.termijn is not None and sim.termijn["startdatum"] == "2024-05-02"
    assert DuoCaseState.objects.get(case=case).pip_dagtekening == DAGTEKENING


@pytest.mark.django_db
def test_without_duo_configuration_nothing_is_recorded(
    settings: Any,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.THUIS_DUO_OIN = settings.THUIS_GEMEENTE_OIN = ""
    case = _wi2021_case(municipality, regisseur)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pip = _establish(case, regisseur)
    assert callbacks  # the hook ran
    assert pip.pk and not OutboxMessage.objects.exists() and not DuoSignal.objects.exists()


@pytest.mark.django_db
def test_system_writers_do_not_deliver_by_themselves(
    duo_settings: Any,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The demo seed writes a synthetic history as `systeem:seed`: DUO already knows it."""
    case = _wi2021_case(municipality, regisseur)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _establish(case, "systeem:seed")
        DuoCaseState.objects.create(
            case=case,
            pip_dagtekening=DAGTEKENING,
            termijn_start=date(2024, 5, 2),
            termijn_end=date(2027, 5, 1),
        )
        case_services.completion_record(
            case=case,
            by="systeem:seed",
            component="pvt",
            completed_on=date(2024, 6, 1),
            today=date(2024, 6, 10),
        )
    assert len(callbacks) >= 2
    assert not OutboxMessage.objects.exists() and not DuoSignal.objects.exists()


@pytest.mark.django_db
def test_duo_refusal_becomes_a_signal_and_a_crash_never_reaches_the_regisseur(
    duo_settings: Any,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _wi2021_case(municipality, regisseur)

    def refuse(**kwargs: Any) -> Any:
        raise deliveries.DeliveryRefused(["De dagtekening ligt vóór de vestiging."])

    monkeypatch.setattr(deliveries, "pip_deliver", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _establish(case, regisseur)
    signal = DuoSignal.objects.get(code="LEVERING_GEWEIGERD")
    assert signal.case == case and signal.person == case.person
    assert "De dagtekening ligt vóór de vestiging." in signal.text
    assert not OutboxMessage.objects.exists()

    def crash(**kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(deliveries, "pip_deliver", crash)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.pip_establish(
            case=case,
            by=regisseur,
            dagtekening=date(2024, 5, 6),
            leerroute="B1",
            niveau="B1",
            reason="wijziging",
            today=date(2024, 5, 10),
        )
    assert case.pips.count() == 2  # the regisseur's flow went through


@pytest.mark.django_db
def test_completion_delivers_pvt_date_to_duo(
    simulator: SimulatorState,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _wi2021_case(municipality, regisseur)
    bsn = case.person.bsn
    simulator.add_person(bsn, begindatum=PLICHT_START)
    with django_capture_on_commit_callbacks(execute=True):
        _establish(case, regisseur)
    # DUO's SS102 (termijn gestart) arrives; Thuis reads the termijn.
    services.inbox_process(message_id=_receive(bsn, "SS102").pk)
    assert DuoCaseState.objects.get(case=case).termijn_start == date(2024, 5, 2)

    with django_capture_on_commit_callbacks(execute=True):
        case_services.completion_record(
            case=case,
            by=regisseur,
            component="pvt",
            completed_on=date(2024, 6, 1),
            today=date(2024, 6, 10),
        )
    delivery = OutboxMessage.objects.get(operation="updatePvtByBsn")
    assert delivery.status == OutboxStatus.SENT, delivery.last_error
    assert delivery.payload == {"datumOndertekeningPvt": "2024-06-01"}
    assert simulator.persons[bsn].resultaten["pvt"] == {"datumOndertekeningPvt": "2024-06-01"}

    # A component DUO does not take (taalschakeltraject) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        case_services.completion_record(
            case=case,
            by=regisseur,
            component="taalschakeltraject",
            completed_on=date(2024, 6, 1),
            today=date(2024, 6, 10),
        )
    assert OutboxMessage.objects.count() == 2


@pytest.mark.django_db
def test_completion_before_duo_knows_the_termijn_is_explained(
    duo_settings: Any,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _wi2021_case(municipality, regisseur)
    monkeypatch.setattr(deliveries, "pip_deliver", lambda **kw: None)
    with django_capture_on_commit_callbacks(execute=True):
        _establish(case, regisseur)
        case_services.completion_record(
            case=case,
            by=regisseur,
            component="map",
            completed_on=date(2024, 6, 1),
            today=date(2024, 6, 10),
        )
    signal = DuoSignal.objects.get(code="LEVERING_GEWEIGERD")
    assert "MAP" in signal.title and "niet aan DUO doorgegeven" in signal.title
    assert not OutboxMessage.objects.exists()


# --- 3. termijn extensions reported by DUO ---


@pytest.mark.parametrize(
    ("thuis_end", "duo_end", "months"),
    [
        (date(2027, 5, 1), date(2027, 5, 1), 0),
        (date(2027, 5, 1), date(2027, 11, 1), 6),
        (date(2027, 5, 1), date(2028, 5, 1), 12),
        (date(2027, 1, 31), date(2027, 2, 28), 1),  # end of month clipped, as Thuis adds
        (date(2027, 5, 1), date(2027, 5, 20), None),
        (date(2027, 5, 1), date(2027, 4, 1), None),
    ],
)
def test_extension_months(thuis_end: date, duo_end: date, months: int | None) -> None:
    assert rules.extension_months(thuis_end=thuis_end, duo_end=duo_end) == months


@pytest.mark.django_db(transaction=True)
def test_duo_extension_moves_the_case_dates_end_to_end(
    live_server: Any,
    simulator: SimulatorState,
    municipality: Any,
    regisseur: Any,
) -> None:
    """Simulator on loopback, Thuis as live server: PIP -> SS102 -> DUO extends -> SS104."""
    simulator.thuis_url = live_server.url
    simulator.push_sync = True
    case = _wi2021_case(municipality, regisseur)
    bsn = case.person.bsn
    simulator.add_person(bsn, begindatum=PLICHT_START)
    _establish(case, regisseur)  # a real commit: the hook delivers the PIP, DUO answers SS102
    assert InboxMessage.objects.get(gebeurtenis_id="SS102").status == InboxStatus.PROCESSED
    thuis_end = date_of(case_services.case_dates(case, today=date(2024, 6, 1)), "TERMIJN_EINDE")
    assert thuis_end == date(2027, 5, 1) == DuoCaseState.objects.get(case=case).termijn_end

    out = io.StringIO()
    call_command(
        "duo_simulator",
        "verleng",
        "--bsn",
        bsn,
        "--maanden",
        "6",
        "--simulator-url",
        simulator.base_url.removesuffix("/v1"),  # type: ignore[attr-defined]
        stdout=out,
    )
    assert "termijn verlengd tot 2027-11-01" in out.getvalue()
    assert "Thuis antwoordde 201" in out.getvalue()

    message = InboxMessage.objects.get(gebeurtenis_id="SS104")
    assert message.status == InboxStatus.PROCESSED, message.error
    extension = TermijnExtension.objects.get(case=case)
    assert (extension.months, extension.status, extension.grondcode) == (
        6,
        ExtensionStatus.TOEGEKEND,
        "ZIEK",
    )
    dates = case_services.case_dates(case, today=date(2024, 6, 1))
    assert date_of(dates, "TERMIJN_EINDE") == date(2027, 11, 1)
    assert DuoCaseState.objects.get(case=case).termijn_end == date(2027, 11, 1)
    signal = DuoSignal.objects.get(code="SS104")
    assert "verlenging van 6 maanden vastgelegd" in signal.text
    assert signal.due_date == date(2027, 11, 1)

    # DUO repeats the event: Thuis already has this end date and records nothing new.
    assert simulator.push(bsn=bsn, gebeurtenis_id="SS103") == 201
    assert TermijnExtension.objects.filter(case=case).count() == 1
    assert "Thuis had deze einddatum al." in DuoSignal.objects.get(code="SS103").text


@pytest.mark.django_db
def test_extension_that_does_not_fit_thuis_is_left_to_the_regisseur(
    simulator: SimulatorState,
    municipality: Any,
    regisseur: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _wi2021_case(municipality, regisseur)
    bsn = case.person.bsn
    simulator.add_person(bsn, begindatum=PLICHT_START)
    with django_capture_on_commit_callbacks(execute=True):
        _establish(case, regisseur)
    simulator.persons[bsn].termijn = {"startdatum": "2024-05-02", "einddatum": "2027-05-20"}
    services.inbox_process(message_id=_receive(bsn, "SS103").pk)
    assert not TermijnExtension.objects.exists()
    assert "geen heel aantal maanden" in DuoSignal.objects.get(code="SS103").text


# --- 2. DUO signals where the regisseur works ---


def _signal_case(simulator: SimulatorState, sim_person: Callable[..., str]) -> IntegrationCase:
    bsn = sim_person()
    services.inbox_process(message_id=_receive(bsn, "SS139").pk)
    return IntegrationCase.objects.get(person__bsn=bsn)


@pytest.mark.django_db
def test_case_page_shows_duo_section(
    simulator: SimulatorState,
    sim_person: Callable[..., str],
    login: Callable[[Any], Any],
    regisseur: Any,
) -> None:
    case = _signal_case(simulator, sim_person)
    client = login(regisseur)

    def get() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    page, queries = get()
    assert 'id="kop-duo"' in page
    assert 'data-duo-signal="SS139"' in page and 'data-duo-signal="PERSOONSGEGEVENS"' in page
    assert "12-08-2024" in page  # PIP uiterlijk: 10 weeks after 2024-06-03
    assert reverse("duo:case", args=[case.pk]) in page
    for _ in range(5):  # more signals and deliveries do not add queries
        services.inbox_process(message_id=_receive(case.person.bsn, "SS126").pk)
    services.outbox_enqueue(
        operation="getVerlengingsgronden", description="test", by=regisseur, case=case
    )
    page, more = get()
    assert page.count('data-duo-signal="SS126"') == 5
    assert more <= queries + 1


@pytest.mark.django_db
def test_case_section_is_empty_outside_scope(
    simulator: SimulatorState,
    sim_person: Callable[..., str],
    make_user: Callable[..., Any],
    other_municipality: Any,
) -> None:
    from thuis.duo import selectors

    case = _signal_case(simulator, sim_person)
    stranger = make_user(municipalities=[other_municipality], username="elders")
    beheerder = make_user("beheerder", username="beheer")
    assert selectors.case_section_for_user(user=stranger, case=case) == {}
    assert selectors.case_section_for_user(user=beheerder, case=case) == {}


@pytest.mark.django_db
def test_work_queue_lists_duo_signals(
    simulator: SimulatorState,
    sim_person: Callable[..., str],
    login: Callable[[Any], Any],
    regisseur: Any,
    make_user: Callable[..., Any],
    other_municipality: Any,
) -> None:
    case = _signal_case(simulator, sim_person)  # a new person from DUO: no regisseur yet
    elsewhere = factories.CaseFactory(
        person=factories.PersonFactory(municipality=other_municipality, family_name="Anders")
    )
    DuoSignal.objects.create(
        code="SS126",
        kind="attentiesignaal",
        title="Elders",
        case=elsewhere,
        person=elsewhere.person,
    )
    page = login(regisseur).get(reverse("cases:work-queue")).content.decode()
    assert 'id="kop-duo-signalen"' in page
    assert "SS139" in page and "PERSOONSGEGEVENS" in page and "Elders" not in page
    assert ProcessingRecord.objects.filter(reason="werkvoorraad-duo").exists()

    colleague = make_user(username="collega")
    case_services.case_assign(case=case, by=colleague, regisseur=colleague)
    mine = login(regisseur).get(reverse("cases:work-queue")).content.decode()
    assert "SS139" not in mine  # now a colleague's case
    everything = login(regisseur).get(reverse("cases:work-queue") + "?alles=1").content.decode()
    assert "SS139" in everything
    DuoSignal.objects.update(status=SignalStatus.DONE)
    done = login(regisseur).get(reverse("cases:work-queue") + "?alles=1").content.decode()
    assert "Geen open signalen van DUO." in done


@pytest.mark.django_db
def test_api_case_duo(
    simulator: SimulatorState,
    sim_person: Callable[..., str],
    login: Callable[[Any], Any],
    regisseur: Any,
    make_user: Callable[..., Any],
    other_municipality: Any,
) -> None:
    case = _signal_case(simulator, sim_person)
    services.outbox_enqueue(
        operation="getVerlengingsgronden", description="Verlengingsgronden", by=regisseur, case=case
    )
    url = f"/api/v1/trajecten/{case.pk}/duo/"
    response = login(regisseur).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["state"]["pip_deadline"] == "2024-08-12"
    assert {s["code"] for s in data["signals"]} >= {"SS139", "PERSOONSGEGEVENS"}
    assert data["inbox"][0]["gebeurtenis_id"] == "SS139"
    assert data["inbox"][0]["status"] == InboxStatus.PROCESSED
    assert data["outbox"][0]["description"] == "Verlengingsgronden"
    assert case.person.bsn not in response.content.decode()
    assert ProcessingRecord.objects.filter(reason="api-traject-duo").exists()
    stranger = make_user(municipalities=[other_municipality], username="elders")
    assert login(stranger).get(url).status_code == 404


# --- 4/5. simulator in the demo, the command, the alias ---


@pytest.mark.django_db
def test_demo_person_mirrors_the_thuis_case(
    duo_settings: Any,
    municipality: Any,
    regisseur: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _wi2021_case(municipality, regisseur)
    assert demo_person(case.person.bsn, gemeentecode="0193") is None
    person = demo_person(case.person.bsn, gemeentecode=municipality.code)
    assert person is not None and person.begindatum == PLICHT_START and person.pip is None
    assert person.doelgroep == "Asielstatushouder"
    monkeypatch.setattr(deliveries, "pip_deliver", lambda **kw: None)
    with django_capture_on_commit_callbacks(execute=True):
        _establish(case, regisseur)
    case_services.extension_record(
        case=case, by=regisseur, months=3, status="toegekend", decided_on=date(2024, 6, 1)
    )
    person = demo_person(case.person.bsn, gemeentecode=municipality.code)
    assert person is not None and person.pip == {
        "dagtekeningPip": "2024-05-01",
        "leerroute": "B",
        "niveau": "B1",
    }
    assert person.termijn == {"startdatum": "2024-05-02", "einddatum": "2027-08-01"}


def test_simulator_asks_lookup_for_unknown_persons() -> None:
    known = random_bsn()
    state = SimulatorState(duo_oin=DUO_OIN, gemeente_oin=GEMEENTE_OIN)
    state.lookup = lambda bsn: SimPerson(bsn, PLICHT_START) if bsn == known else None
    server, thread = serve(state, port=0)
    try:
        base = f"http://127.0.0.1:{server.server_port}/v1/personen"
        headers = {"bron": GEMEENTE_OIN, "doel": DUO_OIN}
        found = requests.get(
            f"{base}/{known}/inburgeringsplicht",
            headers={**headers, "berichtId": str(uuid.uuid4())},
            timeout=10,
        )
        assert found.status_code == 200 and found.json()["begindatum"] == "2024-01-10"
        assert known in state.persons
        missing = requests.get(
            f"{base}/{random_bsn()}/inburgeringsplicht",
            headers={**headers, "berichtId": str(uuid.uuid4())},
            timeout=10,
        )
        assert missing.status_code == 404
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.django_db(transaction=True)
def test_push_command_creates_a_case_through_the_running_simulator(
    live_server: Any, simulator: SimulatorState
) -> None:
    simulator.thuis_url = live_server.url
    simulator.push_sync = True
    bsn = random_bsn()
    url = simulator.base_url.removesuffix("/v1")  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command(
        "duo_simulator",
        "push",
        "SS139",
        "--bsn",
        bsn,
        "--begindatum",
        "2024-02-01",
        "--simulator-url",
        url,
        stdout=out,
    )
    assert "notificatie SS139 verstuurd: Thuis antwoordde 201" in out.getvalue()
    assert "aangemaakt" in out.getvalue()
    case = IntegrationCase.objects.get(person=Person.objects.get(bsn=bsn))
    assert case.plicht_start == date(2024, 2, 1)
    assert DuoCaseState.objects.get(case=case).pip_deadline is not None
    # Pushing again for the same person keeps DUO's data (no new person in the simulator).
    out = io.StringIO()
    call_command("duo_simulator", "push", "SS126", "--bsn", bsn, "--simulator-url", url, stdout=out)
    assert "aangemaakt" not in out.getvalue()
    assert simulator.persons[bsn].begindatum == date(2024, 2, 1)


def test_push_command_explains_a_missing_simulator() -> None:
    with pytest.raises(CommandError, match="niet bereikbaar"):
        call_command(
            "duo_simulator",
            "push",
            "SS139",
            "--bsn",
            "111222333",
            "--simulator-url",
            "http://127.0.0.1:9",
        )
    with pytest.raises(CommandError, match="geldig BSN"):
        call_command("duo_simulator", "push", "SS139", "--bsn", "123")


def test_demo_mode_only_in_a_demo(settings: Any) -> None:
    settings.THUIS_DEMO = False
    with pytest.raises(CommandError, match="THUIS_DEMO"):
        call_command("duo_simulator", "--demo", "--port", "0")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("duo-simulator", "duo_simulator"),
        ("duo_simulator", "duo_simulator"),
        ("runserver", "runserver"),
        ("no-such-command", "no-such-command"),
        ("dashed-name", "dashed-name"),  # a command that really has a dash wins
    ],
)
def test_cli_maps_dashes_to_underscores(name: str, expected: str) -> None:
    known = {"duo_simulator": "thuis.duo", "runserver": "django", "dashed-name": "x"}
    assert cli.command_name(name, known) == expected


@pytest.mark.django_db
def test_cli_runs_a_dashed_command(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["duo-inbox"])
    assert "verwerkt=0 wachtend=0" in capsys.readouterr().out

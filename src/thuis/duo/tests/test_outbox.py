"""Deliveries: DUO's rules checked first, then the outbox with retries, backoff, one berichtId."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.duo import services
from thuis.duo.choices import OutboxStatus
from thuis.duo.models import DuoCaseState, DuoSignal, OutboxMessage
from thuis.duo.services.common import case_state
from thuis.tests import factories


@pytest.fixture
def duo_case(simulator: Any, municipality: Any) -> Any:
    """A Wi2021 case whose person DUO knows (plicht since 10 January 2026)."""
    person = factories.PersonFactory(municipality=municipality)
    simulator.add_person(person.bsn, begindatum=date(2026, 1, 10))
    return factories.CaseFactory(person=person, plicht_start=date(2026, 1, 10))


def _pip(case: Any, by: Any, **kw: Any) -> OutboxMessage:
    args = {"dagtekening": date(2026, 3, 15), "leerroute": "B", "alfabetisering": "NVT"}
    args.update(kw)
    return services.pip_deliver(case=case, by=by, **args)


@pytest.mark.django_db
def test_pip_is_checked_in_dutch_before_anything_is_sent(duo_case: Any, regisseur: Any) -> None:
    with pytest.raises(services.DeliveryRefused) as refused:
        _pip(duo_case, regisseur, leerroute="Z", niveau="B1", dagtekening=date(2026, 1, 1))
    assert refused.value.code == "duo_regels"
    problems = refused.value.problems
    assert any("Z-route kan niet met niveau B1" in p for p in problems)
    assert any("vóór de start van de plicht" in p for p in problems)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_pip_delivery_reaches_duo_and_sets_what_duo_knows(
    duo_case: Any, regisseur: Any, simulator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = _pip(duo_case, regisseur, geschatte_intensiteit_b1=600)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT, message.last_error
    assert message.attempts == 1 and message.last_status_code == 201
    sim = simulator.persons[duo_case.person.bsn]
    assert sim.pip["geschatteIntensiteitB1Route"] == 600
    assert sim.termijn == {
        "startdatum": "2026-03-16",
        "einddatum": "2029-03-15",
        "wijzigingsdatum": sim.termijn["wijzigingsdatum"],
    }
    state = DuoCaseState.objects.get(case=duo_case)
    assert state.pip_dagtekening == date(2026, 3, 15)
    shares = ProcessingRecord.objects.filter(object_type="duo_levering", action="share")
    assert shares.count() == 1 and shares.get().result == "success"
    # a second PIP is a change now: dagtekening before the first one is refused by Thuis
    with pytest.raises(services.DeliveryRefused) as exc:
        _pip(duo_case, regisseur, dagtekening=date(2026, 3, 1))
    assert exc.value.code == "duo_regels"


@pytest.mark.django_db
def test_duo_outage_is_retried_with_backoff_and_the_same_bericht_id(
    duo_case: Any, regisseur: Any, simulator: Any, duo_settings: Any
) -> None:
    real_url = duo_settings.THUIS_DUO_BASE_URL
    duo_settings.THUIS_DUO_BASE_URL = "http://127.0.0.1:9/v1"  # DUO down
    message = _pip(duo_case, regisseur)
    start = datetime.now(UTC)
    now = start
    for attempt in range(1, 5):  # DUO stays down for a while (≥ 10 minutes in total)
        now = now + timedelta(minutes=5)
        assert services.outbox_process_due(now=now) == {"pending": 1}
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "niet bereikbaar" in message.last_error
        assert message.next_attempt_at > now
    assert services.outbox_process_due(now=now) == {}  # not due during the backoff
    duo_settings.THUIS_DUO_BASE_URL = real_url  # DUO is back
    assert services.outbox_process_due(now=now + timedelta(hours=1)) == {"sent": 1}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 5
    sent_ids = [bid for op, bid, status in simulator.requests if op == "postPipByBsn"]
    assert sent_ids == [str(message.idempotency_key)]
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_refusal_by_duo_is_final_and_signalled(
    duo_case: Any,
    regisseur: Any,
    simulator: Any,
    make_user: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Thuis thinks this is fine, DUO does not: DUO has a later start of the plicht.
    simulator.persons[duo_case.person.bsn].begindatum = date(2026, 4, 1)
    with django_capture_on_commit_callbacks(execute=True):
        message = _pip(duo_case, regisseur)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_status_code == 403
    assert "vóór de start van de plicht" in message.last_error
    assert DuoSignal.objects.get(code="LEVERING_MISLUKT").case == duo_case
    beheerder = make_user("beheerder", username="beheer")
    services.outbox_retry(message=message, by=beheerder)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0


@pytest.mark.django_db
def test_resultaat_uren_aanbod_contactpersoon_reach_the_simulator(
    duo_case: Any, regisseur: Any, simulator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    bsn = duo_case.person.bsn
    with django_capture_on_commit_callbacks(execute=True):
        _pip(duo_case, regisseur)
    state = case_state(duo_case)
    state.termijn_start, state.termijn_end = date(2026, 3, 16), date(2029, 3, 15)
    state.save()
    today = date(2026, 6, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.resultaat_deliver(
            case=duo_case,
            by=regisseur,
            kind="pvt",
            datum=date(2026, 5, 20),
            verwijtbaar=None,
            today=today,
        )
        services.uren_deliver(case=duo_case, by=regisseur, soort="taallesknm", uren=120)
        services.aanbod_deliver(
            case=duo_case,
            by=regisseur,
            instellingsnummer="0000012345",
            instelling={"indicatieBowKeurmerk": True},
            datum_aanbod=date(2026, 4, 1),
            verwachte_start=date(2026, 5, 1),
            verwachte_eind=date(2027, 5, 1),
            alfabetisering="NVT",
        )
        services.contactpersoon_register(
            by=regisseur,
            naam="Team Inburgering",
            email="inburgering@example.nl",
            telefoonnummer="0529 488 388",
        )
        services.contactpersoon_link(case=duo_case, by=regisseur, contactpersoon_id=1)
        services.lbt_skip(case=duo_case, by=regisseur)
    statuses = dict(OutboxMessage.objects.values_list("operation", "status"))
    assert (
        statuses.pop("deleteExamennummerByBsn") == OutboxStatus.FAILED
    )  # no examennummer yet: 404
    assert set(statuses.values()) == {OutboxStatus.SENT}, OutboxMessage.objects.values_list(
        "operation", "last_error"
    )
    sim = simulator.persons[bsn]
    assert sim.resultaten["pvt"] == {"datumOndertekeningPvt": "2026-05-20"}
    assert sim.uren == {"taallesknm": 120}
    assert "0000012345" in sim.aanbod
    assert (1, bsn) in simulator.contact_links
    with pytest.raises(services.DeliveryRefused) as refused:
        services.resultaat_deliver(
            case=duo_case,
            by=regisseur,
            kind="map",
            datum=date(2026, 7, 1),
            verwijtbaar="Ja",
            today=today,
        )
    assert refused.value.code == "duo_regels"
    assert any("toekomst" in p for p in refused.value.problems)

"""Processing per gebeurtenis (against the simulator), exactly once, and nothing lost on a crash."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.cases.choices import CaseStatus
from thuis.cases.models import IntegrationCase
from thuis.duo import rules, services
from thuis.duo.choices import InboxStatus
from thuis.duo.models import DuoCaseState, DuoSignal, InboxMessage
from thuis.people.models import Person
from thuis.tests import factories

from .conftest import DUO_OIN, GEMEENTE_OIN

MOMENT = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


def receive(
    bsn: str, code: str, *, moment: datetime = MOMENT, bericht_id: str | None = None
) -> InboxMessage:
    """Store a notification as the view does, without running the after-commit processing."""
    message, _created = services.notification_receive(
        bron=DUO_OIN,
        doel=GEMEENTE_OIN,
        bericht_id=bericht_id or str(uuid.uuid4()),
        notification=rules.Notification(moment, code, bsn, None),
        raw_body="{}",
        headers={},
    )
    return message


def process(message: InboxMessage) -> InboxMessage:
    result = services.inbox_process(message_id=message.pk)
    assert result is not None
    return result


@pytest.mark.django_db
def test_ss139_creates_person_and_case_with_pip_deadline(
    simulator: Any, sim_person: Callable[..., str]
) -> None:
    bsn = sim_person(begindatum=date(2026, 2, 10))
    message = process(receive(bsn, "SS139"))
    assert message.status == InboxStatus.PROCESSED, message.error
    person = Person.objects.get(bsn=bsn)
    assert person.municipality.code == "0148"
    case = IntegrationCase.objects.get(person=person)
    assert case.plicht_start == date(2026, 2, 10)
    assert case.status == CaseStatus.AANGEMELD
    assert case.kennisgeving_date == date(2026, 3, 2)
    state = DuoCaseState.objects.get(case=case)
    assert state.pip_deadline == date(2026, 5, 11)  # 2 March 2026 + 10 weeks
    assert state.resources["doelgroep"]["indeling"] == "Asielstatushouder"
    codes = set(DuoSignal.objects.filter(person=person).values_list("code", flat=True))
    assert codes == {"SS139", "PERSOONSGEGEVENS"}
    assert DuoSignal.objects.get(code="SS139").due_date == date(2026, 5, 11)
    reads = ProcessingRecord.objects.filter(object_type__startswith="duo_", action="read")
    assert {r.object_type for r in reads} == {"duo_inburgeringsplicht", "duo_doelgroep"}
    assert {r.processing_activity for r in reads} == {"gegevensuitwisseling-duo"}


@pytest.mark.django_db
def test_second_ss139_does_not_open_a_second_case(
    simulator: Any, sim_person: Callable[..., str]
) -> None:
    bsn = sim_person()
    process(receive(bsn, "SS101"))
    process(receive(bsn, "SS139", moment=MOMENT + timedelta(days=30)))
    case = IntegrationCase.objects.get(person__bsn=bsn)
    assert DuoCaseState.objects.get(case=case).pip_deadline == date(2026, 6, 10)


@pytest.mark.django_db
def test_doelgroep_change_ss124(simulator: Any, sim_person: Callable[..., str]) -> None:
    bsn = sim_person(begindatum=date(2025, 6, 1))
    process(receive(bsn, "SS101"))
    sim = simulator.persons[bsn]
    sim.doelgroep, sim.gedetailleerde_doelgroep = "Gezinsmigrant en overige migrant", "Overig"
    message = process(receive(bsn, "SS124"))
    assert message.status == InboxStatus.PROCESSED, message.error
    case = IntegrationCase.objects.get(person__bsn=bsn)
    periods = list(case.doelgroepen.order_by("start_date"))
    assert [p.doelgroep for p in periods] == ["asielstatushouder", "gezinsmigrant"]
    assert periods[0].end_date is not None


@pytest.mark.django_db
def test_closing_events(simulator: Any, sim_person: Callable[..., str]) -> None:
    bsn = sim_person()
    process(receive(bsn, "SS101"))
    # SS106 (diploma) needs a PIP first: Thuis does not jump the workflow, it asks the regisseur
    message = process(receive(bsn, "SS106"))
    assert message.status == InboxStatus.PROCESSED
    assert IntegrationCase.objects.get(person__bsn=bsn).status == CaseStatus.AANGEMELD
    assert "zelf" in DuoSignal.objects.get(code="SS106").text
    simulator.persons[bsn].plichtig = False
    simulator.persons[bsn].reden_geen_plicht = "Overlijden"
    process(receive(bsn, "SS111"))
    case = IntegrationCase.objects.get(person__bsn=bsn)
    assert case.status == CaseStatus.BEEINDIGD
    assert "Overlijden" in case.status_changes.last().reason


@pytest.mark.django_db
def test_termijn_lbt_exam_and_attention_signals(
    simulator: Any, sim_person: Callable[..., str]
) -> None:
    bsn = sim_person()
    process(receive(bsn, "SS139"))
    sim = simulator.persons[bsn]
    sim.termijn = {"startdatum": "2026-04-02", "einddatum": "2029-04-01"}
    sim.lbt = [
        {
            "resultaat": "B1-route haalbaar",
            "behaaldeScore": "30,00",
            "benodigdeScore": "28,00",
            "datumAfname": "2026-03-20",
        }
    ]
    sim.examens = [
        {"examendatum": "2026-09-01", "resultaat": "Geslaagd", "onderdeel": "LE", "niveau": "B1"}
    ]
    for code in ("SS102", "SS131", "SS199", "SS126"):
        assert process(receive(bsn, code)).status == InboxStatus.PROCESSED
    state = DuoCaseState.objects.get(case__person__bsn=bsn)
    assert (state.termijn_start, state.termijn_end) == (date(2026, 4, 2), date(2029, 4, 1))
    assert "B1-route haalbaar" in DuoSignal.objects.get(code="SS131").text
    assert "Geslaagd" in DuoSignal.objects.get(code="SS199").text
    assert DuoSignal.objects.get(code="SS126").kind == "attentiesignaal"


@pytest.mark.django_db
def test_unknown_code_is_kept_and_shown(simulator: Any, sim_person: Callable[..., str]) -> None:
    bsn = sim_person()
    process(receive(bsn, "SS101"))
    message = process(receive(bsn, "SS999"))
    assert message.status == InboxStatus.UNKNOWN_CODE
    signal = DuoSignal.objects.get(code="SS999")
    assert signal.case is not None and "Onbekende gebeurtenis" in signal.title


@pytest.mark.django_db
def test_not_plichtig_opens_no_case(simulator: Any, sim_person: Callable[..., str]) -> None:
    bsn = sim_person(plichtig=False, reden_geen_plicht="Volledige vrijstelling")
    message = process(receive(bsn, "SS101"))
    assert message.status == InboxStatus.PROCESSED
    assert not IntegrationCase.objects.exists()


@pytest.mark.django_db
def test_person_unknown_at_duo_fails_visibly(simulator: Any, new_bsn: Callable[[], str]) -> None:
    message = process(receive(new_bsn(), "SS139"))
    assert message.status == InboxStatus.FAILED
    assert "DUO kent geen inburgeringsplicht" in message.error
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_processed_once_even_when_scheduled_twice(
    simulator: Any, sim_person: Callable[..., str]
) -> None:
    bsn = sim_person()
    message = receive(bsn, "SS139")
    assert services.inbox_process(message_id=message.pk) is not None
    assert services.inbox_process(message_id=message.pk) is None
    assert services.inbox_process_pending() == 0
    assert IntegrationCase.objects.filter(person__bsn=bsn).count() == 1
    assert DuoSignal.objects.filter(code="SS139").count() == 1


@pytest.mark.django_db
def test_crash_between_receipt_and_processing_loses_nothing(
    simulator: Any, sim_person: Callable[..., str], django_capture_on_commit_callbacks: Any
) -> None:
    """The worker dies after the 201: the after-commit callback never runs."""
    bsn = sim_person()
    with django_capture_on_commit_callbacks(execute=False):  # callbacks dropped = crash
        message = receive(bsn, "SS139")
    assert InboxMessage.objects.get(pk=message.pk).status == InboxStatus.RECEIVED
    assert not IntegrationCase.objects.exists()
    assert services.inbox_process_pending() == 1
    assert InboxMessage.objects.get(pk=message.pk).status == InboxStatus.PROCESSED
    assert IntegrationCase.objects.filter(person__bsn=bsn).count() == 1
    assert services.inbox_process_pending() == 0


@pytest.mark.django_db
def test_crash_during_processing_rolls_back_and_resumes_after_the_lease(
    simulator: Any, sim_person: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bsn = sim_person()
    message = receive(bsn, "SS139")
    from thuis.duo.services import gebeurtenissen

    original = gebeurtenissen.HANDLERS["SS139"]

    def crash(ctx: Any) -> None:
        original.apply(ctx)
        raise SystemExit("worker killed")  # not an Exception: nothing catches it

    monkeypatch.setitem(
        gebeurtenissen.HANDLERS, "SS139", gebeurtenissen.Handler(original.reads, crash, False)
    )
    with pytest.raises(SystemExit):
        services.inbox_process(message_id=message.pk)
    assert not IntegrationCase.objects.exists()  # all changes rolled back
    assert InboxMessage.objects.get(pk=message.pk).status == InboxStatus.PROCESSING
    monkeypatch.setitem(gebeurtenissen.HANDLERS, "SS139", original)
    assert services.inbox_process_pending() == 0  # the lease has not lapsed yet
    later = datetime.now(UTC) + timedelta(minutes=20)
    assert services.inbox_process_pending(now=later) == 1
    assert IntegrationCase.objects.filter(person__bsn=bsn).count() == 1


@pytest.mark.django_db
def test_duo_down_keeps_message_for_a_retry(duo_settings: Any, new_bsn: Callable[[], str]) -> None:
    duo_settings.THUIS_DUO_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens there
    message = process(receive(new_bsn(), "SS139"))
    assert message.status == InboxStatus.RECEIVED
    assert "niet bereikbaar" in message.error
    assert message.attempts == 1
    assert services.inbox_process_pending() == 0  # backoff: not yet due
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert services.inbox_process_pending(now=later) == 1


@pytest.mark.django_db
def test_existing_person_and_reprocess(
    simulator: Any, municipality: Any, make_user: Callable[..., Any]
) -> None:
    person = factories.PersonFactory(municipality=municipality)
    simulator.add_person(person.bsn, begindatum=date(2025, 9, 1))
    message = process(receive(person.bsn, "SS131"))
    assert message.status == InboxStatus.FAILED  # SS131 needs a case
    factories.CaseFactory(person=person, plicht_start=date(2025, 9, 1))
    beheerder = make_user("beheerder", username="beheer")
    services.inbox_reprocess(message=message, by=beheerder)
    assert services.inbox_process_pending() == 1
    assert InboxMessage.objects.get(pk=message.pk).status == InboxStatus.PROCESSED
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_settled_sets_vestiging_and_moves_the_pip_deadline(
    simulator: Any, sim_person: Callable[..., str]
) -> None:
    bsn = sim_person()
    process(receive(bsn, "SS139"))  # kennisgeving 2 March 2026: deadline 11 May
    message = process(receive(bsn, "SS120", moment=MOMENT + timedelta(days=14)))
    assert message.status == InboxStatus.PROCESSED, message.error
    case = IntegrationCase.objects.get(person__bsn=bsn)
    assert case.vestiging_date == date(2026, 3, 16)
    assert DuoCaseState.objects.get(case=case).pip_deadline == date(2026, 5, 25)
    assert "controleer die in de BRP" in DuoSignal.objects.get(code="SS120").text


@pytest.mark.django_db
def test_a_person_of_another_gemeente_is_answered_as_an_unknown_person(
    simulator: Any, sim_person: Callable[..., str], other_municipality: Any
) -> None:
    """Issue 15: the inbox of one gemeente must not reveal that a BSN is known in another one,
    and a message for this gemeente's OIN never reads or changes another gemeente's case."""
    unknown = process(receive(sim_person(), "SS131"))
    elsewhere = factories.PersonFactory(municipality=other_municipality)
    other_case = factories.CaseFactory(person=elsewhere, plicht_start=date(2025, 9, 1))
    simulator.add_person(elsewhere.bsn, begindatum=date(2025, 9, 1))
    known_elsewhere = process(receive(elsewhere.bsn, "SS131"))
    assert known_elsewhere.status == unknown.status == InboxStatus.FAILED
    assert known_elsewhere.error == unknown.error
    assert "kent deze persoon niet" in known_elsewhere.error
    assert known_elsewhere.case_id is None and known_elsewhere.person_id is None
    assert not DuoCaseState.objects.filter(case=other_case).exists()
    assert not DuoSignal.objects.filter(person=elsewhere).exists()

    # A message that opens a case gives this gemeente its own person record, exactly as for a
    # BSN unknown everywhere; the other gemeente's person and case stay as they were.
    fresh = sim_person()
    new_unknown = process(receive(fresh, "SS101"))
    new_elsewhere = process(receive(elsewhere.bsn, "SS101"))
    assert new_elsewhere.status == new_unknown.status
    assert new_elsewhere.error == new_unknown.error
    assert "andere gemeente" not in (new_elsewhere.error or "")
    assert Person.objects.filter(bsn=elsewhere.bsn).count() == 2
    assert new_elsewhere.person_id != elsewhere.pk
    assert IntegrationCase.objects.filter(person=elsewhere).count() == 1

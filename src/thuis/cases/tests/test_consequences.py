"""Services own their consequences: the work queue follows a change at once, on every channel."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from thuis.cases import services
from thuis.cases.models import CaseSignal
from thuis.core.errors import ValidationFailed
from thuis.tests import factories

TODAY = date(2024, 6, 12)


@pytest.fixture
def late_case(municipality: Any, regisseur: Any) -> Any:
    """A Wi2021 case after its brede intake whose PIP is overdue (signal PIP_TE_LAAT open)."""
    case = factories.CaseFactory(
        person=factories.PersonFactory(municipality=municipality),
        regisseur=regisseur,
        plicht_start=date(2024, 1, 10),
        koppeling_date=date(2024, 1, 24),
        vestiging_date=date(2024, 4, 2),
    )
    services.case_set_dates(case=case, by=regisseur, kennisgeving_date=date(2024, 1, 10))
    services.intake_update(case=case, by=regisseur, today=TODAY, started_on=date(2024, 4, 8))
    services.signals_refresh(case=case, today=TODAY)
    assert _open_codes(case) == {"PIP_TE_LAAT"}
    return case


def _open_codes(case: Any) -> set[str]:
    return set(
        CaseSignal.objects.filter(case=case, resolved_on=None).values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_a_pip_through_the_api_clears_the_signal_at_once(
    late_case: Any, regisseur: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(regisseur)
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/trajecten/{late_case.pk}/pip/",
            {"dagtekening": "2024-06-12", "leerroute": "B1", "niveau": "B1"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert "PIP_TE_LAAT" not in _open_codes(late_case)


@pytest.mark.django_db
def test_a_refused_change_changes_no_signal(
    late_case: Any, regisseur: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationFailed, match="toekomst") as refused,
    ):
        services.pip_establish(
            case=late_case,
            by=regisseur,
            dagtekening=date(2024, 6, 13),  # in the future: refused
            leerroute="B1",
            niveau="B1",
            today=TODAY,
        )
    assert refused.value.code == "PIP_IN_TOEKOMST"
    assert callbacks == []
    assert _open_codes(late_case) == {"PIP_TE_LAAT"}


@pytest.mark.django_db
def test_system_writers_leave_the_signals_to_their_bulk_refresh(
    late_case: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        services.pip_establish(
            case=late_case,
            by="systeem:import",
            dagtekening=TODAY,
            leerroute="B1",
            niveau="B1",
            today=TODAY,
        )
    assert _open_codes(late_case) == {"PIP_TE_LAAT"}
    services.signals_refresh(case=late_case, today=TODAY)
    assert "PIP_TE_LAAT" not in _open_codes(late_case)


@pytest.mark.django_db
def test_the_pip_pdf_export_and_the_work_queue_write_their_own_log(
    late_case: Any, regisseur: Any, login: Any
) -> None:
    from thuis.audit.models import ProcessingRecord

    client = login(regisseur)
    assert client.get("/trajecten/werkvoorraad/").status_code == 200
    assert ProcessingRecord.objects.filter(action="read", reason="werkvoorraad").count() == 1
    services.pip_establish(
        case=late_case, by=regisseur, dagtekening=TODAY, leerroute="B1", niveau="B1", today=TODAY
    )
    assert client.get(f"/trajecten/{late_case.pk}/pip/2/pdf/").status_code == 404
    response = client.get(f"/trajecten/{late_case.pk}/pip/1/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (export,) = ProcessingRecord.objects.filter(action="export", object_type="pip")
    assert export.actor_id == regisseur.pk and export.processing_activity == "pip-beschikking"


@pytest.mark.django_db
def test_one_change_refreshes_the_signals_once(
    late_case: Any,
    regisseur: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from thuis.cases import subscribers

    calls: list[int] = []
    original = subscribers.signals_refresh

    def counting(*, case: Any, today: date) -> tuple[int, int]:
        calls.append(case.pk)
        return original(case=case, today=today)

    monkeypatch.setattr(subscribers, "signals_refresh", counting)
    # pip_establish also changes the status (a second logged change in the same transaction)
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        services.pip_establish(
            case=late_case,
            by=regisseur,
            dagtekening=TODAY,
            leerroute="B1",
            niveau="B1",
            today=TODAY,
        )
    assert calls == [late_case.pk]

"""The whole chain over loopback HTTP: DUO simulator <-> Thuis (live server), no mocks.

The simulator pushes SS139 for a person Thuis has never seen; Thuis answers 201, reads DUO
and opens a case with the right PIP deadline. Thuis then delivers a PIP; DUO sets the termijn
and notifies SS102; Thuis reads the termijn back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

import pytest
import requests
from dateutil.relativedelta import relativedelta

from thuis.cases.models import IntegrationCase
from thuis.duo import services
from thuis.duo.choices import InboxStatus, OutboxStatus
from thuis.duo.models import DuoCaseState, InboxMessage, OutboxMessage
from thuis.people.models import Person


@pytest.mark.django_db(transaction=True)
def test_ss139_to_case_then_pip_to_termijn(
    live_server: Any,
    simulator: Any,
    sim_person: Callable[..., str],
    make_user: Callable[..., Any],
) -> None:
    simulator.thuis_url = live_server.url
    simulator.push_sync = True  # one request at a time on the shared test database
    bsn = sim_person(begindatum=timezone.localdate() - timedelta(days=20))

    answer = requests.post(
        f"{simulator.base_url.removesuffix('/v1')}/_simulator/notificaties",
        json={"bsn": bsn, "gebeurtenisId": "SS139"},
        timeout=30,
    )
    assert answer.json() == {"thuis_status": 201}

    message = InboxMessage.objects.get(gebeurtenis_id="SS139")
    assert message.status == InboxStatus.PROCESSED, message.error
    person = Person.objects.get(bsn=bsn)
    case = IntegrationCase.objects.get(person=person)
    kennisgeving = timezone.localtime(message.registratie_datum_tijd).date()
    assert case.kennisgeving_date == kennisgeving
    assert DuoCaseState.objects.get(case=case).pip_deadline == kennisgeving + timedelta(weeks=10)

    regisseur = make_user(username="regisseur-e2e")
    dagtekening = timezone.localdate()
    services.pip_deliver(case=case, by=regisseur, dagtekening=dagtekening, leerroute="B")

    delivery = OutboxMessage.objects.get(operation="postPipByBsn")
    assert delivery.status == OutboxStatus.SENT, delivery.last_error
    termijn = InboxMessage.objects.get(gebeurtenis_id="SS102")
    assert termijn.status == InboxStatus.PROCESSED, termijn.error
    state = DuoCaseState.objects.get(case=case)
    assert state.pip_dagtekening == dagtekening
    assert state.termijn_start == dagtekening + timedelta(days=1)
    assert state.termijn_end == dagtekening + relativedelta(years=3)
    assert simulator.pushed == [("SS139", 201), ("SS102", 201)]

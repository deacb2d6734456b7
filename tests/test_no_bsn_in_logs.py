"""SECURITY.md G4: after a realistic workload, no BSN is in the processing log or the app logs."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection

import pytest

from thuis.accounts.choices import Role
from thuis.audit.models import ProcessingRecord
from thuis.core.bsn import find_bsns
from thuis.core.logging import CaptureHandler
from thuis.tests import factories
from thuis.tests.fixtures import verified_client


@pytest.mark.django_db
def test_workload_leaves_no_bsn_in_logs(municipality: Any) -> None:
    user = factories.UserFactory(
        username="r-scan", role=Role.REGISSEUR, municipalities=[municipality]
    )
    officer = factories.UserFactory(
        username="f-scan", role=Role.BEHEERDER, municipalities=[municipality]
    )
    persons = [
        factories.CaseFactory(person=factories.PersonFactory(municipality=municipality)).person
        for _ in range(5)
    ]
    client = verified_client(user)
    for person in persons:
        client.get(person.get_absolute_url())
        client.post("/personen/", {"bsn": person.bsn})
        client.post(
            "/api/v1/personen/zoeken/", {"bsn": person.bsn}, content_type="application/json"
        )
    client.post("/personen/", {"naam": "a"})
    client.get("/personen/")
    client.get("/api/v1/personen/")
    client.get("/api/v1/trajecten/")
    verified_client(officer).post("/verwerkingen/", {"bsn": persons[0].bsn})
    # Application code that logs a BSN by mistake is redacted by the filter.
    logging.getLogger("thuis.test").warning("lookup for %s", persons[0].bsn)

    assert ProcessingRecord.objects.count() >= 15
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_processingrecord")
        dump = "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())
    assert find_bsns(dump) == []
    assert [line for line in CaptureHandler.lines if find_bsns(line)] == []
    assert any("[BSN]" in line for line in CaptureHandler.lines)

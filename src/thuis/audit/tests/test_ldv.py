"""End time and status of a processing (Logboek Dataverwerkingen; issue 15 item 7)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

import pytest

from thuis.accounts.choices import Role
from thuis.audit import events
from thuis.audit.middleware import TraceMiddleware
from thuis.audit.models import ProcessingRecord, Result, Status
from thuis.tests import factories


@pytest.mark.django_db
def test_a_request_writes_its_records_at_the_end_with_the_status_of_the_response(
    person: Any, regisseur: Any
) -> None:
    seen: list[int] = []

    def view(status: int) -> Any:
        def get_response(request: HttpRequest) -> HttpResponse:
            events.persons_read(user=regisseur, persons=[person], view="test")
            seen.append(ProcessingRecord.objects.count())  # not written yet
            return HttpResponse(status=status)

        return get_response

    for status in (200, 302, 403, 500):
        TraceMiddleware(view(status))(RequestFactory().get("/"))
    assert seen == [0, 1, 2, 3]
    rows = list(ProcessingRecord.objects.order_by("id"))
    assert [r.status for r in rows] == [Status.OK, Status.OK, Status.ERROR, Status.ERROR]
    for row in rows:
        assert row.ended_at is not None and row.ended_at >= row.occurred_at


@pytest.mark.django_db
def test_page_reads_and_denied_reads_carry_end_and_status(
    login: Any, regisseur: Any, person: Any, other_municipality: Any
) -> None:
    client = login(regisseur)
    assert client.get(person.get_absolute_url()).status_code == 200
    read = ProcessingRecord.objects.filter(actor_id=regisseur.pk).order_by("-id").first()
    assert read is not None and read.status == Status.OK and read.ended_at is not None
    away = factories.PersonFactory(municipality=other_municipality)
    assert client.get(away.get_absolute_url()).status_code == 404
    denied = ProcessingRecord.objects.get(actor_id=regisseur.pk, result=Result.DENIED)
    assert denied.status == Status.ERROR and denied.ended_at is not None


@pytest.mark.django_db
def test_outside_a_request_a_record_is_written_at_once(person: Any, make_user: Any) -> None:
    user = make_user(Role.REGISSEUR, username="los")
    events.persons_read(user=user, persons=[person])
    events.access_denied(user=user, object_type="person", object_id=person.pk)
    ok, denied = ProcessingRecord.objects.order_by("id")
    assert (ok.status, denied.status) == (Status.OK, Status.ERROR)
    assert ok.ended_at == ok.occurred_at

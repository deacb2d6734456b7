from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.utils import DatabaseError

import pytest

from thuis.audit import events
from thuis.audit.models import Action, ProcessingRecord
from thuis.tests import factories


@pytest.mark.django_db
def test_one_record_per_data_subject_without_bsn(municipality: Any, regisseur: Any) -> None:
    persons = factories.PersonFactory.create_batch(3, municipality=municipality)
    events.persons_read(user=regisseur, persons=persons, view="test")
    rows = list(ProcessingRecord.objects.filter(actor_id=regisseur.pk))
    assert len(rows) == 3
    assert {r.data_subject_id for r in rows} == {events.subject_id(p.bsn) for p in persons}
    for row in rows:
        assert row.action == Action.READ
        assert row.trace_id and row.span_id and row.origin
        assert all(p.bsn not in str(vars(row)) for p in persons)


@pytest.mark.django_db
def test_model_layer_is_append_only(regisseur: Any, person: Any) -> None:
    events.persons_read(user=regisseur, persons=[person])
    record = ProcessingRecord.objects.first()
    assert record is not None
    record.reason = "changed"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        ProcessingRecord.objects.all().update(reason="x")
    with pytest.raises(PermissionError):
        ProcessingRecord.objects.all().delete()


@pytest.mark.django_db
def test_database_refuses_update_and_delete(regisseur: Any, person: Any) -> None:
    """The trigger blocks raw SQL too (PostgreSQL; SQLite test databases drop the trigger)."""
    if connection.vendor != "postgresql":
        pytest.skip("The trigger is verified on PostgreSQL (CI).")
    events.persons_read(user=regisseur, persons=[person])
    for sql in (
        "UPDATE audit_processingrecord SET reason = 'x'",
        "DELETE FROM audit_processingrecord",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL thuis.allow_audit_purge = 'off'")
            cursor.execute(sql)
    assert ProcessingRecord.objects.count() == 1


@pytest.mark.django_db
def test_reads_are_logged_by_the_person_page(login: Any, regisseur: Any, person: Any) -> None:
    client = login(regisseur)
    before = ProcessingRecord.objects.count()
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    rows = ProcessingRecord.objects.order_by("-id")[: ProcessingRecord.objects.count() - before]
    assert any(r.data_subject_id == events.subject_id(person.bsn) for r in rows)
    assert response["X-Trace-Id"] in {r.trace_id for r in rows}


@pytest.mark.django_db
def test_denied_read_is_logged(login: Any, make_user: Any, other_municipality: Any) -> None:
    from thuis.accounts.choices import Role

    stranger = make_user(Role.REGISSEUR, municipalities=[other_municipality], username="vreemd")
    target = factories.PersonFactory(municipality=factories.MunicipalityFactory(code="0148"))
    response = login(stranger).get(target.get_absolute_url())
    assert response.status_code == 404
    assert ProcessingRecord.objects.filter(actor_id=stranger.pk, result="denied").exists()


@pytest.mark.django_db
def test_privacy_officer_lists_per_person_and_user(
    login: Any, make_user: Any, regisseur: Any, person: Any
) -> None:
    from thuis.accounts.choices import Role

    events.persons_read(user=regisseur, persons=[person])
    officer = make_user(Role.BEHEERDER, username="privacy")
    client = login(officer)
    by_user = client.get("/verwerkingen/", {"gebruiker": "regisseur"})
    assert by_user.status_code == 200
    assert "regisseur" in by_user.content.decode()
    posted = client.post("/verwerkingen/", {"bsn": person.bsn})
    assert posted.status_code == 302
    assert person.bsn not in posted["Location"]
    by_person = client.get(posted["Location"])
    assert by_person.context["page"].paginator.count >= 1
    assert person.bsn not in by_person.content.decode()

"""The hash chain of the processing log and `thuis verwerkingen controleer` (issue 15 item 7)."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.management import call_command
from django.db import connection

import pytest

from thuis.audit import chain, events
from thuis.audit.models import ProcessingRecord
from thuis.tests import factories


def _tamper(sql: str, params: list[Any]) -> None:
    """Change the table behind the model's and the trigger's back, as an attacker with database
    access would (SQLite test databases have no trigger; on PostgreSQL the test transaction
    switches it off and rolls that back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_processingrecord DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_processingrecord ENABLE TRIGGER USER")


def _check() -> tuple[int, str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verwerkingen", "controleer", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def logged(municipality: Any, regisseur: Any) -> list[ProcessingRecord]:
    persons = factories.PersonFactory.create_batch(3, municipality=municipality)
    events.persons_read(user=regisseur, persons=persons, view="test")
    events.person_changed(
        user=regisseur,
        person=persons[0],
        action="update",
        object_type="person",
        object_id=persons[0].pk,
        changes={"family_name": {"oud": "A", "nieuw": "B"}, "n": {"oud": 1, "nieuw": 2.5}},
    )
    events.access_denied(user=regisseur, object_type="person", object_id=persons[1].pk)
    return list(ProcessingRecord.objects.order_by("id"))


@pytest.mark.django_db
def test_each_record_links_to_the_one_before(logged: list[ProcessingRecord]) -> None:
    assert len(logged) == 5
    assert logged[0].prev_hash == ""
    for before, record in itertools.pairwise(logged):
        assert record.prev_hash == before.record_hash
    assert all(len(r.record_hash) == 64 for r in logged)
    assert len({r.record_hash for r in logged}) == 5
    assert chain.verify(ProcessingRecord) == chain.Verdict(count=5)
    code, out, _err = _check()
    assert code == 0
    assert "in orde: 5 verwerkingen" in out


@pytest.mark.django_db
def test_the_hash_needs_the_key(logged: list[ProcessingRecord]) -> None:
    first = logged[0]
    assert chain.record_hash(first, "") == first.record_hash
    assert (
        chain.record_hash(first, "", key="another-key-of-at-least-32-chars!") != first.record_hash
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [("reason", "anders"), ("actor_label", "iemand"), ("status", "OK"), ("changes", None)],
)
def test_a_changed_record_is_found(logged: list[ProcessingRecord], column: str, value: Any) -> None:
    target = logged[3]  # the change, with a reason "" and changes
    sql = f"UPDATE audit_processingrecord SET {column} = %s WHERE id = %s"  # noqa: S608 - fixed names
    _tamper(sql, [value, target.pk])
    if column == "status":  # the denied read has status ERROR
        target = logged[4]
        _tamper("UPDATE audit_processingrecord SET status = 'OK' WHERE id = %s", [target.pk])
    assert chain.verify(ProcessingRecord).broken_id == target.pk
    code, _out, err = _check()
    assert code == 1
    assert f"gebroken bij verwerking {target.pk}" in err


@pytest.mark.django_db
def test_a_deleted_record_is_found(logged: list[ProcessingRecord]) -> None:
    _tamper("DELETE FROM audit_processingrecord WHERE id = %s", [logged[1].pk])
    assert chain.verify(ProcessingRecord).broken_id == logged[2].pk
    assert _check()[0] == 1


@pytest.mark.django_db
def test_a_rehashed_record_without_its_successor_is_found(logged: list[ProcessingRecord]) -> None:
    """Who recomputes one record's hash (knowing the key) still breaks the next link."""
    target = logged[1]
    target.reason = "anders"
    fresh = chain.record_hash(target, target.prev_hash)
    _tamper(
        "UPDATE audit_processingrecord SET reason = %s, record_hash = %s WHERE id = %s",
        ["anders", fresh, target.pk],
    )
    assert chain.verify(ProcessingRecord).broken_id == logged[2].pk


@pytest.mark.django_db
def test_records_of_a_request_continue_the_chain(
    logged: list[ProcessingRecord], login: Any, regisseur: Any
) -> None:
    person = factories.PersonFactory(municipality=regisseur.municipalities.first())
    assert login(regisseur).get(person.get_absolute_url()).status_code == 200
    assert ProcessingRecord.objects.count() > len(logged)
    assert chain.verify(ProcessingRecord, batch=2).intact


@pytest.mark.django_db
def test_every_way_of_inserting_joins_the_chain(logged: list[ProcessingRecord]) -> None:
    fields = {
        "occurred_at": logged[0].occurred_at,
        "trace_id": "t" * 32,
        "span_id": "s" * 16,
        "actor_label": "systeem",
        "action": "read",
        "object_type": "person",
        "object_id": "1",
        "processing_activity": "test",
        "result": "success",
        "origin": "test",
    }
    ProcessingRecord.objects.create(**fields)
    ProcessingRecord(**fields).save()
    ProcessingRecord.objects.bulk_create([ProcessingRecord(**fields), ProcessingRecord(**fields)])
    assert chain.verify(ProcessingRecord) == chain.Verdict(count=len(logged) + 4)

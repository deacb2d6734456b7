"""The fact rebuild's paths agree: set-based (PostgreSQL), parallel, and the portable one.

The reference is the pure-Python rules over the source rows (`facts.rebuild_municipality`, the
portable path); the set-based path computes coverage in SQL and the legal dates in a second
thread that reads the same snapshot.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

import pytest

from thuis.cases.models import IntegrationCase
from thuis.monitoring import facts, selectors, services
from thuis.monitoring.models import FactRebuild, PersonFact, SpellFact
from thuis.partners import services as partner_services
from thuis.people.models import Municipality
from thuis.tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based rebuild needs PostgreSQL"
)

# (plicht start, spell start, spell end): edge dates of the month arithmetic and the boundaries
# (a spell ending exactly on the measuring date counts; one day earlier does not).
EDGES = [
    (date(2021, 8, 31), date(2021, 1, 1), date(2022, 2, 28)),  # +6 months clips to 28 Feb
    (date(2020, 2, 29), date(2020, 1, 1), date(2021, 2, 28)),  # 29 Feb + 12 months = 28 Feb
    (date(2021, 12, 31), date(2022, 6, 30), date(2022, 6, 30)),  # one-day spell on the date
    (date(2022, 1, 1), date(2022, 7, 1), None),  # the Wi2021 switch date, open spell
    (date(2023, 4, 12), date(2023, 1, 1), date(2023, 10, 11)),  # ends the day before +6m
]


def _dataset(municipality: Municipality, other: Municipality) -> None:
    for i, (plicht, start, end) in enumerate(EDGES):
        person = factories.PersonFactory(municipality=municipality, birth_date=date(1990, 5, 5))
        factories.CaseFactory(person=person, plicht_start=plicht)
        case = IntegrationCase.objects.get(person=person)
        case.vestiging_date = plicht if i % 2 else None
        case.save(update_fields=["vestiging_date"])
        for kind in ("werk", "bijstand", "stage" if i % 2 else "vrijwilligerswerk"):
            partner_services.spell_create(
                by="test", person=person, kind=kind, start_date=start, end_date=end
            )
    # A person who moved: the case stays in `other`, the person lives in `municipality`.
    moved = factories.PersonFactory(municipality=other, birth_date=date(1980, 1, 1))
    factories.CaseFactory(person=moved, plicht_start=date(2021, 3, 31))
    type(moved).objects.filter(pk=moved.pk).update(municipality=municipality)
    partner_services.spell_create(
        by="test", person=moved, kind="werk", start_date=date(2021, 1, 1), end_date=None
    )
    resident = factories.PersonFactory(municipality=other, birth_date=date(1970, 1, 1))
    factories.CaseFactory(person=resident, plicht_start=date(2019, 10, 31))
    partner_services.spell_create(
        by="test", person=resident, kind="werk", start_date=date(2020, 4, 30), end_date=None
    )


def _facts() -> list[dict]:
    return list(PersonFact.objects.order_by("case_id").values("case_id", *selectors.FACT_FIELDS))


def _spells() -> list[tuple]:
    return sorted(
        SpellFact.objects.values_list("municipality_id", "person_id", "kind", "start", "end")
    )


def _portable() -> tuple[list[dict], list[tuple]]:
    from django.db import transaction
    from django.utils import timezone

    for m in Municipality.objects.all():
        with transaction.atomic():
            facts.rebuild_municipality(m, now=timezone.now())
    return _facts(), _spells()


@pytest.mark.django_db
def test_rebuild_of_all_equals_the_portable_reference(municipality, other_municipality) -> None:
    _dataset(municipality, other_municipality)
    expected = _portable()
    totals = services.facts_rebuild(snapshots=False)
    assert (_facts(), _spells()) == expected
    assert totals["personen"] == len(EDGES) + 2
    counts = dict(FactRebuild.objects.values_list("municipality_id", "persons"))
    assert counts[municipality.pk] == len(EDGES) and counts[other_municipality.pk] == 2
    werk = {f["case_id"]: f["covered_months"].get("WERK", []) for f in expected[0]}
    assert sorted(len(v) for v in werk.values()) != [0] * len(werk)  # the dataset covers months


@pytest.mark.django_db
def test_rebuild_of_one_municipality_leaves_the_others(municipality, other_municipality) -> None:
    _dataset(municipality, other_municipality)
    services.facts_rebuild(snapshots=False)
    before = [f for f in _facts() if f["case_id"] in _case_ids(other_municipality)]
    IntegrationCase.objects.filter(municipality=other_municipality).update(
        vestiging_date=date(2024, 1, 1)
    )
    services.facts_rebuild(municipality=municipality, snapshots=False)
    after = [f for f in _facts() if f["case_id"] in _case_ids(other_municipality)]
    assert before == after


def _case_ids(m: Municipality) -> set[int]:
    return set(IntegrationCase.objects.filter(municipality=m).values_list("id", flat=True))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_rebuild_reads_the_same_snapshot(municipality, other_municipality, settings):
    """The second thread sees committed data through the exported snapshot: same facts."""
    _dataset(municipality, other_municipality)
    expected = _portable()
    settings.THUIS_FACTS_PARALLEL = True
    services.facts_rebuild(snapshots=False)
    assert (_facts(), _spells()) == expected


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_rebuild_failure_changes_nothing(
    municipality, other_municipality, settings, monkeypatch
):
    _dataset(municipality, other_municipality)
    settings.THUIS_FACTS_PARALLEL = True
    services.facts_rebuild(snapshots=False)
    before = (_facts(), _spells())

    def broken(*_args, **_kwargs):
        raise RuntimeError("worker failed")

    monkeypatch.setattr(facts, "_legal_facts", broken)
    with pytest.raises(RuntimeError, match="worker failed"):
        services.facts_rebuild(snapshots=False)
    assert (_facts(), _spells()) == before


@postgres_only
@pytest.mark.django_db
def test_complete_rebuild_swaps_tables_with_djangos_index_names(
    municipality, other_municipality
) -> None:
    """A rebuild of all gemeenten builds new tables and swaps them in: same indexes and key
    names as the migrations made, no table left behind, and it can run again."""

    def shape(model) -> dict[str, tuple]:
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, model._meta.db_table)
        return {
            name: (tuple(c["columns"]), c["primary_key"], c["unique"], c["index"])
            for name, c in found.items()
            if c["index"] or c["primary_key"] or c["unique"]
        }

    _dataset(municipality, other_municipality)
    before = {m: shape(m) for m in (PersonFact, SpellFact)}
    assert any(c[1] for c in before[SpellFact].values())  # the primary key is there
    expected = _portable()
    for _ in range(2):
        services.facts_rebuild(snapshots=False)
        assert (_facts(), _spells()) == expected
        assert {m: shape(m) for m in (PersonFact, SpellFact)} == before
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert not [t for t in tables if t.endswith("__new")]


@postgres_only
@pytest.mark.django_db
def test_complete_rebuild_keeps_privileges_granted_on_the_fact_tables(
    municipality, other_municipality
) -> None:
    """A reporting role that may read the facts still may after the tables are swapped."""
    import uuid

    role = f"thuis_test_reader_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'GRANT SELECT ON monitoring_personfact TO "{role}"')
        _dataset(municipality, other_municipality)
        services.facts_rebuild(snapshots=False)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT has_table_privilege(%s, 'monitoring_personfact', 'SELECT'), "
                "has_table_privilege(%s, 'monitoring_spellfact', 'SELECT')",
                [role, role],
            )
            assert cursor.fetchone() == (True, False)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'REVOKE ALL ON monitoring_personfact FROM "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_rebuild_inside_an_outer_transaction(municipality, other_municipality, settings):
    """Inside an outer transaction (as `thuis seed` runs it) the rebuild cannot export a snapshot
    (PostgreSQL: not from a subtransaction) and a second connection could not see the outer
    transaction's own writes: it falls back to one thread and gives the same facts."""
    from django.db import transaction

    _dataset(municipality, other_municipality)
    settings.THUIS_FACTS_PARALLEL = True
    with transaction.atomic():
        # Written in the outer transaction, not yet committed: the rebuild must see it.
        late = factories.PersonFactory(municipality=municipality, birth_date=date(1995, 1, 1))
        factories.CaseFactory(person=late, plicht_start=date(2022, 3, 1))
        services.facts_rebuild(snapshots=False)
        rebuilt = (_facts(), _spells())
        assert late.pk in set(PersonFact.objects.values_list("person_id", flat=True))
        expected = _portable()
        assert rebuilt == expected
    assert (_facts(), _spells()) == expected
    assert len(expected[0]) == len(EDGES) + 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_path_is_used_only_where_a_snapshot_can_be_exported(
    municipality, other_municipality, settings, monkeypatch
):
    from django.db import transaction
    from django.utils import timezone

    _dataset(municipality, other_municipality)
    settings.THUIS_FACTS_PARALLEL = True
    started: list[bool] = []
    real = facts._Worker.start
    monkeypatch.setattr(facts._Worker, "start", lambda self: started.append(True) or real(self))
    services.facts_rebuild(snapshots=False)
    assert started == [True]  # the rebuild's own transaction: in parallel
    with transaction.atomic():
        services.facts_rebuild(snapshots=False)
    with transaction.atomic(), transaction.atomic(savepoint=False):
        services.facts_rebuild(snapshots=False)
    assert started == [True]
    # The rebuild's transaction is the outermost, but it has written already: one thread too.
    with transaction.atomic():
        late = factories.PersonFactory(municipality=municipality, birth_date=date(1995, 1, 1))
        factories.CaseFactory(person=late, plicht_start=date(2022, 3, 1))
        facts.rebuild_set_based(list(Municipality.objects.all()), now=timezone.now())
        assert PersonFact.objects.filter(person_id=late.pk).exists()
    assert started == [True]

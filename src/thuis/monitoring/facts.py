"""Fact extraction: read cases, exams and spells once per rebuild and write fact rows.

This is the only module of the monitoring app that reads case tables; it runs in a job
(`services.facts_rebuild`), never at page time. It reads with `.values()` per table (a fixed
number of queries per rebuild, whatever the number of cases).

Two paths, same result (tests compare them with a pure-Python reference):

- PostgreSQL (`set_based()`): all requested municipalities in one pass. The spells are copied
  with one `INSERT ... SELECT`, the spell coverage (WERK and BIJSTAND at plicht start + N
  months, participation at vestiging + 6 months) is computed set-based in SQL, Python computes
  only the legal dates per case (`cases.rules`), and the fact rows are written with `COPY`.
  With `THUIS_FACTS_PARALLEL` the legal dates and the coverage are computed in a second thread
  on its own connection that imports the rebuild transaction's snapshot (`pg_export_snapshot`),
  so it reads exactly the same data while PostgreSQL copies the spells in the first. Inside an
  outer transaction (`thuis seed`, a test) no snapshot can be exported and the outer writes
  would be invisible to the second connection: the rebuild then stays in one thread.
- Other databases (SQLite): per municipality, the spells are read into Python and the coverage
  is computed with `rules.covered_months`; facts are written with `bulk_create`.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, QuerySet

from thuis.cases import rules as case_rules
from thuis.cases.models import DoelgroepPeriod, ExamResult, IntegrationCase, Pip, TermijnExtension
from thuis.partners import selectors as partner_selectors
from thuis.people.models import Municipality

from . import rules
from .models import PersonFact, SpellFact

BATCH = 5000


def _case_facts(
    case: Mapping[str, Any], related: Mapping[str, dict[int, list[Any]]]
) -> case_rules.CaseFacts:
    """The law's facts of one case from the rows read per table (`cases.rules.facts_of_case`,
    the same builder the case page uses)."""
    case_id = case["id"]
    return case_rules.facts_of_case(
        plicht_start=case["plicht_start"],
        kennisgeving=case["kennisgeving_date"],
        vestiging=case["vestiging_date"],
        third_party_info_received=case["third_party_info_received"],
        periods=[
            case_rules.PeriodFact(
                p["doelgroep"], p["gedetailleerde_doelgroep"], p["start_date"], p["end_date"]
            )
            for p in related["periods"].get(case_id, ())
        ],
        pips=[
            case_rules.PipFact(p["version"], p["dagtekening"], p["leerroute"], p["niveau"])
            for p in related["pips"].get(case_id, ())
        ],
        extensions=[
            case_rules.ExtensionFact(e["decided_on"], e["months"], e["alfabetisering"])
            for e in related["extensions"].get(case_id, ())
        ],
    )


Coverage = tuple[dict[str, list[int]], bool | None]


def _group(rows: Any, key: str = "case_id") -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def set_based() -> bool:
    """The set-based path needs PostgreSQL (month arithmetic that clips, `COPY`)."""
    return connection.vendor == "postgresql" and bool(
        getattr(settings, "THUIS_FACTS_SET_BASED", True)
    )


# --- Legal facts per case (Python, cases.rules) ---

CASE_FIELDS = (
    "id",
    "municipality_id",
    "person_id",
    "regime",
    "plicht_start",
    "koppeling_date",
    "vestiging_date",
    "kennisgeving_date",
    "third_party_info_received",
    "plicht_end_date",
    "plicht_end_reason",
    "person__sex",
    "person__birth_date",
    "person__country_of_birth",
    "intake__started_on",
)


def _legal_inputs(ids: list[int]) -> tuple[list[dict[str, Any]], dict[str, dict[int, list[Any]]]]:
    """Cases and their doelgroep periods, PIPs, exams and granted extensions (one query each)."""
    where = {"case__municipality_id__in": ids}
    related = {
        "periods": _group(
            DoelgroepPeriod.objects.filter(**where).values(
                "case_id", "doelgroep", "gedetailleerde_doelgroep", "start_date", "end_date"
            )
        ),
        "pips": _group(
            Pip.objects.filter(**where).values(
                "case_id", "version", "dagtekening", "leerroute", "niveau"
            )
        ),
        "exams": _group(
            ExamResult.objects.filter(**where).values(
                "case_id", "component", "level", "exam_date", "result"
            )
        ),
        "extensions": _group(
            TermijnExtension.objects.filter(status="toegekend", **where).values(
                "case_id", "months", "decided_on", "alfabetisering"
            )
        ),
    }
    cases = IntegrationCase.objects.filter(municipality_id__in=ids).values(*CASE_FIELDS)
    return list(cases), related


def _fact_row(
    case: Mapping[str, Any],
    related: Mapping[str, dict[int, list[Any]]],
    *,
    code: str,
    now: datetime,
    spells: Iterable[rules.Spell] = (),
    coverage: Coverage | None = None,
) -> dict[str, Any]:
    """The PersonFact column values of one case (`rules.build_fact` with the legal dates)."""
    case_id = case["id"]
    case_pips = sorted(related["pips"].get(case_id, ()), key=lambda p: p["version"])
    facts = _case_facts(case, related)
    fact = rules.build_fact(
        municipality=code,
        doelgroep=str(facts.doelgroep or ""),  # always set for a case (facts_of_case)
        sex=case["person__sex"],
        birth_date=case["person__birth_date"],
        country_of_birth=case["person__country_of_birth"],
        plicht_start=case["plicht_start"],
        spells=tuple(spells),
        coverage=coverage,
        exams=[
            rules.ExamInput(
                component=e["component"],
                level=e["level"],
                exam_date=e["exam_date"],
                result=e["result"],
            )
            for e in related["exams"].get(case_id, ())
        ],
        koppeling_date=case["koppeling_date"],
        vestiging_date=case["vestiging_date"],
        intake_start=case["intake__started_on"],
        first_pip_date=facts.pip_dagtekening,
        pip_deadline=case_rules.pip_deadline_of(facts).value,
        leerroute=case_pips[-1]["leerroute"] if case_pips else "",
        leerroute_date=case_pips[-1]["dagtekening"] if case_pips else None,
        termijn_end=case_rules.termijn_end_of(facts).value,
        plicht_end_date=case["plicht_end_date"],
        plicht_end_reason=case["plicht_end_reason"] or "",
        regime=case["regime"],
    )
    values = {k: v for k, v in fact.__dict__.items() if k != "municipality"}
    return {
        "municipality_id": case["municipality_id"],
        "case_id": case_id,
        "person_id": case["person_id"],
        "rebuilt_at": now,
        **values,
    }


def _legal_facts(ids: list[int], codes: Mapping[int, str], now: datetime) -> list[dict[str, Any]]:
    """Fact rows of every case of the municipalities, without spell coverage (filled later)."""
    cases, related = _legal_inputs(ids)
    empty: Coverage = ({}, None)
    return [
        _fact_row(case, related, code=codes[case["municipality_id"]], now=now, coverage=empty)
        for case in cases
    ]


# --- Portable path (any database): per municipality, coverage in Python ---


def _spells_python(source: QuerySet[Any]) -> dict[int, list[rules.Spell]]:
    spells: dict[int, list[rules.Spell]] = defaultdict(list)
    relevant = [k.lower() for k in (*rules.SPELL_KINDS, *rules.PARTICIPATION_KINDS)]
    for person_id, kind, start, end in (
        source.filter(kind__in=relevant)
        .values_list("person_id", "kind", "start_date", "end_date")
        .iterator(chunk_size=BATCH)
    ):
        spells[person_id].append(rules.Spell(kind=kind.upper(), start=start, end=end))
    return spells


def _bulk_person_facts(rows: Iterable[dict[str, Any]]) -> int:
    batch: list[PersonFact] = []
    count = 0
    for row in rows:
        batch.append(PersonFact(**row))
        if len(batch) >= BATCH:
            PersonFact.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    PersonFact.objects.bulk_create(batch)
    return count + len(batch)


def rebuild_municipality(municipality: Municipality, *, now: datetime) -> tuple[int, int]:
    """Replace the facts of one municipality (portable path). Returns (person facts, spells)."""
    PersonFact.objects.filter(municipality=municipality).delete()
    SpellFact.objects.filter(municipality=municipality).delete()
    spell_source = partner_selectors.spells_for_facts(municipality=municipality)
    spell_count = _copy_spells(spell_source)
    spells = _spells_python(spell_source)
    cases, related = _legal_inputs([municipality.pk])
    rows = (
        _fact_row(
            case, related, code=municipality.code, now=now, spells=spells.get(case["person_id"], ())
        )
        for case in cases
    )
    return _bulk_person_facts(rows), spell_count


# --- Set-based path (PostgreSQL): all municipalities in one pass ---


def _copy_spells(source: QuerySet[Any], table: str | None = None) -> int:
    """Copy the spells into SpellFact (or `table`, its replacement being built) in one
    INSERT ... SELECT over the partners selector's query (set-based: no rows travel through
    Python; both paths use it)."""
    query = (
        source.order_by()
        .annotate(fact_municipality=F("person__municipality_id"))
        .values(
            "id",
            "fact_municipality",
            "person_id",
            "kind",
            "start_date",
            "end_date",
            "hours_per_week",
        )
    )
    sql, params = query.query.sql_with_params()
    target = connection.ops.quote_name(table or SpellFact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (spell_id, municipality_id, person_id, kind, start, "  # noqa: S608  # nosec B608  # target is a quoted model table
            f'"end", hours_per_week) SELECT s.id, s.fact_municipality, s.person_id, '
            f"UPPER(s.kind), s.start_date, s.end_date, s.hours_per_week FROM ({sql}) s",
            params,
        )
        return int(cursor.rowcount)


# Spell coverage from the partners' spells (the same rows `_copy_spells` copies: spells of the
# persons who live in the case's municipality), so it can run beside the copy. One row per
# (case, spell kind) with a bit mask: bit i is set when a spell of that kind covers plicht start
# + MONTHS[i] months; bit len(MONTHS) when it covers vestiging + 6 months. The measuring dates
# are computed once per case (PostgreSQL's month interval clips to the month's last day, as
# `rules.add_months`), so each (case, spell) pair is compared without further date arithmetic.
def _covers(date_sql: str) -> str:
    return f"(s.start_date <= {date_sql} AND (s.end_date IS NULL OR s.end_date >= {date_sql}))"


def _coverage_query() -> str:
    n = len(rules.MONTHS)
    bits = " | ".join(
        f"(CASE WHEN {_covers(f'x.d[{i + 1}]')} THEN {1 << i} ELSE 0 END)" for i in range(n)
    )
    participation = (
        f"(CASE WHEN s.kind IN ('werk', 'stage', 'vrijwilligerswerk') AND x.v IS NOT NULL "
        f"AND {_covers('x.v')} THEN {1 << n} ELSE 0 END)"
    )
    # Only constants of this module are formatted in (no user input): S608 does not apply.
    return f"""
WITH measured AS MATERIALIZED (
  SELECT c.id, c.person_id,
    ARRAY(SELECT (c.plicht_start + make_interval(months => m))::date
          FROM unnest(%(months)s::int[]) WITH ORDINALITY AS u(m, o) ORDER BY o) AS d,
    (c.vestiging_date + interval '6 months')::date AS v
  FROM {{cases}} c
  JOIN {{persons}} p ON p.id = c.person_id AND p.municipality_id = c.municipality_id
  WHERE c.municipality_id = ANY(%(ids)s)
)
SELECT x.id, s.kind, bit_or({bits} | {participation})
FROM measured x
JOIN {{spells}} s ON s.person_id = x.person_id
  AND s.kind IN ('werk', 'bijstand', 'stage', 'vrijwilligerswerk')
WHERE (s.start_date <= x.d[{n}] AND (s.end_date IS NULL OR s.end_date >= x.d[1]))
   OR (x.v IS NOT NULL AND {_covers("x.v")})
GROUP BY x.id, s.kind
"""  # noqa: S608  # nosec B608  # only this module's constants are formatted in


def _coverage_sql(ids: list[int]) -> tuple[dict[int, dict[str, list[int]]], set[int]]:
    """Per case: {kind: [N, ...]} and the cases with participation at vestiging + 6 months,
    computed in SQL (the same rules as `rules.covered_months` and `rules.participation_6m`)."""
    from thuis.partners.models import ParticipationSpell
    from thuis.people.models import Person

    names = {
        "cases": connection.ops.quote_name(IntegrationCase._meta.db_table),
        "persons": connection.ops.quote_name(Person._meta.db_table),
        "spells": connection.ops.quote_name(ParticipationSpell._meta.db_table),
    }
    params: dict[str, Any] = {"ids": ids, "months": list(rules.MONTHS)}
    kinds = {k.lower(): k for k in rules.SPELL_KINDS}
    flag = 1 << len(rules.MONTHS)
    covered: dict[int, dict[str, list[int]]] = defaultdict(dict)
    participating: set[int] = set()
    with connection.cursor() as cursor:
        # One hash join of all cases with all spells, in memory: the planner's row estimates for
        # the measuring dates are far too low and would choose an index lookup per case (at
        # national scale 20 s instead of 9 s).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(_coverage_query().format(**names), params)
        found = cursor.fetchall()
        cursor.execute("RESET enable_nestloop")
        cursor.execute("RESET work_mem")
        for case_id, kind, mask in found:
            if mask & flag:
                participating.add(case_id)
            months = [n for i, n in enumerate(rules.MONTHS) if mask & (1 << i)]
            if months and kind in kinds:
                covered[case_id][kinds[kind]] = months
    return covered, participating


Derived = tuple[list[dict[str, Any]], dict[int, dict[str, list[int]]], set[int]]


def _derive(ids: list[int], codes: Mapping[int, str], now: datetime) -> Derived:
    """Everything that is computed from the source tables: legal facts and spell coverage."""
    rows = _legal_facts(ids, codes, now)
    covered, participating = _coverage_sql(ids)
    return rows, covered, participating


PERSON_COLUMNS = [
    "municipality_id",
    "case_id",
    "person_id",
    *(f for f in rules.FactRow.__dataclass_fields__ if f != "municipality"),
    "rebuilt_at",
]
JSON_COLUMNS = {"exams", "covered_months"}


def _copy_person_facts(rows: Iterable[dict[str, Any]], table: str | None = None) -> int:
    """Write fact rows with PostgreSQL `COPY` (no model instances, no per-row INSERT) into
    PersonFact or `table`, its replacement being built.

    `rows` must not read from this connection while it is written: a connection in COPY mode
    cannot run another query (a server-side cursor fetching its next chunk would block)."""
    table = connection.ops.quote_name(table or PersonFact._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in PERSON_COLUMNS)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, in the same transaction
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [json.dumps(row[c]) if c in JSON_COLUMNS else row[c] for c in PERSON_COLUMNS]
                )
                count += 1
    return count


SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+-[0-9]+$")


def _derive_in_snapshot(
    snapshot: str, ids: list[int], codes: Mapping[int, str], now: datetime
) -> Derived:
    """`_derive` on this thread's own connection, reading the rebuild's snapshot."""
    if not SNAPSHOT_ID.match(snapshot):
        raise ValueError("unexpected snapshot id")
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            return _derive(ids, codes, now)
    finally:
        connections.close_all()  # this thread's connection only (connections are per thread)


class _Worker(threading.Thread):
    def __init__(self, snapshot: str, ids: list[int], codes: Mapping[int, str], now: datetime):
        super().__init__(name="facts-derive", daemon=True)
        self.args_ = (snapshot, ids, codes, now)
        self.result: Derived | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = _derive_in_snapshot(*self.args_)
        except BaseException as exc:  # re-raised in the rebuilding thread
            self.error = exc

    def outcome(self) -> Derived:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None  # noqa: S101 - set when no error
        return self.result


PRIVILEGES = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"}
INDEX_DEF = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:ONLY )?)(\S+)( .*)$")


def _new_table(model: type[Any]) -> str:
    """An empty copy of the model's table without indexes, to be filled, indexed and swapped
    in by `_swap_in` (bulk loading into an unindexed table, then building each index once, is
    much cheaper than keeping the indexes up to date row by row)."""
    table = model._meta.db_table
    new = f"{table}__new"
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {q(new)}")
        cursor.execute(
            f"CREATE TABLE {q(new)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
    return new


def _swap_in(model: type[Any], new: str) -> None:
    """Give `new` the indexes and key of the model's table, then replace the table by it.

    Index and constraint names stay Django's (migrations keep working). The old table is
    locked only from the DROP to the end of the transaction: readers wait milliseconds."""
    table = model._meta.db_table
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid), c.conname, c.contype "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = x.indrelid "
            "WHERE x.indrelid = %s::regclass",
            [table],
        )
        renames: list[str] = []
        for number, (name, definition, constraint, kind) in enumerate(cursor.fetchall()):
            match = INDEX_DEF.match(definition)
            if match is None:
                raise RuntimeError(f"unexpected index definition on {table}")
            tmp = f"{table[:40]}__new_{number}"
            cursor.execute(f"{match[1]}{q(tmp)}{match[3]}{q(new)}{match[5]}")
            if constraint and kind in ("p", "u"):
                key = "PRIMARY KEY" if kind == "p" else "UNIQUE"
                cursor.execute(
                    f"ALTER TABLE {q(new)} ADD CONSTRAINT {q(tmp)} {key} USING INDEX {q(tmp)}"
                )
                renames.append(
                    f"ALTER TABLE {q(table)} RENAME CONSTRAINT {q(tmp)} TO {q(constraint)}"
                )
            else:
                renames.append(f"ALTER INDEX {q(tmp)} RENAME TO {q(name)}")
        cursor.execute(f"ANALYZE {q(new)}")
        # Privileges granted on the old table (a reporting role, say) carry over.
        cursor.execute(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "AND grantee <> (SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = %s)",
            [table, table],
        )
        grants = cursor.fetchall()
        cursor.execute(f"DROP TABLE {q(table)}")
        cursor.execute(f"ALTER TABLE {q(new)} RENAME TO {q(table)}")
        for statement in renames:
            cursor.execute(statement)
        for grantee, privilege in grants:
            if privilege not in PRIVILEGES:
                continue
            who = "PUBLIC" if grantee == "PUBLIC" else q(grantee)
            cursor.execute(f"GRANT {privilege} ON {q(table)} TO {who}")


def _can_export_snapshot(cursor: Any) -> bool:
    """Whether the second thread may read this transaction's exported snapshot.

    Only when the rebuild's transaction is the outermost one and has written nothing yet:
    PostgreSQL exports no snapshot from a subtransaction (a savepoint of a nested atomic block,
    as when `thuis seed` rebuilds inside its own transaction), and another connection never
    sees this transaction's uncommitted writes, so it would compute facts without them.
    Otherwise the rebuild derives in this thread, in the same transaction."""
    if not connection.in_atomic_block or len(connection.atomic_blocks) != 1:
        return False
    if connection.savepoint_ids:
        return False
    cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
    return bool(cursor.fetchone()[0])


def rebuild_set_based(
    municipalities: list[Municipality], *, now: datetime, complete: bool = False
) -> dict[int, tuple[int, int]]:
    """Replace the facts of the municipalities in one pass (PostgreSQL, inside the caller's
    transaction). Returns {municipality id: (person facts, spell facts)}.

    `complete`: the municipalities are all there are; the fact tables are then built anew and
    swapped in instead of deleting and inserting rows."""
    ids = [m.pk for m in municipalities]
    codes = {m.pk: m.code for m in municipalities}
    worker: _Worker | None = None
    with connection.cursor() as cursor:
        # One rebuild at a time (a nightly run and an import's rebuild may overlap).
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('thuis.monitoring.facts'))")
        if getattr(settings, "THUIS_FACTS_PARALLEL", True) and _can_export_snapshot(cursor):
            cursor.execute("SELECT pg_export_snapshot()")
            worker = _Worker(cursor.fetchone()[0], ids, codes, now)
            worker.start()
    try:
        if complete:
            person_table, spell_table = _new_table(PersonFact), _new_table(SpellFact)
        else:
            person_table, spell_table = PersonFact._meta.db_table, SpellFact._meta.db_table
            with connection.cursor() as cursor:
                for table in (person_table, spell_table):
                    cursor.execute(
                        f"DELETE FROM {connection.ops.quote_name(table)} "  # noqa: S608  # nosec B608  # a model table
                        "WHERE municipality_id = ANY(%s)",
                        [ids],
                    )
        _copy_spells(partner_selectors.spells_for_facts(municipality_ids=ids), spell_table)
    finally:
        derived = worker.outcome() if worker is not None else None
    rows, covered, participating = derived if derived is not None else _derive(ids, codes, now)
    for row in rows:
        row["covered_months"] = covered.get(row["case_id"], {})
        if row["vestiging_date"] is not None:
            row["participatie_6m_vestiging"] = row["case_id"] in participating
    _copy_person_facts(rows, person_table)
    persons = Counter(row["municipality_id"] for row in rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT municipality_id, count(*) FROM {connection.ops.quote_name(spell_table)} "  # noqa: S608  # nosec B608  # a model table
            "WHERE municipality_id = ANY(%s) GROUP BY municipality_id",
            [ids],
        )
        spells = dict(cursor.fetchall())
    if complete:
        _swap_in(SpellFact, spell_table)
        _swap_in(PersonFact, person_table)
    return {pk: (persons.get(pk, 0), int(spells.get(pk, 0))) for pk in ids}

"""Fact extraction: read cases, exams and spells once per rebuild and write fact rows.

This is the only module of the monitoring app that reads case tables; it runs in a job
(`services.facts_rebuild`), never at page time. It reads with `.values()` per table (a fixed
number of queries per municipality, whatever its size).

Two paths, same result (tests compare them):

- PostgreSQL: the spells are copied with one `INSERT ... SELECT`, the spell coverage (WERK and
  BIJSTAND at plicht start + N months, participation at vestiging + 6 months) is computed
  set-based in SQL over the copied spells, Python computes only the legal dates per case
  (`cases.rules`), and the fact rows are written with `COPY`.
- Other databases (SQLite): the portable path reads the spells into Python and computes the
  coverage with `rules.covered_months`; facts are written with `bulk_create`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from thuis.cases import rules as case_rules
from thuis.cases.models import DoelgroepPeriod, ExamResult, IntegrationCase, Pip, TermijnExtension
from thuis.partners import selectors as partner_selectors
from thuis.people.models import Municipality

from . import rules
from .models import PersonFact, SpellFact

BATCH = 5000
GEZINSMIGRANT_DETAILS = {
    "gezinshereniger",
    "gezinsvormer",
    "gezinshereniger_asiel",
    "gezinsvormer_asiel",
}


def doelgroep_of(periods: list[dict[str, Any]]) -> str:
    """Current doelgroep in the three classes of the import (same as the rekenhulp)."""
    if not periods:
        return "asielstatushouder"
    current = max(periods, key=lambda p: p["start_date"])
    if current["doelgroep"] == "asielstatushouder":
        return "asielstatushouder"
    if current["gedetailleerde_doelgroep"] in GEZINSMIGRANT_DETAILS:
        return "gezinsmigrant"
    return "overig"


def _pip_deadline(case: Mapping[str, Any]) -> date | None:
    if case["regime"] != "Wi2021" or case["vestiging_date"] is None:
        return None
    result = case_rules.pip_deadline(
        kennisgeving_duo=case["kennisgeving_date"] or case["plicht_start"],
        brp_vestiging=case["vestiging_date"],
        third_party_info_received=case["third_party_info_received"],
    )
    return result.value


def _termijn_end(case: Mapping[str, Any], first_pip: date | None, months: list[int]) -> date | None:
    return case_rules.termijn_end(
        wet=case_rules.Wet(case["regime"]),
        plicht_start=case["plicht_start"],
        pip_dagtekening=first_pip,
        extensions_months=months,
    ).value


def _group(rows: Any, key: str = "case_id") -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def _copy_spells(source: QuerySet[Any], municipality: Municipality) -> int:
    """Copy the spells into SpellFact in one INSERT ... SELECT over the partners selector's
    query (set-based: no rows travel through Python)."""
    query = source.order_by().values(
        "person_id", "kind", "start_date", "end_date", "hours_per_week"
    )
    sql, params = query.query.sql_with_params()
    table = connection.ops.quote_name(SpellFact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (municipality_id, person_id, kind, start, "end", '  # noqa: S608
            f"hours_per_week) SELECT %s, s.person_id, UPPER(s.kind), s.start_date, s.end_date, "
            f"s.hours_per_week FROM ({sql}) s",
            [municipality.pk, *params],
        )
        return int(cursor.rowcount)


COVERAGE_SQL = """
SELECT c.id, s.kind, array_agg(DISTINCT m.n ORDER BY m.n)
FROM {cases} c
JOIN {spells} s ON s.person_id = c.person_id AND s.municipality_id = %(m)s
    AND s.kind IN ('WERK', 'BIJSTAND')
CROSS JOIN unnest(%(months)s::int[]) AS m(n)
WHERE c.municipality_id = %(m)s
  AND s.start <= (c.plicht_start + make_interval(months => m.n))::date
  AND (s."end" IS NULL OR s."end" >= (c.plicht_start + make_interval(months => m.n))::date)
GROUP BY c.id, s.kind
"""

PARTICIPATION_SQL = """
SELECT DISTINCT c.id
FROM {cases} c
JOIN {spells} s ON s.person_id = c.person_id AND s.municipality_id = %(m)s
    AND s.kind IN ('WERK', 'STAGE', 'VRIJWILLIGERSWERK')
WHERE c.municipality_id = %(m)s AND c.vestiging_date IS NOT NULL
  AND s.start <= (c.vestiging_date + interval '6 months')::date
  AND (s."end" IS NULL OR s."end" >= (c.vestiging_date + interval '6 months')::date)
"""

Coverage = tuple[dict[str, list[int]], bool | None]


def set_based() -> bool:
    """The set-based path needs PostgreSQL (month arithmetic that clips, `COPY`).

    Experimental and off by default: it is not yet verified on PostgreSQL (its `COPY` write
    stalled in a test run). Set THUIS_FACTS_SET_BASED=1 to try it; the portable path is used
    otherwise."""
    import os

    return connection.vendor == "postgresql" and os.environ.get("THUIS_FACTS_SET_BASED") == "1"


def _coverage_sql(municipality: Municipality) -> tuple[dict[int, dict[str, list[int]]], set[int]]:
    """Per case: {kind: [N, ...]} and the cases with participation at vestiging + 6 months,
    computed in SQL over the copied spells (same rule as `rules.covered_months` and
    `rules.participation_6m`; PostgreSQL's month interval clips to the month's last day)."""
    names = {
        "cases": connection.ops.quote_name(IntegrationCase._meta.db_table),
        "spells": connection.ops.quote_name(SpellFact._meta.db_table),
    }
    params: dict[str, Any] = {"m": municipality.pk, "months": list(rules.MONTHS)}
    covered: dict[int, dict[str, list[int]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(COVERAGE_SQL.format(**names), params)
        for case_id, kind, months in cursor.fetchall():
            covered[case_id][kind] = list(months)
        cursor.execute(PARTICIPATION_SQL.format(**names), params)
        participating = {row[0] for row in cursor.fetchall()}
    return covered, participating


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


PERSON_COLUMNS = [
    "municipality_id",
    "case_id",
    "person_id",
    *(f for f in rules.FactRow.__dataclass_fields__ if f != "municipality"),
    "rebuilt_at",
]
JSON_COLUMNS = {"exams", "covered_months"}


def _copy_person_facts(rows: Iterable[dict[str, Any]]) -> int:
    """Write fact rows with PostgreSQL `COPY` (no model instances, no per-row INSERT)."""
    table = connection.ops.quote_name(PersonFact._meta.db_table)
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
    """Replace the facts of one municipality. Returns (person facts, spell facts)."""
    PersonFact.objects.filter(municipality=municipality).delete()
    SpellFact.objects.filter(municipality=municipality).delete()

    spell_source = partner_selectors.spells_for_facts(municipality=municipality)
    spell_count = _copy_spells(spell_source, municipality)
    fast = set_based()
    spells: dict[int, list[rules.Spell]] = {}
    covered: dict[int, dict[str, list[int]]] = {}
    participating: set[int] = set()
    if fast:
        covered, participating = _coverage_sql(municipality)
    else:
        spells = _spells_python(spell_source)

    in_municipality = {"case__municipality": municipality}
    periods = _group(
        DoelgroepPeriod.objects.filter(**in_municipality).values(
            "case_id", "doelgroep", "gedetailleerde_doelgroep", "start_date"
        )
    )
    pips = _group(
        Pip.objects.filter(**in_municipality).values(
            "case_id", "version", "dagtekening", "leerroute"
        )
    )
    exams = _group(
        ExamResult.objects.filter(**in_municipality).values(
            "case_id", "component", "level", "exam_date", "result"
        )
    )
    extensions = _group(
        TermijnExtension.objects.filter(status="toegekend", **in_municipality).values(
            "case_id", "months", "decided_on"
        )
    )
    cases = IntegrationCase.objects.filter(municipality=municipality).values(
        "id",
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

    def fact_rows() -> Iterable[dict[str, Any]]:
        for case in cases.iterator(chunk_size=BATCH):
            case_pips = sorted(pips.get(case["id"], []), key=lambda p: p["version"])
            first_pip = case_pips[0]["dagtekening"] if case_pips else None
            months = [
                e["months"]
                for e in sorted(extensions.get(case["id"], []), key=lambda e: e["decided_on"])
            ]
            coverage: Coverage | None = None
            if fast:
                coverage = (
                    covered.get(case["id"], {}),
                    None if case["vestiging_date"] is None else case["id"] in participating,
                )
            fact = rules.build_fact(
                municipality=municipality.code,
                doelgroep=doelgroep_of(periods.get(case["id"], [])),
                sex=case["person__sex"],
                birth_date=case["person__birth_date"],
                country_of_birth=case["person__country_of_birth"],
                plicht_start=case["plicht_start"],
                spells=spells.get(case["person_id"], ()),
                coverage=coverage,
                exams=[
                    rules.ExamInput(
                        component=e["component"],
                        level=e["level"],
                        exam_date=e["exam_date"],
                        result=e["result"],
                    )
                    for e in exams.get(case["id"], [])
                ],
                koppeling_date=case["koppeling_date"],
                vestiging_date=case["vestiging_date"],
                intake_start=case["intake__started_on"],
                first_pip_date=first_pip,
                pip_deadline=_pip_deadline(case),
                leerroute=case_pips[-1]["leerroute"] if case_pips else "",
                leerroute_date=case_pips[-1]["dagtekening"] if case_pips else None,
                termijn_end=_termijn_end(case, first_pip, months),
                plicht_end_date=case["plicht_end_date"],
                plicht_end_reason=case["plicht_end_reason"] or "",
            )
            values = {k: v for k, v in fact.__dict__.items() if k != "municipality"}
            yield {
                "municipality_id": municipality.pk,
                "case_id": case["id"],
                "person_id": case["person_id"],
                "rebuilt_at": now,
                **values,
            }

    count = _copy_person_facts(fact_rows()) if fast else _bulk_person_facts(fact_rows())
    return count, spell_count

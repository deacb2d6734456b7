"""Fact extraction: read cases, exams and spells once per rebuild and write fact rows.

This is the only module of the monitoring app that reads case tables; it runs in a job
(`services.facts_rebuild`), never at page time. It reads with `.values()` per table (six
queries per municipality, whatever its size) and writes with `bulk_create` in batches.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from thuis.cases import rules as case_rules
from thuis.cases.models import DoelgroepPeriod, ExamResult, IntegrationCase, Pip, TermijnExtension
from thuis.partners import selectors as partner_selectors
from thuis.people.models import Municipality

from . import rules
from .models import PersonFact, SpellFact

BATCH = 5000
GEZINSMIGRANT_DETAILS = {
    "gezinshereniger", "gezinsvormer", "gezinshereniger_asiel", "gezinsvormer_asiel",
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


def _pip_deadline(case: dict[str, Any]) -> date | None:
    if case["regime"] != "Wi2021" or case["vestiging_date"] is None:
        return None
    result = case_rules.pip_deadline(
        kennisgeving_duo=case["kennisgeving_date"] or case["plicht_start"],
        brp_vestiging=case["vestiging_date"],
        third_party_info_received=case["third_party_info_received"],
    )
    return result.value


def _termijn_end(case: dict[str, Any], first_pip: date | None, months: list[int]) -> date | None:
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


def rebuild_municipality(municipality: Municipality, *, now: datetime) -> tuple[int, int]:
    """Replace the facts of one municipality. Returns (person facts, spell facts)."""
    PersonFact.objects.filter(municipality=municipality).delete()
    SpellFact.objects.filter(municipality=municipality).delete()

    spells: dict[int, list[rules.Spell]] = defaultdict(list)
    spell_rows: list[SpellFact] = []
    spell_count = 0
    for person_id, kind, start, end, hours in partner_selectors.spells_for_facts(
        municipality=municipality
    ).values_list("person_id", "kind", "start_date", "end_date", "hours_per_week").iterator(
        chunk_size=BATCH
    ):
        kind = kind.upper()
        spells[person_id].append(rules.Spell(kind=kind, start=start, end=end))
        spell_rows.append(SpellFact(municipality=municipality, person_id=person_id, kind=kind,
                                    start=start, end=end, hours_per_week=hours))
        if len(spell_rows) >= BATCH:
            SpellFact.objects.bulk_create(spell_rows)
            spell_count += len(spell_rows)
            spell_rows = []
    SpellFact.objects.bulk_create(spell_rows)
    spell_count += len(spell_rows)

    in_municipality = {"case__municipality": municipality}
    periods = _group(DoelgroepPeriod.objects.filter(**in_municipality).values(
        "case_id", "doelgroep", "gedetailleerde_doelgroep", "start_date"))
    pips = _group(Pip.objects.filter(**in_municipality).values(
        "case_id", "version", "dagtekening", "leerroute"))
    exams = _group(ExamResult.objects.filter(**in_municipality).values(
        "case_id", "component", "level", "exam_date", "result"))
    extensions = _group(TermijnExtension.objects.filter(
        status="toegekend", **in_municipality).values("case_id", "months", "decided_on"))
    cases = IntegrationCase.objects.filter(municipality=municipality).values(
        "id", "person_id", "regime", "plicht_start", "koppeling_date", "vestiging_date",
        "kennisgeving_date", "third_party_info_received", "plicht_end_date", "plicht_end_reason",
        "person__sex", "person__birth_date", "person__country_of_birth", "intake__started_on",
    )
    batch: list[PersonFact] = []
    count = 0
    for case in cases.iterator(chunk_size=BATCH):
        case_pips = sorted(pips.get(case["id"], []), key=lambda p: p["version"])
        first_pip = case_pips[0]["dagtekening"] if case_pips else None
        months = [e["months"] for e in sorted(extensions.get(case["id"], []),
                                              key=lambda e: e["decided_on"])]
        fact = rules.build_fact(
            municipality=municipality.code,
            doelgroep=doelgroep_of(periods.get(case["id"], [])),
            sex=case["person__sex"],
            birth_date=case["person__birth_date"],
            country_of_birth=case["person__country_of_birth"],
            plicht_start=case["plicht_start"],
            spells=spells.get(case["person_id"], ()),
            exams=[rules.ExamInput(component=e["component"], level=e["level"],
                                   exam_date=e["exam_date"], result=e["result"])
                   for e in exams.get(case["id"], [])],
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
        batch.append(PersonFact(municipality=municipality, case_id=case["id"],
                                person_id=case["person_id"], rebuilt_at=now, **values))
        if len(batch) >= BATCH:
            PersonFact.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    PersonFact.objects.bulk_create(batch)
    count += len(batch)
    return count, spell_count

"""The facts of a case for the law (`rules.CaseFacts`), so every screen and report agrees."""

from __future__ import annotations

from datetime import date
from typing import Any

from thuis.cases import rules
from thuis.cases.choices import ExtensionStatus
from thuis.cases.models import IntegrationCase
from thuis.cases.selectors import current_doelgroep


def doelgroep_of(case: IntegrationCase) -> rules.Doelgroep:
    """The law's class of the case's current doelgroep."""
    current = current_doelgroep(case)
    return rules.doelgroep_class(
        doelgroep=current.doelgroep if current else None,
        gedetailleerde_doelgroep=current.gedetailleerde_doelgroep if current else None,
    )


def case_facts(case: IntegrationCase, *, today: date | None = None) -> rules.CaseFacts:
    """The law's facts of a case (reads the prefetched doelgroepen, pips and extensions)."""
    intake = getattr(case, "intake", None)
    ontzorgen = getattr(case, "ontzorgen", None)
    lbt = None
    if intake is not None and intake.lbt_score is not None and intake.lbt_date:
        lbt = (intake.lbt_score, intake.lbt_date)
    return rules.facts_of_case(
        plicht_start=case.plicht_start,
        kennisgeving=case.kennisgeving_date,
        vestiging=case.vestiging_date,
        third_party_info_received=case.third_party_info_received,
        periods=[
            rules.PeriodFact(p.doelgroep, p.gedetailleerde_doelgroep, p.start_date, p.end_date)
            for p in case.doelgroepen.all()
        ],
        pips=[
            rules.PipFact(p.version, p.dagtekening, p.leerroute, p.niveau) for p in case.pips.all()
        ],
        extensions=[
            rules.ExtensionFact(e.decided_on, e.months, e.alfabetisering)
            for e in case.extensions.all()
            if e.status == ExtensionStatus.TOEGEKEND
        ],
        lbt=lbt,
        bijstand=(ontzorgen.bijstand_start, ontzorgen.bijstand_end) if ontzorgen else None,
        today=today,
    )


def case_legal_dates(case: IntegrationCase, *, today: date) -> rules.LegalDates | None:
    """All legal dates of a case; None when a date lies outside the calendar (year 9999)."""
    try:
        return rules.calculate(case_facts(case, today=today))
    except (OverflowError, ValueError):
        return None


_OUT_OF_RANGE = {"code": "DATUM_BUITEN_BEREIK", "melding": "Een datum ligt buiten het bereik."}


def case_dates(case: IntegrationCase, *, today: date) -> dict[str, Any]:
    """All legal dates of a case with grondslag and toelichting, as the rekenhulp's JSON."""
    dates = case_legal_dates(case, today=today)
    if dates is None:
        return {
            "wet": case.regime,
            "datums": {},
            "fouten": [_OUT_OF_RANGE],
            "signalen": [],
            "lbt_uitslag": None,
        }
    return dates.as_json()


def date_of(dates: dict[str, Any], code: str) -> date | None:
    entry = dates.get("datums", {}).get(code)
    if not entry or not entry.get("datum"):
        return None
    return date.fromisoformat(entry["datum"])

"""The facts of a case in the rekenhulp's input format, so screens and calculator agree."""

from __future__ import annotations

from datetime import date
from typing import Any

from thuis.cases import rules
from thuis.cases.choices import Doelgroep, ExtensionStatus, GedetailleerdeDoelgroep
from thuis.cases.models import IntegrationCase


def _doelgroep(case: IntegrationCase) -> str:
    periods = sorted(case.doelgroepen.all(), key=lambda p: p.start_date)
    if not periods:
        return rules.Doelgroep.ASIELSTATUSHOUDER.value
    current = periods[-1]
    if current.doelgroep == Doelgroep.ASIELSTATUSHOUDER:
        return rules.Doelgroep.ASIELSTATUSHOUDER.value
    if current.gedetailleerde_doelgroep in {
        GedetailleerdeDoelgroep.GEZINSHERENIGER,
        GedetailleerdeDoelgroep.GEZINSVORMER,
        GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
        GedetailleerdeDoelgroep.GEZINSVORMER_ASIEL,
    }:
        return rules.Doelgroep.GEZINSMIGRANT.value
    return rules.Doelgroep.OVERIG.value


def case_facts(case: IntegrationCase, *, today: date) -> dict[str, Any]:
    """Build the rekenhulp input from what is recorded on the case."""
    pips = sorted(case.pips.all(), key=lambda p: p.version)
    first, last = (pips[0], pips[-1]) if pips else (None, None)
    facts: dict[str, Any] = {
        "plicht_start": case.plicht_start.isoformat(),
        "doelgroep": _doelgroep(case),
        "peildatum": today.isoformat(),
        "verlengingen": [
            {"maanden": e.months, **({"alfabetisering": True} if e.alfabetisering else {})}
            for e in sorted(case.extensions.all(), key=lambda e: e.decided_on)
            if e.status == ExtensionStatus.TOEGEKEND
        ],
    }
    if case.kennisgeving_date:
        facts["kennisgeving_duo"] = case.kennisgeving_date.isoformat()
    if case.vestiging_date:
        facts["brp_vestiging"] = case.vestiging_date.isoformat()
    if first is not None and last is not None:
        facts["pip_dagtekening"] = first.dagtekening.isoformat()
        facts["eerste_pip"] = True
        facts["leerroute"] = last.leerroute
        if last.niveau in {"A2", "B1"}:
            facts["niveau"] = last.niveau
    intake = getattr(case, "intake", None)
    if intake is not None and intake.lbt_score is not None and intake.lbt_date:
        facts["lbt_score"] = intake.lbt_score
        facts["lbt_datum"] = intake.lbt_date.isoformat()
    ontzorgen = getattr(case, "ontzorgen", None)
    if ontzorgen is not None:
        facts["bijstand_start"] = ontzorgen.bijstand_start.isoformat()
        if ontzorgen.bijstand_end:
            facts["bijstand_einde"] = ontzorgen.bijstand_end.isoformat()
    return facts


def case_dates(case: IntegrationCase, *, today: date) -> dict[str, Any]:
    """All legal dates of a case with grondslag and toelichting (same as the rekenhulp)."""
    try:
        result = rules.calculate(case_facts(case, today=today))
    except (OverflowError, ValueError) as exc:
        if not isinstance(exc, rules.RekenhulpInputError):
            return {
                "wet": case.regime,
                "datums": {},
                "fouten": [
                    {"code": "DATUM_BUITEN_BEREIK", "melding": "Een datum ligt buiten het bereik."}
                ],
                "signalen": [],
                "lbt_uitslag": None,
            }
        return {
            "wet": case.regime,
            "datums": {},
            "fouten": [{"code": e.code, "melding": e.melding} for e in exc.errors],
            "signalen": [],
            "lbt_uitslag": None,
        }
    return result


def date_of(dates: dict[str, Any], code: str) -> date | None:
    entry = dates.get("datums", {}).get(code)
    if not entry or not entry.get("datum"):
        return None
    return date.fromisoformat(entry["datum"])

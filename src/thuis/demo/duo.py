"""Demo only: let the local DUO simulator know the persons of the demo gemeente in Thuis.

`make run` seeds a demo gemeente; DUO (the simulator) must know those persons, or every PIP
the regisseur delivers would come back as 404. `demo_person` builds DUO's view of a person
from the Thuis case (start of the plicht, doelgroep, first PIP, termijn with granted
extensions). `thuis duo_simulator --demo` uses it only when THUIS_DEMO is on and the demo app
is installed.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from thuis.cases import rules as law
from thuis.cases import selectors as case_selectors
from thuis.cases.choices import ExtensionStatus, Regime
from thuis.cases.services import current_doelgroep
from thuis.duo import rules
from thuis.duo.simulator import SimPerson

DOELGROEP_TO_DUO = {v: k for k, v in rules.DOELGROEP_FROM_DUO.items()}
DETAIL_TO_DUO = {v: k for k, v in rules.DETAIL_FROM_DUO.items()}


def demo_person(bsn: str, gemeentecode: str) -> SimPerson | None:
    """DUO's view of the newest Wi2021 case of this BSN in the gemeente; None when unknown.
    Registered with the simulator (`thuis.duo.simulator.register_demo_source`) by the demo app."""
    case = case_selectors.newest_case_by_bsn(
        bsn=bsn, gemeentecode=gemeentecode, regime=Regime.WI2021
    )
    if case is None:
        return None
    period = current_doelgroep(case)
    doelgroep = period.doelgroep if period else "asielstatushouder"
    detail = period.gedetailleerde_doelgroep if period else "asielstatushouder"
    person = SimPerson(
        bsn=bsn,
        begindatum=case.plicht_start,
        doelgroep=DOELGROEP_TO_DUO.get(doelgroep, "Asielstatushouder"),
        gedetailleerde_doelgroep=DETAIL_TO_DUO.get(detail, "Overig"),
        kennisgeving=case.kennisgeving_date,
    )
    pips = sorted(case.pips.all(), key=lambda p: p.version)
    if pips:
        first, last = pips[0], pips[-1]
        pip: dict[str, object] = {
            "dagtekeningPip": last.dagtekening.isoformat(),
            "leerroute": rules.LEERROUTE_TO_DUO[law.Leerroute(last.leerroute)],
        }
        if last.niveau in {"A2", "B1"}:
            pip["niveau"] = last.niveau
        person.pip = pip
        start, end = rules.termijn_for_first_pip(dagtekening=first.dagtekening)
        for extension in sorted(case.extensions.all(), key=lambda e: e.decided_on):
            if extension.status == ExtensionStatus.TOEGEKEND:
                end = end + relativedelta(months=extension.months)
        person.termijn = {"startdatum": start.isoformat(), "einddatum": end.isoformat()}
        person.termijn_historie.append({"einddatum": end.isoformat()})
    return person

"""One law everywhere (issue 14, "Must hold"): cases created through the cases services give
the same legal dates on the case page, in `/api/v1/trajecten/{id}/datums/`, in the DUO section,
in the monitoring facts and in the rekenhulp fed the same facts, and the report's indicator
counts what those dates say."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from thuis.cases import rekenhulp, rules, selectors, services
from thuis.cases.choices import CaseStatus, ExtensionStatus, PipReason, Regime
from thuis.cases.services.facts import case_facts
from thuis.duo import selectors as duo_selectors
from thuis.monitoring import facts as monitoring_facts
from thuis.monitoring import selectors as monitoring_selectors
from thuis.monitoring.models import PersonFact
from thuis.tests import factories

CODES = ("PIP_UITERLIJK", "TERMIJN_START", "TERMIJN_EINDE", "ONTZORGEN_EINDE", "PVT_UITERLIJK")
TODAY = date(2030, 1, 1)
# Doelgroep and gedetailleerde doelgroep pairs the cases services accept.
PAIRS = [
    ("asielstatushouder", "asielstatushouder"),
    ("asielstatushouder", "gezinsvormer_asiel"),
    ("gezinsmigrant", "gezinshereniger"),
    ("gezinsmigrant", "geestelijk_bedienaar"),
    ("gezinsmigrant", "overig"),
]
# (leerroute, niveau) pairs DUO accepts on a first PIP.
ROUTES = [("B1", "B1"), ("onderwijs", ""), ("Z", "A2"), ("Z", "")]
EDGES = [date(2021, 12, 31), date(2022, 1, 1), date(2023, 4, 12), date(2024, 2, 29)]


@dataclass(frozen=True)
class Scenario:
    plicht_start: date
    kennisgeving: int | None  # days after the plicht start
    vestiging: int | None
    vestiging_at_open: bool
    pair: tuple[str, str]
    doelgroep_change: tuple[int, tuple[str, str]] | None
    intake_after: int
    pip_after: int | None  # days after the intake start
    route: tuple[str, str]
    later_versions: tuple[int, ...] = ()
    extensions: tuple[int, ...] = ()
    alfabetisering: int | None = None


MIGRATED = Scenario(
    plicht_start=date(2023, 4, 12),
    kennisgeving=None,
    vestiging=30,
    vestiging_at_open=True,
    pair=("asielstatushouder", "asielstatushouder"),
    doelgroep_change=(200, ("gezinsmigrant", "gezinsvormer")),
    intake_after=0,
    pip_after=293,  # 12 May 2023 + 293 days = 29 February 2024
    route=("B1", "B1"),
    extensions=(6,),
)
WI2013 = Scenario(
    plicht_start=date(2021, 12, 31),
    kennisgeving=1,
    vestiging=59,
    vestiging_at_open=False,
    pair=("gezinsmigrant", "gezinshereniger"),
    doelgroep_change=None,
    intake_after=10,
    pip_after=None,
    route=("B1", "B1"),
    extensions=(3,),
    alfabetisering=24,
)
FROM_DUO = Scenario(
    plicht_start=date(2022, 1, 1),
    kennisgeving=20,
    vestiging=None,
    vestiging_at_open=False,
    pair=("asielstatushouder", "gezinsvormer_asiel"),
    doelgroep_change=None,
    intake_after=5,
    pip_after=60,
    route=("Z", "A2"),
    later_versions=(31,),
)


@st.composite
def scenarios(draw: Any) -> Scenario:
    plicht = draw(st.one_of(st.sampled_from(EDGES), st.dates(date(2021, 6, 1), date(2024, 12, 31))))
    return Scenario(
        plicht_start=plicht,
        kennisgeving=draw(st.none() | st.integers(0, 90)),
        vestiging=draw(st.none() | st.integers(0, 240)),
        vestiging_at_open=draw(st.booleans()),
        pair=draw(st.sampled_from(PAIRS)),
        doelgroep_change=draw(st.none() | st.tuples(st.integers(1, 400), st.sampled_from(PAIRS))),
        intake_after=draw(st.integers(0, 120)),
        pip_after=draw(st.none() | st.integers(0, 150)),
        route=draw(st.sampled_from(ROUTES)),
        later_versions=tuple(draw(st.lists(st.integers(1, 200), max_size=2))),
        extensions=tuple(draw(st.lists(st.integers(1, 24), max_size=2))),
        alfabetisering=draw(st.none() | st.integers(1, 24)),
    )


def _create(scenario: Scenario, *, municipality: Any, by: Any) -> tuple[Any, dict[str, Any]]:
    """Create the case through the cases services; return it with its rekenhulp input."""
    start = scenario.plicht_start
    person = factories.PersonFactory(municipality=municipality, birth_date=date(1990, 5, 17))
    vestiging = (
        start + timedelta(days=scenario.vestiging) if scenario.vestiging is not None else None
    )
    case = services.case_open(
        by=by,
        person=person,
        plicht_start=start,
        doelgroep=scenario.pair[0],
        gedetailleerde_doelgroep=scenario.pair[1],
        vestiging_date=vestiging if scenario.vestiging_at_open else None,
        regisseur=by,
    )
    kennisgeving = None
    if scenario.kennisgeving is not None:
        kennisgeving = start + timedelta(days=scenario.kennisgeving)
    services.case_set_dates(
        case=case,
        by=by,
        kennisgeving_date=kennisgeving,
        vestiging_date=None if scenario.vestiging_at_open else vestiging,
    )
    if scenario.doelgroep_change is not None:
        days, (doelgroep, detail) = scenario.doelgroep_change
        services.case_change_doelgroep(
            case=case,
            by=by,
            doelgroep=doelgroep,
            gedetailleerde_doelgroep=detail,
            on=start + timedelta(days=days),
        )
    facts: dict[str, Any] = {"plicht_start": start.isoformat()}
    if kennisgeving is not None:
        facts["kennisgeving_duo"] = kennisgeving.isoformat()
    if vestiging is not None:
        facts["brp_vestiging"] = vestiging.isoformat()
    intake_start = max(start, vestiging or start) + timedelta(days=scenario.intake_after)
    services.case_change_status(case=case, to=CaseStatus.INTAKE, by=by, on=intake_start)
    services.intake_update(case=case, by=by, today=TODAY, started_on=intake_start)
    wi2021 = start >= date(2022, 1, 1)
    if wi2021 and scenario.pip_after is not None:
        leerroute, niveau = scenario.route
        dagtekening = intake_start + timedelta(days=scenario.pip_after)
        facts.update(pip_dagtekening=dagtekening.isoformat(), leerroute=leerroute)
        if niveau:
            facts["niveau"] = niveau
        reason = PipReason.EERSTE
        for days in [0, *scenario.later_versions]:
            dagtekening += timedelta(days=days)
            services.pip_establish(
                case=case,
                by=by,
                dagtekening=dagtekening,
                leerroute=leerroute,
                niveau=niveau,
                reason=reason,
                today=TODAY,
            )
            reason = PipReason.WIJZIGING
    granted: list[dict[str, Any]] = []
    decided = intake_start
    for months in scenario.extensions:
        decided += timedelta(days=30)
        services.extension_record(
            case=case, by=by, months=months, status=ExtensionStatus.TOEGEKEND, decided_on=decided
        )
        granted.append({"maanden": months})
    if not wi2021 and scenario.alfabetisering is not None:
        services.extension_record(
            case=case,
            by=by,
            months=scenario.alfabetisering,
            status=ExtensionStatus.TOEGEKEND,
            decided_on=decided + timedelta(days=30),
            alfabetisering=True,
        )
        granted.append({"maanden": scenario.alfabetisering, "alfabetisering": True})
    if granted:
        facts["verlengingen"] = granted
    return case, facts


def _page_dates(html: str) -> dict[str, str | None]:
    found = dict(re.findall(r'data-code="([A-Z_]+)">([^<]*)<', html))
    return {code: None if found[code] == "nog niet bekend" else found[code] for code in CODES}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@pytest.mark.django_db
def test_every_door_gives_the_same_dates(login: Any, regisseur: Any, municipality: Any) -> None:
    client = login(regisseur)
    seen: set[str] = set()

    @hypothesis_settings(max_examples=25, deadline=None, derandomize=True)
    @given(scenario=scenarios())
    # The shapes the issue names, always: a migration import (vestiging, no kennisgeving) with
    # a PIP on 29 February and an extension, a Wi2013 case with an alfabetisering extension, and
    # a case DUO created (kennisgeving, no vestiging) with two PIP versions.
    @example(MIGRATED)
    @example(WI2013)
    @example(FROM_DUO)
    def check(scenario: Scenario) -> None:
        savepoint = transaction.savepoint()
        try:
            case, facts = _create(scenario, municipality=municipality, by=regisseur)
            response = client.get(f"/trajecten/{case.pk}/")
            assert response.status_code == 200
            html = response.content.decode()
            page = _page_dates(html)
            api = client.get(f"/api/v1/trajecten/{case.pk}/datums/").json()
            calculator = rekenhulp.compute(facts)
            for code in CODES:
                entry = api["datums"][code]
                assert page[code] == entry["datum"] == calculator["datums"][code]["datum"], code
                assert entry["toelichting"] == calculator["datums"][code]["toelichting"], code
                assert entry["toelichting"] in html
            deadline = api["datums"]["PIP_UITERLIJK"]["datum"]
            detail = selectors.case_detail_for_user(user=regisseur, case_id=case.pk)
            section = duo_selectors.case_section_for_user(user=regisseur, case=detail)
            assert _iso(section["pip_deadline"].value) == deadline
            shown = section["pip_deadline"].value
            assert (
                f'data-duo-date="PIP_UITERLIJK">{shown:%d-%m-%Y}<' in html
                if shown
                else 'data-duo-date="PIP_UITERLIJK">nog niet bekend<' in html
            )
            monitoring_facts.rebuild_municipality(municipality, now=timezone.now())
            fact = PersonFact.objects.get(case_id=case.pk)
            assert _iso(fact.pip_deadline) == deadline
            assert _iso(fact.termijn_end) == api["datums"]["TERMIJN_EINDE"]["datum"]
            # The bug of issue 14: a Wi2021 case with a vestiging and no kennisgeving has a
            # deadline everywhere (from the plicht start), and the toelichting says so.
            wi2021 = api["wet"] == "Wi2021"
            if wi2021 and "brp_vestiging" in facts and "kennisgeving_duo" not in facts:
                assert deadline is not None
                text = api["datums"]["PIP_UITERLIJK"]["toelichting"]
                assert "kennisgeving van DUO is niet bekend" in text
                seen.add("zonder kennisgeving")
            seen.add(api["wet"])
            if "pip_dagtekening" in facts:
                seen.add("pip")
        finally:
            transaction.savepoint_rollback(savepoint)

    check()
    # The generated cases covered both laws, PIPs and the migration-import shape.
    assert {"Wi2013", "Wi2021", "pip", "zonder kennisgeving"} <= seen


PEILDATA = [date(2022, 6, 30), date(2023, 4, 12), date(2024, 2, 29), TODAY]


@pytest.mark.django_db
def test_the_report_counts_what_the_rule_dates_say(
    regisseur: Any, municipality: Any, settings: Any
) -> None:
    """The report's PIP_BINNEN_TERMIJN teller and noemer (through the monitoring facts) equal
    the counts of the generated cases computed from `rules.calculate` at the same peildatum."""
    settings.THUIS_DISCLOSURE_K = 1  # small test populations are not suppressed
    seen: set[str] = set()

    @hypothesis_settings(max_examples=20, deadline=None, derandomize=True)
    @given(batch=st.lists(scenarios(), min_size=1, max_size=4), peildatum=st.sampled_from(PEILDATA))
    @example(batch=[MIGRATED, WI2013, FROM_DUO], peildatum=date(2024, 2, 29))
    def check(batch: list[Scenario], peildatum: date) -> None:
        savepoint = transaction.savepoint()
        try:
            teller = noemer = 0
            for scenario in batch:
                case, facts = _create(scenario, municipality=municipality, by=regisseur)
                dates = rules.calculate(case_facts(case))
                if dates.wet is Regime.WI2013:  # no PIP under the Wi2013: not in the population
                    seen.add("Wi2013")
                    continue
                deadline = dates.pip_uiterlijk.value
                first = facts.get("pip_dagtekening")
                first_pip = date.fromisoformat(first) if first else None
                if deadline is None:
                    continue
                if deadline <= peildatum or (first_pip is not None and first_pip <= peildatum):
                    noemer += 1
                    if first_pip is not None and first_pip <= min(deadline, peildatum):
                        teller += 1
                        seen.add("op tijd")
                    else:
                        seen.add("te laat of geen")
            monitoring_facts.rebuild_municipality(municipality, now=timezone.now())
            cache.clear()
            table = monitoring_selectors.indicator_table(
                code="PIP_BINNEN_TERMIJN", municipality=municipality, peildatum=peildatum
            )
            assert table["k"] == 1
            cells = table["cellen"]
            shown = (cells[0]["teller"], cells[0]["noemer"]) if cells else (0, 0)
            assert shown == (teller, noemer), batch
        finally:
            transaction.savepoint_rollback(savepoint)

    check()
    assert {"Wi2013", "op tijd", "te laat of geen"} <= seen

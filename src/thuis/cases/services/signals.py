"""The daily job: turn the rules into a work queue of signals per case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from thuis.cases import rules
from thuis.cases.choices import OPEN_STATUSES, Component
from thuis.cases.models import CaseSignal, IntegrationCase

from .facts import case_legal_dates


def case_signals(case: IntegrationCase, *, today: date) -> list[rules.Signal]:
    dates = case_legal_dates(case, today=today)
    pips = list(case.pips.all())
    done = {c.component for c in case.completions.all()}
    talks = sorted((t.held_on for t in case.progress_talks.all()), reverse=True)
    first_pip = min((p.dagtekening for p in pips), default=None)
    last_pip = max(pips, key=lambda p: p.version) if pips else None
    map_needed = bool(
        last_pip and rules.map_required(leerroute=rules.Leerroute(last_pip.leerroute)).value
    )
    intake = getattr(case, "intake", None)
    return rules.signals(
        today=today,
        pip_deadline=dates.pip_uiterlijk.value if dates else None,
        pip_done=bool(pips),
        termijn_end=dates.termijn_einde.value if dates else None,
        pvt_deadline=dates.pvt_uiterlijk.value if dates else None,
        pvt_open=Component.PVT not in done,
        map_open=map_needed and Component.MAP not in done,
        ontzorgen_end=dates.ontzorgen_einde.value if dates else None,
        progress_since=talks[0] if talks else first_pip,
        lbt_review_date=intake.lbt_date if intake is not None and intake.lbt_review else None,
        plicht_ended=case.status not in OPEN_STATUSES,
    )


@transaction.atomic
def signals_refresh(*, case: IntegrationCase, today: date) -> tuple[int, int]:
    """Open new signals and resolve the ones that no longer apply. Returns (opened, resolved)."""
    wanted = {s.code.value: s for s in case_signals(case, today=today)}
    open_signals = {s.code: s for s in case.signals.filter(resolved_on__isnull=True)}
    opened = resolved = 0
    for code, signal in wanted.items():
        current = open_signals.get(code)
        if current is None:
            CaseSignal.objects.create(
                case=case,
                code=code,
                due_date=signal.datum,
                message=signal.melding[:255],
                raised_on=today,
            )
            opened += 1
        elif current.due_date != signal.datum or current.message != signal.melding[:255]:
            current.due_date, current.message = signal.datum, signal.melding[:255]
            current.save(update_fields=["due_date", "message", "updated_at"])
    for code, current in open_signals.items():
        if code not in wanted:
            current.resolved_on = today
            current.save(update_fields=["resolved_on", "updated_at"])
            resolved += 1
    return opened, resolved


def signals_refresh_all(*, today: date, municipality: Any = None) -> dict[str, int]:
    cases = IntegrationCase.objects.prefetch_related(
        "pips", "completions", "progress_talks", "extensions", "doelgroepen", "signals"
    ).select_related("intake", "ontzorgen")
    if municipality is not None:
        cases = cases.filter(municipality=municipality)
    totals = {"trajecten": 0, "nieuw": 0, "opgelost": 0}
    for case in cases.iterator(chunk_size=500):
        opened, resolved = signals_refresh(case=case, today=today)
        totals["trajecten"] += 1
        totals["nieuw"] += opened
        totals["opgelost"] += resolved
    return totals

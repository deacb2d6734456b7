"""Where the report's data come from: other apps, each read through its selectors behind a guard.

Every method returns None when the source is not available (app not installed, selector not
there yet); the report section then says so in Dutch. An available but empty source returns an
empty list or dict. Tests inject a fake object with the same methods.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Protocol

from django.apps import apps

from thuis.core import disclosure, formatting
from thuis.people.models import Municipality

logger = logging.getLogger(__name__)

GUARDED = (ImportError, AttributeError, LookupError, RuntimeError)


class Sources(Protocol):
    def indicator_meta(self, code: str) -> dict[str, Any] | None: ...

    def indicator_table(
        self, *, code: str, municipality: Municipality, peildatum: date, per: list[str]
    ) -> dict[str, Any] | None: ...

    def consultations(
        self, *, municipality: Municipality, start: date, end: date
    ) -> list[dict[str, Any]] | None: ...

    def advice(self, *, municipality: Municipality, advice_id: int) -> dict[str, Any] | None: ...

    def advices(self, *, municipality: Municipality) -> list[tuple[int, str]] | None: ...

    def survey_inputs(
        self, *, municipality: Municipality, start: date, end: date
    ) -> list[dict[str, Any]] | None: ...

    def finance(self, *, municipality: Municipality, year: int) -> dict[str, Any] | None: ...

    def budget_years(self, *, municipality: Municipality) -> list[int] | None: ...

    def support_dependence(
        self, *, municipality: Municipality, peildatum: date
    ) -> dict[str, int] | None: ...

    def cases_per_status(self, *, municipality: Municipality) -> list[dict[str, Any]] | None: ...


def _installed(name: str) -> bool:
    return apps.is_installed(name)


class LiveSources:
    """The real apps of Thuis (monitoring, surveys, finance, partners, cases)."""

    def indicator_meta(self, code: str) -> dict[str, Any] | None:
        if not _installed("thuis.monitoring"):
            return None
        try:
            from thuis.monitoring import indicators

            ind = indicators.get(code)
        except GUARDED:
            return None
        except KeyError:
            return None
        return {
            "code": ind.code,
            "naam": ind.name,
            "definitie": ind.definition,
            "teller": ind.numerator,
            "noemer": ind.denominator,
            "eenheid": ind.unit,
            "bron": ind.source,
            "uitsplitsingen": list(ind.breakdowns),
            "referenties": [
                {
                    "label": r.label,
                    "waarde": r.value,
                    "bron": r.source,
                    "url": r.url,
                    "toelichting": r.note,
                }
                for r in getattr(ind, "references", ())
            ],
        }

    def indicator_table(
        self, *, code: str, municipality: Municipality, peildatum: date, per: list[str]
    ) -> dict[str, Any] | None:
        if not _installed("thuis.monitoring"):
            return None
        try:
            from thuis.monitoring.selectors import indicator_table
        except GUARDED:
            return None
        try:
            # A report is published (council, website): public disclosure control.
            result: dict[str, Any] = indicator_table(
                code=code, municipality=municipality, peildatum=peildatum, per=per, public=True
            )
        except (KeyError, ValueError) as exc:  # unknown indicator or breakdown
            logger.warning("Indicator %s niet beschikbaar: %s", code, type(exc).__name__)
            return None
        except Exception as exc:
            from thuis.core.errors import ThuisError

            if isinstance(exc, ThuisError):
                return None
            raise
        return result

    def consultations(
        self, *, municipality: Municipality, start: date, end: date
    ) -> list[dict[str, Any]] | None:
        if not _installed("thuis.surveys"):
            return None
        try:
            from thuis.surveys import selectors as survey_selectors
        except GUARDED:
            return None
        rows = survey_selectors.consultations_between(
            municipality=municipality, start=start, end=end
        )
        return [
            {
                "datum": c.held_on.isoformat(),
                "soort": str(c.get_kind_display()),
                "met": str(c.get_with_whom_display()),
                "onderwerp": c.title,
                "organisaties": c.organisation_list,
                "themas": [str(_theme_label(t)) for t in c.themes],
                "bevindingen": c.findings,
                "citaten": c.quote_list,
                "statushouders": c.statushouders_count,
                "anderen": c.others_count,
            }
            for c in rows
        ]

    def advices(self, *, municipality: Municipality) -> list[tuple[int, str]] | None:
        if not _installed("thuis.surveys"):
            return None
        try:
            from thuis.surveys import selectors as survey_selectors
        except GUARDED:
            return None
        return [
            (a.pk, f"{a.council}: {a.title} ({formatting.date_short(a.received_on)})")
            for a in survey_selectors.advices_of_municipality(municipality=municipality)
        ]

    def advice(self, *, municipality: Municipality, advice_id: int) -> dict[str, Any] | None:
        if not _installed("thuis.surveys"):
            return None
        try:
            from thuis.surveys import selectors as survey_selectors
        except GUARDED:
            return None
        advice = survey_selectors.advice_with_points(municipality=municipality, advice_id=advice_id)
        if advice is None:
            return {}
        return {
            "raad": advice.council,
            "onderwerp": advice.title,
            "ontvangen": advice.received_on.isoformat(),
            "inleiding": advice.introduction,
            "reactie_inleiding": advice.response_introduction,
            "reactie_verstuurd": advice.response_sent_on.isoformat()
            if advice.response_sent_on
            else "",
            "punten": [
                {
                    "nummer": p.number,
                    "tekst": p.text,
                    "besluit": str(p.get_decision_display()) if p.decision else "",
                    "motivering": p.motivation,
                    "acties": p.plan_actions,
                }
                for p in advice.points.all()
            ],
        }

    def survey_inputs(
        self, *, municipality: Municipality, start: date, end: date
    ) -> list[dict[str, Any]] | None:
        if not _installed("thuis.surveys"):
            return None
        try:
            from thuis.surveys.selectors import indicator_inputs
        except GUARDED:
            return None
        items = indicator_inputs(municipality=municipality, period=(start, end))
        k = disclosure.default_k()
        out: list[dict[str, Any]] = []
        for code, item in items.items():
            # A report is published: a small complement ("all but 3 agree") is hidden too.
            teller, noemer = disclosure.protect_ratio(
                item.numerator, item.denominator, k=k, complement=True
            )
            hidden_here = item.numerator is not None and teller is None
            out.append(
                {
                    "code": code,
                    "label": item.label,
                    "teller": teller,
                    "noemer": noemer,
                    "tekst": "afgeschermd (te weinig personen)" if hidden_here else item.display,
                    "k": k,
                }
            )
        return out

    def finance(self, *, municipality: Municipality, year: int) -> dict[str, Any] | None:
        if not _installed("thuis.finance"):
            return None
        try:
            from thuis.finance.selectors import finance_report_section
        except GUARDED:
            return None
        section = finance_report_section(municipality=municipality, year=year)
        plain: dict[str, Any] = _plain(section)
        return plain

    def budget_years(self, *, municipality: Municipality) -> list[int] | None:
        """The years that have budget lines (the finance section picks its year from these)."""
        if not _installed("thuis.finance"):
            return None
        try:
            from thuis.finance.selectors import budget_line_years
        except GUARDED:
            return None
        return budget_line_years(municipality=municipality)

    def support_dependence(
        self, *, municipality: Municipality, peildatum: date
    ) -> dict[str, int] | None:
        """Persons with an active support contact; of them, how many have only volunteers or
        professionals (no family, friends or neighbours). Counts only, no person leaves here."""
        if not _installed("thuis.partners"):
            return None
        try:
            from thuis.partners import selectors as partner_selectors
        except GUARDED:
            return None
        return partner_selectors.support_dependence(municipality=municipality, peildatum=peildatum)

    def cases_per_status(self, *, municipality: Municipality) -> list[dict[str, Any]] | None:
        try:
            from thuis.cases import selectors as case_selectors
            from thuis.cases.choices import CaseStatus
        except GUARDED:
            return None
        counts = case_selectors.case_counts_by_status(municipality=municipality)
        return [{"status": str(s.label), "aantal": int(counts.get(s.value, 0))} for s in CaseStatus]


def _theme_label(value: str) -> str:
    try:
        from thuis.surveys.choices import Theme

        return str(dict(Theme.choices).get(value, value))
    except GUARDED:
        return value


def _plain(value: Any) -> Any:
    """JSON-safe copy: Decimal -> string with two decimals, SafeString -> str."""
    from decimal import Decimal

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, str):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value

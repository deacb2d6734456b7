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
from django.db.models import Count, Q

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
            result: dict[str, Any] = indicator_table(
                code=code, municipality=municipality, peildatum=peildatum, per=per
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
            from thuis.surveys.models import Consultation
        except GUARDED:
            return None
        rows = Consultation.objects.filter(
            municipality=municipality, held_on__gte=start, held_on__lte=end
        ).order_by("held_on", "pk")
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
            from thuis.surveys.models import Advice
        except GUARDED:
            return None
        return [
            (a.pk, f"{a.council}: {a.title} ({a.received_on:%d-%m-%Y})")
            for a in Advice.objects.filter(municipality=municipality).order_by("-received_on")
        ]

    def advice(self, *, municipality: Municipality, advice_id: int) -> dict[str, Any] | None:
        if not _installed("thuis.surveys"):
            return None
        try:
            from thuis.surveys.models import Advice
        except GUARDED:
            return None
        advice = (
            Advice.objects.filter(municipality=municipality, pk=advice_id)
            .prefetch_related("points")
            .first()
        )
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
            from thuis.surveys.selectors import indicator_inputs, suppression_k
        except GUARDED:
            return None
        items = indicator_inputs(municipality=municipality, period=(start, end))
        k = suppression_k()
        return [
            {
                "code": code,
                "label": item.label,
                "teller": item.numerator,
                "noemer": item.denominator,
                "tekst": item.display,
                "k": k,
            }
            for code, item in items.items()
        ]

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
            from thuis.partners.models import SupportContact
        except GUARDED:
            return None
        active = Q(start_date__lte=peildatum) & (
            Q(end_date__isnull=True) | Q(end_date__gte=peildatum)
        )
        informal = {"familie", "vriend", "buur"}
        rows = (
            SupportContact.objects.filter(active, person__municipality=municipality)
            .values("person_id")
            .annotate(total=Count("pk"), informal=Count("pk", filter=Q(kind__in=sorted(informal))))
        )
        total = dependent = 0
        for row in rows:
            total += 1
            if row["informal"] == 0:
                dependent += 1
        return {"totaal": total, "afhankelijk": dependent}

    def cases_per_status(self, *, municipality: Municipality) -> list[dict[str, Any]] | None:
        try:
            from thuis.cases.choices import CaseStatus
            from thuis.cases.models import IntegrationCase
        except GUARDED:
            return None
        counts = dict(
            IntegrationCase.objects.filter(municipality=municipality)
            .values_list("status")
            .annotate(n=Count("pk"))
        )
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

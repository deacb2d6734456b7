"""Assemble the evaluation report as one JSON snapshot: every figure and every text.

The renderers (render.py) only read the snapshot, so a published version can be frozen by
storing its snapshot and bytes. Figures come from the indicator layer (suppressed there); this
module drops even the noemer of a suppressed cell, so nothing small reaches a document.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from thuis.core import charts, disclosure, formatting

from . import rules
from .choices import ActionStatus, Comparison, CouncilDocument
from .models import Action, AttentionPoint, Goal, Report, Theme
from .sources import Sources

SNAPSHOT_FORMAT = "thuis-evaluatie/1"
METRIC_KEYS = {"teller", "noemer", "waarde", "ondergrens", "bovengrens", "onderdrukt"}
# Indicators in the figures section unless the report names its own (code, breakdowns).
DEFAULT_FIGURES: tuple[dict[str, Any], ...] = (
    {"code": "PARTICIPATIE_6M_VESTIGING", "per": ["cohort"]},
    {"code": "WERK_12M", "per": ["geslacht"]},
    {"code": "WERK_24M", "per": ["geslacht"]},
    {"code": "BIJSTAND_12M", "per": []},
    {"code": "INTAKE_GESTART", "per": ["cohort"]},
)
SEX = {"M": "Mannen", "V": "Vrouwen", "X": "Anders of onbekend"}
SECTIONS = (
    ("terugblik", "Terugblik op de acties"),
    ("gehoord", "Wat we hoorden"),
    ("onderzoek", "Onderzoek en enquêtes"),
    ("cijfers", "De cijfers"),
    ("ontwikkelingen", "Ontwikkelingen"),
    ("aandachtspunten", "Aandachtspunten"),
    ("financien", "Financiën"),
    ("vervolg", "Vervolgstappen"),
)
NOT_AVAILABLE = "Deze bron is (nog) niet beschikbaar in Thuis. Dit deel is daarom leeg."
EMPTY = "Er zijn (nog) geen gegevens vastgelegd voor deze periode."

Progress = Callable[[int, str], None]


def gemeente_name(report: Report) -> str:
    configured = str(getattr(settings, "THUIS_GEMEENTE_NAAM", "") or "")
    return configured or report.municipality.name


def logo_data_uri() -> str:
    """The gemeente's logo (THUIS_GEMEENTE_LOGO: path to an SVG or PNG) as a data URI, or ''."""
    path = str(getattr(settings, "THUIS_GEMEENTE_LOGO", "") or "")
    if not path:
        return ""
    file = Path(path)
    if not file.is_file():
        return ""
    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if mime not in {"image/svg+xml", "image/png", "image/jpeg"}:
        return ""
    return f"data:{mime};base64," + base64.b64encode(file.read_bytes()).decode("ascii")


def full_title(report: Report, gemeente: str) -> str:
    plain = gemeente.split(" (")[0]
    if plain.lower() in report.approach.lower():
        return report.title
    return f"{report.title} gemeente {plain}"


def figures_of(report: Report) -> list[dict[str, Any]]:
    items = report.figures or list(DEFAULT_FIGURES)
    return [{"code": str(i["code"]), "per": [str(p) for p in i.get("per", [])]} for i in items]


# --- helpers -------------------------------------------------------------------------------


def _label(keys: Mapping[str, Any]) -> str:
    parts = []
    for key, value in keys.items():
        text = str(value)
        if text == "totaal":
            continue
        if key == "geslacht":
            text = SEX.get(text, text)
        parts.append(text)
    return " · ".join(parts) or "Totaal"


def _is_total(keys: Mapping[str, Any]) -> bool:
    return all(str(v) == "totaal" for v in keys.values())


def table_rows(cells: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Display rows from API cells; a suppressed row keeps only its label."""
    rows = []
    for cell in cells:
        keys = {k: v for k, v in cell.items() if k not in METRIC_KEYS}
        row: dict[str, Any] = {"label": _label(keys), "totaal": _is_total(keys)}
        if cell.get("onderdrukt") or cell.get("waarde") is None:
            row["onderdrukt"] = True
        else:
            row.update(
                onderdrukt=False,
                waarde=cell["waarde"],
                ondergrens=cell.get("ondergrens"),
                bovengrens=cell.get("bovengrens"),
                noemer=cell.get("noemer"),
            )
        rows.append(row)
    rows.sort(key=lambda r: (r["totaal"], r["label"] == "Totaal"))
    return rows


def _total_cell(table: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if not table:
        return None
    for cell in table.get("cellen", []):
        keys = {k: v for k, v in cell.items() if k not in METRIC_KEYS}
        if _is_total(keys):
            return cell  # type: ignore[no-any-return]
    return None


def _fmt_value(value: Any, unit: str) -> str:
    if value is None:
        return ""
    return formatting.percent(value) if unit == "%" else f"{formatting.number(value, 0)} {unit}"


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{formatting.date_long(start)} – {formatting.date_long(end)}"
    if start:
        return f"vanaf {formatting.date_long(start)}"
    if end:
        return f"tot {formatting.date_long(end)}"
    return ""


# --- sections ------------------------------------------------------------------------------


def _goal_rows(
    goals: Sequence[Goal], report: Report, peildatum: date, sources: Sources
) -> list[dict[str, Any]]:
    out = []
    for goal in goals:
        row: dict[str, Any] = {"doel": goal.description, "indicator": goal.indicator_code}
        if goal.indicator_code and goal.target_value is not None:
            word = "minstens" if goal.comparison == Comparison.AT_LEAST else "hoogstens"
            row["streefwaarde"] = f"{word} {formatting.number(goal.target_value, 0)}%"
            cell = _total_cell(
                sources.indicator_table(
                    code=goal.indicator_code,
                    municipality=report.municipality,
                    peildatum=peildatum,
                    per=[],
                )
            )
            if cell is None:
                row["gemeten"] = "niet beschikbaar"
                row["gehaald"] = None
            elif not rules.visible(cell):
                row["gemeten"] = "afgeschermd (te weinig personen)"
                row["gehaald"] = None
            else:
                row["gemeten"] = formatting.percent(cell["waarde"])
                row["gehaald"] = rules.goal_met(
                    value=float(cell["waarde"]),
                    target=goal.target_value,
                    comparison=goal.comparison,
                )
        out.append(row)
    return out


def section_terugblik(report: Report, peildatum: date, sources: Sources) -> dict[str, Any]:
    plan = report.plan
    if plan is None:
        return {"beschikbaar": False, "melding": "Er is geen plan van aanpak gekoppeld."}
    themes: list[Theme] = list(plan.themes.prefetch_related("goals", "actions__owner"))
    status_labels = dict(ActionStatus.choices)
    theme_rows = []
    for theme in themes:
        actions: list[Action] = list(theme.actions.all())
        theme_rows.append(
            {
                "titel": theme.title,
                "toelichting": theme.description,
                "voortgang": rules.action_progress(a.status for a in actions),
                "doelen": _goal_rows(list(theme.goals.all()), report, peildatum, sources),
                "acties": [
                    {
                        "titel": a.title,
                        "eigenaar": a.owner.name if a.owner else "",
                        "status": str(status_labels[a.status]),
                        "gepland": _period(a.planned_start, a.planned_end),
                        "uitgevoerd": _period(a.actual_start, a.actual_end),
                        "bewijs": a.evidence,
                    }
                    for a in actions
                ],
            }
        )
    cases = sources.cases_per_status(municipality=report.municipality)
    trajecten = None
    if cases is not None:
        texts, total = disclosure.count_texts([int(c["aantal"]) for c in cases])
        trajecten = {
            "rijen": [
                {"status": c["status"], "aantal": t} for c, t in zip(cases, texts, strict=True)
            ],
            "totaal": total,
        }
    return {
        "beschikbaar": True,
        "plan": plan.title,
        "vastgesteld": formatting.date_long(plan.adopted_on) if plan.adopted_on else "",
        "vastgesteld_door": plan.adopted_by,
        "visie": plan.vision,
        "themas": theme_rows,
        "trajecten": trajecten,
    }


def section_gehoord(report: Report, peildatum: date, sources: Sources) -> dict[str, Any]:
    items = sources.consultations(
        municipality=report.municipality, start=report.period_start, end=peildatum
    )
    if items is None:
        return {"beschikbaar": False, "melding": NOT_AVAILABLE}
    for item in items:
        item["datum_tekst"] = formatting.date_long(item["datum"])
    return {
        "beschikbaar": True,
        "melding": "" if items else EMPTY,
        "gesprekken": items,
    }


def section_onderzoek(report: Report, peildatum: date, sources: Sources) -> dict[str, Any]:
    items = sources.survey_inputs(
        municipality=report.municipality, start=report.period_start, end=peildatum
    )
    if items is None:
        return {"beschikbaar": False, "melding": NOT_AVAILABLE}
    has_answers = any(i.get("noemer") or "minder dan" in str(i.get("tekst", "")) for i in items)
    return {
        "beschikbaar": True,
        "melding": "" if items and has_answers else EMPTY,
        "uitkomsten": [{"label": i["label"], "tekst": i["tekst"]} for i in items],
    }


def _targets(report: Report) -> dict[str, float]:
    if report.plan is None:
        return {}
    out: dict[str, float] = {}
    for goal in Goal.objects.filter(theme__plan=report.plan).exclude(indicator_code=""):
        if goal.target_value is not None:
            out.setdefault(goal.indicator_code, float(goal.target_value))
    return out


def section_cijfers(
    report: Report, peildatum: date, sources: Sources, progress: Progress | None = None
) -> dict[str, Any]:
    figures = figures_of(report)
    targets = _targets(report)
    items = []
    any_available = False
    for n, fig in enumerate(figures, start=1):
        code, per = fig["code"], fig["per"]
        if progress:
            progress(10 + int(30 * n / max(len(figures), 1)), f"Indicator {code} ophalen")
        meta = sources.indicator_meta(code)
        table = sources.indicator_table(
            code=code, municipality=report.municipality, peildatum=peildatum, per=per
        )
        if meta is None or table is None:
            items.append(
                {
                    "code": code,
                    "beschikbaar": False,
                    "naam": meta["naam"] if meta else code,
                    "melding": "Deze indicator is (nog) niet beschikbaar.",
                }
            )
            continue
        any_available = True
        unit = str(meta.get("eenheid", "%"))
        rows = table_rows(table.get("cellen", []))
        target = targets.get(code) if unit == "%" else None
        bars = [
            charts.Bar(
                label=r["label"],
                value=None if r["onderdrukt"] else float(r["waarde"]),
                low=None if r["onderdrukt"] else r.get("ondergrens"),
                high=None if r["onderdrukt"] else r.get("bovengrens"),
                text="" if r["onderdrukt"] else _fmt_value(r["waarde"], unit),
                total=r["label"].lower().startswith("totaal"),
            )
            for r in rows
        ]
        chart = {"title": meta["naam"], "bars": bars, "unit": unit, "target": target}
        svg = charts.bar_chart(
            chart_id=f"grafiek-{code}".lower(),
            **chart,
            empty=charts.HIDDEN,
            standalone=True,
            label_limit=60,
        )
        for r in rows:
            if not r["onderdrukt"]:
                r["waarde_tekst"] = _fmt_value(r["waarde"], unit)
                r["interval_tekst"] = (
                    rules.interval_text(r.get("ondergrens"), r.get("bovengrens"))
                    if unit == "%"
                    else ""
                )
        items.append(
            {
                "code": code,
                "beschikbaar": True,
                "naam": meta["naam"],
                "definitie": meta.get("definitie", ""),
                "teller": meta.get("teller", ""),
                "noemer": meta.get("noemer", ""),
                "eenheid": unit,
                "bron": meta.get("bron", ""),
                "per": per,
                "peildatum": table.get("peildatum", peildatum.isoformat()),
                "peildatum_tekst": formatting.date_long(
                    table.get("peildatum", peildatum.isoformat())
                ),
                "k": table.get("k", disclosure.default_k()),
                "leeg": not rows,
                "rijen": rows,
                "doel": target,
                "doel_tekst": _fmt_value(target, unit) if target is not None else "",
                "referenties": [
                    {**ref, "waarde_tekst": _fmt_value(ref.get("waarde"), unit)}
                    for ref in meta.get("referenties", [])
                ],
                "grafiek": charts.data_uri(svg),
                "grafiek_alt": charts.text_alternative(**chart, empty=charts.HIDDEN),
            }
        )
    return {
        "beschikbaar": any_available,
        "melding": "" if any_available else NOT_AVAILABLE,
        "indicatoren": items,
        "k": disclosure.default_k(),
        "afscherming": suppression_note(disclosure.default_k()),
    }


def suppression_note(k: int) -> str:
    """How the report protects small groups (one text for the PDF and the DOCX)."""
    return (
        f"Een cel met minder dan {k} personen laten we niet zien (afgeschermd). Dat geldt ook "
        f"voor een cel waarin op minder dan {k} personen na iedereen meetelt, en voor een cel "
        "waarmee u zo'n kleine cel zou kunnen terugrekenen."
    )


def finance_year(report: Report, peildatum: date, budget_years: Sequence[int]) -> int:
    """The year of the finance section: the year set on the report; else the latest year up to
    the peildatum's year that has a budget; else the peildatum's year (which then has none)."""
    if report.finance_year:
        return int(report.finance_year)
    earlier = [y for y in budget_years if y <= peildatum.year]
    return max(earlier) if earlier else peildatum.year


def _years_text(years: Sequence[int]) -> str:
    """2023 / 2023 en 2024 / 2022, 2023 en 2024."""
    texts = [str(y) for y in years]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} en {texts[-1]}"


def no_budget_text(year: int, budget_years: Sequence[int]) -> str:
    """Plain Dutch (B1) for a year without budget lines, naming the years that have them."""
    text = (
        f"Voor {year} staat er geen begroting in Thuis."
        " Daarom ziet u hier geen begroting en geen saldo."
    )
    if budget_years:
        text += f" Er is wel een begroting voor {_years_text(budget_years)}."
    return text


def section_financien(report: Report, peildatum: date, sources: Sources) -> dict[str, Any]:
    budget_years = sources.budget_years(municipality=report.municipality)
    year = finance_year(report, peildatum, budget_years or [])
    data = sources.finance(municipality=report.municipality, year=year)
    if data is None or budget_years is None:
        return {"beschikbaar": False, "melding": NOT_AVAILABLE, "jaar": year}
    forecast = data.get("forecast") or None
    has_budget = bool(data.get("has_budget"))
    return {
        "beschikbaar": True,
        "jaar": year,
        "melding": "",
        "heeft_begroting": has_budget,
        "begroting_jaren": list(budget_years),
        "geen_begroting": "" if has_budget else no_budget_text(year, budget_years),
        "begroting": [
            {"label": r["label"], "bedrag": _eur(r["amount"])} for r in data.get("budget", [])
        ]
        if has_budget
        else [],
        "begroting_totaal": _eur(data.get("budget_total")) if has_budget else "",
        "kosten": [
            {"label": r["label"], "bedrag": _eur(r["amount"])} for r in data.get("costs", [])
        ],
        "kosten_totaal": _eur(data.get("costs_total")),
        "saldo": _eur(data.get("balance")) if has_budget else "",
        "lopend": data.get("running_cases", []),
        "prognose": None
        if not forecast
        else {
            "scenario": forecast.get("scenario", ""),
            "jaren": [
                {
                    "jaar": y.get("year"),
                    "inkomsten": _eur(y.get("income_total")),
                    "uitgaven": _eur(y.get("spending_total")),
                    "resultaat": _eur(y.get("result")),
                    "saldo": _eur(y.get("cumulative")),
                }
                for y in forecast.get("years", [])
                if isinstance(y, Mapping)
            ],
            "waarschuwingen": forecast.get("warnings", []),
        },
        "schattingen": data.get("estimates", []),
        "notities": data.get("notes", []),
    }


def _eur(value: Any) -> str:
    if value is None or value == "":
        return ""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(str(value)).quantize(Decimal("1"))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}€ {abs(amount):,.0f}".replace(",", ".")


def attention_points(report: Report) -> list[dict[str, Any]]:
    points: list[AttentionPoint] = list(report.attention_points.filter(include=True))
    return [{"titel": p.title, "tekst": p.text, "onderbouwing": p.evidence} for p in points]


def council(
    report: Report, gemeente: str, evaluation_title: str, *, has_advice: bool
) -> dict[str, Any]:
    advice_title = "Advies van de participatieraad"
    response_title = "Reactie van het college op het advies van de participatieraad"
    bijlagen = [evaluation_title]
    if has_advice:
        bijlagen += [advice_title, response_title]
    plain = gemeente.split(" (")[0]
    return {
        "soort": report.council_document,
        "soort_tekst": str(dict(CouncilDocument.choices)[report.council_document]),
        "doel": report.doel,
        "inleiding": report.inleiding,
        "kernboodschap": report.kernboodschap,
        "duurzaamheid": report.duurzaamheid or "Niet van toepassing",
        "communicatie": report.communicatie,
        "vervolg": report.vervolg,
        "bijlagen": bijlagen,
        "college": f"Burgemeester en wethouders van {plain}",
        "burgemeester": report.burgemeester,
        "secretaris": report.secretaris,
        "secretaris_functie": report.secretaris_title,
    }


# --- the whole snapshot --------------------------------------------------------------------


def build_snapshot(
    *, report: Report, peildatum: date, sources: Sources, progress: Progress | None = None
) -> dict[str, Any]:
    """Everything a document shows, as plain JSON values."""
    gemeente = gemeente_name(report)
    title = full_title(report, gemeente)
    if progress:
        progress(5, "Plan van aanpak lezen")
    sections: dict[str, Any] = {
        "terugblik": section_terugblik(report, peildatum, sources),
        "gehoord": section_gehoord(report, peildatum, sources),
        "onderzoek": section_onderzoek(report, peildatum, sources),
        "cijfers": section_cijfers(report, peildatum, sources, progress),
        "ontwikkelingen": {"tekst": report.developments},
        "aandachtspunten": {"punten": attention_points(report)},
        "financien": section_financien(report, peildatum, sources),
        "vervolg": {"tekst": report.next_steps},
    }
    advice = (
        sources.advice(municipality=report.municipality, advice_id=report.advice_id)
        if report.advice_id
        else None
    )
    if advice:
        advice["ontvangen_tekst"] = formatting.date_long(advice.get("ontvangen"))
    return {
        "formaat": SNAPSHOT_FORMAT,
        "titel": title,
        "aanpak": report.approach,
        "gemeente": {"code": report.municipality.code, "naam": gemeente},
        "logo": logo_data_uri(),
        "peildatum": peildatum.isoformat(),
        "peildatum_tekst": formatting.date_long(peildatum),
        "terugblik_vanaf": formatting.date_long(report.period_start),
        "secties": [{"sleutel": key, "titel": label} for key, label in SECTIONS],
        "inhoud": sections,
        "raad": council(report, gemeente, title, has_advice=bool(advice)),
        "advies": advice or None,
        "advies_beschikbaar": bool(advice),
        "advies_gevraagd": bool(report.advice_id),
    }

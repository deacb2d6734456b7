"""Dashboards (staff and public), exports and the benchmark exchange.

Views only parse, call a selector or service and render. Every figure comes from
`selectors.indicator_table`, so disclosure control is applied once, in the indicator layer.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from thuis.accounts.choices import Role
from thuis.core import charts, disclosure
from thuis.core.errors import ThuisError
from thuis.people.models import Municipality

from . import exports, indicators, selectors, services
from .forms import BenchmarkUploadForm, FilterForm

PUBLIC_CODES = (
    "INTAKE_GESTART",
    "PARTICIPATIE_6M_VESTIGING",
    "WERK_12M",
    "WERK_36M",
    "BIJSTAND_12M",
    "LEERROUTE_MIX",
    "DOORLOOP_PLICHT_INTAKE",
    "PLICHT_VOLDAAN_BINNEN_TERMIJN",
)
VALUE_KEYS = set(exports.VALUE_COLUMNS)


def _require_monitor(user: Any) -> None:
    if not selectors.sees_monitoring(user):
        raise PermissionDenied


def _filters(
    request: HttpRequest,
    municipalities: list[Municipality],
    breakdowns: tuple[str, ...] = indicators.ALL_BREAKDOWNS,
):
    form = FilterForm(request.GET or None, municipalities=municipalities, breakdowns=breakdowns)
    codes: list[str] = []
    peildatum = timezone.localdate()
    per: list[str] = []
    if form.is_bound and form.is_valid():
        codes = [form.cleaned_data["gemeente"]] if form.cleaned_data["gemeente"] else []
        peildatum = form.cleaned_data["peildatum"] or peildatum
        per = [p for p in (form.cleaned_data["per"], form.cleaned_data["per2"]) if p]
        per = list(dict.fromkeys(per))
    elif not form.is_bound and len(municipalities) == 1:
        form = FilterForm(
            initial={"gemeente": municipalities[0].code, "peildatum": peildatum},
            municipalities=municipalities,
            breakdowns=breakdowns,
        )
    targets = [m for m in municipalities if m.code in codes] if codes else municipalities
    if not targets:
        raise Http404
    return form, targets, peildatum, per


def cell_label(cell: dict[str, Any]) -> str:
    keys = [str(v) for k, v in cell.items() if k not in VALUE_KEYS]
    return " – ".join(keys) if keys else "totaal"


def _is_total(cell: dict[str, Any], inherent: str = "") -> bool:
    return all(v == "totaal" for k, v in cell.items() if k not in VALUE_KEYS and k != inherent)


def _headline(table: dict[str, Any], indicator: indicators.Indicator) -> list[dict[str, Any]]:
    return [c for c in table["cellen"] if _is_total(c, indicator.inherent)]


def _text(cell: dict[str, Any], unit: str) -> str:
    if cell["onderdrukt"]:
        return "onderdrukt"
    return charts.value_text(cell["waarde"], unit)


def _indicator_chart(
    indicator: indicators.Indicator, table: dict[str, Any], *, chart_id: str, title: str
) -> Any:
    cells = table["cellen"]
    bars = [
        charts.Bar(
            label=cell_label(c),
            value=None if c["onderdrukt"] else c["waarde"],
            text=_text(c, indicator.unit),
        )
        for c in cells
    ]
    markers = [charts.Marker(r.label, r.value) for r in indicator.references][:4]
    return charts.bar_chart(
        chart_id=chart_id,
        title=title,
        bars=bars,
        unit=indicator.unit,
        markers=markers if indicator.unit == "%" else (),
        css_class="mon-chart",
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_monitor(request.user)
    municipalities = list(selectors.municipalities_for_user(user=request.user))
    form, targets, peildatum, _per = _filters(request, municipalities, breakdowns=())
    k = disclosure.default_k()
    stamp = selectors.facts_stamp(municipalities=targets)
    key = selectors.dashboard_cache_key(
        municipalities=targets, peildatum=peildatum, k=k, stamp=stamp
    )
    figures = cache.get(key)
    if figures is None:
        figures = _dashboard_figures(targets, peildatum, stamp)
        cache.set(key, figures, selectors.CACHE_SECONDS)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "form": form,
            "targets": targets,
            "peildatum": peildatum,
            # Our own autoescaped template, rendered once and cached (the cache may give a str).
            "figures": mark_safe(figures),  # nosec B308, B703  # rendered by render_to_string
            "rebuild": selectors.last_rebuild(municipalities=targets),
            "k": k,
        },
    )


def _dashboard_figures(targets: list[Municipality], peildatum: date, stamp: str) -> str:
    """The charts and tables of the dashboard (no user-specific content), rendered."""
    tables, from_snapshot = selectors.dashboard_tables(
        municipalities=targets, peildatum=peildatum, stamp=stamp
    )
    if not from_snapshot and len(targets) == 1 and peildatum == timezone.localdate():
        # Materialise today's default view once (shared by every worker until the next rebuild).
        services.indicator_snapshot_store(
            municipality=targets[0], peildatum=peildatum, tables=tables
        )
    groups: dict[str, list[dict[str, Any]]] = {}
    totals: dict[str, dict[str, Any] | None] = {}
    for code, ind in indicators.CATALOGUE.items():
        if ind.kind == indicators.SURVEY:
            continue
        head = _headline(tables["totaal"][code], ind)
        totals[code] = head[0] if len(head) == 1 else None
        groups.setdefault(ind.group, []).append({"indicator": ind, "cells": head})
    werk_bars = []
    for n in (6, 12, 18, 24, 30, 36, 48, 60):
        for series, kind in enumerate(("WERK", "BIJSTAND")):
            cell = totals.get(f"{kind}_{n}M")
            werk_bars.append(
                charts.Bar(
                    label=f"{n} mnd – {kind.lower()}",
                    series=series,
                    value=None if cell is None or cell["onderdrukt"] else cell["waarde"],
                    text="geen gegevens" if cell is None else _text(cell, "%"),
                )
            )
    werk_chart = charts.bar_chart(
        chart_id="werk-bijstand",
        title="Werk en bijstand naar maanden na de start van de plicht",
        bars=werk_bars,
        css_class="mon-chart",
    )
    gender = tables["geslacht"]
    gender_chart = _indicator_chart(
        indicators.get("WERK_36M"),
        gender,
        chart_id="werk-geslacht",
        title="Met werk 36 maanden na de start van de plicht, naar geslacht",
    )
    survey = []
    if selectors.survey_available():
        inputs = selectors.survey_inputs(municipalities=targets, peildatum=peildatum)
        for code, ind in indicators.CATALOGUE.items():
            if ind.kind == indicators.SURVEY:
                table = selectors.indicator_table(
                    code=code, municipality=targets, peildatum=peildatum, survey=inputs
                )
                survey.append({"indicator": ind, "cells": table["cellen"]})
    return render_to_string(
        "monitoring/_dashboard_figures.html",
        {
            "groups": groups,
            "werk_chart": werk_chart,
            "gender_chart": gender_chart,
            "gender": gender,
            "werk_bars": werk_bars,
            "survey": survey,
            "survey_available": selectors.survey_available(),
        },
    )


def _table_for(request: HttpRequest, code: str):
    _require_monitor(request.user)
    if code not in indicators.CATALOGUE:
        raise Http404
    indicator = indicators.get(code)
    municipalities = list(selectors.municipalities_for_user(user=request.user))
    form, targets, peildatum, per = _filters(request, municipalities, indicator.breakdowns)
    try:
        table = selectors.indicator_table(
            code=code, municipality=targets, peildatum=peildatum, per=per
        )
    except ThuisError as exc:
        messages.error(request, exc.message)
        table = selectors.indicator_table(code=code, municipality=targets, peildatum=peildatum)
    return indicator, form, targets, peildatum, table


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator, form, targets, peildatum, table = _table_for(request, code)
    chart = _indicator_chart(indicator, table, chart_id="indicator", title=indicator.name)
    keys = exports.key_columns(table["cellen"])
    benchmarks = []
    for bench in selectors.benchmarks_for(municipalities=targets):
        data = bench.indicators.get(code)
        if data:
            benchmarks.append(
                {
                    "set": bench,
                    "cells": [
                        c for c in data.get("cellen", []) if _is_total(c, indicator.inherent)
                    ],
                }
            )
    query = request.GET.urlencode()
    return render(
        request,
        "monitoring/indicator.html",
        {
            "indicator": indicator,
            "form": form,
            "targets": targets,
            "peildatum": peildatum,
            "table": table,
            "chart": chart,
            "keys": keys,
            "benchmarks": benchmarks,
            "rows": [[c.get(k) for k in keys] + [c] for c in table["cellen"]],
            "query": query,
            "breakdown_names": indicators.BREAKDOWNS,
        },
    )


@login_required
def indicator_export(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _form, _targets, _peildatum, table = _table_for(request, code)
    fmt = request.GET.get("formaat", "csv")
    args = (indicator.code, table["peildatum"], table["k"], table["cellen"])
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(*args),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(exports.to_csv(*args), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = (
        f'attachment; filename="{indicator.code}-{table["peildatum"]}.{fmt}"'
    )
    return response


def public_figures(request: HttpRequest, gemeentecode: str) -> HttpResponse:
    """Published figures without login: only suppressed aggregates, per cohort."""
    if not settings.THUIS_PUBLIC_FIGURES:
        raise Http404
    municipality = get_object_or_404(Municipality, code=gemeentecode)
    peildatum = timezone.localdate()
    rows = selectors.lazy_rows(municipalities=[municipality])
    stamp = selectors.facts_stamp(municipalities=[municipality])
    items = []
    for code in PUBLIC_CODES:
        indicator = indicators.get(code)
        per = ["cohort"] if "cohort" in indicator.breakdowns else []
        table = selectors.indicator_table(
            code=code,
            municipality=municipality,
            peildatum=peildatum,
            per=per,
            rows=rows,
            stamp=stamp,
            public=True,
        )
        keys = exports.key_columns(table["cellen"])
        items.append(
            {
                "indicator": indicator,
                "table": table,
                "keys": keys,
                "rows": [[c.get(k) for k in keys] + [c] for c in table["cellen"]],
                "chart": _indicator_chart(
                    indicator,
                    table,
                    chart_id=f"pub-{code.lower()}",
                    title=f"{indicator.name} ({municipality.name})",
                ),
            }
        )
    return render(
        request,
        "monitoring/public.html",
        {
            "municipality": municipality,
            "peildatum": peildatum,
            "items": items,
            "k": items[0]["table"]["k"] if items else None,
            "rebuild": selectors.last_rebuild(municipalities=[municipality]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def benchmark(request: HttpRequest) -> HttpResponse:
    _require_monitor(request.user)
    municipalities = list(selectors.municipalities_for_user(user=request.user))
    if not municipalities:
        raise Http404
    may_import = getattr(request.user, "role", "") in {Role.BELEIDSMEDEWERKER, Role.BEHEERDER}
    form = BenchmarkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            try:
                bench = services.benchmark_import(
                    owner=municipalities[0], by=request.user, payload=upload.read(2_000_000)
                )
            except ThuisError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Benchmark van {bench.source_name} ingelezen.")
                return redirect("monitoring:benchmark")
    return render(
        request,
        "monitoring/benchmark.html",
        {
            "form": form,
            "may_import": may_import,
            "municipalities": municipalities,
            "sets": selectors.benchmarks_for(municipalities=municipalities),
            "today": timezone.localdate(),
        },
    )


@login_required
def benchmark_export(request: HttpRequest) -> HttpResponse:
    _require_monitor(request.user)
    municipalities = list(selectors.municipalities_for_user(user=request.user))
    code = request.GET.get("gemeente") or (municipalities[0].code if municipalities else "")
    target = next((m for m in municipalities if m.code == code), None)
    if target is None:
        raise Http404
    try:
        peildatum = (
            date.fromisoformat(request.GET["peildatum"])
            if request.GET.get("peildatum")
            else timezone.localdate()
        )
    except ValueError as exc:
        raise Http404 from exc
    data = selectors.benchmark_export(
        municipality=target, peildatum=peildatum, generated_at=timezone.now()
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="benchmark-{target.code}-{peildatum}.json"'
    )
    return response

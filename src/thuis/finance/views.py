"""Finance screens for beleidsmedewerkers and beheerders: thin views over selectors/services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from thuis.core import formatting
from thuis.core.errors import ThuisError

from . import exports, rules, selectors, services
from .charts import forecast_chart_svg
from .choices import BudgetSource, CostCategory, ImportStatus, RateKind
from .filters import CostFilter
from .forms import (
    BudgetLineForm,
    CostEntryForm,
    CostImportForm,
    RateForm,
    ScenarioForm,
)
from .models import BudgetLine, CostEntry

PAGE_SIZE = 50


def _require_finance(request: HttpRequest) -> None:
    if not selectors.sees_finance(request.user):
        raise PermissionDenied


def _municipality(request: HttpRequest):
    code = request.POST.get("gemeente") or request.GET.get("gemeente") or None
    return selectors.municipality_for_user(user=request.user, code=code)


def _url(name: str, municipality, **params) -> str:
    query = {"gemeente": municipality.code, **{k: v for k, v in params.items() if v is not None}}
    return f"{reverse(name)}?{urlencode(query)}"


def _base(request: HttpRequest, municipality, active: str) -> dict:
    return {
        "municipality": municipality,
        "municipalities": selectors.municipalities_for_user(user=request.user),
        "active": active,
    }


# --------------------------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Forecast of the chosen (or default) scenario: table, chart, warnings."""
    _require_finance(request)
    municipality = _municipality(request)
    all_scenarios = list(selectors.scenarios(municipality=municipality))
    scenario = None
    if request.GET.get("scenario"):
        try:
            wanted = int(request.GET["scenario"])
        except ValueError as exc:
            raise Http404 from exc
        scenario = next((s for s in all_scenarios if s.pk == wanted), None)
        if scenario is None:
            raise Http404("Scenario niet gevonden.")
    elif all_scenarios:
        scenario = all_scenarios[0]
    context = _base(request, municipality, "dashboard")
    context.update(scenarios=all_scenarios, scenario=scenario)
    if scenario is not None:
        try:
            params, projection = selectors.scenario_projection(scenario=scenario)
        except ThuisError as exc:
            context["error"] = exc.message
        else:
            budgeted = selectors.budgeted_per_capita(
                municipality=municipality, years=params.forecast_years
            )
            context.update(
                params=params,
                projection=projection,
                rows=selectors.projection_rows(projection),
                budgeted=[
                    {
                        "year": y.year,
                        "budgeted": budgeted[y.year],
                        "forecast": y.income_spuk + y.income_onderwijsroute,
                    }
                    for y in projection.years
                ],
                chart=forecast_chart_svg(projection=projection, title_suffix=scenario.name),
            )
    context["running"] = selectors.running_cases_summary(municipality=municipality)
    context["contract_costs"] = selectors.contract_cost_rows(
        municipality=municipality, today=timezone.localdate()
    )
    context["route_mix"] = selectors.route_mix_cells(
        counts=selectors.pip_route_counts(municipality=municipality)
    )
    return render(request, "finance/dashboard.html", context)


# --------------------------------------------------------------------------------------------
# Budget lines and amounts per inburgeringsplichtige
# --------------------------------------------------------------------------------------------


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    municipality = _municipality(request)
    form = BudgetLineForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_create(
                by=request.user, municipality=municipality, **form.cleaned_data
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "De begrotingsregel is opgeslagen.")
            return redirect(_url("finance:budget", municipality))
    totals = selectors.budget_totals(municipality=municipality)
    sources = list(BudgetSource)
    table = [
        {
            "year": year,
            "cells": [by_source.get(s.value, rules.ZERO) for s in sources],
            "total": sum(by_source.values(), rules.ZERO),
        }
        for year, by_source in totals.items()
    ]
    context = _base(request, municipality, "budget")
    context.update(
        form=form,
        sources=sources,
        table=table,
        lines=selectors.budget_lines(municipality=municipality),
    )
    return render(request, "finance/budget.html", context, status=400 if form.errors else 200)


def _budget_line(request: HttpRequest, pk: int) -> BudgetLine:
    _require_finance(request)
    line = (
        BudgetLine.objects.filter(
            pk=pk, municipality__in=selectors.municipalities_for_user(user=request.user)
        )
        .select_related("municipality")
        .first()
    )
    if line is None:
        raise Http404("Begrotingsregel niet gevonden.")
    return line


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _budget_line(request, pk)
    initial = {
        "year": line.year,
        "source": line.source,
        "amount": formatting.decimal_comma(line.amount),
        "description": line.description,
        "reference": line.reference,
    }
    form = BudgetLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(by=request.user, line=line, **form.cleaned_data)
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "De begrotingsregel is gewijzigd.")
            return redirect(_url("finance:budget", line.municipality))
    context = _base(request, line.municipality, "budget")
    context.update(form=form, line=line)
    return render(request, "finance/budget_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def budget_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _budget_line(request, pk)
    services.budget_line_delete(by=request.user, line=line)
    messages.success(request, "De begrotingsregel is verwijderd.")
    return redirect(_url("finance:budget", line.municipality))


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    municipality = _municipality(request)
    form = RateForm(
        request.POST or None, initial={"year": timezone.localdate().year, "is_estimate": True}
    )
    if request.method == "POST":
        if request.POST.get("reset"):
            try:
                year, kind = int(request.POST["year"]), request.POST["kind"]
            except (KeyError, ValueError):
                messages.error(request, "Kies een jaar en een soort.")
            else:
                services.rate_reset(
                    by=request.user, municipality=municipality, year=year, kind=kind
                )
                messages.success(request, "Het landelijke standaardbedrag geldt weer.")
            return redirect(_url("finance:rates", municipality))
        if form.is_valid():
            services.rate_set(by=request.user, municipality=municipality, **form.cleaned_data)
            messages.success(request, "Het bedrag is opgeslagen.")
            return redirect(_url("finance:rates", municipality))
    context = _base(request, municipality, "rates")
    context.update(
        form=form, rows=selectors.rate_rows(municipality=municipality), kinds=RateKind.choices
    )
    return render(request, "finance/rates.html", context, status=400 if form.errors else 200)


# --------------------------------------------------------------------------------------------
# Costs and import
# --------------------------------------------------------------------------------------------


@login_required
def costs(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    municipality = _municipality(request)
    years = sorted(selectors.budget_years(municipality=municipality), reverse=True)
    newest = years[0] if years else timezone.localdate().year
    data = request.GET.copy()
    if not data.get("jaar"):
        data["jaar"] = str(newest)  # the screen shows one year (its totals are per year)
    filters = CostFilter(
        data, queryset=selectors.cost_entries(municipality=municipality), years=years
    )
    filters.is_valid()  # an invalid value is shown at its field and not applied
    year = filters.form.cleaned_data.get("jaar") or newest
    form = CostEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_entry_create(
                by=request.user, municipality=municipality, **form.cleaned_data
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "De kosten zijn opgeslagen.")
            return redirect(
                _url("finance:costs", municipality, jaar=form.cleaned_data["booked_on"].year)
            )
    entries = filters.qs.filter(year=year)  # `year` also when the given jaar was invalid
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    totals = selectors.cost_totals(municipality=municipality, year=year)
    labels = dict(CostCategory.choices)
    context = _base(request, municipality, "costs")
    context.update(
        form=form,
        filters=filters,
        year=year,
        page=page,
        totals=[{"label": labels[c], "amount": a} for c, a in totals.items()],
        total=sum(totals.values(), rules.ZERO),
        providers=selectors.cost_totals_by_provider(municipality=municipality, year=year),
        budget_total=sum(
            selectors.budget_totals(municipality=municipality).get(year, {}).values(), rules.ZERO
        ),
    )
    return render(request, "finance/costs.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    entry = (
        CostEntry.objects.filter(
            pk=pk, municipality__in=selectors.municipalities_for_user(user=request.user)
        )
        .select_related("municipality")
        .first()
    )
    if entry is None:
        raise Http404("Kostenregel niet gevonden.")
    services.cost_entry_delete(by=request.user, entry=entry)
    messages.success(request, "De kostenregel is verwijderd.")
    return redirect(_url("finance:costs", entry.municipality, jaar=entry.year))


@login_required
def cost_import(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    municipality = _municipality(request)
    form = CostImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("bestand", "Het bestand is groter dan 5 MB.")
        else:
            cost_import, _parsed = services.cost_import_upload(
                by=request.user,
                municipality=municipality,
                filename=upload.name,
                content=upload.read(),
            )
            return redirect("finance:cost-import-preview", pk=cost_import.pk)
    context = _base(request, municipality, "import")
    context.update(form=form, imports=selectors.cost_imports(municipality=municipality)[:20])
    return render(request, "finance/cost_import.html", context, status=400 if form.errors else 200)


@login_required
def cost_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    cost_import = selectors.cost_import_for_user(user=request.user, import_id=pk)
    if request.method == "POST":
        try:
            done = services.cost_import_confirm(by=request.user, cost_import=cost_import)
        except ThuisError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Ingelezen: {done.rows_created} nieuwe regels; {done.rows_skipped} regels "
                "stonden er al en zijn overgeslagen.",
            )
            return redirect(_url("finance:costs", done.municipality))
        return redirect("finance:cost-import-preview", pk=cost_import.pk)
    parsed = existing = None
    if cost_import.status != ImportStatus.DONE:
        parsed, existing = services.cost_import_preview(cost_import=cost_import)
    rows = []
    if parsed is not None:
        labels = dict(CostCategory.choices)
        rows = [
            {
                "row": r,
                "label": labels.get(r.category, r.category),
                "new": r.row_key not in (existing or set()),
            }
            for r in parsed.rows[:200]
        ]
    new_count = sum(
        1 for r in (parsed.rows if parsed else []) if r.row_key not in (existing or set())
    )
    context = _base(request, cost_import.municipality, "import")
    context.update(
        cost_import=cost_import,
        parsed=parsed,
        rows=rows,
        new_count=new_count,
        existing_count=(len(parsed.rows) if parsed else 0) - new_count,
        can_confirm=cost_import.status == ImportStatus.PREVIEW
        and parsed is not None
        and not parsed.errors,
    )
    return render(request, "finance/cost_import_preview.html", context)


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


@login_required
def scenarios(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    municipality = _municipality(request)
    context = _base(request, municipality, "scenarios")
    context["scenarios"] = selectors.scenarios(municipality=municipality)
    return render(request, "finance/scenarios.html", context)


@login_required
def scenario_create(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    municipality = _municipality(request)
    defaults = selectors.default_params_for(
        municipality=municipality, first_year=timezone.localdate().year
    )
    form = ScenarioForm(
        request.POST or None,
        initial=ScenarioForm.initial_from(name="", description="", params=defaults),
    )
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                by=request.user,
                municipality=municipality,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                params=form.params,
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Het scenario is opgeslagen.")
            return redirect(_url("finance:dashboard", municipality, scenario=scenario.pk))
    context = _base(request, municipality, "scenarios")
    context.update(form=form, sources=rules.DEFAULT_SOURCES, scenario=None)
    return render(
        request, "finance/scenario_form.html", context, status=400 if form.errors else 200
    )


@login_required
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    scenario = selectors.scenario_get_for_user(user=request.user, scenario_id=pk)
    params = selectors.scenario_params(scenario=scenario)
    form = ScenarioForm(
        request.POST or None,
        initial=ScenarioForm.initial_from(
            name=scenario.name,
            description=scenario.description,
            params=params,
            version=scenario.version,
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_update(
                by=request.user,
                scenario=scenario,
                params=form.params,
                expected_version=form.cleaned_data.get("version") or 0,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                note=form.cleaned_data["note"],
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Het scenario is opgeslagen.")
            return redirect(_url("finance:dashboard", scenario.municipality, scenario=scenario.pk))
    context = _base(request, scenario.municipality, "scenarios")
    context.update(
        form=form,
        sources=rules.DEFAULT_SOURCES,
        scenario=scenario,
        versions=selectors.scenario_versions(scenario=scenario),
    )
    return render(
        request, "finance/scenario_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def scenario_default(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    scenario = selectors.scenario_get_for_user(user=request.user, scenario_id=pk)
    services.scenario_set_default(by=request.user, scenario=scenario)
    messages.success(request, f"'{scenario.name}' is nu het standaardscenario.")
    return redirect(_url("finance:scenarios", scenario.municipality))


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------

EXPORT_KINDS = {"kosten", "begroting", "prognose"}


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """?soort=kosten|begroting|prognose&formaat=csv|xlsx[&jaar=][&scenario=]"""
    _require_finance(request)
    municipality = _municipality(request)
    kind = request.GET.get("soort", "")
    fmt = request.GET.get("formaat", "csv")
    if kind not in EXPORT_KINDS or fmt not in {"csv", "xlsx"}:
        context = _base(request, municipality, "export")
        context.update(
            years=selectors.budget_years(municipality=municipality),
            scenarios=selectors.scenarios(municipality=municipality),
        )
        return render(request, "finance/export.html", context)
    year = request.GET.get("jaar")
    try:
        year_value = int(year) if year else None
    except ValueError as exc:
        raise Http404 from exc
    if kind == "kosten":
        header, rows = (
            exports.COST_HEADER,
            exports.cost_rows(
                list(selectors.cost_entries(municipality=municipality, year=year_value))
            ),
        )
    elif kind == "begroting":
        lines = selectors.budget_lines(municipality=municipality, year=year_value)
        header, rows = exports.BUDGET_HEADER, exports.budget_rows(list(lines))
    else:
        scenario_id = request.GET.get("scenario")
        scenario = (
            selectors.scenario_get_for_user(user=request.user, scenario_id=int(scenario_id))
            if scenario_id and scenario_id.isdigit()
            else selectors.scenario_default(municipality=municipality)
        )
        if scenario is None:
            raise Http404("Geen scenario.")
        try:
            _params, projection = selectors.scenario_projection(scenario=scenario)
        except ThuisError as exc:
            messages.error(request, exc.message)
            return redirect(_url("finance:dashboard", municipality))
        header, rows = exports.FORECAST_HEADER, exports.forecast_rows(projection)
    name = f"financien-{kind}-{municipality.code}" + (f"-{year_value}" if year_value else "")
    services.export_logged(
        by=request.user, municipality=municipality, kind=kind, fmt=fmt, rows=len(rows)
    )
    if fmt == "xlsx":
        body = exports.to_xlsx(header, rows, title=kind)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.to_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response

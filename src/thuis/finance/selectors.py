"""Reads for the finance screens, the API, exports and the evaluation report.

Finance figures are for beleidsmedewerkers and beheerders of their own municipalities. Nothing
here returns a person: commitments come from counts of open cases, and counts shown on a screen
go through the disclosure layer (`thuis.core.disclosure`, SECURITY.md G21).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.core import disclosure, formatting
from thuis.core.errors import ValidationFailed
from thuis.people.models import Municipality, MunicipalityPopulation

from . import rules
from .choices import FIXED_SOURCES, BudgetSource, CostCategory, RateKind
from .models import BudgetLine, CostEntry, CostImport, PerCapitaRate, Scenario, ScenarioVersion

FINANCE_ROLES = {Role.BELEIDSMEDEWERKER, Role.BEHEERDER}


def sees_finance(user: Any) -> bool:
    """Budgets, costs and forecasts: beleidsmedewerker and beheerder only."""
    return scope.active_user(user) and user.role in FINANCE_ROLES


# --------------------------------------------------------------------------------------------
# Municipalities
# --------------------------------------------------------------------------------------------


def municipalities_for_user(*, user: Any) -> QuerySet[Municipality]:
    if not sees_finance(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=scope.municipality_ids(user)).order_by("name")


def municipality_for_user(*, user: Any, code: str | None = None) -> Municipality:
    """The municipality named by `code` (CBS code), or the user's first one. 404 when hidden."""
    qs = municipalities_for_user(user=user)
    found = qs.filter(code=code).first() if code else qs.first()
    if found is None:
        raise Http404("Gemeente niet gevonden.")
    return found


# --------------------------------------------------------------------------------------------
# Rates, budget lines, costs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    kind: str
    label: str
    year: int
    amount: Decimal
    is_estimate: bool
    source: str
    is_local: bool


def rate_rows(*, municipality: Municipality) -> list[RateRow]:
    """Effective amounts per year: the municipality's own row wins over the national default."""
    rows = PerCapitaRate.objects.filter(
        Q(municipality=municipality) | Q(municipality__isnull=True)
    ).order_by("kind", "year", "municipality_id")
    chosen: dict[tuple[str, int], PerCapitaRate] = {}
    for row in rows:
        key = (row.kind, row.year)
        if key not in chosen or row.municipality_id is not None:
            chosen[key] = row
    labels = dict(RateKind.choices)
    return [
        RateRow(
            kind=r.kind,
            label=str(labels.get(r.kind, r.kind)),
            year=r.year,
            amount=r.amount,
            is_estimate=r.is_estimate,
            source=r.source,
            is_local=r.municipality_id is not None,
        )
        for r in sorted(chosen.values(), key=lambda r: (r.kind, r.year))
    ]


def rates_by_kind(*, municipality: Municipality) -> dict[str, dict[int, Decimal]]:
    result: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for row in rate_rows(municipality=municipality):
        result[row.kind][row.year] = row.amount
    return dict(result)


def budget_lines(*, municipality: Municipality, year: int | None = None) -> QuerySet[BudgetLine]:
    qs = BudgetLine.objects.filter(municipality=municipality)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("year", "source", "pk")


def budget_totals(*, municipality: Municipality) -> dict[int, dict[str, Decimal]]:
    """year -> source -> total."""
    rows = (
        BudgetLine.objects.filter(municipality=municipality)
        .values("year", "source")
        .annotate(total=Sum("amount"))
    )
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        result[row["year"]][row["source"]] = rules.money(row["total"])
    return dict(sorted(result.items()))


def budget_line_years(*, municipality: Municipality) -> list[int]:
    """The years that have at least one budget line (costs alone do not make a budget)."""
    return sorted(
        set(BudgetLine.objects.filter(municipality=municipality).values_list("year", flat=True))
    )


def budget_years(*, municipality: Municipality) -> list[int]:
    """The years with budget lines or cost entries (the finance screens' year choice)."""
    return sorted(
        set(BudgetLine.objects.filter(municipality=municipality).values_list("year", flat=True))
        | set(CostEntry.objects.filter(municipality=municipality).values_list("year", flat=True))
    )


def cost_entries(*, municipality: Municipality, year: int | None = None) -> QuerySet[CostEntry]:
    """The gemeente's cost entries, newest first (the lists filter with `filters.CostFilter`)."""
    qs = CostEntry.objects.filter(municipality=municipality)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-booked_on", "-pk")


def cost_totals(*, municipality: Municipality, year: int) -> dict[str, Decimal]:
    """category -> total of actual costs in `year` (every category present, 0 when none)."""
    rows = (
        CostEntry.objects.filter(municipality=municipality, year=year)
        .values("category")
        .annotate(total=Sum("amount"))
    )
    found = {row["category"]: rules.money(row["total"]) for row in rows}
    return {c.value: found.get(c.value, rules.ZERO) for c in CostCategory}


def cost_totals_by_provider(*, municipality: Municipality, year: int) -> list[dict[str, Any]]:
    rows = (
        CostEntry.objects.filter(municipality=municipality, year=year)
        .values("category", "provider")
        .annotate(total=Sum("amount"))
        .order_by("category", "provider")
    )
    labels = dict(CostCategory.choices)
    return [
        {
            "category": row["category"],
            "label": str(labels.get(row["category"], row["category"])),
            "provider": row["provider"] or "—",
            "total": rules.money(row["total"]),
        }
        for row in rows
    ]


def cost_imports(*, municipality: Municipality) -> QuerySet[CostImport]:
    return CostImport.objects.filter(municipality=municipality).select_related("uploaded_by")


def cost_import_for_user(*, user: Any, import_id: int) -> CostImport:
    return scope.get_for_user(
        CostImport.objects.filter(
            municipality__in=municipalities_for_user(user=user)
        ).select_related("municipality"),
        import_id,
        user=user,
        not_found="Import niet gevonden.",
    )


# --------------------------------------------------------------------------------------------
# Inputs for the forecast
# --------------------------------------------------------------------------------------------


def inhabitants_for_years(*, municipality: Municipality, years: list[int]) -> dict[int, int]:
    """Inhabitants per year: the figure of that year, else the latest earlier one, else the
    earliest known (rule 30: the peildatum of the official figure is UNCONFIRMED)."""
    known = dict(
        MunicipalityPopulation.objects.filter(municipality=municipality).values_list(
            "year", "inhabitants"
        )
    )
    if not known:
        raise ValidationFailed(
            f"Voor {municipality.name} is geen inwonertal bekend. Voeg eerst het aantal "
            "inwoners toe; zonder dat getal kunnen we de taakstelling niet berekenen.",
            code="geen_inwoners",
        )
    result = {}
    for year in years:
        earlier = [y for y in known if y <= year]
        result[year] = known[max(earlier)] if earlier else known[min(known)]
    return result


def fixed_income(*, municipality: Municipality, years: list[int]) -> dict[int, Decimal]:
    """Fixed budget lines (algemene uitkering, overig) per year. A forecast year without lines
    takes the latest earlier year (structural money continues until the budget says else)."""
    totals = budget_totals(municipality=municipality)
    per_year = {
        y: sum((v for s, v in by_source.items() if s in FIXED_SOURCES), rules.ZERO)
        for y, by_source in totals.items()
        if any(s in FIXED_SOURCES for s in by_source)
    }
    return {y: rules.rate_for_year(per_year, y) for y in years}


def running_cases(*, municipality: Municipality) -> dict[tuple[str, int], int]:
    """Open Wi2021 cases per current doelgroep and start year (vestiging, else start plicht).

    Aggregate only: no case or person leaves this function. Wi2013 cases are left out: under
    the Wi2013 the inburgeraar paid the course (DUO loan), not the gemeente (§1.4).
    """
    from thuis.cases import selectors as case_selectors
    from thuis.cases.choices import Regime

    return case_selectors.open_cases_by_doelgroep_and_start_year(
        municipality=municipality, regime=Regime.WI2021
    )


def running_cases_summary(*, municipality: Municipality) -> list[dict[str, str]]:
    """Open Wi2021 cases per doelgroep, suppressed (for screens and the report)."""
    from thuis.cases.choices import Doelgroep

    totals: dict[str, int] = defaultdict(int)
    for (doelgroep, _start), n in running_cases(municipality=municipality).items():
        totals[doelgroep] += n
    texts, total = disclosure.count_texts([totals.get(value, 0) for value, _ in Doelgroep.choices])
    cells = [
        {"doelgroep": str(label), "count": text}
        for (_value, label), text in zip(Doelgroep.choices, texts, strict=True)
    ]
    cells.append({"doelgroep": "Totaal", "count": total})
    return cells


def forecast_inputs(
    *, municipality: Municipality, params: rules.ScenarioParams
) -> rules.ForecastInputs:
    years = params.forecast_years
    return rules.ForecastInputs(
        inhabitants=inhabitants_for_years(municipality=municipality, years=years),
        rates=rates_by_kind(municipality=municipality),
        fixed_income=fixed_income(municipality=municipality, years=years),
        running=running_cases(municipality=municipality),
    )


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


def scenarios(*, municipality: Municipality) -> QuerySet[Scenario]:
    return Scenario.objects.filter(municipality=municipality).order_by("-is_default", "name")


def scenario_get_for_user(*, user: Any, scenario_id: int) -> Scenario:
    return scope.get_for_user(
        Scenario.objects.filter(municipality__in=municipalities_for_user(user=user)).select_related(
            "municipality"
        ),
        scenario_id,
        user=user,
        not_found="Scenario niet gevonden.",
    )


def scenario_default(*, municipality: Municipality) -> Scenario | None:
    return scenarios(municipality=municipality).first()


def scenario_current_version(*, scenario: Scenario) -> ScenarioVersion:
    version = scenario.versions.order_by("-number").first()
    if version is None:
        raise ValidationFailed("Dit scenario heeft nog geen parameters.", code="geen_versie")
    return version


def scenario_versions(*, scenario: Scenario) -> QuerySet[ScenarioVersion]:
    return scenario.versions.select_related("created_by").order_by("-number")


def scenario_params(*, scenario: Scenario, version: int | None = None) -> rules.ScenarioParams:
    if version is None:
        row = scenario_current_version(scenario=scenario)
    else:
        found = scenario.versions.filter(number=version).first()
        if found is None:
            raise Http404("Versie niet gevonden.")
        row = found
    return rules.params_from_dict(row.parameters)


def scenario_projection(
    *, scenario: Scenario, version: int | None = None
) -> tuple[rules.ScenarioParams, rules.Projection]:
    params = scenario_params(scenario=scenario, version=version)
    inputs = forecast_inputs(municipality=scenario.municipality, params=params)
    return params, rules.project(params=params, inputs=inputs)


def budgeted_per_capita(*, municipality: Municipality, years: list[int]) -> dict[int, Decimal]:
    """Budgeted SPUK (inburgering + onderwijsroute) per year, to compare with the forecast."""
    totals = budget_totals(municipality=municipality)
    return {
        y: sum(
            (
                v
                for s, v in totals.get(y, {}).items()
                if s in {BudgetSource.SPUK_INBURGERING, BudgetSource.SPUK_ONDERWIJSROUTE}
            ),
            rules.ZERO,
        )
        for y in years
    }


# --------------------------------------------------------------------------------------------
# Section for the evaluation report
# --------------------------------------------------------------------------------------------


def projection_rows(projection: rules.Projection) -> list[dict[str, Any]]:
    return [
        {
            "year": y.year,
            "statushouders": y.statushouders,
            "asiel_plichtig": y.asiel_plichtig,
            "nareizigers": y.nareizigers,
            "gezinsmigranten": y.gezinsmigranten,
            "income_spuk": y.income_spuk,
            "income_onderwijsroute": y.income_onderwijsroute,
            "income_fixed": y.income_fixed,
            "income_total": y.income_total,
            "cost_routes": y.cost_routes,
            "cost_components": y.cost_components,
            "cost_running": y.cost_running,
            "cost_staff": y.cost_staff,
            "cost_other": y.cost_other,
            "spending_total": y.spending_total,
            "result": y.result,
            "cumulative": y.cumulative,
            "shortfall": y.shortfall,
            "below_zero": y.below_zero,
        }
        for y in projection.years
    ]


def finance_report_section(*, municipality: Municipality, year: int) -> dict[str, Any]:
    """The finance section of the policy/evaluation report for `year`.

    The caller has already decided that the reader may see finance figures (beleidsmedewerker,
    beheerder, or a published report); everything here is aggregate. Money values are Decimal,
    counts of running cases are suppressed strings. `chart_svg` is safe, escaped SVG markup.
    `has_budget` says whether `year` has budget lines at all (a budget total of 0 for a year
    without lines is no budget); `budget_years` lists the years that have them.
    """
    from .charts import forecast_chart_svg

    source_labels = dict(BudgetSource.choices)
    category_labels = dict(CostCategory.choices)
    totals = budget_totals(municipality=municipality)
    budget = totals.get(year, {})
    budget_rows: list[dict[str, Any]] = [
        {
            "source": s.value,
            "label": str(source_labels[s.value]),
            "amount": budget.get(s.value, rules.ZERO),
        }
        for s in BudgetSource
    ]
    costs = cost_totals(municipality=municipality, year=year)
    cost_rows: list[dict[str, Any]] = [
        {"category": c, "label": str(category_labels[c]), "amount": amount}
        for c, amount in costs.items()
    ]
    budget_total: Decimal = sum((r["amount"] for r in budget_rows), rules.ZERO)
    costs_total: Decimal = sum((r["amount"] for r in cost_rows), rules.ZERO)

    forecast: dict[str, Any] | None = None
    notes: list[str] = []
    scenario = scenario_default(municipality=municipality)
    if scenario is not None:
        try:
            params, projection = scenario_projection(scenario=scenario)
        except ValidationFailed as exc:
            notes.append(exc.message)
        else:
            forecast = {
                "scenario": scenario.name,
                "version": scenario.version,
                "first_year": params.first_year,
                "years": projection_rows(projection),
                "opening_balance": projection.opening_balance,
                "closing_balance": projection.closing_balance,
                "warnings": [w.message for w in projection.warnings],
                "chart_svg": forecast_chart_svg(projection=projection, title_suffix=scenario.name),
            }
    else:
        notes.append("Er is nog geen scenario voor de prognose vastgelegd.")
    estimates = [
        f"{r.label} {r.year}: {formatting.euro(r.amount)} ({r.source})"
        for r in rate_rows(municipality=municipality)
        if r.is_estimate and r.year == year
    ]
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "year": year,
        "has_budget": bool(budget),
        "budget_years": list(totals),
        "budget": budget_rows,
        "budget_total": budget_total,
        "costs": cost_rows,
        "costs_total": costs_total,
        "balance": budget_total - costs_total,
        "running_cases": running_cases_summary(municipality=municipality),
        "forecast": forecast,
        "estimates": estimates,
        "notes": notes,
    }


# --------------------------------------------------------------------------------------------
# Costs per case from partner contracts, and the actual route mix (aggregates only)
# --------------------------------------------------------------------------------------------


def _months_by_year(start: date, end: date) -> dict[int, int]:
    """Whole months from `start` up to `end` (a started month counts), per calendar year."""
    from dateutil.relativedelta import relativedelta

    out: dict[int, int] = defaultdict(int)
    month = start.replace(day=1)
    while month <= end:
        out[month.year] += 1
        month += relativedelta(months=1)
    return dict(out)


def contract_uses(*, municipality: Municipality, today: date) -> list[rules.ContractUse]:
    """Referrals of running Wi2021 cases priced by a contract, in a fixed number of queries.

    The contract is the referral's own, else the contract of the referral's organisation for
    this gemeente and purpose that runs on the date the referral was sent, preferring the one
    whose cost category matches the case's current leerroute (latest PIP version).
    """
    from thuis.cases import selectors as case_selectors
    from thuis.cases.choices import Regime
    from thuis.partners import selectors as partner_selectors
    from thuis.partners.choices import ReferralStatus

    referrals = partner_selectors.referrals_of_open_cases(
        municipality=municipality,
        regime=Regime.WI2021,
        statuses=[ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE, ReferralStatus.ENDED],
    )
    if not referrals:
        return []
    contracts = partner_selectors.contracts_of_municipality(municipality=municipality)
    leerroutes = case_selectors.latest_leerroutes(
        case_ids={r.case_id for r in referrals if r.case_id}
    )
    hours = partner_selectors.reported_hours_by_year(referral_ids=[r.pk for r in referrals])
    uses = []
    for r in referrals:
        leerroute = leerroutes.get(r.case_id or 0, "")
        contract = r.contract or _matching_contract(contracts, r, leerroute)
        if contract is None:
            continue
        begin = r.started_on or r.decided_on or r.sent_on
        months: dict[int, int] = {}
        if contract.unit == rules.UNIT_MONTH and r.started_on is not None:
            months = _months_by_year(r.started_on, min(r.ended_on or today, today))
        uses.append(
            rules.ContractUse(
                category=rules.contract_category(
                    contract_category=contract.cost_category,
                    referral_type=r.referral_type,
                    leerroute=leerroute,
                ),
                unit=contract.unit,
                price=contract.price,
                max_units=contract.max_units,
                start_year=begin.year,
                ended_year=r.ended_on.year
                if r.status == ReferralStatus.ENDED and r.ended_on
                else None,
                hours_by_year=hours.get(r.pk, {}),
                months_by_year=months,
            )
        )
    return uses


def _matching_contract(contracts: list[Any], referral: Any, leerroute: str) -> Any:
    running = [
        c
        for c in contracts
        if c.organisation_id == referral.organisation_id
        and c.referral_type == referral.referral_type
        and c.start_date <= referral.sent_on
        and (c.end_date is None or c.end_date >= referral.sent_on)
    ]
    wanted = rules.contract_category(
        contract_category="", referral_type=referral.referral_type, leerroute=leerroute
    )
    for preferred in (wanted, ""):
        for c in running:
            if c.cost_category == preferred:
                return c
    # A taal contract of another leerroute never prices this case; other purposes take any.
    if referral.referral_type == "taal" or not running:
        return None
    return running[0]


def contract_cost_rows(*, municipality: Municipality, today: date) -> list[dict[str, Any]]:
    """Committed and realised contract costs per year and category, for screens (no persons)."""
    labels = dict(CostCategory.choices)
    table = rules.contract_costs(contract_uses(municipality=municipality, today=today))
    return [
        {
            "year": year,
            "category": category,
            "label": str(labels.get(category, category)),
            "committed": committed,
            "realised": realised,
        }
        for (year, category), (committed, realised) in table.items()
    ]


def pip_route_counts(*, municipality: Municipality) -> dict[str, int]:
    """Open Wi2021 cases per leerroute of their latest PIP version (aggregate only)."""
    from thuis.cases import selectors as case_selectors
    from thuis.cases.choices import Regime

    case_ids = case_selectors.open_case_ids(municipality=municipality, regime=Regime.WI2021)
    counts: dict[str, int] = defaultdict(int)
    for leerroute in case_selectors.latest_leerroutes(case_ids=case_ids).values():
        counts[leerroute] += 1
    return dict(counts)


def default_params_for(*, municipality: Municipality, first_year: int) -> rules.ScenarioParams:
    """Defaults for a new scenario: the actual route mix when there are enough PIPs."""
    from dataclasses import replace

    params = rules.default_params(first_year=first_year)
    mix = rules.route_mix(pip_route_counts(municipality=municipality))
    if mix is None:
        return params
    b1, onderwijs, z = mix
    return replace(params, share_b1_pct=b1, share_onderwijs_pct=onderwijs, share_z_pct=z)


def route_mix_cells(*, counts: dict[str, int]) -> list[dict[str, str]]:
    """The actual route mix as percentages for screens, with small-cell suppression.

    A route with 0 < n < k shows "x"; if only one route is hidden, the smallest other non-zero
    route is hidden too (its share could be worked out from the other two).
    """
    from thuis.cases.choices import Leerroute

    mix = rules.route_mix(counts)
    if mix is None:
        return []
    ns = [counts.get(value, 0) for value in Leerroute.values]
    states = disclosure.protect_counts([ns], with_row_totals=True).cells[0]
    return [
        {
            "route": str(label),
            "share": (
                disclosure.SECONDARY_TEXT
                if state != disclosure.SHOWN
                else f"{share}%".replace(".", ",")
            ),
        }
        for (_, label), share, state in zip(Leerroute.choices, mix, states, strict=True)
    ]

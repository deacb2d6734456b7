"""Pure finance rules: money rounding, taakstelling, scenario parameters and the forecast.

No ORM and no clock: plain values in, a decision out. Sources: Divosa, "Wet inburgering: vraag
en antwoord — financiën" (SPUK, trajectprijs) and the half-yearly circulaire taakstelling
huisvesting vergunninghouders (taakstelling per half year).

Money is Decimal throughout. Rounding rule (documented in docs/finance.md): every money line is
computed at full precision and rounded once to whole cents with ROUND_HALF_UP (0.005 -> 0.01);
totals are sums of rounded lines, so every table adds up to the cent. Expected numbers of people
are kept as fractions (two decimals, ROUND_HALF_UP): a forecast is an expectation, not a headcount.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from thuis.core import formatting

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")

# Spread of a traject's cost over the years after its start: year of start, +1, +2.
SPREAD_YEARS = 3
FORECAST_YEARS = 4


def money(value: Decimal) -> Decimal:
    """Round to whole cents, half up (€ 0,005 -> € 0,01; -€ 0,005 -> -€ 0,01)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def persons(value: Decimal) -> Decimal:
    """Expected number of people, two decimals, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_for_year(rates: Mapping[int, Decimal], year: int) -> Decimal:
    """The amount for `year`; without a row for that year the latest earlier year carries
    forward; before the first known year the amount is 0."""
    if year in rates:
        return rates[year]
    earlier = [y for y in rates if y < year]
    return rates[max(earlier)] if earlier else ZERO


def taakstelling_share(
    *, national_number: int, inhabitants: int, national_inhabitants: int
) -> Decimal:
    """Taakstelling huisvesting vergunninghouders (circulaire per halfjaar): the national
    taakstelling for a half year × the municipality's share of inhabitants. The official
    rounding and peildatum are UNCONFIRMED, so the result stays a fraction (two decimals)."""
    if national_inhabitants <= 0:
        raise ValueError("national_inhabitants must be positive")
    return persons(Decimal(national_number) * Decimal(inhabitants) / Decimal(national_inhabitants))


# --------------------------------------------------------------------------------------------
# Scenario parameters
# --------------------------------------------------------------------------------------------

# Default values with their source. "[aanname]" marks our own documented assumption where the
# published sources give no figure (the national leerroute distribution and the split of PVT/MAP
# costs are not published).
DEFAULT_SOURCES: dict[str, str] = {
    "taakstelling": "[aanname] 10.000 per halfjaar; vervang door het getal uit de circulaire "
    "taakstelling (2017-II was 10.000: https://www.opnieuwthuis.nl/land-in-beeld)",
    "national_inhabitants": "[aanname] CBS, inwoners Nederland 1 januari 2024 (17.942.942); "
    "https://www.cbs.nl/nl-nl/visualisaties/dashboard-bevolking",
    "share_plichtig_pct": "[aanname] deel van de gehuisveste vergunninghouders dat "
    "inburgeringsplichtig is (18 jaar of ouder)",
    "family_reunification_pct": "[aanname] extra inburgeringsplichtigen door gezinshereniging "
    "(nareizigers), als percentage van de plichtigen uit de taakstelling",
    "gezinsmigranten_per_year": "[aanname] gezins- en overige migranten per jaar",
    "route_mix": "[aanname] verdeling over de leerroutes; landelijke cijfers zijn niet "
    "gepubliceerd",
    "cost_route": "SZW: gemiddelde trajectprijs € 10.000, in 2025 ± € 11.600; onderwijsroute "
    "€ 17.000 (https://divosa.nl/publicaties/wet-inburgering-vraag-en-antwoord/financien/"
    "kosten-voorzieningen-spuk)",
    "cost_mb": "€ 2.370 per asielstatushouder: budget MB onder de Wi2013 (VNG, "
    "https://vng.nl/vragen-en-antwoorden/eu-2370-maatschappelijke-begeleiding-versus-eu-4430-"
    "integratie-participatie-etc-per-vergunninghouder-wat-is-het-verschil-0)",
    "cost_pvt_map": "Dalfsen: € 600 per gezinsmigrant voor PVT + MAP (Perspectiefnota 2022, "
    "https://dalfsen2022.perspectiefnota.nl/p6914/6-inkomensondersteuning); "
    "[aanname] verdeeld als PVT € 200 en MAP € 400",
    "spread_pct": "[aanname] uitgaven van een traject: 40% in het startjaar, 40% in jaar 2, "
    "20% in jaar 3 (termijn 3 jaar, Wi2021 art. 11)",
    "cost_index_pct": "[aanname] prijsstijging per jaar (trajectprijs steeg van € 10.000 naar "
    "± € 11.600 in 2025)",
}


@dataclass(frozen=True)
class ScenarioParams:
    first_year: int
    taakstelling: tuple[int, ...]  # national number per half year: I, II of each forecast year
    national_inhabitants: int = 17_942_942
    share_plichtig_pct: Decimal = Decimal("50")
    family_reunification_pct: Decimal = Decimal("20")
    gezinsmigranten_per_year: Decimal = Decimal("5")
    share_b1_pct: Decimal = Decimal("60")
    share_onderwijs_pct: Decimal = Decimal("10")
    share_z_pct: Decimal = Decimal("30")
    cost_b1: Decimal = Decimal("11600.00")
    cost_onderwijs: Decimal = Decimal("17000.00")
    cost_z: Decimal = Decimal("11600.00")
    cost_mb: Decimal = Decimal("2370.00")
    cost_pvt: Decimal = Decimal("200.00")
    cost_map: Decimal = Decimal("400.00")
    spread_pct: tuple[Decimal, ...] = (Decimal("40"), Decimal("40"), Decimal("20"))
    staff_hours_per_year: Decimal = Decimal("0")
    staff_hourly_rate: Decimal = Decimal("0.00")
    other_fixed_costs: Decimal = Decimal("0.00")
    cost_index_pct: Decimal = Decimal("0")
    opening_balance: Decimal = Decimal("0.00")
    years: int = FORECAST_YEARS

    @property
    def forecast_years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


DECIMAL_FIELDS = (
    "share_plichtig_pct",
    "family_reunification_pct",
    "gezinsmigranten_per_year",
    "share_b1_pct",
    "share_onderwijs_pct",
    "share_z_pct",
    "cost_b1",
    "cost_onderwijs",
    "cost_z",
    "cost_mb",
    "cost_pvt",
    "cost_map",
    "staff_hours_per_year",
    "staff_hourly_rate",
    "other_fixed_costs",
    "cost_index_pct",
    "opening_balance",
)
INT_FIELDS = ("first_year", "national_inhabitants", "years")


def default_params(*, first_year: int, national_per_half_year: int = 10_000) -> ScenarioParams:
    return ScenarioParams(
        first_year=first_year, taakstelling=(national_per_half_year,) * (2 * FORECAST_YEARS)
    )


def _canonical_decimal(value: Decimal) -> str:
    """One spelling per number, so that equal parameters give equal JSON and checksums."""
    normal = value.normalize()
    text = format(normal, "f")
    return text if text not in {"-0", ""} else "0"


def params_to_dict(params: ScenarioParams) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(params, name) for name in INT_FIELDS}
    for name in DECIMAL_FIELDS:
        data[name] = _canonical_decimal(getattr(params, name))
    data["taakstelling"] = list(params.taakstelling)
    data["spread_pct"] = [_canonical_decimal(v) for v in params.spread_pct]
    return data


class ParameterError(ValueError):
    """Invalid scenario parameters; `errors` holds Dutch messages per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def params_from_dict(data: Mapping[str, Any]) -> ScenarioParams:
    """Parse and validate stored or submitted parameters (missing fields take the default)."""
    errors: dict[str, str] = {}
    kwargs: dict[str, Any] = {}
    for name in INT_FIELDS:
        if name in data:
            try:
                kwargs[name] = int(data[name])
            except (TypeError, ValueError):
                errors[name] = "Vul een heel getal in."
    for name in DECIMAL_FIELDS:
        if name in data:
            try:
                kwargs[name] = Decimal(str(data[name]))
            except (InvalidOperation, ValueError):
                errors[name] = "Vul een getal in."
    try:
        kwargs["taakstelling"] = tuple(int(v) for v in data.get("taakstelling", ()))
    except (TypeError, ValueError):
        errors["taakstelling"] = "Vul per halfjaar een heel getal in."
    if "spread_pct" in data:
        try:
            kwargs["spread_pct"] = tuple(Decimal(str(v)) for v in data["spread_pct"])
        except (InvalidOperation, TypeError, ValueError):
            errors["spread_pct"] = "Vul per jaar een percentage in."
    if "first_year" not in kwargs and "first_year" not in errors:
        errors["first_year"] = "Vul het eerste jaar van de prognose in."
    if errors:
        raise ParameterError(errors)
    params = ScenarioParams(**kwargs)
    problems = validate_params(params)
    if problems:
        raise ParameterError(problems)
    return params


def validate_params(p: ScenarioParams) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 2000 <= p.first_year <= 2100:
        errors["first_year"] = "Kies een jaar tussen 2000 en 2100."
    if not 1 <= p.years <= 10:
        errors["years"] = "Een prognose beslaat 1 tot 10 jaar."
    if len(p.taakstelling) != 2 * p.years:
        errors["taakstelling"] = f"Vul voor elk halfjaar een getal in ({2 * p.years} getallen)."
    elif any(n < 0 for n in p.taakstelling):
        errors["taakstelling"] = "Een taakstelling kan niet negatief zijn."
    if p.national_inhabitants <= 0:
        errors["national_inhabitants"] = "Het aantal inwoners van Nederland moet groter zijn dan 0."
    for name in DECIMAL_FIELDS:
        value = getattr(p, name)
        if name != "opening_balance" and value < 0:
            errors[name] = "Een negatief getal kan hier niet."
        elif not value.is_finite():
            errors[name] = "Vul een getal in."
    for name in ("share_plichtig_pct", "share_b1_pct", "share_onderwijs_pct", "share_z_pct"):
        if getattr(p, name) > HUNDRED:
            errors[name] = "Een percentage is hoogstens 100."
    if p.share_b1_pct + p.share_onderwijs_pct + p.share_z_pct != HUNDRED:
        errors["route_mix"] = "De verdeling over de leerroutes moet samen 100% zijn."
    if len(p.spread_pct) != SPREAD_YEARS or any(v < 0 for v in p.spread_pct):
        errors["spread_pct"] = "Vul voor drie jaar een percentage in."
    elif sum(p.spread_pct) != HUNDRED:
        errors["spread_pct"] = "De spreiding van de uitgaven moet samen 100% zijn."
    return errors


def params_checksum(params: ScenarioParams) -> str:
    payload = json.dumps(params_to_dict(params), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Forecast
# --------------------------------------------------------------------------------------------

ASIEL = "asielstatushouder"
GEZIN = "gezinsmigrant"


@dataclass(frozen=True)
class ForecastInputs:
    """Figures from the database, gathered by selectors.

    inhabitants: municipality inhabitants per forecast year (peildatum 1 January).
    rates: RateKind value -> {year: amount}; missing years carry forward (rate_for_year).
    fixed_income: fixed budget lines (algemene uitkering, overig) per year.
    running: (doelgroep, start year) -> number of open Wi2021 cases (commitments).
    """

    inhabitants: Mapping[int, int]
    rates: Mapping[str, Mapping[int, Decimal]]
    fixed_income: Mapping[int, Decimal] = field(default_factory=dict)
    running: Mapping[tuple[str, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class YearProjection:
    year: int
    statushouders: Decimal  # expected persons housed from the taakstelling
    plichtig_taakstelling: Decimal
    nareizigers: Decimal
    asiel_plichtig: Decimal
    gezinsmigranten: Decimal
    income_spuk: Decimal
    income_onderwijsroute: Decimal
    income_fixed: Decimal
    cost_routes: Decimal
    cost_components: Decimal
    cost_running: Decimal
    cost_staff: Decimal
    cost_other: Decimal
    cumulative: Decimal

    @property
    def income_total(self) -> Decimal:
        return self.income_spuk + self.income_onderwijsroute + self.income_fixed

    @property
    def spending_total(self) -> Decimal:
        return (
            self.cost_routes
            + self.cost_components
            + self.cost_running
            + self.cost_staff
            + self.cost_other
        )

    @property
    def result(self) -> Decimal:
        return self.income_total - self.spending_total

    @property
    def shortfall(self) -> bool:
        return self.result < 0

    @property
    def below_zero(self) -> bool:
        return self.cumulative < 0


@dataclass(frozen=True)
class ForecastWarning:
    year: int
    kind: str  # "tekort" (year result below zero) or "saldo" (cumulative balance below zero)
    amount: Decimal
    message: str


@dataclass(frozen=True)
class Projection:
    years: tuple[YearProjection, ...]
    warnings: tuple[ForecastWarning, ...]
    opening_balance: Decimal

    @property
    def income_total(self) -> Decimal:
        return sum((y.income_total for y in self.years), ZERO)

    @property
    def spending_total(self) -> Decimal:
        return sum((y.spending_total for y in self.years), ZERO)

    @property
    def closing_balance(self) -> Decimal:
        return self.years[-1].cumulative if self.years else self.opening_balance


def index_factor(*, params: ScenarioParams, year: int) -> Decimal:
    """Price level of `year` relative to the first forecast year (compound index)."""
    return (1 + params.cost_index_pct / HUNDRED) ** (year - params.first_year)


def route_cost_per_asiel(params: ScenarioParams) -> Decimal:
    """Weighted leerroute price per asielstatushouder (route mix × price per route)."""
    return (
        params.share_b1_pct * params.cost_b1
        + params.share_onderwijs_pct * params.cost_onderwijs
        + params.share_z_pct * params.cost_z
    ) / HUNDRED


def components_per_asiel(params: ScenarioParams) -> Decimal:
    """MB + PVT for everyone, MAP only in the B1- and Z-route (rule 18)."""
    map_share = (params.share_b1_pct + params.share_z_pct) / HUNDRED
    return params.cost_mb + params.cost_pvt + map_share * params.cost_map


def components_per_gezin(params: ScenarioParams) -> Decimal:
    """Gezinsmigranten pay their own leerroute; the gemeente offers PVT and MAP (§8.1)."""
    return params.cost_pvt + params.cost_map


@dataclass(frozen=True)
class Inflow:
    statushouders: Decimal
    plichtig_taakstelling: Decimal
    nareizigers: Decimal
    gezinsmigranten: Decimal

    @property
    def asiel(self) -> Decimal:
        return self.plichtig_taakstelling + self.nareizigers


def inflow_for_year(*, params: ScenarioParams, year: int, inhabitants: int) -> Inflow:
    """Expected inburgeringsplichtigen starting in `year`."""
    offset = year - params.first_year
    half_years = params.taakstelling[2 * offset : 2 * offset + 2]
    housed = sum(
        (
            taakstelling_share(
                national_number=n,
                inhabitants=inhabitants,
                national_inhabitants=params.national_inhabitants,
            )
            for n in half_years
        ),
        ZERO,
    )
    plichtig = persons(housed * params.share_plichtig_pct / HUNDRED)
    nareizigers = persons(plichtig * params.family_reunification_pct / HUNDRED)
    return Inflow(
        statushouders=housed,
        plichtig_taakstelling=plichtig,
        nareizigers=nareizigers,
        gezinsmigranten=persons(params.gezinsmigranten_per_year),
    )


def project(*, params: ScenarioParams, inputs: ForecastInputs) -> Projection:
    """Income versus spending per forecast year, with the running balance and warnings.

    Income: SPUK per expected inburgeringsplichtige (asiel and gezin rates of that year) +
    SPUK onderwijsroute per expected onderwijsroute traject + fixed budget lines.
    Spending: leerroutes and MB/PVT/MAP of the new cohorts, spread over three years at the
    price level of the cohort's start year; the remaining spread of running Wi2021 cases
    (commitments; cases that started before the first forecast year); staff hours × rate and
    other fixed costs at the price level of the year.
    """
    problems = validate_params(params)
    if problems:
        raise ParameterError(problems)
    years = params.forecast_years
    spread = [pct / HUNDRED for pct in params.spread_pct]
    route_cost = route_cost_per_asiel(params)
    comp_asiel = components_per_asiel(params)
    comp_gezin = components_per_gezin(params)

    inflows: dict[int, Inflow] = {}
    for year in years:
        if year not in inputs.inhabitants:
            raise ValueError(f"no inhabitants for {year}")
        inflows[year] = inflow_for_year(
            params=params, year=year, inhabitants=inputs.inhabitants[year]
        )

    asiel_rates = inputs.rates.get("spuk_asiel", {})
    gezin_rates = inputs.rates.get("spuk_gezin", {})
    or_rates = inputs.rates.get("onderwijsroute", {})

    result: list[YearProjection] = []
    balance = money(params.opening_balance)
    for year in years:
        inflow = inflows[year]
        income_spuk = money(inflow.asiel * rate_for_year(asiel_rates, year)) + money(
            inflow.gezinsmigranten * rate_for_year(gezin_rates, year)
        )
        income_or = money(
            inflow.asiel * params.share_onderwijs_pct / HUNDRED * rate_for_year(or_rates, year)
        )
        income_fixed = money(inputs.fixed_income.get(year, ZERO))

        cost_routes = ZERO
        cost_components = ZERO
        for k in range(SPREAD_YEARS):
            cohort = year - k
            if cohort not in inflows:
                continue
            c = inflows[cohort]
            price = index_factor(params=params, year=cohort) * spread[k]
            cost_routes += money(c.asiel * route_cost * price)
            cost_components += money(c.asiel * comp_asiel * price) + money(
                c.gezinsmigranten * comp_gezin * price
            )

        cost_running = ZERO
        for (doelgroep, start), count in sorted(inputs.running.items()):
            k = year - start
            if start >= params.first_year or not 0 <= k < SPREAD_YEARS:
                continue
            price = index_factor(params=params, year=start) * spread[k]
            per_person = route_cost + comp_asiel if doelgroep == ASIEL else comp_gezin
            cost_running += money(Decimal(count) * per_person * price)

        level = index_factor(params=params, year=year)
        cost_staff = money(params.staff_hours_per_year * params.staff_hourly_rate * level)
        cost_other = money(params.other_fixed_costs * level)

        row = YearProjection(
            year=year,
            statushouders=inflow.statushouders,
            plichtig_taakstelling=inflow.plichtig_taakstelling,
            nareizigers=inflow.nareizigers,
            asiel_plichtig=inflow.asiel,
            gezinsmigranten=inflow.gezinsmigranten,
            income_spuk=income_spuk,
            income_onderwijsroute=income_or,
            income_fixed=income_fixed,
            cost_routes=cost_routes,
            cost_components=cost_components,
            cost_running=cost_running,
            cost_staff=cost_staff,
            cost_other=cost_other,
            cumulative=ZERO,
        )
        balance += row.result
        result.append(_with_cumulative(row, balance))
    return Projection(
        years=tuple(result),
        warnings=tuple(warnings_for(result)),
        opening_balance=money(params.opening_balance),
    )


def _with_cumulative(row: YearProjection, cumulative: Decimal) -> YearProjection:
    from dataclasses import replace

    return replace(row, cumulative=cumulative)


def warnings_for(rows: Sequence[YearProjection]) -> list[ForecastWarning]:
    """A warning for every year with a shortfall, and one for the first year the running
    balance goes below zero (the college must then come back to the council)."""
    found: list[ForecastWarning] = []
    for row in rows:
        if row.shortfall:
            found.append(
                ForecastWarning(
                    year=row.year,
                    kind="tekort",
                    amount=row.result,
                    message=f"In {row.year} geven we naar verwachting "
                    f"{formatting.euro(-row.result)} meer uit dan er binnenkomt.",
                )
            )
    first_negative = next((row for row in rows if row.below_zero), None)
    if first_negative is not None:
        found.append(
            ForecastWarning(
                year=first_negative.year,
                kind="saldo",
                amount=first_negative.cumulative,
                message=f"Vanaf {first_negative.year} is het saldo negatief "
                f"({formatting.euro(first_negative.cumulative)}): het geld is dan niet genoeg.",
            )
        )
    return found


# --------------------------------------------------------------------------------------------
# Import parsing helpers (pure)
# --------------------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal:
    """Parse an amount from a financial export: '1.234,56', '1234,56', '1234.56', '€ -12,5'.

    A comma is the decimal sign when present; with only dots, a dot followed by exactly three
    digits is a thousands separator ('1.234' = 1234), otherwise a decimal point ('12.5').
    More than two decimals is refused (amounts are in cents).
    """
    raw = text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise ValueError("leeg")
    negative = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
    raw = raw.strip("-()")
    if "," in raw:
        if raw.count(",") > 1:
            raise ValueError("ongeldig")
        whole, frac = raw.split(",")
        whole = whole.replace(".", "")
    elif "." in raw:
        parts = raw.split(".")
        if len(parts[-1]) == 3 and all(len(p) == 3 for p in parts[1:]):
            whole, frac = "".join(parts), ""
        elif len(parts) == 2:
            whole, frac = parts
        else:
            raise ValueError("ongeldig")
    else:
        whole, frac = raw, ""
    if not whole.isdigit() or (frac and not frac.isdigit()):
        raise ValueError("ongeldig")
    if len(frac) > 2:
        raise ValueError("te veel decimalen")
    value = Decimal(f"{whole}.{frac or '0'}")
    return -value if negative else value


OWN_KEY_PREFIXES = ("sha:", "man:", "demo:")


def export_reference(key: str) -> str:
    """The 'kenmerk' written to an export, so that re-importing the export changes nothing."""
    return key.removeprefix("ref:")


def row_key(*, reference: str, fields: Sequence[str], occurrence: int) -> str:
    """Idempotency key of an imported row: the booking reference ('kenmerk') when the financial
    system gives one, else a SHA-256 of the normalised row plus its occurrence number among
    identical rows in the same file (so two equal bookings stay two rows, and a re-import of
    the same file gives the same keys)."""
    ref = reference.strip()
    if ref.startswith(OWN_KEY_PREFIXES):
        return ref[:100]  # a key that Thuis exported itself: importing it again is a no-op
    if ref:
        return "ref:" + ref[:90]
    payload = "\x1f".join(f.strip().lower() for f in fields) + f"\x1f#{occurrence}"
    return "sha:" + hashlib.sha256(payload.encode()).hexdigest()[:64]


# --------------------------------------------------------------------------------------------
# Costs per case from partner contracts (issue 9)
# --------------------------------------------------------------------------------------------

#: Contract units (values of `partners.choices.ContractUnit`).
UNIT_TRAJECT, UNIT_PERSON, UNIT_HOUR, UNIT_MONTH = "traject", "persoon", "uur", "maand"
#: Cost category of a taal referral per PIP leerroute (values of cases `Leerroute`).
LEERROUTE_CATEGORY = {
    "B1": "leerroute_b1",
    "onderwijs": "leerroute_onderwijs",
    "Z": "leerroute_z",
}
#: Cost category per referral type when the contract names none.
REFERRAL_CATEGORY = {"mb": "mb"}


@dataclass(frozen=True)
class ContractUse:
    """One referral of a running case priced by one contract (no person in here)."""

    category: str
    unit: str
    price: Decimal
    max_units: int | None
    start_year: int
    ended_year: int | None = None
    hours_by_year: Mapping[int, Decimal] = field(default_factory=dict)
    months_by_year: Mapping[int, int] = field(default_factory=dict)


def contract_category(*, contract_category: str, referral_type: str, leerroute: str) -> str:
    """The contract's own category; else taal → the PIP's leerroute; mb → mb; else overig."""
    if contract_category:
        return contract_category
    if referral_type == "taal" and leerroute in LEERROUTE_CATEGORY:
        return LEERROUTE_CATEGORY[leerroute]
    return REFERRAL_CATEGORY.get(referral_type, "overig")


def contract_costs(uses: Sequence[ContractUse]) -> dict[tuple[int, str], tuple[Decimal, Decimal]]:
    """(year, category) → (committed, realised), each line rounded once to cents.

    Committed (what the contract binds the gemeente to, booked in the start year): per traject
    or person the price; per hour or month the price × the contract's maximum units (unknown
    maximum: nothing committed beyond what is realised). Realised: per traject or person the
    price in the year the referral ended; per hour the reported hours × price per year; per month
    the months in care × price per year, never more than the maximum units in total.
    """
    out: dict[tuple[int, str], list[Decimal]] = {}

    def add(year: int, category: str, index: int, amount: Decimal) -> None:
        cell = out.setdefault((year, category), [Decimal("0.00"), Decimal("0.00")])
        cell[index] += money(amount)

    for use in uses:
        if use.unit in (UNIT_TRAJECT, UNIT_PERSON):
            add(use.start_year, use.category, 0, use.price)
            if use.ended_year is not None:
                add(use.ended_year, use.category, 1, use.price)
            continue
        realised_by_year: dict[int, Decimal] = {}
        if use.unit == UNIT_HOUR:
            realised_by_year = {y: h * use.price for y, h in use.hours_by_year.items()}
        elif use.unit == UNIT_MONTH:
            left = use.max_units if use.max_units is not None else None
            for year in sorted(use.months_by_year):
                months = use.months_by_year[year]
                if left is not None:
                    months = min(months, left)
                    left -= months
                if months:
                    realised_by_year[year] = months * use.price
        if use.max_units is not None:
            add(use.start_year, use.category, 0, use.max_units * use.price)
        else:
            add(use.start_year, use.category, 0, sum(realised_by_year.values(), Decimal(0)))
        for year, amount in realised_by_year.items():
            add(year, use.category, 1, amount)
    return {key: (v[0], v[1]) for key, v in sorted(out.items())}


#: Below this many PIPs the route mix stays the documented assumption.
MIN_PIPS_FOR_MIX = 10


def route_mix(counts: Mapping[str, int]) -> tuple[Decimal, Decimal, Decimal] | None:
    """(B1, onderwijs, Z) shares in % of the latest PIPs, to one decimal, summing to 100.

    None when fewer than `MIN_PIPS_FOR_MIX` PIPs: then the scenario keeps its assumption.
    Z takes the rounding rest so the three add up to exactly 100.
    """
    total = sum(counts.get(k, 0) for k in ("B1", "onderwijs", "Z"))
    if total < MIN_PIPS_FOR_MIX:
        return None
    tenth = Decimal("0.1")
    b1 = (HUNDRED * counts.get("B1", 0) / total).quantize(tenth, rounding=ROUND_HALF_UP)
    onderwijs = (HUNDRED * counts.get("onderwijs", 0) / total).quantize(tenth, ROUND_HALF_UP)
    if b1 + onderwijs > HUNDRED:  # both rounded up while Z is 0
        onderwijs = HUNDRED - b1
    return b1, onderwijs, HUNDRED - b1 - onderwijs

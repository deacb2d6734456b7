"""Reads for dashboards, API, exports and the policy report. Only fact rows, never case tables.

`indicator_table()` is the one entry point: it computes an indicator over fact rows and applies
disclosure control, so every consumer inherits the same suppression.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.core import disclosure
from thuis.core.errors import ValidationFailed
from thuis.people.models import Municipality

from . import indicators
from .models import BenchmarkSet, FactRebuild, HousingQuota, IndicatorSnapshot, PersonFact
from .rules import FactRow, fact_from_mapping

MONITORING_ROLES = {Role.REGISSEUR, Role.TEAMLEIDER, Role.BELEIDSMEDEWERKER, Role.BEHEERDER}
FACT_FIELDS = [f for f in FactRow.__dataclass_fields__ if f != "municipality"]


def sees_monitoring(user: Any) -> bool:
    return scope.active_user(user) and user.role in MONITORING_ROLES


def municipalities_for_user(*, user: Any) -> QuerySet[Municipality]:
    if not sees_monitoring(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(users=user).order_by("name")


def municipalities_resolve(*, user: Any, codes: Sequence[str]) -> list[Municipality]:
    """The requested municipalities, all of them the user's; otherwise 404 (not 403), so the
    answer is the same whether a gemeente has data or not. Without codes: all of the user's."""
    mine = list(municipalities_for_user(user=user))
    if not codes:
        if not mine:
            raise Http404(_("U werkt voor geen enkele gemeente."))
        return mine
    by_code = {m.code: m for m in mine}
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise Http404(_("Gemeente %s niet gevonden binnen uw bevoegdheid.") % ", ".join(missing))
    return [by_code[c] for c in dict.fromkeys(codes)]


def parse_per(value: str | Sequence[str] | None) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [p.strip() for p in items if p.strip()]


def fact_rows(*, municipalities: Sequence[Municipality]) -> list[FactRow]:
    codes = {m.pk: m.code for m in municipalities}
    rows = PersonFact.objects.filter(municipality__in=list(codes)).values(
        "municipality_id", *FACT_FIELDS
    )
    out = []
    for row in rows:
        row["municipality"] = codes[row.pop("municipality_id")]
        out.append(fact_from_mapping(row))
    return out


def lazy_rows(*, municipalities: Sequence[Municipality]) -> Callable[[], list[FactRow]]:
    """A loader for `indicator_table(rows=...)`: reads the facts at most once, when needed."""
    loaded: list[list[FactRow]] = []

    def load() -> list[FactRow]:
        if not loaded:
            loaded.append(fact_rows(municipalities=municipalities))
        return loaded[0]

    return load


def _quotas(municipalities: Sequence[Municipality]) -> dict[tuple[str, str], int]:
    codes = {m.pk: m.code for m in municipalities}
    return {
        (codes[q["municipality_id"]], q["period"]): q["persons"]
        for q in HousingQuota.objects.filter(municipality__in=list(codes)).values(
            "municipality_id", "period", "persons"
        )
    }


def _as_list(municipality: Municipality | Sequence[Municipality]) -> list[Municipality]:
    if isinstance(municipality, Municipality):
        return [municipality]
    return list(municipality)


def _check_per(indicator: indicators.Indicator, per: Sequence[str]) -> None:
    unknown = [p for p in per if p not in indicator.breakdowns]
    if unknown:
        raise ValidationFailed(
            _("Uitsplitsing %(naam)s kan niet bij %(code)s. Kies uit: %(keuze)s.")
            % {
                "naam": ", ".join(unknown),
                "code": indicator.code,
                "keuze": ", ".join(indicator.breakdowns) or "geen",
            },
            code="uitsplitsing",
        )
    if len(set(per)) != len(per):
        raise ValidationFailed(_("Noem elke uitsplitsing maar één keer."), code="uitsplitsing")


CACHE_VERSION = "2"  # 2: suppressed cells carry no noemer
CACHE_SECONDS = 24 * 60 * 60


def facts_stamp(*, municipalities: Sequence[Municipality]) -> str:
    """Identifies the current facts of these municipalities (changes with every rebuild)."""
    stamps = dict(
        FactRebuild.objects.filter(municipality__in=[m.pk for m in municipalities]).values_list(
            "municipality_id", "rebuilt_at"
        )
    )
    return ",".join(
        f"{m.pk}@{stamps[m.pk].isoformat() if m.pk in stamps else '-'}"
        for m in sorted(municipalities, key=lambda m: m.pk)
    )


def indicator_table(
    *,
    code: str,
    municipality: Municipality | Sequence[Municipality],
    peildatum: date,
    per: Sequence[str] = (),
    rows: Sequence[FactRow] | Callable[[], Sequence[FactRow]] | None = None,
    k: int | None = None,
    survey: dict[str, Any] | None = None,
    stamp: str | None = None,
    public: bool = False,
) -> dict[str, Any]:
    """`{"code", "peildatum", "k", "cellen"}` with disclosure control applied.

    `public` (the public figures page, council reports, benchmark files) also suppresses
    small complements (`disclosure.is_primary`).

    Raises `indicators.UnknownIndicator` for an unknown code and `ValidationFailed` for a
    breakdown the indicator does not allow. `rows` lets a caller that shows many indicators
    load the fact rows (and survey inputs) once; it may pass a function that loads them, which
    is called only when the table is not in the cache. Tables are cached per facts version
    (`facts_stamp`): a rebuild changes the stamp, so a cached table is never stale.
    """
    indicator = indicators.get(code)
    per = list(per)
    _check_per(indicator, per)
    k = disclosure.default_k() if k is None else k
    targets = _as_list(municipality)
    if indicator.kind == indicators.SURVEY:
        cells = survey_cells(
            indicator=indicator,
            municipalities=targets,
            peildatum=peildatum,
            k=k,
            per=per,
            inputs=survey,
            public=public,
        )
        return {"code": code, "peildatum": peildatum.isoformat(), "k": k, "cellen": cells}
    stamp = facts_stamp(municipalities=targets) if stamp is None else stamp
    key = table_cache_key(code=code, stamp=stamp, peildatum=peildatum, per=per, k=k, public=public)
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    # One request computes a missing table; identical requests that arrive meanwhile (the
    # morning after a rebuild) wait for its result instead of computing it again each.
    computing = cache.add(f"{key}:bezig", 1, timeout=COMPUTE_WAIT_SECONDS)
    if not computing:
        cached = _wait_for(key)
        if cached is not None:
            return dict(cached)
    try:
        if rows is None:
            rows = fact_rows(municipalities=targets)
        elif callable(rows):
            rows = rows()
        quotas = _quotas(targets) if indicator.kind == indicators.QUOTA else None
        raw = indicators.compute(indicator, rows, peildatum=peildatum, per=per, quotas=quotas)
        cells = disclosure.protect(
            raw,
            k=k,
            dims=indicators.additive_dims(indicator, per),
            share_dim=indicator.inherent if indicator.kind == indicators.SHARE else None,
            percentage=indicator.percentage and indicator.kind != indicators.QUOTA,
            complement=public and indicator.kind in indicators.PERSON_RATIOS,
        )
        table = {"code": code, "peildatum": peildatum.isoformat(), "k": k, "cellen": cells}
        cache.set(key, table, CACHE_SECONDS)
    finally:
        if computing:
            cache.delete(f"{key}:bezig")
    return table


COMPUTE_WAIT_SECONDS = 10


def table_cache_key(
    *, code: str, stamp: str, peildatum: date, per: Sequence[str], k: int, public: bool = False
) -> str:
    text = f"{CACHE_VERSION}|{code}|{stamp}|{peildatum}|{','.join(per)}|{k}|{public}"
    return "monitoring:" + hashlib.sha256(text.encode()).hexdigest()


def _wait_for(key: str) -> dict[str, Any] | None:
    """The table another request is computing, once it is there; None when that request
    stopped without a result or took longer than COMPUTE_WAIT_SECONDS (then compute here)."""
    deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        cached = cache.get(key)
        if cached is not None:
            return dict(cached)
        if cache.get(f"{key}:bezig") is None:
            return None
    return None


DASHBOARD_GENDER = ("WERK_36M", ("geslacht",))


def dashboard_tables_compute(
    *,
    municipalities: Sequence[Municipality],
    peildatum: date,
    k: int,
    rows: Sequence[FactRow] | Callable[[], Sequence[FactRow]] | None = None,
    stamp: str | None = None,
) -> dict[str, Any]:
    """Every table the dashboard shows (all fact-based indicators without breakdown, and
    WERK_36M per geslacht), computed now: `{"totaal": {code: table}, "geslacht": table}`."""
    if rows is None:
        rows = lazy_rows(municipalities=municipalities)
    if stamp is None:
        stamp = facts_stamp(municipalities=municipalities)
    common: dict[str, Any] = {"municipality": municipalities, "peildatum": peildatum, "k": k}
    totals = {
        code: indicator_table(code=code, rows=rows, stamp=stamp, **common)
        for code, ind in indicators.CATALOGUE.items()
        if ind.kind != indicators.SURVEY
    }
    code, per = DASHBOARD_GENDER
    gender = indicator_table(code=code, per=per, rows=rows, stamp=stamp, **common)
    return {"totaal": totals, "geslacht": gender}


def dashboard_tables(
    *,
    municipalities: Sequence[Municipality],
    peildatum: date,
    k: int | None = None,
    stamp: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """The dashboard tables and whether they came from a snapshot.

    For one gemeente the snapshot materialised by the fact rebuild is used when it matches the
    current facts (same stamp), peildatum and k; otherwise (several gemeenten, another
    peildatum) the tables are computed, which gives the same result.
    """
    k = disclosure.default_k() if k is None else k
    stamp = facts_stamp(municipalities=municipalities) if stamp is None else stamp
    if len(municipalities) == 1:
        snapshot = (
            IndicatorSnapshot.objects.filter(
                municipality=municipalities[0], peildatum=peildatum, k=k, stamp=stamp
            )
            .values_list("tables", flat=True)
            .first()
        )
        if snapshot is not None:
            return _published_tables(snapshot), True
    tables = dashboard_tables_compute(
        municipalities=municipalities, peildatum=peildatum, k=k, stamp=stamp
    )
    return tables, False


def _published_tables(tables: dict[str, Any]) -> dict[str, Any]:
    """Snapshot tables as they may be shown (a snapshot stored before suppressed cells lost
    their noemer is cleaned here)."""

    def clean(table: dict[str, Any]) -> dict[str, Any]:
        return {**table, "cellen": disclosure.published(table["cellen"])}

    return {
        "totaal": {code: clean(t) for code, t in tables["totaal"].items()},
        "geslacht": clean(tables["geslacht"]),
    }


def survey_available() -> bool:
    try:
        from thuis.surveys import selectors as survey_selectors
    except ImportError:  # the surveys app is optional
        return False
    return hasattr(survey_selectors, "indicator_inputs")


def survey_inputs(*, municipalities: Sequence[Municipality], peildatum: date) -> dict[str, Any]:
    """Survey inputs per municipality code over the 12 months up to the peildatum."""
    if not survey_available():
        return {}
    from thuis.surveys import selectors as survey_selectors

    period = (peildatum.replace(day=1) - timedelta(days=335), peildatum)
    return {
        m.code: survey_selectors.indicator_inputs(municipality=m, period=period)
        for m in municipalities
    }


def survey_stamp(*, municipalities: Sequence[Municipality]) -> str:
    """Identifies the survey answers behind the survey indicators (changes with each answer)."""
    if not survey_available():
        return "-"
    from thuis.surveys import selectors as survey_selectors

    return survey_selectors.standard_responses_stamp(municipalities=municipalities)


def dashboard_cache_key(
    *, municipalities: Sequence[Municipality], peildatum: date, k: int, stamp: str
) -> str:
    """Cache key of the rendered dashboard figures: changes with every fact rebuild (`stamp`,
    which also follows a new housing quota) and with every survey answer, so a cached page is
    never stale."""
    key = "|".join(
        (
            str(CACHE_VERSION),
            stamp,
            survey_stamp(municipalities=municipalities),
            peildatum.isoformat(),
            str(k),
        )
    )
    return "monitoring:dashboard:" + hashlib.sha256(key.encode()).hexdigest()


def survey_cells(
    *,
    indicator: indicators.Indicator,
    municipalities: Sequence[Municipality],
    peildatum: date,
    k: int,
    per: Sequence[str] = (),
    inputs: dict[str, Any] | None = None,
    public: bool = False,
) -> list[dict[str, Any]]:
    """Survey shares. The surveys app suppresses them already (with the same k); they are
    checked again here, with the complement for public output. Empty without the surveys app."""
    if inputs is None:
        inputs = survey_inputs(municipalities=municipalities, peildatum=peildatum)
    items = []
    for m in municipalities:
        item = inputs.get(m.code, {}).get(indicator.survey_code)
        if item is not None:
            items.append((m.code, item.numerator, item.denominator))
    if "gemeente" not in per and len(items) > 1:
        hidden = any(t is None or n is None for _, t, n in items)
        items = [
            (
                "",
                None if hidden else sum(t for _, t, _n in items),
                None if hidden else sum(n for _, _t, n in items),
            )
        ]
    cells = []
    for code, teller, noemer in items:
        keys = {"gemeente": code} if "gemeente" in per else {}
        teller, noemer = disclosure.protect_ratio(teller, noemer, k=k, complement=public)
        if teller is None or noemer is None:
            cells.append(disclosure.Published.suppressed(keys).as_dict())
        else:
            cell = disclosure.RawCell(keys=keys, teller=teller, noemer=noemer)
            cells.append(disclosure.publish(cell, percentage=True))
    return cells


def last_rebuild(*, municipalities: Sequence[Municipality]) -> Any:
    return (
        FactRebuild.objects.filter(municipality__in=[m.pk for m in municipalities])
        .order_by("rebuilt_at")
        .first()
    )


def benchmarks_for(*, municipalities: Sequence[Municipality]) -> QuerySet[BenchmarkSet]:
    return BenchmarkSet.objects.filter(owner__in=[m.pk for m in municipalities])


def benchmark_export(
    *, municipality: Municipality, peildatum: date, generated_at: Any, k: int | None = None
) -> dict[str, Any]:
    """Suppressed aggregates of every indicator (no breakdown and per cohort) for a benchmark.

    The file leaves the gemeente, so small complements are suppressed too (`public`)."""
    from .services import BENCHMARK_FORMAT

    k = disclosure.default_k() if k is None else k
    rows = lazy_rows(municipalities=[municipality])
    stamp = facts_stamp(municipalities=[municipality])
    tables: dict[str, Any] = {}
    for code, indicator in indicators.CATALOGUE.items():
        if indicator.kind == indicators.SURVEY:
            continue
        per = ["cohort"] if "cohort" in indicator.breakdowns else []
        table = indicator_table(
            code=code,
            municipality=municipality,
            peildatum=peildatum,
            per=per,
            rows=rows,
            k=k,
            stamp=stamp,
            public=True,
        )
        tables[code] = {"per": per, "cellen": table["cellen"]}
    return {
        "formaat": BENCHMARK_FORMAT,
        "gemeente": {"code": municipality.code, "naam": municipality.name},
        "peildatum": peildatum.isoformat(),
        "gemaakt_op": generated_at.isoformat(),
        "k": k,
        "indicatoren": tables,
    }

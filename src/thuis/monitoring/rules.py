"""Pure rules for facts and indicators: no ORM, no clock. Dates are passed in.

The per-person logic that is expensive (which spell covers which measuring date) runs here, once
per fact rebuild; the indicator layer only counts.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thuis.cases.rules import level_rank

# N months after plicht start for WERK_{N}M and BIJSTAND_{N}M.
MONTHS: tuple[int, ...] = (6, 12, 18, 24, 30, 36, 48, 60)
SPELL_KINDS: tuple[str, ...] = ("WERK", "BIJSTAND")
PARTICIPATION_KINDS: frozenset[str] = frozenset({"WERK", "STAGE", "VRIJWILLIGERSWERK"})
AGE_MIN, AGE_MAX = 18, 64
AGE_CLASSES: tuple[tuple[int, int], ...] = (
    (0, 17),
    (18, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 200),
)


@dataclass(frozen=True)
class Spell:
    kind: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class ExamInput:
    component: str
    level: str
    exam_date: date
    result: str


@dataclass
class FactRow:
    """A person fact as the indicators see it (one inburgeringstraject)."""

    municipality: str
    doelgroep: str
    sex: str
    age_at_plicht_start: int
    country_of_birth: str
    plicht_start: date
    koppeling_date: date | None = None
    vestiging_date: date | None = None
    intake_start: date | None = None
    first_pip_date: date | None = None
    pip_deadline: date | None = None
    leerroute: str = ""
    leerroute_date: date | None = None
    termijn_end: date | None = None
    plicht_end_date: date | None = None
    plicht_end_reason: str = ""
    exams: dict[str, dict[str, str | None]] = field(default_factory=dict)
    covered_months: dict[str, list[int]] = field(default_factory=dict)
    participatie_6m_vestiging: bool | None = None
    regime: str = ""  # Wi2013 or Wi2021 ("" in facts built before issue 14: counted as before)


def add_months(d: date, months: int) -> date:
    """Calendar months, clipped to the month's last day (as dateutil's relativedelta)."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def age_on(*, birth_date: date, on: date) -> int:
    """Completed years on a date (a 29 February birthday counts on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_class(age: int) -> str:
    for low, high in AGE_CLASSES:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "onbekend"


def half_year(d: date) -> str:
    """2019-03-01 -> '2019-H1'."""
    return f"{d.year}-H{1 if d.month <= 6 else 2}"


def half_year_bounds(period: str) -> tuple[date, date]:
    year, half = int(period[:4]), period[-1]
    if half == "1":
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def spell_covers(spell: Spell, on: date) -> bool:
    """A spell covers a date when it began on or before it and ended on or after it (or not)."""
    return spell.start <= on and (spell.end is None or spell.end >= on)


def any_covers(spells: Iterable[Spell], kinds: Iterable[str], on: date) -> bool:
    wanted = set(kinds)
    return any(s.kind in wanted and spell_covers(s, on) for s in spells)


def covered_months(*, plicht_start: date, spells: Sequence[Spell]) -> dict[str, list[int]]:
    """For WERK and BIJSTAND: the N (of MONTHS) where a spell covers plicht start + N months."""
    result: dict[str, list[int]] = {}
    for kind in SPELL_KINDS:
        months = [n for n in MONTHS if any_covers(spells, {kind}, add_months(plicht_start, n))]
        if months:
            result[kind] = months
    return result


def participation_6m(*, vestiging: date | None, spells: Sequence[Spell]) -> bool | None:
    if vestiging is None:
        return None
    return any_covers(spells, PARTICIPATION_KINDS, add_months(vestiging, 6))


def exam_summary(exams: Iterable[ExamInput]) -> dict[str, dict[str, str | None]]:
    """Per component: first exam, first pass (any level), first pass at B1 or higher."""
    out: dict[str, dict[str, str | None]] = {}
    for exam in sorted(exams, key=lambda e: e.exam_date):
        entry = out.setdefault(
            exam.component, {"first": exam.exam_date.isoformat(), "passed": None, "b1": None}
        )
        if exam.result == "geslaagd":
            if entry["passed"] is None:
                entry["passed"] = exam.exam_date.isoformat()
            if entry["b1"] is None and level_rank(exam.level) >= level_rank("B1"):
                entry["b1"] = exam.exam_date.isoformat()
    return out


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def build_fact(
    *,
    municipality: str,
    doelgroep: str,
    sex: str,
    birth_date: date,
    country_of_birth: str,
    plicht_start: date,
    spells: Sequence[Spell] = (),
    exams: Sequence[ExamInput] = (),
    coverage: tuple[dict[str, list[int]], bool | None] | None = None,
    **dates: Any,
) -> FactRow:
    """The pure fact of one case, used by the rebuild and by the tests alike.

    `coverage` (covered months, participation at vestiging + 6 months) may be computed
    elsewhere (set-based in SQL by the rebuild on PostgreSQL); then `spells` is not used.
    """
    vestiging = dates.get("vestiging_date")
    if coverage is None:
        coverage = (
            covered_months(plicht_start=plicht_start, spells=spells),
            participation_6m(vestiging=vestiging, spells=spells),
        )
    return FactRow(
        municipality=municipality,
        doelgroep=doelgroep,
        sex=sex,
        age_at_plicht_start=age_on(birth_date=birth_date, on=plicht_start),
        country_of_birth=country_of_birth,
        plicht_start=plicht_start,
        exams=exam_summary(exams),
        covered_months=coverage[0],
        participatie_6m_vestiging=coverage[1],
        **dates,
    )


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def fact_from_mapping(row: Mapping[str, Any]) -> FactRow:
    """A FactRow from a `.values()` row of PersonFact (municipality given as its code)."""
    names = FactRow.__dataclass_fields__
    return FactRow(**{k: v for k, v in row.items() if k in names})

"""Pure rules of the policy cycle: goal checks, action progress and suggested attention points.

No ORM, no clock. Indicator cells come in the shape of the indicator API
(`{"geslacht": "V", "teller", "noemer", "waarde", "ondergrens", "bovengrens", "onderdrukt"}`),
so a suppressed cell never takes part in a suggestion: it has no value to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thuis.core import disclosure, formatting

GTE, LTE = "gte", "lte"
# Thresholds for suggestions (our choice; the beleidsmedewerker edits or removes suggestions).
LOW_NETWORK_THRESHOLD = 50.0  # % with a supporting social network below this: attention point
VOLUNTEER_DEPENDENCE_THRESHOLD = 50.0  # % who lean only on volunteers/professionals
SEX_LABELS = {"M": "mannen", "V": "vrouwen", "X": "anders of onbekend"}

RULE_GENDER_GAP = "gender_gap"
RULE_BELOW_TARGET = "below_target"
RULE_LOW_NETWORK = "low_social_network"
RULE_VOLUNTEERS = "volunteer_dependence"


@dataclass(frozen=True)
class Suggestion:
    """A suggested attention point with the evidence that led to it."""

    rule: str
    key: str  # stable per rule and subject, so a refresh does not duplicate a point
    title: str
    text: str
    evidence: str
    data: dict[str, Any] = field(default_factory=dict)


def wilson(teller: int, noemer: int) -> tuple[float, float]:
    """95% Wilson score interval in percent (0..100), from the disclosure layer."""
    if noemer <= 0 or teller < 0 or teller > noemer:
        raise ValueError("need 0 <= teller <= noemer and noemer > 0")
    low, high = disclosure.wilson(teller, noemer)
    return round(100 * low, 1), round(100 * high, 1)


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Closed intervals [low, high] share at least one point."""
    return a[0] <= b[1] and b[0] <= a[1]


def visible(cell: Mapping[str, Any]) -> bool:
    return not cell.get("onderdrukt") and cell.get("waarde") is not None


def interval_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{formatting.number(low)}–{formatting.number(high)}%"


def goal_met(
    *, value: float | None, target: Decimal | float | None, comparison: str
) -> bool | None:
    """Whether a measured value meets the target; None when there is no value or no target."""
    if value is None or target is None:
        return None
    t = float(target)
    return value >= t if comparison == GTE else value <= t


def action_progress(statuses: Iterable[str]) -> dict[str, int]:
    """Counts per status plus `total` and `done_pct` (stopped actions do not count as done)."""
    counts = {"planned": 0, "running": 0, "done": 0, "stopped": 0}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    total = sum(counts.values())
    counts["total"] = total
    counts["done_pct"] = round(100 * counts["done"] / total) if total else 0
    return counts


def gender_gap(*, code: str, name: str, cells: Sequence[Mapping[str, Any]]) -> Suggestion | None:
    """Men and women differ when both cells are visible and their 95% intervals do not overlap."""
    by_sex = {
        c.get("geslacht"): c
        for c in cells
        if c.get("geslacht") in {"M", "V"}
        and visible(c)
        and c.get("ondergrens") is not None
        and c.get("bovengrens") is not None
        and all(v == "totaal" for k, v in c.items() if k in _BREAKDOWN_KEYS and k != "geslacht")
    }
    men, women = by_sex.get("M"), by_sex.get("V")
    if men is None or women is None:
        return None
    a = (float(men["ondergrens"]), float(men["bovengrens"]))
    b = (float(women["ondergrens"]), float(women["bovengrens"]))
    if intervals_overlap(a, b):
        return None
    low_sex = "V" if float(women["waarde"]) < float(men["waarde"]) else "M"
    high_sex = "M" if low_sex == "V" else "V"
    low, high = by_sex[low_sex], by_sex[high_sex]
    evidence = (
        f"{name}: {SEX_LABELS[high_sex]} {formatting.percent(high['waarde'])} (95%-interval "
        f"{interval_text(high['ondergrens'], high['bovengrens'])}, n = {high['noemer']}), "
        f"{SEX_LABELS[low_sex]} {formatting.percent(low['waarde'])} (95%-interval "
        f"{interval_text(low['ondergrens'], low['bovengrens'])}, n = {low['noemer']}). "
        "De intervallen overlappen niet: het verschil is niet toevallig."
    )
    return Suggestion(
        rule=RULE_GENDER_GAP,
        key=f"{RULE_GENDER_GAP}:{code}",
        title=f"{SEX_LABELS[low_sex].capitalize()} blijven achter ({name.lower()})",
        text=(
            f"{SEX_LABELS[low_sex].capitalize()} doen minder vaak mee dan "
            f"{SEX_LABELS[high_sex]}. Zoek uit wat hen tegenhoudt, bijvoorbeeld kinderopvang, "
            "taal of begeleiding die stopt als de partner werk vindt."
        ),
        evidence=evidence,
        data={"code": code, "laag": low_sex, "hoog": high_sex},
    )


_BREAKDOWN_KEYS = {"cohort", "geslacht", "leeftijdsklasse", "geboorteland", "leerroute", "gemeente"}


def below_target(
    *,
    goal: str,
    code: str,
    name: str,
    cell: Mapping[str, Any] | None,
    target: Decimal | float,
    comparison: str,
) -> Suggestion | None:
    """The measured (visible) total misses the goal's target."""
    if cell is None or not visible(cell):
        return None
    value = float(cell["waarde"])
    if goal_met(value=value, target=target, comparison=comparison):
        return None
    word = "minstens" if comparison == GTE else "hoogstens"
    interval = interval_text(cell.get("ondergrens"), cell.get("bovengrens"))
    evidence = (
        f"{name}: gemeten {formatting.percent(value)}"
        + (f" (95%-interval {interval}, n = {cell.get('noemer')})" if interval else "")
        + f"; doel {word} {formatting.percent(float(target), 0)}."
    )
    return Suggestion(
        rule=RULE_BELOW_TARGET,
        key=f"{RULE_BELOW_TARGET}:{code}",
        title=f"Doel niet gehaald: {goal}",
        text=(
            "Het doel uit het plan van aanpak is niet gehaald. Bekijk welke acties helpen en "
            "of het doel nog past."
        ),
        evidence=evidence,
        data={"code": code, "waarde": value, "doel": float(target)},
    )


def low_social_network(
    *,
    label: str,
    numerator: int | None,
    denominator: int | None,
    k: int,
    threshold: float = LOW_NETWORK_THRESHOLD,
) -> Suggestion | None:
    """Fewer than `threshold` % say they have a supporting network (visible counts only)."""
    numerator, denominator = disclosure.protect_ratio(numerator, denominator, k=k)
    if numerator is None or denominator is None or not denominator:
        return None
    share = 100 * numerator / denominator
    if share >= threshold:
        return None
    low, high = wilson(numerator, denominator)
    return Suggestion(
        rule=RULE_LOW_NETWORK,
        key=RULE_LOW_NETWORK,
        title="Veel statushouders hebben nog geen steunend sociaal netwerk",
        text=(
            "Veel statushouders hebben weinig mensen om op terug te vallen. Zet in op contact "
            "met buren, verenigingen en de eigen gemeenschap."
        ),
        evidence=(
            f"{label}: {formatting.percent(share)} (95%-interval {interval_text(low, high)}, "
            f"{numerator} van {denominator} antwoorden); grens {formatting.percent(threshold, 0)}."
        ),
        data={"aandeel": round(share, 1)},
    )


def volunteer_dependence(
    *,
    dependent: int | None,
    total: int | None,
    k: int,
    threshold: float = VOLUNTEER_DEPENDENCE_THRESHOLD,
) -> Suggestion | None:
    """At least `threshold` % of persons with support lean only on volunteers/professionals."""
    dependent, total = disclosure.protect_ratio(dependent, total, k=k)
    if dependent is None or total is None or not total:
        return None
    share = 100 * dependent / total
    if share < threshold:
        return None
    low, high = wilson(dependent, total)
    return Suggestion(
        rule=RULE_VOLUNTEERS,
        key=RULE_VOLUNTEERS,
        title="Statushouders zijn sterk afhankelijk van vrijwilligers en professionals",
        text=(
            "Veel statushouders krijgen alleen steun van vrijwilligers of professionals. "
            "Help hen een eigen netwerk op te bouwen en zorg dat de vrijwilligers het volhouden."
        ),
        evidence=(
            f"Van de statushouders met steunpersonen heeft {formatting.percent(share)} alleen "
            f"vrijwilligers of professionals (95%-interval {interval_text(low, high)}, "
            f"n = {total}); grens {formatting.percent(threshold, 0)}."
        ),
        data={"aandeel": round(share, 1)},
    )


def action_dates_problem(
    *,
    status: str,
    planned_start: Any,
    planned_end: Any,
    actual_start: Any,
    actual_end: Any,
    today: Any,
) -> str | None:
    """A Dutch message when an action's dates do not fit its status; None when they fit."""
    if planned_start and planned_end and planned_end < planned_start:
        return "Het geplande einde ligt vóór de geplande start."
    if actual_start and actual_end and actual_end < actual_start:
        return "Het echte einde ligt vóór de echte start."
    if actual_start and actual_start > today:
        return "De echte start kan niet in de toekomst liggen."
    if actual_end and actual_end > today:
        return "Het echte einde kan niet in de toekomst liggen."
    if status == "running" and not actual_start:
        return "Vul de echte start in: de actie loopt."
    if status in {"done", "stopped"} and not actual_end:
        return "Vul het echte einde in: de actie is klaar of gestopt."
    if status == "planned" and actual_end:
        return "Een geplande actie heeft nog geen echt einde."
    return None

"""Aggregate counts for policy staff (no person-level data). Small cells are suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from thuis.accounts import scope

from .choices import CaseStatus
from .models import IntegrationCase

# Cells with 0 < n < threshold are not shown (SECURITY.md G21; threshold our choice).
SUPPRESSION_THRESHOLD = 10


@dataclass(frozen=True)
class CohortRow:
    cohort: int
    cells: list[str]
    total: str


def suppress(n: int) -> str:
    return "<10" if 0 < n < SUPPRESSION_THRESHOLD else str(n)


def status_by_cohort(*, user: Any) -> dict[str, Any]:
    if not scope.sees_aggregates(user):
        return {"statuses": [], "rows": []}
    counts = (
        IntegrationCase.objects.filter(municipality__in=scope.municipality_ids(user))
        .values("plicht_start__year", "status")
        .annotate(n=Count("pk"))
    )
    by: dict[int, dict[str, int]] = {}
    for row in counts:
        by.setdefault(row["plicht_start__year"], {})[row["status"]] = row["n"]
    statuses = list(CaseStatus)
    rows = []
    for year in sorted(by):
        values = [by[year].get(s, 0) for s in statuses]
        cells = [suppress(v) for v in values]
        # Secondary suppression: if exactly one cell in a row is hidden, hide the smallest other
        # non-zero cell too, so the hidden value cannot be recovered from the row total.
        hidden = [i for i, c in enumerate(cells) if c == "<10"]
        if len(hidden) == 1:
            others = [(v, i) for i, v in enumerate(values) if i not in hidden and v > 0]
            if others:
                cells[min(others)[1]] = "x"
        rows.append(CohortRow(cohort=year, cells=cells, total=suppress(sum(values))))
    return {"statuses": statuses, "rows": rows}

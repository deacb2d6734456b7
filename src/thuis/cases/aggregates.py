"""Aggregate counts for policy staff (no person-level data). Small cells are suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from thuis.accounts import scope
from thuis.core import disclosure

from .choices import CaseStatus
from .models import IntegrationCase


@dataclass(frozen=True)
class CohortRow:
    cohort: int
    cells: list[str]
    total: str


def status_by_cohort(*, user: Any) -> dict[str, Any]:
    """Cases per cohort and status; each row and its total through the disclosure layer."""
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
        cells, total = disclosure.count_texts([by[year].get(s, 0) for s in statuses])
        rows.append(CohortRow(cohort=year, cells=cells, total=total))
    return {"statuses": statuses, "rows": rows}

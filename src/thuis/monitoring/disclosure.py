"""Disclosure control, applied once in the indicator layer (SECURITY.md G21).

Every published table passes through `protect()`:

1. Totals. A table is published with its margins: for every breakdown, cells where that key is
   "totaal" (down to the grand total). Margins take part in suppression like any cell.
2. Primary suppression: a cell whose denominator (noemer) is below k is suppressed.
3. Secondary suppression: each group of cells that adds up to a margin (and, for a share such
   as the leerroute mix, the cells that add up to the published noemer) is a linear equation.
   First no equation may hold exactly one suppressed cell (the hypercube rule); then an exact
   check (fractions, no floating point) finds any suppressed teller that the equations still
   fix, and hides one more cell of such an equation, until none is fixed.
4. Percentages carry a 95% Wilson score interval.

A suppressed cell keeps its noemer (the group size is the reason to suppress it) and has
teller, waarde and bounds None. Limitation (docs/indicators.md): tables with different, not
nested breakdowns requested separately are not protected against each other (linked tables).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings

Z_95 = 1.959963984540054
TOTAL = "totaal"


def default_k() -> int:
    return int(getattr(settings, "THUIS_DISCLOSURE_K", 10))


@dataclass
class RawCell:
    """A cell before disclosure control. `value` is used by non-ratio indicators (medians)."""

    keys: dict[str, str]
    teller: int | None
    noemer: int
    value: float | None = None
    suppressed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


Equation = list[tuple[int, int]]  # (cell index, coefficient): sum of coefficient * teller known


def wilson(teller: int, noemer: int, z: float = Z_95) -> tuple[float, float]:
    """95% Wilson score interval for a proportion, as fractions (0..1)."""
    if noemer <= 0:
        raise ValueError("noemer must be positive")
    p = teller / noemer
    z2 = z * z
    denom = 1 + z2 / noemer
    centre = (p + z2 / (2 * noemer)) / denom
    half = z * math.sqrt(p * (1 - p) / noemer + z2 / (4 * noemer * noemer)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def with_totals(cells: Sequence[RawCell], dims: Sequence[str]) -> list[RawCell]:
    """The cells plus every margin over `dims` (key value "totaal"), tellers and noemers added."""
    out = list(cells)
    for r in range(1, len(dims) + 1):
        for summed in combinations(dims, r):
            acc: dict[tuple[tuple[str, str], ...], RawCell] = {}
            for c in cells:
                keys = {d: (TOTAL if d in summed else v) for d, v in c.keys.items()}
                key = tuple(sorted(keys.items()))
                if key not in acc:
                    acc[key] = RawCell(keys=keys, teller=0, noemer=0)
                acc[key].teller = (acc[key].teller or 0) + (c.teller or 0)
                acc[key].noemer += c.noemer
            out.extend(acc.values())
    return out


def equations(
    cells: Sequence[RawCell], dims: Sequence[str], share_dim: str | None = None
) -> list[Equation]:
    """Linear relations between tellers that a reader knows."""
    index = {tuple(sorted(c.keys.items())): i for i, c in enumerate(cells)}
    eqs: list[Equation] = []
    for dim in dims:
        groups: dict[tuple[tuple[str, str], ...], list[int]] = defaultdict(list)
        for i, c in enumerate(cells):
            if c.keys.get(dim) != TOTAL:
                rest = tuple(sorted((d, v) for d, v in c.keys.items() if d != dim))
                groups[rest].append(i)
        for rest, members in groups.items():
            total = index.get(tuple(sorted((*rest, (dim, TOTAL)))))
            if total is not None:
                eqs.append([(i, 1) for i in members] + [(total, -1)])
    if share_dim is not None:
        shares: dict[tuple[tuple[str, str], ...], list[int]] = defaultdict(list)
        for i, c in enumerate(cells):
            shares[tuple(sorted((d, v) for d, v in c.keys.items() if d != share_dim))].append(i)
        eqs.extend([(i, 1) for i in members] for members in shares.values())
    return eqs


PRIME = (1 << 61) - 1  # rank over GF(p) equals the rank over Q for these small 0/±1 systems


def determined(suppressed: Sequence[int], eqs: Sequence[Equation]) -> list[int]:
    """Suppressed cells whose teller the equations fix (a unit vector in the row space).

    Gaussian elimination to reduced row echelon form, in modular arithmetic (fast integers).
    """
    col = {cell: j for j, cell in enumerate(suppressed)}
    rows: list[dict[int, int]] = []
    for eq in eqs:
        row: dict[int, int] = {}
        for i, coef in eq:
            j = col.get(i)
            if j is not None:
                row[j] = (row.get(j, 0) + coef) % PRIME
        row = {j: v for j, v in row.items() if v}
        if row:
            rows.append(row)
    pivot_rows: dict[int, dict[int, int]] = {}  # pivot column -> row (reduced)
    for row in rows:
        for c, prow in pivot_rows.items():  # eliminate existing pivots
            v = row.get(c)
            if v:
                for j, w in prow.items():
                    row[j] = (row.get(j, 0) - v * w) % PRIME
                row = {j: x for j, x in row.items() if x}
        if not row:
            continue
        c = min(row)
        inv = pow(row[c], PRIME - 2, PRIME)
        row = {j: x * inv % PRIME for j, x in row.items()}
        for other_c, prow in pivot_rows.items():  # keep earlier rows reduced
            v = prow.get(c)
            if v:
                for j, w in row.items():
                    prow[j] = (prow.get(j, 0) - v * w) % PRIME
                pivot_rows[other_c] = {j: x for j, x in prow.items() if x}
        pivot_rows[c] = row
    return [suppressed[c] for c, row in pivot_rows.items() if len(row) == 1]


def suppress(cells: Sequence[RawCell], *, k: int, eqs: Sequence[Equation]) -> None:
    """Mark cells suppressed in place: primary, then secondary."""
    for c in cells:
        c.suppressed = c.noemer < k
    members = [[i for i, _ in eq] for eq in eqs]
    by_cell: dict[int, list[int]] = {}
    for e, eq_members in enumerate(members):
        for i in eq_members:
            by_cell.setdefault(i, []).append(e)

    def hide_partner(eq_members: list[int]) -> bool:
        visible = [i for i in eq_members if not cells[i].suppressed]
        if not visible:
            return False
        choice = min(visible, key=lambda i: (cells[i].noemer, i))
        cells[choice].suppressed = True
        return True

    while True:
        changed = False
        for eq_members in members:
            if sum(cells[i].suppressed for i in eq_members) == 1 and hide_partner(eq_members):
                changed = True
        if changed:
            continue
        hidden = [i for i, c in enumerate(cells) if c.suppressed]
        fixed = determined(hidden, eqs) if hidden else []
        if not fixed:
            return
        for cell in fixed:
            if cells[cell].suppressed and any(
                hide_partner(members[e]) for e in by_cell.get(cell, [])
            ):
                changed = True
        if not changed:
            # Every equation around the fixed cells is fully hidden: widen to any equation
            # that touches a hidden cell.
            touching = [m for m in members if any(cells[i].suppressed for i in m)]
            if not any(hide_partner(m) for m in touching):
                return


def publish(cell: RawCell, *, percentage: bool) -> dict[str, Any]:
    out: dict[str, Any] = dict(cell.keys)
    if cell.suppressed:
        out.update(
            teller=None,
            noemer=cell.noemer,
            waarde=None,
            ondergrens=None,
            bovengrens=None,
            onderdrukt=True,
        )
        return out
    low = high = None
    value: float | None = None
    if cell.value is not None:
        value = round(cell.value, 1)
    elif cell.teller is not None and cell.noemer > 0:
        value = round(100 * cell.teller / cell.noemer, 1)
        if percentage and cell.teller <= cell.noemer:
            lo, hi = wilson(cell.teller, cell.noemer)
            low, high = round(100 * lo, 1), round(100 * hi, 1)
    out.update(
        teller=cell.teller,
        noemer=cell.noemer,
        waarde=value,
        ondergrens=low,
        bovengrens=high,
        onderdrukt=False,
    )
    return out


def protect(
    cells: Sequence[RawCell],
    *,
    dims: Sequence[str],
    k: int | None = None,
    share_dim: str | None = None,
    percentage: bool = True,
    totals: bool = True,
) -> list[dict[str, Any]]:
    """Add totals, suppress and publish: the only way indicator cells leave the app.

    `dims` are the breakdowns that add up (totals are made over them); `share_dim` is a
    dimension whose cells add up to the noemer (leerroute mix). Cells without a teller
    (medians) add up to nothing and get primary suppression only.
    """
    k = default_k() if k is None else k
    additive = totals and all(c.teller is not None for c in cells)
    table = with_totals(cells, dims) if additive else list(cells)
    eqs = equations(table, dims, share_dim) if additive else []
    suppress(table, k=k, eqs=eqs)
    return [publish(c, percentage=percentage) for c in table]

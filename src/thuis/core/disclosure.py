"""Disclosure control for every published count: the one place with k (SECURITY.md G21).

Pure functions, no ORM. Every app that publishes counts (dashboards, the public figures page,
the API, exports, reports, surveys, the overview page, the benchmark) goes through this module;
no other module compares a count with a threshold (tests/test_architecture_disclosure.py).

k is one setting, `THUIS_DISCLOSURE_K` (default 10, docs/configuration.md).

The rules:

1. A group of 1 to k−1 persons is small (`is_small`). An empty group (0) is not small: it
   reveals nobody.
2. Primary suppression (`is_primary`): a cell is suppressed when its noemer is small (a cell of
   plain counts has teller = noemer = the count). For public output (`complement=True`) a cell
   whose complement noemer − teller is small is suppressed too: "all but 3 of 40" is as
   revealing as "3 of 40".
3. Totals. A table is published with its margins: for every breakdown, cells where that key is
   "totaal" (down to the grand total). Margins take part in suppression like any cell.
4. Secondary suppression (`suppress`): each group of cells that adds up to a margin (and, for a
   share such as the leerroute mix, the cells that add up to the published noemer) is a linear
   equation. First no equation may hold exactly one suppressed cell (the hypercube rule); then
   an exact check finds any suppressed teller that the equations still fix, and hides one more
   cell of such an equation, until none is fixed. Tellers, noemers and complements obey the
   same equations, so what protects the teller protects all three.
5. Publication (`Published`): a suppressed cell has teller, noemer, waarde and bounds None; the
   type refuses anything else, and `Published.from_dict` drops them from stored tables, so no
   template, JSON, export or report can print the size of a suppressed group.
6. Percentages carry a 95% Wilson score interval.

Limitation (docs/indicators.md): tables with different, not nested breakdowns requested
separately are not protected against each other (linked tables).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings

Z_95 = 1.959963984540054
TOTAL = "totaal"
DEFAULT_K = 10
VALUE_KEYS = ("teller", "noemer", "waarde", "ondergrens", "bovengrens", "onderdrukt")

# States of a cell of a count table (`protect_counts`).
SHOWN, PRIMARY, SECONDARY = "shown", "primary", "secondary"
SECONDARY_TEXT = "x"


def default_k() -> int:
    """The one k: `THUIS_DISCLOSURE_K`."""
    return int(getattr(settings, "THUIS_DISCLOSURE_K", DEFAULT_K))


def is_small(n: int, *, k: int) -> bool:
    """A group of 1 to k−1 persons (0 is an empty group, not a small one)."""
    return 0 < n < k


def is_primary(teller: int | None, noemer: int, *, k: int, complement: bool = False) -> bool:
    """Primary suppression of one cell: a small noemer (or a teller without a noemer), and with
    `complement` also a small noemer − teller."""
    if is_small(noemer, k=k) or (noemer <= 0 and bool(teller)):
        return True
    return complement and teller is not None and is_small(noemer - teller, k=k)


def small_text(*, k: int) -> str:
    """How a primary-suppressed count is shown: '<10'."""
    return f"<{k}"


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


def suppress(
    cells: Sequence[RawCell], *, k: int, eqs: Sequence[Equation], complement: bool = False
) -> None:
    """Mark cells suppressed in place: primary (`is_primary`), then secondary.

    The partner hidden to protect a cell is the smallest visible non-empty cell of its
    equation (an empty cell protects little); a margin when nothing else is left.
    """
    for c in cells:
        c.suppressed = is_primary(c.teller, c.noemer, k=k, complement=complement)
    members = [[i for i, _ in eq] for eq in eqs]
    by_cell: dict[int, list[int]] = {}
    for e, eq_members in enumerate(members):
        for i in eq_members:
            by_cell.setdefault(i, []).append(e)

    def hide_partner(eq_members: list[int]) -> bool:
        visible = [i for i in eq_members if not cells[i].suppressed]
        if not visible:
            return False
        choice = min(visible, key=lambda i: (cells[i].noemer == 0, cells[i].noemer, i))
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


# --- Published cells ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A cell as it leaves Thuis. A suppressed cell carries no number at all (not even the
    noemer: the size of a small group is what suppression hides)."""

    keys: Mapping[str, str]
    teller: int | None
    noemer: int | None
    waarde: float | None
    ondergrens: float | None = None
    bovengrens: float | None = None
    onderdrukt: bool = False

    def __post_init__(self) -> None:
        numbers = (self.teller, self.noemer, self.waarde, self.ondergrens, self.bovengrens)
        if self.onderdrukt and any(v is not None for v in numbers):
            raise ValueError("a suppressed cell carries no numbers")

    @classmethod
    def suppressed(cls, keys: Mapping[str, str]) -> Published:
        return cls(keys=dict(keys), teller=None, noemer=None, waarde=None, onderdrukt=True)

    @classmethod
    def of(cls, cell: RawCell, *, percentage: bool = True) -> Published:
        if cell.suppressed:
            return cls.suppressed(cell.keys)
        low = high = None
        value: float | None = None
        if cell.value is not None:
            value = round(cell.value, 1)
        elif cell.teller is not None and cell.noemer > 0:
            value = round(100 * cell.teller / cell.noemer, 1)
            if percentage and cell.teller <= cell.noemer:
                lo, hi = wilson(cell.teller, cell.noemer)
                low, high = round(100 * lo, 1), round(100 * hi, 1)
        return cls(
            keys=dict(cell.keys),
            teller=cell.teller,
            noemer=cell.noemer,
            waarde=value,
            ondergrens=low,
            bovengrens=high,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Published:
        """A stored or received cell; the numbers of a suppressed one are dropped."""
        keys = {str(k): str(v) for k, v in data.items() if k not in VALUE_KEYS}
        if data.get("onderdrukt"):
            return cls.suppressed(keys)
        return cls(
            keys=keys,
            teller=data.get("teller"),
            noemer=data.get("noemer"),
            waarde=data.get("waarde"),
            ondergrens=data.get("ondergrens"),
            bovengrens=data.get("bovengrens"),
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (API, cache, snapshots, benchmark files, templates)."""
        return {
            **self.keys,
            "teller": self.teller,
            "noemer": self.noemer,
            "waarde": self.waarde,
            "ondergrens": self.ondergrens,
            "bovengrens": self.bovengrens,
            "onderdrukt": self.onderdrukt,
        }


def published(cells: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored or received cells as they may be shown (see `Published.from_dict`)."""
    return [Published.from_dict(c).as_dict() for c in cells]


def publish(cell: RawCell, *, percentage: bool) -> dict[str, Any]:
    return Published.of(cell, percentage=percentage).as_dict()


def protect(
    cells: Sequence[RawCell],
    *,
    dims: Sequence[str],
    k: int | None = None,
    share_dim: str | None = None,
    percentage: bool = True,
    totals: bool = True,
    complement: bool = False,
) -> list[dict[str, Any]]:
    """Add totals, suppress and publish: the only way indicator cells leave the app.

    `dims` are the breakdowns that add up (totals are made over them); `share_dim` is a
    dimension whose cells add up to the noemer (leerroute mix). Cells without a teller
    (medians) add up to nothing and get primary suppression only. `complement` protects
    small complements (public output).
    """
    k = default_k() if k is None else k
    additive = totals and all(c.teller is not None for c in cells)
    table = with_totals(cells, dims) if additive else list(cells)
    eqs = equations(table, dims, share_dim) if additive else []
    suppress(table, k=k, eqs=eqs, complement=complement)
    return [publish(c, percentage=percentage) for c in table]


def protect_ratio(
    teller: int | None, noemer: int | None, *, k: int | None = None, complement: bool = False
) -> tuple[int | None, int | None]:
    """One teller/noemer pair without margins: both, or (None, None) when suppressed (a pair
    that is already hidden stays hidden)."""
    k = default_k() if k is None else k
    if teller is None or noemer is None:
        return None, None
    if is_primary(teller, noemer, k=k, complement=complement):
        return None, None
    return teller, noemer


# --- Count tables ------------------------------------------------------------------------------


@dataclass
class Protection:
    """Which cells of a count table may be shown: SHOWN, PRIMARY or SECONDARY per cell."""

    cells: list[list[str]]
    row_totals: list[str] = field(default_factory=list)
    col_totals: list[str] = field(default_factory=list)


def protect_counts(
    counts: Sequence[Sequence[int]],
    *,
    k: int | None = None,
    with_row_totals: bool = True,
    with_col_totals: bool = False,
) -> Protection:
    """A table of plain counts (rows × columns) with its row and/or column totals, through
    the same primary and secondary suppression as indicator cells."""
    k = default_k() if k is None else k
    rows = [list(r) for r in counts]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([0] * (width - len(r)))
    cells = [RawCell(keys={}, teller=n, noemer=n) for r in rows for n in r]
    eqs: list[Equation] = []
    row_index: list[int] = []
    col_index: list[int] = []
    if with_row_totals:
        for i, r in enumerate(rows):
            row_index.append(len(cells))
            cells.append(RawCell(keys={}, teller=sum(r), noemer=sum(r)))
            eqs.append([(i * width + j, 1) for j in range(width)] + [(row_index[-1], -1)])
    if with_col_totals:
        for j in range(width):
            total = sum(r[j] for r in rows)
            col_index.append(len(cells))
            cells.append(RawCell(keys={}, teller=total, noemer=total))
            eqs.append([(i * width + j, 1) for i in range(len(rows))] + [(col_index[-1], -1)])
    suppress(cells, k=k, eqs=eqs)

    def state(index: int) -> str:
        cell = cells[index]
        if not cell.suppressed:
            return SHOWN
        return PRIMARY if is_primary(cell.teller, cell.noemer, k=k) else SECONDARY

    return Protection(
        cells=[[state(i * width + j) for j in range(width)] for i in range(len(rows))],
        row_totals=[state(i) for i in row_index],
        col_totals=[state(i) for i in col_index],
    )


def count_text(n: int, state: str, *, k: int | None = None) -> str:
    """A count as shown: '<k' (small), 'x' (hidden to protect another cell) or the number."""
    if state == PRIMARY:
        return small_text(k=default_k() if k is None else k)
    if state == SECONDARY:
        return SECONDARY_TEXT
    return str(n)


def count_texts(values: Sequence[int], *, k: int | None = None) -> tuple[list[str], str]:
    """One row of counts and its total, as shown."""
    protection = protect_counts([values], k=k, with_row_totals=True)
    texts = [count_text(n, s, k=k) for n, s in zip(values, protection.cells[0], strict=True)]
    return texts, count_text(sum(values), protection.row_totals[0], k=k)


def count_cell(n: int, *, k: int | None = None) -> str:
    """A lone count (no table around it)."""
    k = default_k() if k is None else k
    return count_text(n, PRIMARY if is_small(n, k=k) else SHOWN, k=k)

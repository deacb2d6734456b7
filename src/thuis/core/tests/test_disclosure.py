"""Disclosure control: primary and secondary suppression, Wilson intervals (SECURITY.md G21)."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thuis.core.disclosure import TOTAL, RawCell, protect, wilson

K = 10


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows if any(r)]
    rank, col = 0, 0
    width = len(rows[0]) if rows else 0
    while rank < len(rows) and col < width:
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
        col += 1
    return rank


def attack(published: list[dict], dims: list[str]) -> list[dict]:
    """An independent attacker: knows every published teller and that inner cells add up to
    each published or hidden total. A hidden teller is recovered when removing it from the
    system of equations lowers the rank (it is a fixed combination of known numbers)."""
    hidden = [c for c in published if c["onderdrukt"]]
    if not hidden:
        return []
    pos = {id(c): j for j, c in enumerate(hidden)}
    by_keys = {tuple(c[d] for d in dims): c for c in published}
    rows: list[list[Fraction]] = []
    for dim_index, _dim in enumerate(dims):
        for key, total in by_keys.items():
            if key[dim_index] != TOTAL:
                continue
            members = [
                c
                for k2, c in by_keys.items()
                if k2[dim_index] != TOTAL
                and all(k2[j] == key[j] for j in range(len(dims)) if j != dim_index)
            ]
            row = [Fraction(0)] * len(hidden)
            for c in members:
                if c["onderdrukt"]:
                    row[pos[id(c)]] += 1
            if total["onderdrukt"]:
                row[pos[id(total)]] -= 1
            rows.append(row)
    if not rows:
        return []
    full = _rank(rows)
    return [c for j, c in enumerate(hidden) if _rank([r[:j] + r[j + 1 :] for r in rows]) < full]


def table(dims: list[str], sizes: list[int], noemers: list[int], shares: list[float]):
    cells = []
    for combo, noemer, share in zip(
        product(*[range(s) for s in sizes]), noemers, shares, strict=False
    ):
        if noemer:
            keys = {d: f"{d}{v}" for d, v in zip(dims, combo, strict=True)}
            cells.append(RawCell(keys=keys, teller=int(share * noemer), noemer=noemer))
    return cells


@st.composite
def random_tables(draw):
    ndims = draw(st.integers(min_value=1, max_value=3))
    sizes = [
        draw(st.integers(min_value=1, max_value={1: 6, 2: 4, 3: 3}[ndims])) for _ in range(ndims)
    ]
    count = 1
    for s in sizes:
        count *= s
    noemer = st.one_of(st.integers(0, 12), st.integers(0, 60))
    noemers = draw(st.lists(noemer, min_size=count, max_size=count))
    shares = draw(st.lists(st.floats(0, 1), min_size=count, max_size=count))
    dims = ["a", "b", "c"][:ndims]
    return dims, table(dims, sizes, noemers, shares)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_no_suppressed_cell_can_be_recovered_from_cells_and_totals(data) -> None:
    dims, cells = data
    published = protect(cells, k=K, dims=dims)
    assert not [c for c in published if not c["onderdrukt"] and c["noemer"] < K]
    assert all(c["teller"] is None and c["noemer"] is None for c in published if c["onderdrukt"])
    assert attack(published, dims) == []


def test_attack_finds_a_lone_suppressed_cell() -> None:
    """The attacker works: without secondary suppression it recovers the hidden cell."""
    published = [
        {"a": "x", "teller": None, "onderdrukt": True},
        {"a": "y", "teller": 20, "onderdrukt": False},
        {"a": TOTAL, "teller": 23, "onderdrukt": False},
    ]
    assert attack(published, ["a"]) == [published[0]]


def test_primary_and_secondary_in_a_row() -> None:
    cells = [
        RawCell(keys={"geslacht": "M"}, teller=20, noemer=40),
        RawCell(keys={"geslacht": "V"}, teller=2, noemer=4),
        RawCell(keys={"geslacht": "X"}, teller=5, noemer=12),
    ]
    out = {c["geslacht"]: c for c in protect(cells, k=10, dims=["geslacht"])}
    assert [out[g]["onderdrukt"] for g in ("M", "V", "X", TOTAL)] == [False, True, True, False]
    assert out["V"] == {
        "geslacht": "V",
        "teller": None,
        # Issue 14: the noemer of a suppressed cell (the size of the small group) is not
        # published any more; this assertion said 4 before.
        "noemer": None,
        "waarde": None,
        "ondergrens": None,
        "bovengrens": None,
        "onderdrukt": True,
    }
    assert out["M"]["waarde"] == 50.0
    assert out[TOTAL]["teller"] == 27 and out[TOTAL]["noemer"] == 56


def test_lone_cell_in_a_margin_hides_the_margin() -> None:
    # a0 has one small and one large cell; b1 holds only the large one. Hiding the large cell
    # alone is useless (its column total equals it), so a total must go as well.
    cells = [
        RawCell(keys={"a": "a0", "b": "b0"}, teller=0, noemer=1),
        RawCell(keys={"a": "a0", "b": "b1"}, teller=0, noemer=10),
    ]
    published = protect(cells, k=10, dims=["a", "b"])
    assert attack(published, ["a", "b"]) == []


def test_share_dimension_cells_add_up_to_the_noemer() -> None:
    cells = [
        RawCell(keys={"cohort": "2022", "leerroute": r}, teller=t, noemer=30)
        for r, t in (("B1", 20), ("onderwijs", 3), ("Z", 7))
    ] + [
        RawCell(keys={"cohort": "2023", "leerroute": r}, teller=t, noemer=5)
        for r, t in (("B1", 2), ("onderwijs", 0), ("Z", 3))
    ]
    out = protect(cells, k=10, dims=["cohort"], share_dim="leerroute")
    hidden = {(c["cohort"], c["leerroute"]) for c in out if c["onderdrukt"]}
    # 2023 is small; the totals over cohorts would give 2023 away, so 2022 is hidden as well.
    assert {("2023", r) for r in ("B1", "onderwijs", "Z")} <= hidden
    assert {("2022", r) for r in ("B1", "onderwijs", "Z")} <= hidden


def test_medians_are_only_primary_suppressed() -> None:
    cells = [
        RawCell(keys={"cohort": "2022"}, teller=None, noemer=30, value=45.0),
        RawCell(keys={"cohort": "2023"}, teller=None, noemer=3, value=12.0),
    ]
    out = protect(cells, k=10, dims=["cohort"], percentage=False)
    assert out[0]["waarde"] == 45.0 and out[0]["onderdrukt"] is False
    assert out[1]["waarde"] is None and out[1]["onderdrukt"] is True


@pytest.mark.parametrize(
    ("teller", "noemer", "low", "high"),
    [
        (0, 10, 0.0, 27.8),
        (5, 10, 23.7, 76.3),
        (10, 10, 72.2, 100.0),
        (44, 100, 34.7, 53.8),
        (1, 1, 20.7, 100.0),
    ],
)
def test_wilson_interval(teller: int, noemer: int, low: float, high: float) -> None:
    lo, hi = wilson(teller, noemer)
    assert round(100 * lo, 1) == low
    assert round(100 * hi, 1) == high


def test_k_comes_from_settings(settings) -> None:
    settings.THUIS_DISCLOSURE_K = 5
    out = protect([RawCell(keys={}, teller=3, noemer=6)], dims=[])
    assert out[0]["onderdrukt"] is False
    settings.THUIS_DISCLOSURE_K = 10
    assert protect([RawCell(keys={}, teller=3, noemer=6)], dims=[])[0]["onderdrukt"] is True


# --- The one rule, table-tested (issue 14) -----------------------------------------------------

from thuis.core import disclosure  # noqa: E402


@pytest.mark.parametrize(
    ("n", "small"),
    [(0, False), (1, True), (K - 1, True), (K, False), (K + 1, False)],
)
def test_is_small(n: int, small: bool) -> None:
    assert disclosure.is_small(n, k=K) is small


@pytest.mark.parametrize(
    ("teller", "noemer", "internal", "public"),
    [
        # noemer k-1, k, k+1
        (0, K - 1, True, True),
        (5, K, False, True),  # complement k-5 = 5 is small in public output
        (5, K + 1, False, True),
        (2, K + 1, False, True),  # complement 9 = k-1
        (1, K + 1, False, False),  # complement 10 = k
        # complement 0, 1, k-1, k with a large noemer
        (40, 40, False, False),
        (39, 40, False, True),
        (40 - (K - 1), 40, False, True),
        (40 - K, 40, False, False),
        # an empty cell reveals nobody; a teller without a noemer (quota 0) does
        (0, 0, False, False),
        (3, 0, True, True),
        # a median (no teller) only has its noemer
        (None, K - 1, True, True),
        (None, K, False, False),
    ],
)
def test_is_primary(teller: int | None, noemer: int, internal: bool, public: bool) -> None:
    assert disclosure.is_primary(teller, noemer, k=K) is internal
    assert disclosure.is_primary(teller, noemer, k=K, complement=True) is public


def test_complement_is_suppressed_with_secondary_suppression() -> None:
    cells = [
        RawCell(keys={"cohort": "2022"}, teller=38, noemer=40),  # complement 2
        RawCell(keys={"cohort": "2023"}, teller=20, noemer=50),
        RawCell(keys={"cohort": "2024"}, teller=30, noemer=60),
    ]
    internal = {c["cohort"]: c for c in protect(cells, k=K, dims=["cohort"])}
    assert not any(c["onderdrukt"] for c in internal.values())
    public = {c["cohort"]: c for c in protect(cells, k=K, dims=["cohort"], complement=True)}
    assert public["2022"]["onderdrukt"] is True
    # the total minus the visible cells would give 2022 back: a second cell goes too
    assert sum(c["onderdrukt"] for c in public.values()) == 2
    assert public[TOTAL]["onderdrukt"] is False
    assert attack(list(public.values()), ["cohort"]) == []


def test_rows_and_columns_need_secondary_suppression() -> None:
    cells = [
        RawCell(keys={"a": a, "b": b}, teller=t, noemer=n)
        for a, b, t, n in (
            ("a0", "b0", 1, 3),  # small
            ("a0", "b1", 10, 20),
            ("a1", "b0", 10, 30),
            ("a1", "b1", 10, 40),
        )
    ]
    published = protect(cells, k=K, dims=["a", "b"])
    hidden = {(c["a"], c["b"]) for c in published if c["onderdrukt"]}
    assert ("a0", "b0") in hidden
    # its row and its column each lose another cell
    assert {("a0", "b1"), ("a0", TOTAL)} & hidden
    assert {("a1", "b0"), (TOTAL, "b0")} & hidden
    assert attack(published, ["a", "b"]) == []


def test_a_published_cell_never_carries_the_numbers_of_a_suppressed_one() -> None:
    with pytest.raises(ValueError, match="no numbers"):
        disclosure.Published(keys={}, teller=None, noemer=4, waarde=None, onderdrukt=True)
    stored = {"cohort": "2022", "teller": None, "noemer": 4, "waarde": None, "onderdrukt": True}
    assert disclosure.published([stored]) == [
        {
            "cohort": "2022",
            "teller": None,
            "noemer": None,
            "waarde": None,
            "ondergrens": None,
            "bovengrens": None,
            "onderdrukt": True,
        }
    ]


@pytest.mark.parametrize(
    ("teller", "noemer", "complement", "expected"),
    [
        (5, 20, False, (5, 20)),
        (5, K - 1, False, (None, None)),
        (18, 20, False, (18, 20)),
        (18, 20, True, (None, None)),
        (None, 20, False, (None, None)),
    ],
)
def test_protect_ratio(teller, noemer, complement, expected) -> None:
    assert disclosure.protect_ratio(teller, noemer, k=K, complement=complement) == expected


@pytest.mark.parametrize(
    ("values", "texts", "total"),
    [
        ([40, 3], ["x", "<10"], "43"),
        ([40, 30, 3], ["40", "x", "<10"], "73"),
        ([40, 3, 4], ["40", "<10", "<10"], "47"),
        ([40, 0], ["40", "0"], "40"),
        ([3, 0], ["<10", "0"], "<10"),
        ([K - 1, K, K + 1], ["<10", "x", "11"], "30"),
        ([10, 12], ["10", "12"], "22"),
    ],
)
def test_count_texts(values: list[int], texts: list[str], total: str) -> None:
    assert disclosure.count_texts(values, k=K) == (texts, total)


def test_k_is_one_setting(settings) -> None:
    settings.THUIS_DISCLOSURE_K = 5
    assert disclosure.default_k() == 5
    assert disclosure.count_cell(4) == "<5"
    assert disclosure.count_cell(5) == "5"

"""Table tests that kill the mutants the other disclosure tests let live (docs/quality.md).

Each test names the behaviour it pins; the mutants it kills are listed in docs/quality.md,
section "Mutatietests: core/disclosure.py". The settings keep the default k = 10, so every
test that passes another k (5) shows that the k given wins over the setting, and every test
that omits k shows that the setting is used.
"""

from __future__ import annotations

import pytest

from thuis.core import disclosure
from thuis.core.disclosure import TOTAL, RawCell

K = 5  # not the default 10: a mutant that drops the k given falls back to 10


# --- k: the setting, its default, and a k given -------------------------------------------


def test_default_k_without_the_setting(settings) -> None:
    del settings.THUIS_DISCLOSURE_K
    assert disclosure.default_k() == disclosure.DEFAULT_K == 10


@pytest.mark.parametrize(
    ("teller", "noemer", "k", "expected"),
    [
        (3, 7, K, (3, 7)),  # 7 is not small under k=5
        (3, 7, None, (None, None)),  # the setting (10) applies
        (1, 4, K, (None, None)),
    ],
)
def test_protect_ratio_uses_the_k_given(teller, noemer, k, expected) -> None:
    assert disclosure.protect_ratio(teller, noemer, k=k) == expected


def test_protect_ratio_shows_a_small_complement_unless_asked() -> None:
    # complement 2 is small, but only public output (complement=True) protects it
    assert disclosure.protect_ratio(18, 20, k=10) == (18, 20)


def test_protect_uses_the_k_given() -> None:
    out = disclosure.protect([RawCell(keys={}, teller=3, noemer=7)], dims=[], k=K)
    assert out[0]["onderdrukt"] is False and out[0]["noemer"] == 7
    out = disclosure.protect([RawCell(keys={}, teller=3, noemer=7)], dims=[])
    assert out[0]["onderdrukt"] is True


def test_protect_gives_an_interval_by_default() -> None:
    out = disclosure.protect([RawCell(keys={}, teller=12, noemer=40)], dims=[], k=10)
    assert (out[0]["waarde"], out[0]["ondergrens"], out[0]["bovengrens"]) == (30.0, 18.1, 45.4)


def test_protect_adds_no_margins_and_no_equations_to_medians() -> None:
    cells = [
        RawCell(keys={"cohort": "2022", "r": "B1"}, teller=None, noemer=30, value=40.0),
        RawCell(keys={"cohort": "2022", "r": "Z"}, teller=None, noemer=5, value=12.0),
    ]
    out = disclosure.protect(cells, dims=["cohort"], share_dim="r", k=10, percentage=False)
    assert [(c["cohort"], c["r"], c["onderdrukt"]) for c in out] == [
        ("2022", "B1", False),
        ("2022", "Z", True),
    ]
    assert out[0]["waarde"] == 40.0


def test_protect_share_of_a_small_complement_hides_the_other_share() -> None:
    # 38 of 40 in B1 (complement 2) is hidden in public output; Z = 40 − B1 would give it back
    cells = [
        RawCell(keys={"leerroute": "B1"}, teller=38, noemer=40),
        RawCell(keys={"leerroute": "Z"}, teller=2, noemer=40),
    ]
    out = disclosure.protect(cells, dims=[], share_dim="leerroute", k=10, complement=True)
    assert [c["onderdrukt"] for c in out] == [True, True]
    out = disclosure.protect(cells, dims=[], share_dim="leerroute", k=10)
    assert [c["onderdrukt"] for c in out] == [False, False]


@pytest.mark.parametrize(
    ("counts", "k", "cells"),
    [
        ([[7, 30]], K, [["shown", "shown"]]),
        ([[7, 30]], None, [["primary", "secondary"]]),
        ([[3, 30, 20]], K, [["primary", "shown", "secondary"]]),
    ],
)
def test_protect_counts_uses_the_k_given(counts, k, cells) -> None:
    assert disclosure.protect_counts(counts, k=k).cells == cells


@pytest.mark.parametrize(
    ("n", "state", "k", "text"),
    [
        (3, disclosure.PRIMARY, K, "<5"),
        (3, disclosure.PRIMARY, None, "<10"),
        (3, disclosure.SECONDARY, K, "x"),
    ],
)
def test_count_text_uses_the_k_given(n, state, k, text) -> None:
    assert disclosure.count_text(n, state, k=k) == text


@pytest.mark.parametrize(
    ("values", "texts", "total"),
    [
        ([7, 30], ["7", "30"], "37"),  # nothing small under k=5
        ([3, 30, 20], ["<5", "30", "x"], "53"),
        ([3], ["<5"], "<5"),  # the total of one small cell is the cell
        ([3, 0], ["<5", "0"], "<5"),
    ],
)
def test_count_texts_uses_the_k_given(values, texts, total) -> None:
    assert disclosure.count_texts(values, k=K) == (texts, total)


@pytest.mark.parametrize(
    ("n", "k", "text"),
    [(7, K, "7"), (3, K, "<5"), (7, None, "<10"), (0, K, "0"), (12, None, "12")],
)
def test_count_cell_uses_the_k_given(n, k, text) -> None:
    assert disclosure.count_cell(n, k=k) == text


# --- Margins and equations -----------------------------------------------------------------


def test_with_totals_adds_every_margin() -> None:
    cells = [
        RawCell(keys={"a": "x", "b": "p"}, teller=0, noemer=3),
        RawCell(keys={"a": "y", "b": "p"}, teller=2, noemer=4),
        RawCell(keys={"a": "y", "b": "q"}, teller=5, noemer=6),
    ]
    out = disclosure.with_totals(cells, ["a", "b"])
    assert out[:3] == cells
    assert [(c.keys, c.teller, c.noemer) for c in out[3:]] == [
        ({"a": TOTAL, "b": "p"}, 2, 7),
        ({"a": TOTAL, "b": "q"}, 5, 6),
        ({"a": "x", "b": TOTAL}, 0, 3),
        ({"a": "y", "b": TOTAL}, 7, 10),
        ({"a": TOTAL, "b": TOTAL}, 7, 13),
    ]


def test_with_totals_of_a_table_without_dimensions_is_the_table() -> None:
    cells = [RawCell(keys={}, teller=1, noemer=2)]
    assert disclosure.with_totals(cells, []) == cells


def test_equations_of_a_table_with_margins_and_shares() -> None:
    cells = [
        RawCell(keys={"a": "x", "r": "B1"}, teller=1, noemer=20),  # 0
        RawCell(keys={"a": "x", "r": "Z"}, teller=2, noemer=20),  # 1
        RawCell(keys={"a": "y", "r": "B1"}, teller=3, noemer=30),  # 2
        RawCell(keys={"a": "y", "r": "Z"}, teller=4, noemer=30),  # 3
    ]
    table = disclosure.with_totals(cells, ["a"])  # 4: (totaal, B1), 5: (totaal, Z)
    assert disclosure.equations(table, ["a"]) == [
        [(0, 1), (2, 1), (4, -1)],
        [(1, 1), (3, 1), (5, -1)],
    ]
    # the leerroute shares of one cohort add up to its noemer: a known sum of tellers
    assert disclosure.equations(table, ["a"], share_dim="r") == [
        [(0, 1), (2, 1), (4, -1)],
        [(1, 1), (3, 1), (5, -1)],
        [(0, 1), (1, 1)],
        [(2, 1), (3, 1)],
        [(4, 1), (5, 1)],
    ]


def test_equations_of_two_dimensions() -> None:
    cells = [
        RawCell(keys={"a": a, "b": b}, teller=1, noemer=20)
        for a, b in (("x", "p"), ("x", "q"), ("y", "p"))
    ]
    table = disclosure.with_totals(cells, ["a", "b"])
    # 3: (T, p), 4: (T, q), 5: (x, T), 6: (y, T), 7: (T, T)
    assert disclosure.equations(table, ["a", "b"]) == [
        [(0, 1), (2, 1), (3, -1)],
        [(1, 1), (4, -1)],
        [(5, 1), (6, 1), (7, -1)],
        [(0, 1), (1, 1), (5, -1)],
        [(2, 1), (6, -1)],
        [(3, 1), (4, 1), (7, -1)],
    ]


# --- The exact check ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suppressed", "eqs", "fixed"),
    [
        # a + b = T with T known: neither is fixed
        ([0, 1], [[(0, 1), (1, 1), (2, -1)]], []),
        # a alone in an equation: fixed
        ([0], [[(0, 1), (1, 1), (2, -1)]], [0]),
        # a + b and a − b known: both fixed
        ([0, 1], [[(0, 1), (1, 1)], [(0, 1), (1, -1)]], [0, 1]),
        # a + b and a + b + c known: c fixed, a and b not
        ([0, 1, 2], [[(0, 1), (1, 1)], [(0, 1), (1, 1), (2, 1)]], [2]),
        # a − c and b − c and a + b − 2c ... dependent: nothing fixed
        ([0, 1, 2], [[(0, 1), (2, -1)], [(1, 1), (2, -1)], [(0, 1), (1, 1), (2, -2)]], []),
        # coefficients that cancel (a + a − 2a) leave nothing
        ([0, 1], [[(0, 1), (0, 1), (0, -2)], [(0, 1), (1, 1)]], []),
        # the cell index is mapped to its column: 7 and 9 hidden, 9 = known
        ([7, 9], [[(7, 1), (9, 1), (3, -1)], [(9, 1), (4, -1)]], [7, 9]),
        # a + 2b and a + b: a and b fixed (pivoting with a coefficient other than 1)
        ([0, 1], [[(0, 1), (1, 2)], [(0, 1), (1, 1)]], [0, 1]),
        # 2a + b and b: a fixed after elimination of an earlier pivot's column
        ([0, 1], [[(0, 2), (1, 1)], [(1, 1)]], [0, 1]),
        # three rows, the last reduces an earlier row (back substitution)
        (
            [0, 1, 2],
            [[(0, 1), (1, 1), (2, 1)], [(1, 1), (2, 1)], [(2, 1)]],
            [0, 1, 2],
        ),
        # a + b and a + c: eliminating a brings b into the second row (b − c): nothing fixed
        ([0, 1, 2], [[(0, 1), (1, 1)], [(0, 1), (2, 1)]], []),
        # a repeated equation reduces to nothing; the rows after it still count
        ([0, 1], [[(0, 1), (1, 1)], [(0, 1), (1, 1)], [(1, 1)]], [0, 1]),
        # a + b, b − c, a + c: the third is r1 − r2 only when the reduced rows are exact
        ([0, 1, 2], [[(0, 1), (1, 1)], [(1, 1), (2, -1)], [(0, 1), (2, 1)]], []),
        ([], [[(0, 1)]], []),
    ],
)
def test_determined(suppressed, eqs, fixed) -> None:
    assert sorted(disclosure.determined(suppressed, eqs)) == fixed


# --- Secondary suppression: which partner goes ---------------------------------------------


def _cells(noemers: list[int]) -> list[RawCell]:
    return [RawCell(keys={}, teller=n, noemer=n) for n in noemers]


@pytest.mark.parametrize(
    ("noemers", "eqs", "hidden"),
    [
        # the smallest visible non-empty partner goes: 12 before 15 and 20
        ([3, 20, 12, 15, 50], [[(0, 1), (1, 1), (2, 1), (3, 1), (4, -1)]], [0, 2]),
        # an empty partner protects nothing: 12 goes, not 0
        ([3, 0, 12, 15], [[(0, 1), (1, 1), (2, 1), (3, -1)]], [0, 2]),
        # equal noemers: the first goes
        ([3, 12, 12, 27], [[(0, 1), (1, 1), (2, 1), (3, -1)]], [0, 1]),
        # only empty cells besides: the total (a margin) goes
        ([4, 0, 0, 4], [[(0, 1), (1, 1), (2, 1), (3, -1)]], [0, 3]),
        # two small cells protect each other: nothing more
        ([3, 4, 20, 27], [[(0, 1), (1, 1), (2, 1), (3, -1)]], [0, 1]),
        # nothing small: nothing hidden
        ([10, 12, 22], [[(0, 1), (1, 1), (2, -1)]], []),
        # no equations: primary only
        ([3, 12], [], [0]),
    ],
)
def test_suppress_hides_the_smallest_useful_partner(noemers, eqs, hidden) -> None:
    cells = _cells(noemers)
    disclosure.suppress(cells, k=10, eqs=eqs)
    assert [i for i, c in enumerate(cells) if c.suppressed] == hidden


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # the hypercube pass runs again after each partner it hides, before the exact check
        (
            {("a0", "b0"): 10, ("a0", "b1"): 4, ("a0", "b2"): 0, ("a0", "b3"): 17}
            | {("a1", "b0"): 4, ("a1", "b1"): 0, ("a1", "b2"): 36, ("a1", "b3"): 0},
            [
                ("a0", "b0"),
                ("a0", "b1"),
                ("a1", "b0"),
                ("a1", "b2"),
                (TOTAL, "b0"),
                (TOTAL, "b1"),
                (TOTAL, "b2"),
            ],
        ),
        # a cell the exact check finds fixed gets its partner from its own equations
        (
            {("a0", "b0"): 0, ("a0", "b1"): 10, ("a0", "b2"): 0}
            | {("a1", "b0"): 0, ("a1", "b1"): 17, ("a1", "b2"): 0}
            | {("a2", "b0"): 15, ("a2", "b1"): 15, ("a2", "b2"): 2}
            | {("a3", "b0"): 9, ("a3", "b1"): 18, ("a3", "b2"): 0},
            [
                ("a0", "b0"),
                ("a0", "b1"),
                ("a0", TOTAL),
                ("a1", "b1"),
                ("a1", TOTAL),
                ("a2", "b0"),
                ("a2", "b1"),
                ("a2", "b2"),
                ("a3", "b0"),
                ("a3", "b1"),
                (TOTAL, "b0"),
                (TOTAL, "b2"),
            ],
        ),
    ],
)
def test_suppress_pattern_of_a_two_way_table(counts, hidden) -> None:
    cells = [RawCell(keys={"a": a, "b": b}, teller=n, noemer=n) for (a, b), n in counts.items()]
    out = disclosure.protect(cells, k=10, dims=["a", "b"])
    assert sorted((c["a"], c["b"]) for c in out if c["onderdrukt"]) == sorted(hidden)


def test_suppress_resets_earlier_marks() -> None:
    cells = _cells([20, 30, 50])
    cells[0].suppressed = True
    disclosure.suppress(cells, k=10, eqs=[[(0, 1), (1, 1), (2, -1)]])
    assert not any(c.suppressed for c in cells)


def test_suppress_with_complement() -> None:
    cells = [
        RawCell(keys={}, teller=18, noemer=20),  # complement 2
        RawCell(keys={}, teller=10, noemer=30),
        RawCell(keys={}, teller=15, noemer=40),
        RawCell(keys={}, teller=43, noemer=90),
    ]
    eqs = [[(0, 1), (1, 1), (2, 1), (3, -1)]]
    disclosure.suppress(cells, k=10, eqs=eqs)
    assert not any(c.suppressed for c in cells)
    disclosure.suppress(cells, k=10, eqs=eqs, complement=True)
    assert [c.suppressed for c in cells] == [True, True, False, False]


def test_suppress_widens_when_the_equations_around_a_fixed_cell_are_hidden() -> None:
    # [[3, 20], [15, 30]] with row and column totals and a grand total: one small cell needs
    # a rectangle of four
    cells = _cells([3, 20, 15, 30, 23, 45, 18, 50, 68])
    # 0..3 inner (row major); 4, 5 row totals; 6, 7 column totals; 8 grand total
    eqs = [
        [(0, 1), (1, 1), (4, -1)],
        [(2, 1), (3, 1), (5, -1)],
        [(0, 1), (2, 1), (6, -1)],
        [(1, 1), (3, 1), (7, -1)],
        [(4, 1), (5, 1), (8, -1)],
        [(6, 1), (7, 1), (8, -1)],
    ]
    disclosure.suppress(cells, k=10, eqs=eqs)
    hidden = [i for i, c in enumerate(cells) if c.suppressed]
    assert hidden == [0, 1, 2, 3]
    assert disclosure.determined(hidden, eqs) == []


# --- Count tables ---------------------------------------------------------------------------


def test_protect_counts_has_no_column_totals_unless_asked() -> None:
    p = disclosure.protect_counts([[3, 20, 15]], k=10)
    assert p.col_totals == []
    assert p.row_totals == ["shown"]


def test_protect_counts_of_an_empty_table() -> None:
    p = disclosure.protect_counts([], k=10, with_col_totals=True)
    assert p == disclosure.Protection(cells=[], row_totals=[], col_totals=[])


def test_protect_counts_pads_short_rows_with_zeros() -> None:
    p = disclosure.protect_counts([[20, 15], [30]], k=10, with_col_totals=True)
    assert p.cells == [["shown", "shown"], ["shown", "shown"]]
    assert p.row_totals == ["shown", "shown"]
    assert p.col_totals == ["shown", "shown"]


def test_protect_counts_states_of_totals() -> None:
    # Row 0 and its total are small; each column then loses its other cell, and the row total
    # 50 would follow from the column totals (23 + 34 − 7): it is hidden as well.
    p = disclosure.protect_counts([[3, 4], [20, 30]], k=10, with_col_totals=True)
    assert p.cells == [["primary", "primary"], ["secondary", "secondary"]]
    assert p.row_totals == ["primary", "secondary"]
    assert p.col_totals == ["shown", "shown"]


# --- Published cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "percentage", "waarde", "ondergrens", "bovengrens"),
    [
        (RawCell(keys={}, teller=1, noemer=3), True, 33.3, 6.1, 79.2),
        (RawCell(keys={}, teller=2, noemer=3), True, 66.7, 20.8, 93.9),
        (RawCell(keys={}, teller=10, noemer=10), True, 100.0, 72.2, 100.0),
        (RawCell(keys={}, teller=1, noemer=1), True, 100.0, 20.7, 100.0),
        (RawCell(keys={}, teller=2, noemer=3), False, 66.7, None, None),
        # a teller above its noemer (a ratio such as PIPs per case) has no interval
        (RawCell(keys={}, teller=4, noemer=3), True, 133.3, None, None),
        (RawCell(keys={}, teller=4, noemer=3), False, 133.3, None, None),
        # an empty noemer has no value; a missing teller and value neither
        (RawCell(keys={}, teller=0, noemer=0), True, None, None, None),
        (RawCell(keys={}, teller=None, noemer=20), True, None, None, None),
        # a value (median) is rounded to one decimal and has no interval
        (RawCell(keys={}, teller=None, noemer=20, value=45.26), True, 45.3, None, None),
        (RawCell(keys={}, teller=3, noemer=20, value=12.04), True, 12.0, None, None),
    ],
)
def test_published_of(cell, percentage, waarde, ondergrens, bovengrens) -> None:
    out = disclosure.Published.of(cell, percentage=percentage)
    assert (out.waarde, out.ondergrens, out.bovengrens) == (waarde, ondergrens, bovengrens)
    assert (out.teller, out.noemer, out.onderdrukt) == (cell.teller, cell.noemer, False)


def test_published_of_gives_an_interval_by_default() -> None:
    out = disclosure.Published.of(RawCell(keys={"a": "x"}, teller=1, noemer=3))
    assert out == disclosure.Published(
        keys={"a": "x"}, teller=1, noemer=3, waarde=33.3, ondergrens=6.1, bovengrens=79.2
    )


def test_published_from_dict_keeps_a_shown_cell() -> None:
    stored = {
        "cohort": "2022",
        "teller": 12,
        "noemer": 40,
        "waarde": 30.0,
        "ondergrens": 18.1,
        "bovengrens": 45.4,
        "onderdrukt": False,
    }
    assert disclosure.published([stored]) == [stored]
    assert disclosure.Published.from_dict(stored).keys == {"cohort": "2022"}


def test_publish_with_an_interval() -> None:
    cell = RawCell(keys={}, teller=1, noemer=3)
    out = disclosure.publish(cell, percentage=True)
    assert (out["ondergrens"], out["bovengrens"]) == (6.1, 79.2)


def test_a_suppressed_cell_refuses_numbers_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match=r"^a suppressed cell carries no numbers$"):
        disclosure.Published(keys={}, teller=3, noemer=None, waarde=None, onderdrukt=True)


def test_publish_gives_the_json_form() -> None:
    cell = RawCell(keys={"a": "x"}, teller=2, noemer=3)
    assert disclosure.publish(cell, percentage=False) == {
        "a": "x",
        "teller": 2,
        "noemer": 3,
        "waarde": 66.7,
        "ondergrens": None,
        "bovengrens": None,
        "onderdrukt": False,
    }


# --- Wilson interval ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teller", "noemer", "z", "low", "high"),
    [
        (1, 3, None, 0.06149194472039621, 0.7923403991979522),
        (3, 7, None, 0.15821985525146975, 0.7495416354723428),
        (0, 5, None, 0.0, 0.43448246478317476),
        (5, 5, None, 0.5655175352168251, 1.0),
        (2, 4, 1.0, 0.276393202250021, 0.7236067977499789),
    ],
)
def test_wilson_exact(teller, noemer, z, low, high) -> None:
    lo, hi = (
        disclosure.wilson(teller, noemer) if z is None else disclosure.wilson(teller, noemer, z)
    )
    assert lo == pytest.approx(low, rel=1e-12, abs=1e-15)
    assert hi == pytest.approx(high, rel=1e-12)


@pytest.mark.parametrize("noemer", [0, -1])
def test_wilson_needs_a_positive_noemer(noemer: int) -> None:
    with pytest.raises(ValueError, match=r"^noemer must be positive$"):
        disclosure.wilson(0, noemer)


def test_small_text() -> None:
    assert disclosure.small_text(k=7) == "<7"


def test_wilson_bounds_stay_within_zero_and_one() -> None:
    # rounding puts the raw bounds just outside [0, 1] here; they are clipped exactly
    assert disclosure.wilson(16, 16)[1] == 1.0
    assert disclosure.wilson(0, 21)[0] == 0.0


@pytest.mark.parametrize(
    ("teller", "noemer", "k", "primary"),
    [
        (1, 1, 1, False),  # k = 1: no group is small, a group of one is shown
        (1, 0, 1, True),  # a teller without a noemer stays hidden under any k
        (0, 1, 2, True),
    ],
)
def test_is_primary_under_another_k(teller, noemer, k, primary) -> None:
    assert disclosure.is_primary(teller, noemer, k=k) is primary

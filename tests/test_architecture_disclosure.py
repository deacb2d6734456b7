"""One disclosure layer: no module but thuis/core/disclosure.py compares counts with a threshold.

An AST scan of src/thuis (tests and migrations excluded). A comparison is a small-cell check
when it orders (<, <=, >, >=)

- a threshold name (`k`, `min_cell`, `*_k`, anything with `suppress`, `disclosure` or
  `small_cell` in it, or a call such as `default_k()`) against something that is not a literal
  (`0 < n < k`, `len(values) >= k`); a bare `k` against an UPPER_CASE constant is an index, not
  a threshold (`0 <= k < SPREAD_YEARS`);
- a name with `threshold` against a count-like operand;
- a count-like operand (`n`, `count`, `teller`, `noemer`, `total`, `aantal`, ... also as
  `row["noemer"]` or `cell.noemer`) against an integer literal of 2 or more (`n < 10`).

Guards such as `n > 0`, `noemer < 1` or `total == 0` are not thresholds.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "thuis"
ALLOWED = {Path("core/disclosure.py")}

THRESHOLD_NAME = re.compile(
    r"(?i)^(k|min_cell|min_cell_size)$|suppress|disclosure|small_cell|min_cell|_k$|^k_"
)
THRESHOLD_WORD = re.compile(r"(?i)threshold|drempel")
COUNT_NAME = re.compile(
    r"(?i)^(n|count|counts|teller|noemer|total|totaal|aantal|numerator|denominator)$"
    r"|_(count|n|teller|noemer|total|totaal|aantal)$"
    r"|^(count|teller|noemer|total|aantal|n)_"
)
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value if isinstance(node.slice.value, str) else None
    if isinstance(node, ast.Call):
        return _name(node.func)
    return None


def _is_threshold(node: ast.expr) -> bool:
    name = _name(node)
    return name is not None and bool(THRESHOLD_NAME.search(name))


def _is_count(node: ast.expr, *, sized: bool = False) -> bool:
    name = _name(node)
    if sized and isinstance(node, ast.Call) and name in {"len", "sum"}:
        return True
    return name is not None and bool(COUNT_NAME.search(name))


def _is_constant_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id.isupper() and not _is_threshold(node)


def _small_cell_check(left: ast.expr, right: ast.expr) -> bool:
    for a, b in ((left, right), (right, left)):
        index = _name(a) in {"k", "K"} and _is_constant_name(b)
        if _is_threshold(a) and not isinstance(b, ast.Constant) and not index:
            return True
        if THRESHOLD_WORD.search(_name(a) or "") and _is_count(b, sized=True):
            return True
        if _is_count(a) and isinstance(b, ast.Constant) and type(b.value) is int and b.value >= 2:
            return True
    return False


def findings(source: str, filename: str = "<snippet>") -> list[str]:
    """`file:line: comparison` for every small-cell check in the source."""
    out = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            if isinstance(op, ORDERING) and _small_cell_check(left, right):
                out.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
                break
    return out


def _modules() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if "tests" not in p.relative_to(SRC).parts
        and "migrations" not in p.relative_to(SRC).parts
        and p.relative_to(SRC) not in ALLOWED
    ]


def test_only_the_disclosure_module_compares_counts_with_a_threshold() -> None:
    found = [f for p in _modules() for f in findings(p.read_text(), str(p.relative_to(SRC)))]
    assert found == [], "use thuis.core.disclosure instead:\n" + "\n".join(found)


def test_the_disclosure_module_itself_is_seen_by_the_scan() -> None:
    """The scan recognises the real rule (so an empty result above means something)."""
    assert findings((SRC / "core" / "disclosure.py").read_text())


@pytest.mark.parametrize(
    "snippet",
    [
        # the copies issue 14 removed, as they were written
        "SUPPRESSION_THRESHOLD = 10\n"
        "def suppress(n):\n"
        '    return "<10" if 0 < n < SUPPRESSION_THRESHOLD else str(n)',
        "def suppress_counts(values, *, k):\n"
        '    return [f"<{k}" if 0 < v < k else str(v) for v in values]',
        "def primary(n, k):\n    return 0 < n < k",
        "def f(cell, k):\n    return cell['noemer'] < k",
        "def f(numbers, k):\n    return len(numbers) >= k",
        "def f(denominator, k):\n    return denominator is None or denominator < k",
        "def f(cell):\n    return cell.noemer < 10",
        "def f(aantal):\n    return aantal <= 9",
        "def f(total, min_cell):\n    return total < min_cell",
        "def f(n):\n    return n < settings.THUIS_DISCLOSURE_K",
        "def f(count):\n    return count >= default_k()",
        "def f(total, threshold):\n    return total < threshold",
    ],
)
def test_the_scan_catches_a_reintroduced_copy(snippet: str) -> None:
    assert findings(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "def f(n):\n    return n > 0",
        "def f(cell):\n    return cell['noemer'] < 1",
        "def f(total):\n    return total == 0",
        "def f(values):\n    return len(values) > 100",
        "def f(share, threshold):\n    return share >= threshold",
        "def f(k):\n    return k < 1",
        "def f(k):\n    return 0 <= k < SPREAD_YEARS",
        "def f(d, keys):\n    return [k for k in d if k not in keys]",
    ],
)
def test_the_scan_leaves_guards_alone(snippet: str) -> None:
    assert findings(snippet) == []

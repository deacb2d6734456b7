"""Tests that can fail: an expected domain error must be the expected one.

`pytest.raises(ValidationFailed)` alone stays green when the rule it tests is disabled and
another check of the same service raises instead. So every `with pytest.raises(<error>) as exc:`
of a Thuis domain error (a ThuisError or RuleInputError subclass) must be followed, in the same
block, by an assertion on the error's code (`exc.value.code`, or the codes in
`exc.value.errors` for a RuleInputError). `match=` on the message alone is not enough.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "thuis"
BASES = {"ThuisError", "RuleInputError"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def domain_errors(src: Path = SRC) -> set[str]:
    """Names of the classes under `src` that derive from ThuisError or RuleInputError."""
    parents: dict[str, set[str]] = {}
    for path in src.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                parents.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    found = set(BASES)
    changed = True
    while changed:
        changed = False
        for name, bases in parents.items():
            if name not in found and bases & found:
                found.add(name)
                changed = True
    return found


def checked_files(root: Path = ROOT) -> Iterator[Path]:
    for base in (root / "src", root / "tests"):
        for path in sorted(base.rglob("test_*.py")):
            if "tests" in path.relative_to(root).parts:
                yield path


def _raises(item: ast.withitem, errors: set[str]) -> bool:
    call = item.context_expr
    if not (isinstance(call, ast.Call) and _name(call.func) == "raises" and call.args):
        return False
    first = call.args[0]
    types = first.elts if isinstance(first, ast.Tuple) else [first]
    return any(_name(t) in errors for t in types)


def _asserts_code(statements: list[ast.stmt], name: str) -> bool:
    """An assert among `statements` that reads `.code` and uses `name`."""
    for stmt in statements:
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Assert):
                continue
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            reads_code = any(
                isinstance(n, ast.Attribute) and n.attr == "code" for n in ast.walk(node)
            )
            if name in names and reads_code:
                return True
    return False


def _blocks(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                yield value


def unchecked_raises(source: str, errors: set[str]) -> list[int]:
    """Line numbers of `pytest.raises(<domain error>)` blocks without an assertion on the code."""
    tree = ast.parse(source)
    lines = []
    for block in _blocks(tree):
        for i, stmt in enumerate(block):
            if not isinstance(stmt, ast.With | ast.AsyncWith):
                continue
            for item in stmt.items:
                if not _raises(item, errors):
                    continue
                var = item.optional_vars
                if not (isinstance(var, ast.Name) and _asserts_code(block[i + 1 :], var.id)):
                    lines.append(stmt.lineno)
    # pytest.raises(Error, func, ...) as a call cannot be followed by an assertion
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            is_raises = _name(call.func) == "raises" and len(call.args) > 1
            if is_raises and _raises(ast.withitem(context_expr=call), errors):
                lines.append(node.lineno)
    return sorted(lines)


ERRORS = {"ValidationFailed", "NotAllowed", "RuleInputError"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("with pytest.raises(ValidationFailed):\n    f()\n", [1]),
        ("with pytest.raises(ValidationFailed, match='x'):\n    f()\n", [1]),
        ("with pytest.raises(ValidationFailed) as exc:\n    f()\n", [1]),
        ("with pytest.raises(ValidationFailed) as exc:\n    f()\nassert exc.value\n", [1]),
        ("with pytest.raises(ValidationFailed) as e:\n    f()\nassert other.code == 'x'\n", [1]),
        ("with pytest.raises(ValidationFailed) as e:\n    f()\nassert e.value.code == 'x'\n", []),
        ("with pytest.raises(errors.NotAllowed) as e:\n    f()\nassert e.value.code == 'x'\n", []),
        (
            "with pytest.raises(RuleInputError) as e:\n    f()\n"
            "assert [x.code for x in e.value.errors] == ['a']\n",
            [],
        ),
        ("with pytest.raises(ValueError):\n    f()\n", []),  # not a domain error
        ("pytest.raises(NotAllowed, f, 1)\n", [1]),
        ("def t():\n    if a:\n        with pytest.raises(NotAllowed):\n            f()\n", [3]),
    ],
)
def test_the_scan_finds_raises_without_a_code(source: str, expected: list[int]) -> None:
    assert unchecked_raises(source, ERRORS) == expected


def test_the_domain_errors_include_the_subclasses() -> None:
    errors = domain_errors()
    assert {"ValidationFailed", "NotAllowed", "ConflictError", "RekenhulpInputError"} <= errors
    assert {"SurveyError", "ImportFailed", "DuoError", "DeliveryRefused"} <= errors
    assert "ValueError" not in errors


def test_every_expected_domain_error_asserts_its_code() -> None:
    errors = domain_errors()
    found = {
        str(path.relative_to(ROOT)): lines
        for path in checked_files()
        if (lines := unchecked_raises(path.read_text(encoding="utf-8"), errors))
    }
    assert found == {}, (
        "Assert the error code after pytest.raises "
        "(with pytest.raises(ValidationFailed) as exc: ...; assert exc.value.code == '...'): "
        f"{found}"
    )

"""Pure survey rules: XLSForm expressions, disclosure control, completeness, pseudonyms.

No ORM and no clock. Expressions are a safe subset of the XPath that XLSForm uses for
`relevant` and `constraint`; anything outside the subset is refused with a Dutch message.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from thuis.core import disclosure

# ---------------------------------------------------------------- expressions (XLSForm XPath)


class ExpressionError(ValueError):
    """The expression is not in the supported subset (message is Dutch)."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.\-]*\})
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z][A-Za-z0-9\-]*)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)

FUNCTIONS: dict[str, int | None] = {
    "selected": 2,
    "not": 1,
    "count-selected": 1,
    "string-length": 1,
    "true": 0,
    "false": 0,
    "number": 1,
}
KEYWORDS = {"and", "or", "div", "mod"}
# How deep an expression may nest (brackets, function calls, '-', and chains such as
# 'a and b and c'). Parsing and evaluating recurse once per level: without a bound, an XLSForm
# with "((((...))))" in `relevant` would end in a RecursionError instead of a Dutch message.
MAX_DEPTH = 100

Node = tuple[Any, ...]


def _tokens(text: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ExpressionError(f"onbekend teken bij '{text[pos : pos + 12]}'")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _too_deep() -> ExpressionError:
    return ExpressionError(f"de uitdrukking is te diep genest (meer dan {MAX_DEPTH} niveaus)")


def depth(node: Node) -> int:
    """How deep a parsed expression nests (without recursion, whatever its depth)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((part, level + 1) for part in current[1:] if isinstance(part, tuple))
    return deepest


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    def enter(self) -> None:
        """One level deeper (a bracket, a function call, a '-'); refused past MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _too_deep()

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("de uitdrukking stopt te vroeg")
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.take()
        if tok[1] != value:
            raise ExpressionError(f"'{value}' verwacht, maar '{tok[1]}' gevonden")

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError(f"onverwacht '{self.peek()[1]}'")  # type: ignore[index]
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.comparison()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self) -> Node:
        node = self.additive()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in {"=", "!=", "<", "<=", ">", ">="}:
            self.take()
            node = ("cmp", tok[1], node, self.additive())
        return node

    def additive(self) -> Node:
        node = self.unary()
        while True:
            tok = self.peek()
            if tok and tok[0] == "op" and tok[1] in {"+", "-"}:
                self.take()
                node = ("arith", tok[1], node, self.unary())
            elif (tok and tok[0] == "op" and tok[1] == "*") or tok in {
                ("name", "div"),
                ("name", "mod"),
            }:
                self.take()
                node = ("arith", tok[1], node, self.unary())  # type: ignore[index]
            else:
                return node

    def unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.take()
            self.enter()
            node = ("neg", self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            return ("lit", float(value))
        if kind == "string":
            return ("lit", value[1:-1])
        if kind == "ref":
            return ("ref", value[2:-1])
        if kind == "dot":
            return ("dot",)
        if kind == "op" and value == "(":
            self.enter()
            node = self.or_expr()
            self.expect(")")
            self.depth -= 1
            return node
        if kind == "name":
            if value in KEYWORDS:
                raise ExpressionError(f"'{value}' staat op een onverwachte plek")
            if value not in FUNCTIONS:
                raise ExpressionError(f"de functie '{value}()' wordt niet ondersteund")
            self.expect("(")
            self.enter()
            args: list[Node] = []
            if self.peek() != ("op", ")"):
                args.append(self.or_expr())
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.or_expr())
            self.expect(")")
            self.depth -= 1
            if FUNCTIONS[value] is not None and len(args) != FUNCTIONS[value]:
                raise ExpressionError(f"'{value}()' verwacht {FUNCTIONS[value]} argument(en)")
            return ("call", value, *args)
        raise ExpressionError(f"onverwacht '{value}'")


def parse_expression(text: str) -> Node:
    """Parse `relevant`/`constraint` text. Raises ExpressionError (Dutch) when unsupported."""
    if not text.strip():
        raise ExpressionError("lege uitdrukking")
    node = _Parser(text).parse()
    if depth(node) > MAX_DEPTH:  # a long chain such as 'a and b and c and ...'
        raise _too_deep()
    return node


def references(node: Node) -> set[str]:
    if node[0] == "ref":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            found |= references(part)
    return found


def uses_dot(node: Node) -> bool:
    return node[0] == "dot" or any(isinstance(p, tuple) and uses_dot(p) for p in node[1:])


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(_as_text(value))
    except ValueError:
        return math.nan


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return bool(_as_text(value))


def _compare(op: str, left: Any, right: Any) -> bool:
    numeric = any(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    if numeric or op in {"<", "<=", ">", ">="}:
        a, b = _as_number(left), _as_number(right)
        if math.isnan(a) or math.isnan(b):
            return op == "!="
        results = {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}
        return results[op]
    sa, sb = _as_text(left), _as_text(right)
    return sa == sb if op == "=" else sa != sb


def _eval(node: Node, answers: Mapping[str, Any], current: Any) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        return answers.get(node[1])
    if kind == "dot":
        return current
    if kind == "neg":
        return -_as_number(_eval(node[1], answers, current))
    if kind == "or":
        return _as_bool(_eval(node[1], answers, current)) or _as_bool(
            _eval(node[2], answers, current)
        )
    if kind == "and":
        return _as_bool(_eval(node[1], answers, current)) and _as_bool(
            _eval(node[2], answers, current)
        )
    if kind == "cmp":
        return _compare(node[1], _eval(node[2], answers, current), _eval(node[3], answers, current))
    if kind == "arith":
        a = _as_number(_eval(node[2], answers, current))
        b = _as_number(_eval(node[3], answers, current))
        op = node[1]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            return math.nan
        return a / b if op == "div" else math.fmod(a, b)
    if kind == "call":
        name, args = node[1], [_eval(a, answers, current) for a in node[2:]]
        if name == "selected":
            return _as_text(args[1]) in _as_text(args[0]).split()
        if name == "not":
            return not _as_bool(args[0])
        if name == "count-selected":
            return float(len(_as_text(args[0]).split()))
        if name == "string-length":
            return float(len(_as_text(args[0])))
        if name == "number":
            return _as_number(args[0])
        return name == "true"
    raise ExpressionError(f"onbekende uitdrukking {kind}")  # pragma: no cover


def evaluate(node: Node, *, answers: Mapping[str, Any], current: Any = None) -> bool:
    """True when the expression holds for these answers (`.` is the current answer)."""
    return _as_bool(_eval(node, answers, current))


def is_relevant(expression: str, *, answers: Mapping[str, Any]) -> bool:
    return (
        True if not expression.strip() else evaluate(parse_expression(expression), answers=answers)
    )


def meets_constraint(expression: str, *, value: Any, answers: Mapping[str, Any]) -> bool:
    if not expression.strip() or value in (None, "", []):
        return True
    return evaluate(parse_expression(expression), answers=answers, current=value)


# ---------------------------------------------------------------- disclosure control
# Suppression itself is `thuis.core.disclosure` (one k for all of Thuis); this is survey display.


def percentage_text(n: int, total: int, state: str, total_state: str) -> str:
    """The share of a count in its base, only when both may be shown."""
    shown = disclosure.SHOWN
    if state != shown or total_state != shown or total == 0:
        return "–" if total == 0 and state == shown else ""
    return f"{round(100 * n / total)}%"


# ---------------------------------------------------------------- languages, periods, keys


def completeness(texts: Iterable[Mapping[str, str]], languages: Sequence[str]) -> dict[str, int]:
    """Percentage of translatable texts filled in per language (100 = complete)."""
    items = [t for t in texts if any((v or "").strip() for v in t.values())]
    if not items:
        return dict.fromkeys(languages, 100)
    return {
        lang: math.floor(100 * sum(1 for t in items if (t.get(lang) or "").strip()) / len(items))
        for lang in languages
    }


def month_start(day: date) -> date:
    """Anonymous responses keep only the month: the first day of it."""
    return day.replace(day=1)


def pseudonym(*, key: bytes, subject: str) -> str:
    """Research pseudonym: HMAC-SHA256 with a key that belongs to one export only."""
    return hmac.new(key, subject.encode(), hashlib.sha256).hexdigest()[:32]


def key_fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"fingerprint:" + key).hexdigest()[:16]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_required(raw: Any) -> bool | None:
    """XLSForm `required`: yes/no/true/false/true()/1/0 or empty. None = not understood."""
    text = _as_text(raw).strip().lower()
    if text in {"", "no", "false", "false()", "0", "nee"}:
        return False
    if text in {"yes", "true", "true()", "1", "ja"}:
        return True
    return None

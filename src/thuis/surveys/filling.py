"""Filling in a questionnaire: which questions show (skip logic) and checking the answers.

Works without JavaScript: the respondent page shows the questions that are relevant for the
answers given so far; when answers make new questions relevant, the page is shown again with
them before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from . import rules
from .choices import QuestionType
from .respondent_text import ui_text

MAX_TEXT = 2000


class QuestionLike(Protocol):
    name: str
    type: str
    list_name: str
    rows: list[dict[str, Any]]
    required: bool
    relevant: str
    constraint: str
    constraint_message: dict[str, str]


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)  # question name -> value
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    relevant: list[str] = field(default_factory=list)  # question names shown


def field_name(name: str) -> str:
    return f"q_{name}"


def env_for(questions: Sequence[QuestionLike], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Values by XLSForm name, as `${name}` sees them (matrix rows by their own name)."""
    env: dict[str, Any] = {}
    for q in questions:
        value = answers.get(q.name)
        if q.type == QuestionType.MATRIX:
            for row in q.rows:
                env[row["name"]] = (value or {}).get(row["name"])
        else:
            env[q.name] = value
    return env


def relevant_names(questions: Sequence[QuestionLike], answers: Mapping[str, Any]) -> list[str]:
    env = env_for(questions, answers)
    return [q.name for q in questions if rules.is_relevant(q.relevant, answers=env)]


def _parse_one(
    q: QuestionLike,
    get: Callable[[str], str],
    getlist: Callable[[str], list[str]],
    choices: set[str],
    t: dict[str, str],
) -> tuple[Any, dict[str, str]]:
    """Parse the posted value of one question. Returns (value or None, errors by field)."""
    key = field_name(q.name)
    if q.type == QuestionType.NOTE:
        return None, {}
    if q.type == QuestionType.MATRIX:
        value, errors = {}, {}
        for row in q.rows:
            raw = get(field_name(row["name"])).strip()
            if raw and raw not in choices:
                errors[field_name(row["name"])] = t["invalid_choice"]
            elif raw:
                value[row["name"]] = raw
        return (value or None), errors
    if q.type == QuestionType.MULTIPLE:
        picked = [v for v in getlist(key) if v]
        if any(v not in choices for v in picked):
            return None, {key: t["invalid_choice"]}
        return (picked or None), {}
    raw = get(key).strip()
    if not raw:
        return None, {}
    if q.type in {QuestionType.SINGLE, QuestionType.LIKERT}:
        return (raw, {}) if raw in choices else (None, {key: t["invalid_choice"]})
    if q.type == QuestionType.NUMBER:
        try:
            return int(raw), {}
        except ValueError:
            return None, {key: t["invalid_number"]}
    if q.type == QuestionType.DECIMAL:
        try:
            return float(Decimal(raw.replace(",", "."))), {}
        except InvalidOperation:
            return None, {key: t["invalid_number"]}
    if q.type == QuestionType.DATE:
        try:
            return date.fromisoformat(raw).isoformat(), {}
        except ValueError:
            return None, {key: t["invalid_date"]}
    return raw[:MAX_TEXT], {}


def check_posted(
    questions: Sequence[QuestionLike],
    *,
    get: Callable[[str], str],
    getlist: Callable[[str], list[str]],
    choices_by_list: Mapping[str, set[str]],
    language: str,
    shown: set[str] | None = None,
) -> Checked:
    """Parse, apply skip logic in form order, then required and constraint checks.

    With `shown` (names of the questions the respondent saw), a question that became relevant
    only now gets no error yet: it is shown first.
    """
    t = ui_text(language).texts
    parsed: dict[str, Any] = {}
    parse_errors: dict[str, dict[str, str]] = {}
    for q in questions:
        value, errs = _parse_one(q, get, getlist, choices_by_list.get(q.list_name, set()), t)
        if value is not None:
            parsed[q.name] = value
        if errs:
            parse_errors[q.name] = errs
    out = Checked()
    kept: dict[str, Any] = {}
    for q in questions:
        env = env_for(questions, kept)
        if not rules.is_relevant(q.relevant, answers=env):
            continue  # answers to skipped questions are dropped, never stored
        out.relevant.append(q.name)
        if q.name in parse_errors:
            out.errors.update(parse_errors[q.name])
            continue
        value = parsed.get(q.name)
        if q.type == QuestionType.MATRIX:
            missing = [r["name"] for r in q.rows if r["name"] not in (value or {})]
            if q.required and missing:
                for r in missing:
                    out.errors[field_name(r)] = t["required"]
                continue
        elif q.required and value in (None, "", []):
            out.errors[field_name(q.name)] = t["required"]
            continue
        if value is not None and q.constraint:
            env = env_for(questions, {**kept, q.name: value})
            current = " ".join(value) if isinstance(value, list) else value
            if not rules.meets_constraint(q.constraint, value=current, answers=env):
                message = q.constraint_message.get(language) or t["constraint"]
                out.errors[field_name(q.name)] = message
                continue
        if value is not None:
            kept[q.name] = value
    out.answers = kept
    if shown is not None:
        owner = {field_name(q.name): q.name for q in questions}
        for q in questions:
            owner.update({field_name(r["name"]): q.name for r in q.rows})
        out.errors = {f: m for f, m in out.errors.items() if owner.get(f) in shown}
    return out

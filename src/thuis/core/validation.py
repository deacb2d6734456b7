"""Validate and save a model instance; turn every way it can be refused into `ValidationFailed`.

Services call `save` (or `validate`, when they save later) instead of `full_clean()` + `save()`.
A refusal always becomes a `ValidationFailed` with a Dutch message per field and a stable code,
whether Django's `full_clean` finds it or the database does (a race past `full_clean` raises
`IntegrityError`): the user never sees a raw constraint name. Each `CheckConstraint` and
`UniqueConstraint` carries its own Dutch `violation_error_message` and `violation_error_code`;
`update` sets fields and returns the old and new values of what changed (for the audit event).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import CheckConstraint, F, Q, UniqueConstraint
from django.utils.translation import gettext as _

from .errors import ValidationFailed

M = TypeVar("M", bound=models.Model)

#: The field diff `update` returns: field name → (old value, new value); relations as ids.
Changes = dict[str, tuple[Any, Any]]

DEFAULT_CODE = ValidationFailed.code


def validate(
    obj: models.Model, *, exclude: Sequence[str] | None = None, validate_unique: bool = True
) -> None:
    """`full_clean()`, with a refusal raised as `ValidationFailed`."""
    try:
        obj.full_clean(exclude=list(exclude or ()), validate_unique=validate_unique)
    except ValidationError as exc:
        raise failure(obj, exc) from exc


def save(
    obj: M,
    *,
    exclude: Sequence[str] | None = None,
    validate_unique: bool = True,
    update_fields: Iterable[str] | None = None,
) -> M:
    """Validate, then save; a constraint the database still refuses becomes `ValidationFailed`."""
    validate(obj, exclude=exclude, validate_unique=validate_unique)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            obj.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise integrity_failure(obj, exc) from exc
    return obj


def update(
    obj: models.Model,
    values: Mapping[str, Any],
    *,
    exclude: Sequence[str] | None = None,
    validate_unique: bool = True,
) -> Changes:
    """Set `values`, validate and save the fields that changed; return their old and new values.

    Nothing is saved (and `{}` returned) when no value differs. Relations compare and report by
    id, so reading the diff costs no query.
    """
    changes: Changes = {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_one or field.one_to_one:
            old = getattr(obj, field.attname)  # type: ignore[union-attr]
            new = value.pk if isinstance(value, models.Model) else value
        else:
            old, new = getattr(obj, name), value
        if old != new:
            changes[name] = (old, new)
            setattr(obj, name, value)
    if not changes:
        return changes
    update_fields = list(changes)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update_fields.append("updated_at")
    save(obj, exclude=exclude, validate_unique=validate_unique, update_fields=update_fields)
    return changes


# --- turning refusals into ValidationFailed ---------------------------------------------------


def failure(obj: models.Model, exc: ValidationError) -> ValidationFailed:
    """A Django `ValidationError` as `ValidationFailed`: messages per field, labelled in Dutch.

    A constraint's message lands on the field it is about (see `constraint_field`); the code is
    the first constraint's `violation_error_code`, otherwise the general "ongeldig".
    """
    error_dict: dict[str, list[ValidationError]] = (
        exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    )
    by_code = {c.violation_error_code: c for c in obj._meta.constraints if c.violation_error_code}
    fields: dict[str, list[str]] = {}
    parts: list[str] = []
    code = ""
    for name, errors in error_dict.items():
        texts: list[str] = []
        for error in errors:
            constraint = by_code.get(error.code or "")
            target = name
            if constraint is not None:
                code = code or str(error.code)
                if name == NON_FIELD_ERRORS:
                    target = constraint_field(constraint) or name
            for text in error.messages:
                fields.setdefault(target, []).append(text)
                texts.append(text)
        if name == NON_FIELD_ERRORS:
            parts.append(" ".join(texts))
        else:
            parts.append(f"{field_label(obj, name)}: {' '.join(texts)}")
    return ValidationFailed("; ".join(parts), code=code or DEFAULT_CODE, fields=fields)


def integrity_failure(obj: models.Model, exc: IntegrityError) -> ValidationFailed:
    """A database refusal as `ValidationFailed`, by the constraint it names (never its name)."""
    text = str(exc)
    table = obj._meta.db_table
    for constraint in obj._meta.constraints:
        if _names_constraint(text, table, obj, constraint):
            message = str(constraint.get_violation_error_message())
            field = constraint_field(constraint) or NON_FIELD_ERRORS
            return ValidationFailed(
                message,
                code=constraint.violation_error_code or DEFAULT_CODE,
                fields={field: [message]},
            )
    for unique in obj._meta.concrete_fields:
        if (
            unique.unique
            and not unique.primary_key
            and _names_columns(text, table, [unique.column])
        ):
            text = obj.unique_error_message(type(obj), (unique.name,)).messages[0]
            return ValidationFailed(
                f"{field_label(obj, unique.name)}: {text}",
                code="bestaat_al",
                fields={unique.name: [text]},
            )
    message = _("Dit past niet bij de gegevens die al zijn vastgelegd. Er is niets gewijzigd.")
    return ValidationFailed(message, code="conflict_gegevens", fields={NON_FIELD_ERRORS: [message]})


def constraint_field(constraint: Any) -> str | None:
    """The field a constraint's message belongs to.

    A unique constraint: its last field (`(case, version)` → `version`). A check constraint: the
    field compared with another field (`end_date >= start_date` → `end_date`), otherwise the last
    field it mentions (`indicator_code = '' OR target_value IS NOT NULL` → `target_value`).
    """
    if isinstance(constraint, UniqueConstraint):
        return constraint.fields[-1] if constraint.fields else None
    if isinstance(constraint, CheckConstraint):
        lookups = list(_lookups(constraint.condition))
        for lookup, value in lookups:
            if isinstance(value, F):
                return lookup.split("__")[0]
        return lookups[-1][0].split("__")[0] if lookups else None
    return None


def field_label(obj: models.Model, name: str) -> str:
    try:
        label = str(getattr(obj._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        label = name
    return label[:1].upper() + label[1:]


def _lookups(node: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(node, Q):
        for child in node.children:
            yield from _lookups(child)
    elif isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str):
        yield node


def _names_constraint(text: str, table: str, obj: models.Model, constraint: Any) -> bool:
    if f'"{constraint.name}"' in text or text.rstrip().endswith(constraint.name):
        return True  # PostgreSQL names every constraint; SQLite names check constraints
    if isinstance(constraint, UniqueConstraint) and constraint.fields:
        columns = [str(getattr(obj._meta.get_field(f), "column", f)) for f in constraint.fields]
        return _names_columns(text, table, columns)  # SQLite names a unique index's columns
    return False


def _names_columns(text: str, table: str, columns: Sequence[str]) -> bool:
    if "UNIQUE constraint failed:" not in text:
        return False
    named = {c.strip() for c in text.split("UNIQUE constraint failed:", 1)[1].split(",")}
    return named == {f"{table}.{c}" for c in columns}

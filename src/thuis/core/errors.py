"""Domain errors. Messages are Dutch (B1) and safe to show to the user."""

from __future__ import annotations

from typing import Any


class ThuisError(Exception):
    """Base class: a rule or a permission stops the operation; nothing was changed."""

    code = "fout"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ValidationFailed(ThuisError):
    """Bad input. `fields` holds the Dutch messages per field name ("__all__" for the whole)."""

    code = "ongeldig"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.fields: dict[str, list[str]] = fields or {}


def add_to_form(form: Any, exc: ValidationFailed) -> None:
    """Show a service's `ValidationFailed` at the form's fields (the rest above the form)."""
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, texts in exc.fields.items():
        for message in texts:
            form.add_error(name if name in form.fields else None, message)


class NotAllowed(ThuisError):
    code = "niet_toegestaan"


class ConflictError(ThuisError):
    """Someone else changed the record first (optimistic locking)."""

    code = "conflict"

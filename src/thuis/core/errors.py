"""Domain errors. Messages are Dutch (B1) and safe to show to the user."""

from __future__ import annotations


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


class NotAllowed(ThuisError):
    code = "niet_toegestaan"


class ConflictError(ThuisError):
    """Someone else changed the record first (optimistic locking)."""

    code = "conflict"

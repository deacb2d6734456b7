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


# --- application/problem+json (RFC 9457, NL API Design Rules) ----------------------------------

PROBLEM_TITLES = {
    400: "Ongeldige invoer.",
    401: "Niet ingelogd.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    409: "Conflict.",
    413: "Verzoek te groot.",
    415: "Mediatype niet ondersteund.",
    429: "Te veel verzoeken.",
}


def problem(
    status: int,
    *,
    detail: str,
    instance: str = "",
    code: str = "",
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The body of a problem+json answer; the API's exception handler and the middleware that
    refuses bad input before any view both build it here."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": PROBLEM_TITLES.get(status, "Fout."),
        "status": status,
        "detail": detail,
    }
    if code:
        body["code"] = code
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    if instance:
        body["instance"] = instance
    return body


def problem_response(status: int, **kwargs: Any) -> Any:
    from django.http import JsonResponse

    return JsonResponse(
        problem(status, **kwargs),
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )

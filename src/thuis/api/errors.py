"""Errors as application/problem+json (RFC 9457, NL API Design Rules)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from thuis.core.errors import ConflictError, NotAllowed, ThuisError

_TITLES = {
    400: "Ongeldige invoer.",
    401: "Niet ingelogd.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    409: "Conflict.",
    415: "Mediatype niet ondersteund.",
    429: "Te veel verzoeken.",
}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ThuisError):
        code = (
            409 if isinstance(exc, ConflictError) else 403 if isinstance(exc, NotAllowed) else 400
        )
        exc = exceptions.APIException(detail={"detail": exc.message, "code": exc.code})
        exc.status_code = code
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    problem: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(response.status_code, "Fout."),
        "status": response.status_code,
    }
    if isinstance(data, dict) and set(data) <= {"detail", "code"}:
        problem["detail"] = str(data.get("detail", ""))
        if "code" in data:
            problem["code"] = str(data["code"])
    else:
        problem["detail"] = "De invoer is niet geldig."
        problem["invalidParams"] = _invalid_params(data)
    request = context.get("request")
    if request is not None:
        problem["instance"] = request.path
    response.data = problem
    response["Content-Type"] = "application/problem+json"
    response.content_type = "application/problem+json"
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = "Token"
    return response


def _invalid_params(data: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            params += _invalid_params(value, f"{prefix}{key}." if prefix or key else "")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict | list):
                params += _invalid_params(item, prefix)
            else:
                params.append({"name": prefix.rstrip(".") or "algemeen", "reason": str(item)})
    else:
        params.append({"name": prefix.rstrip(".") or "algemeen", "reason": str(data)})
    return params

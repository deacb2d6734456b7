"""Errors as application/problem+json (RFC 9457, NL API Design Rules)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from thuis.core.errors import ConflictError, NotAllowed, ThuisError, problem


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
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(data, dict) and set(data) <= {"detail", "code"}:
        body = problem(
            response.status_code,
            detail=str(data.get("detail", "")),
            code=str(data["code"]) if "code" in data else "",
            instance=instance,
        )
    else:
        body = problem(
            response.status_code,
            detail="De invoer is niet geldig.",
            invalid_params=_invalid_params(data),
            instance=instance,
        )
    response.data = body
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

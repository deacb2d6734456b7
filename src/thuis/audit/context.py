"""Per-request trace context for the processing log (W3C trace ids)."""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TraceContext:
    """`pending` (a list during a web or API request) holds the request's processing records
    until the request ends; None writes each record at once."""

    trace_id: str
    origin: str
    pending: list[Any] | None = None


_current: ContextVar[TraceContext | None] = ContextVar("thuis_trace", default=None)


def new_trace_id() -> str:
    return secrets.token_hex(16)


def current() -> TraceContext:
    ctx = _current.get()
    return ctx if ctx is not None else TraceContext(trace_id=new_trace_id(), origin="systeem")


def set_current(ctx: TraceContext | None) -> object:
    return _current.set(ctx)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]

"""Domain events: what a service announces once its change is committed.

A service calls `publish(event)` inside its transaction; the event is delivered to the handlers
that apps registered with `subscribe(event_type, handler)` in their `AppConfig.ready()`, after
the outermost transaction commits (`transaction.on_commit`). A rolled-back change announces
nothing. Consequences that run upward in the layers (a `cases` change that `duo` hands to DUO)
travel this way, so the lower app never imports the higher one.

Rules for events and handlers:

- An event is a frozen dataclass deriving from `DomainEvent` that holds ids and plain values,
  never model instances (the handler loads what it needs, after commit, from the database).
- Every publish is delivered once. Handlers are idempotent: two services in one transaction
  that both say "case 7 changed" refresh its signals twice, with the same result.
- Handlers for a base class receive every subclass (`subscribe(CaseEvent, ...)`).
- A handler that raises is logged (logger `thuis.events`, BSNs redacted) and the other handlers
  still run; the exception is never re-raised. When a handler runs, the service's change is
  already stored: raising would show the user an error for a change that succeeded. Tests check
  the log record (`caplog`) instead. A handler that must not lose work (a delivery to DUO)
  writes to an outbox, which retries on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, TypeVar

from django.db import models, transaction

from .logging import redact

logger = logging.getLogger("thuis.events")


@dataclass(frozen=True)
class DomainEvent:
    """Base of every domain event."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]

_handlers: dict[type[DomainEvent], list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Register `handler` for `event_type` (and its subclasses). Registering twice is a no-op."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Remove a handler (tests that register a temporary one)."""
    handlers = _handlers.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def handlers_for(event_type: type[DomainEvent]) -> list[Handler]:
    """The handlers that receive an event of this type, base classes' handlers last."""
    found: list[Handler] = []
    for kind in event_type.__mro__:
        for handler in _handlers.get(kind, []):  # type: ignore[call-overload]
            if handler not in found:
                found.append(handler)
    return found


def _check(event: DomainEvent) -> None:
    # A dataclass deriving from the frozen DomainEvent is frozen itself (Python enforces it).
    if not isinstance(event, DomainEvent):
        raise TypeError(f"{type(event).__name__} is not a DomainEvent.")
    for field in fields(event):
        if isinstance(getattr(event, field.name), models.Model):
            raise TypeError(f"{type(event).__name__}.{field.name} holds a model; pass its id.")


def publish(event: DomainEvent) -> None:
    """Deliver `event` to its handlers after the current transaction commits (at once outside
    a transaction)."""
    _check(event)
    transaction.on_commit(partial(deliver, event))


def deliver(event: DomainEvent) -> None:
    """Run every handler for `event`; a failing handler is logged and does not stop the rest."""
    for handler in handlers_for(type(event)):
        try:
            handler(event)
        except Exception as exc:
            logger.error(
                "Afhandeling van %s door %s mislukt: %s",
                type(event).__name__,
                getattr(handler, "__qualname__", repr(handler)),
                redact(str(exc) or type(exc).__name__)[:500],
            )

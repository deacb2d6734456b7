"""Domain events: what a service announces once its change is committed.

A service calls `publish(event)` inside its transaction; the event is delivered to the handlers
that apps registered with `subscribe(event_type, handler)` in their `AppConfig.ready()`, after
the outermost transaction commits (`transaction.on_commit`). A rolled-back change announces
nothing. Consequences that run upward in the layers (a `cases` change that `duo` hands to DUO)
travel this way, so the lower app never imports the higher one.

Rules for events and handlers:

- An event is a frozen dataclass deriving from `DomainEvent` that holds ids and plain values,
  never model instances (the handler loads what it needs, after commit, from the database).
- Equal events published in one transaction are delivered once, at the place of the last one
  (two services in one transaction that both say "case 7 changed" refresh its signals once,
  after both). So event fields must be hashable (ids, strings, dates, actors).
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


@dataclass(frozen=True, eq=False)
class _Delivery:
    """The on-commit callback that delivers one event."""

    event: DomainEvent

    def __call__(self) -> None:
        deliver(self.event)


def _moved() -> None:
    """What is left where an event was first published when an equal one followed."""


_PENDING = "_thuis_pending_events"


def _pending(connection: Any) -> dict[DomainEvent, int]:
    """Where each waiting event sits in the connection's on-commit list.

    Django only appends to that list while a transaction runs, and replaces it by a new list
    on commit and on a savepoint rollback (which drops that savepoint's callbacks); so the index
    holds while the list is the same object, and is rebuilt otherwise.
    """
    queue = connection.run_on_commit
    cached = getattr(connection, _PENDING, None)
    if cached is not None and cached[0] is queue:
        index: dict[DomainEvent, int] = cached[1]
        return index
    index = {entry[1].event: i for i, entry in enumerate(queue) if isinstance(entry[1], _Delivery)}
    setattr(connection, _PENDING, (queue, index))
    return index


def publish(event: DomainEvent) -> None:
    """Deliver `event` to its handlers after the current transaction commits (at once outside
    a transaction). An equal event already waiting is moved to the end instead of repeated."""
    _check(event)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        transaction.on_commit(partial(deliver, event))
        return
    index = _pending(connection)
    queue = connection.run_on_commit
    at = index.get(event)
    if at is not None and at < len(queue) and getattr(queue[at][1], "event", None) == event:
        # Keep the savepoints of the first publish: that one was going to be delivered unless
        # one of them rolls back, and the savepoints it has that this one lacks are released.
        savepoints, _callback, robust = queue[at]
        queue[at] = (savepoints, _moved, robust)
        queue.append((savepoints, _Delivery(event), robust))
    else:
        transaction.on_commit(_Delivery(event))
    index[event] = len(queue) - 1


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

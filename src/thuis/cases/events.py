"""Domain events that `cases` publishes after commit (see `thuis.core.events`).

Who subscribes (in their `AppConfig.ready()`):

- `CaseChanged` (every change a service logs): `cases` refreshes the work-queue signals of
  the case when a user made the change (`cases.subscribers`); system writers (the demo seed,
  an import, the DUO inbox) refresh in bulk or leave it to the nightly job, as before.
- `PipEstablished`: `duo` hands the new PIP version to the DUO koppeling (outbox).
- `ComponentCompleted`: `duo` hands a PVT, MAP or Z-route completion to DUO (outbox).
"""

from __future__ import annotations

from dataclasses import dataclass

from thuis.core.actor import Actor
from thuis.core.events import DomainEvent


@dataclass(frozen=True)
class CaseEvent(DomainEvent):
    case_id: int


@dataclass(frozen=True)
class CaseChanged(CaseEvent):
    """Something on the case changed; what is derived from it (signals) must follow."""

    actor: Actor


@dataclass(frozen=True)
class PipEstablished(CaseEvent):
    pip_id: int
    version: int
    actor: Actor


@dataclass(frozen=True)
class ComponentCompleted(CaseEvent):
    completion_id: int
    component: str
    actor: Actor

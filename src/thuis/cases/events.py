"""Domain events that `cases` publishes after commit (see `thuis.core.events`).

Who subscribes (in their `AppConfig.ready()`):

- `CaseChanged`: `cases` itself refreshes the work-queue signals of the case.
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

"""What the DUO koppeling does when a case changes: hand PIPs and results to DUO.

Registered in `DuoConfig.ready()`; runs after the case change committed. A delivery that
cannot be made never breaks the regisseur's flow (`deliveries.after_commit`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from thuis.cases.events import ComponentCompleted, PipEstablished
from thuis.core import events

from .services import deliveries


def on_pip_established(event: PipEstablished) -> None:
    deliveries.after_commit(deliveries.pip_enqueue_for, pip_id=event.pip_id)


def on_component_completed(event: ComponentCompleted) -> None:
    # Only what a user recorded goes out by itself; system writers deliver explicitly.
    if event.actor.user_id is None:
        return
    user = get_user_model().objects.filter(pk=event.actor.user_id).first()
    deliveries.after_commit(
        deliveries.resultaat_enqueue_for, completion_id=event.completion_id, by=user
    )


def register() -> None:
    events.subscribe(PipEstablished, on_pip_established)
    events.subscribe(ComponentCompleted, on_component_completed)

from __future__ import annotations

from typing import Any

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases.models import IntegrationCase


def log_change(
    *,
    by: Any,
    case: IntegrationCase,
    object_type: str,
    object_id: Any,
    action: str = Action.UPDATE,
    activity: str = events.Activity.REGIE,
    reason: str = "",
) -> None:
    events.person_changed(
        user=by,
        person=case.person,
        action=action,
        object_type=object_type,
        object_id=object_id,
        activity=activity,
        reason=reason,
    )


def actor(by: Any) -> Any:
    """The user for foreign keys (None for system actors given as a string)."""
    return None if isinstance(by, str) or by is None else by

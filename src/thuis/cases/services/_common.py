from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases.events import CaseChanged
from thuis.cases.models import IntegrationCase
from thuis.core.actor import as_actor
from thuis.core.errors import ValidationFailed
from thuis.core.events import publish


def full_clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = [" ".join(errs) for errs in exc.message_dict.values()]
        raise ValidationFailed(" ".join(messages)) from exc


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
    """Write the processing-log record of a change and announce it (`CaseChanged`) after commit.

    Every service that changes a case calls this, whatever the channel (web form, API, job),
    so what follows a change (the work-queue signals) is the same for every channel.
    """
    events.person_changed(
        user=by,
        person=case.person,
        action=action,
        object_type=object_type,
        object_id=object_id,
        activity=activity,
        reason=reason,
    )
    publish(CaseChanged(case_id=case.pk, actor=as_actor(by)))


def actor(by: Any) -> Any:
    """The user for foreign keys (None for system actors given as a string)."""
    return None if isinstance(by, str) or by is None else by

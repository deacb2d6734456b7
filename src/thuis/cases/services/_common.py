from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.events import CaseChanged
from thuis.cases.models import IntegrationCase
from thuis.core.actor import ActorLike, as_actor
from thuis.core.errors import ValidationFailed
from thuis.core.events import publish


def log_change(
    *,
    by: ActorLike,
    case: IntegrationCase,
    object_type: str,
    object_id: Any,
    action: str = Action.UPDATE,
    activity: str = events.Activity.REGIE,
    reason: str = "",
    changes: events.Changes | None = None,
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
        changes=changes,
    )
    publish(CaseChanged(case_id=case.pk, actor=as_actor(by)))


def log_created(
    *,
    by: ActorLike,
    case: IntegrationCase,
    object_type: str,
    obj: Any,
    activity: str = events.Activity.REGIE,
    reason: str = "",
    secret: tuple[str, ...] = (),
) -> None:
    """`log_change` for a new row of a case, with every field's new value."""
    log_change(
        by=by,
        case=case,
        object_type=object_type,
        object_id=obj.pk,
        action=Action.CREATE,
        activity=activity,
        reason=reason,
        changes=created(obj, secret=secret),
    )


# The record already names these: the case (object) and its person (the data subject).
_NAMED = ("case", "person")


def created(obj: Any, *, secret: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """The changes of a new row of a case: every field's new value."""
    return events.diff(None, events.snapshot(obj, secret=secret, exclude=_NAMED))


def before(obj: Any, names: tuple[str, ...] | None = None) -> events.Snapshot:
    """The values of `names` (default: all but the case) before a change, for `changed`."""
    if names is None:
        return events.snapshot(obj, exclude=_NAMED)
    return events.snapshot(obj, names)


def changed(old: events.Snapshot | None, obj: Any) -> dict[str, dict[str, Any]]:
    """The fields of `old` whose values `obj` changed, with old and new values (all of `obj`'s
    fields when there was no row before)."""
    if old is None:
        return created(obj)
    return events.diff(old, events.snapshot(obj, list(old.values), secret=old.masked))


def refuse(
    errors: Sequence[rules.RuleError], *, field: str | Callable[[rules.RuleError], str] = ""
) -> None:
    """Raise the rules' refusals as one `ValidationFailed` (code: the first rule's code); with
    `field`, each message also stands at its form field (a name, or a function of the error)."""
    if not errors:
        return
    fields: dict[str, list[str]] = {}
    if field:
        for error in errors:
            fields.setdefault(field(error) if callable(field) else field, []).append(error.melding)
    raise ValidationFailed(
        " ".join(e.melding for e in errors), code=errors[0].code, fields=fields or None
    )

"""One function per processing event (reads included). Services and selectors call these.

Every record names the data subject by a keyed hash (HMAC) of the BSN, never the BSN itself.
A change carries its changed fields with old and new values (`snapshot` before and after,
`diff`), so the log answers "what was it before?". Two kinds of values never enter this
append-only log, which cannot be corrected or erased: special categories (health notes: pass
their fields as `secret`) and free text (TextFields); for those the record says only that the
field was filled, emptied or changed (`MASK`). A BSN inside any text is replaced by [BSN].
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils import timezone

from thuis.core.actor import ActorLike, SystemActor, UserActor
from thuis.core.bsn import bsn_hash
from thuis.core.logging import redact

from . import chain, context
from .models import Action, ProcessingRecord, Result, Status

security_log = logging.getLogger("thuis.security")


class Subject(Protocol):
    pk: Any
    bsn: str


class Activity:
    """Processing activities (purposes) from the register of processing activities."""

    REGIE = "regie-inburgering"
    INTAKE = "brede-intake"
    PIP = "pip-beschikking"
    DUO = "gegevensuitwisseling-duo"
    PARTNER = "verwijzing-partner"
    IMPORT = "gegevensmigratie"
    SEED = "synthetische-demodata"
    PRIVACY = "privacytoezicht"
    MONITORING = "monitoring-beleid"


def subject_id(bsn: str) -> str:
    return bsn_hash(bsn, key=settings.AUDIT_HASH_KEY)


def _actor(user: ActorLike) -> tuple[int | None, str]:
    if isinstance(user, UserActor | SystemActor):
        return user.user_id, user.label
    if user is None:
        return None, "systeem"
    if isinstance(user, str):
        return None, user[:150]
    return user.pk, user.get_username()


# --- old and new values of a change ---

MASK = "[afgeschermd]"
Changes = Mapping[str, Mapping[str, Any]]
_NOT_RECORDED = {"created_at", "updated_at"}
_EMPTY: tuple[Any, ...] = (None, "", [], {})


@dataclass(frozen=True)
class Snapshot:
    """The values of some fields of a row at one moment, for `diff`."""

    values: Mapping[str, Any]
    masked: frozenset[str] = frozenset()


def _plain(value: Any) -> Any:
    """A JSON value for the log; a BSN inside a text becomes [BSN]."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(
    obj: models.Model,
    names: Collection[str] | None = None,
    *,
    secret: Collection[str] = (),
    exclude: Collection[str] = (),
) -> Snapshot:
    """The current values of `names` (default: every field except the id, the timestamps and
    `exclude`, such as the parent the record already names)."""
    values: dict[str, Any] = {}
    masked: set[str] = set()
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        if names is None and (
            field.primary_key or field.name in _NOT_RECORDED or field.name in exclude
        ):
            continue
        values[field.name] = _plain(getattr(obj, field.attname))
        if field.name in secret or field.name == "bsn" or isinstance(field, models.TextField):
            masked.add(field.name)
    return Snapshot(values=values, masked=frozenset(masked))


def diff(before: Snapshot | None, after: Snapshot) -> dict[str, dict[str, Any]]:
    """The changed fields as {"veld": {"oud": ..., "nieuw": ...}}; `before` None for a new row."""
    old = dict(before.values) if before is not None else {}
    masked = after.masked | (before.masked if before is not None else frozenset())
    changes: dict[str, dict[str, Any]] = {}
    for name in sorted(set(old) | set(after.values)):
        was, now = old.get(name), after.values.get(name)
        if was == now or (was in _EMPTY and now in _EMPTY):
            continue
        if name in masked:
            was, now = (MASK if was else was), (MASK if now else now)
        changes[name] = {"oud": was, "nieuw": now}
    return changes


def record(
    *,
    user: ActorLike,
    action: str,
    object_type: str,
    subjects: Iterable[tuple[str, str]],
    activity: str,
    result: str = Result.SUCCESS,
    municipality_code: str = "",
    reason: str = "",
    changes: Changes | None = None,
) -> int:
    """Write one record per data subject. `subjects` holds (object_id, bsn) pairs."""
    ctx = context.current()
    actor_id, actor_label = _actor(user)
    now = timezone.now()
    span = secrets.token_hex(8)
    rows = [
        ProcessingRecord(
            occurred_at=now,
            trace_id=ctx.trace_id,
            span_id=span,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data_subject_id=subject_id(bsn) if bsn else "",
            processing_activity=activity,
            result=result,
            origin=ctx.origin,
            municipality_code=municipality_code,
            reason=reason[:255],
            changes=dict(changes) if changes else None,
        )
        for object_id, bsn in subjects
    ]
    if ctx.pending is not None:
        ctx.pending.extend(rows)  # written with end time and status when the request ends
    else:
        _write(rows, ended_at=now)
    return len(rows)


def _status(result: str) -> str:
    return Status.OK if result == Result.SUCCESS else Status.ERROR


def _write(rows: list[ProcessingRecord], *, ended_at: Any, status: str = "") -> None:
    """Store `rows` with their end time and status (default: from each row's result)."""
    for row in rows:
        row.ended_at = ended_at
        row.status = status or _status(row.result)
    chain.append(ProcessingRecord, rows)


def flush(*, status: str = "") -> int:
    """Write the records the current request holds, ended now; `status` from the response
    (default: from each record's result). The middleware calls this when the request ends;
    call it earlier where the request itself must read its records (the inzage export)."""
    pending = context.current().pending
    if not pending:
        return 0
    rows = list(pending)
    pending.clear()
    _write(rows, ended_at=timezone.now(), status=status)
    return len(rows)


def persons_read(
    *, user: Any, persons: Iterable[Subject], activity: str = Activity.REGIE, view: str = ""
) -> int:
    return record(
        user=user,
        action=Action.READ,
        object_type="person",
        subjects=[(str(p.pk), p.bsn) for p in persons],
        activity=activity,
        reason=view,
    )


def person_changed(
    *,
    user: ActorLike,
    person: Subject,
    action: str,
    object_type: str,
    object_id: Any,
    activity: str = Activity.REGIE,
    reason: str = "",
    changes: Changes | None = None,
) -> None:
    """A change of a person's data; `changes` from `diff` (old and new values)."""
    record(
        user=user,
        action=action,
        object_type=object_type,
        subjects=[(str(object_id), person.bsn)],
        activity=activity,
        reason=reason,
        changes=changes,
    )


def access_denied(*, user: Any, object_type: str, object_id: Any, bsn: str = "") -> None:
    record(
        user=user,
        action=Action.READ,
        object_type=object_type,
        subjects=[(str(object_id), bsn)],
        activity=Activity.REGIE,
        result=Result.DENIED,
    )


def security_event(*, user: Any, name: str) -> None:
    """Login, 2FA and lockout events go to the security log (no personal data)."""
    _, label = _actor(user)
    security_log.info("security event=%s user=%s trace=%s", name, label, context.current().trace_id)

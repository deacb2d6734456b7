"""One function per processing event (reads included). Services and selectors call these.

Every record names the data subject by a keyed hash (HMAC) of the BSN, never the BSN itself.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from thuis.core.bsn import bsn_hash

from . import context
from .models import Action, ProcessingRecord, Result

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


def _actor(user: Any) -> tuple[int | None, str]:
    if user is None:
        return None, "systeem"
    if isinstance(user, str):
        return None, user[:150]
    return user.pk, user.get_username()


def record(
    *,
    user: Any,
    action: str,
    object_type: str,
    subjects: Iterable[tuple[str, str]],
    activity: str,
    result: str = Result.SUCCESS,
    municipality_code: str = "",
    reason: str = "",
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
        )
        for object_id, bsn in subjects
    ]
    ProcessingRecord.objects.bulk_create(rows)
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
    user: Any,
    person: Subject,
    action: str,
    object_type: str,
    object_id: Any,
    activity: str = Activity.REGIE,
    reason: str = "",
) -> None:
    record(
        user=user,
        action=action,
        object_type=object_type,
        subjects=[(str(object_id), person.bsn)],
        activity=activity,
        reason=reason,
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

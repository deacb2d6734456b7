"""The inbox: store every DUO notification first, then process it exactly once.

Receipt (`notification_receive`) only stores and schedules; the answer 201 does not wait for
DUO's details. Processing claims a message with one conditional UPDATE, so two workers never
process the same message, reads the DUO resources, and applies all changes in one transaction
together with the status `processed`. A crash anywhere before that commit leaves the message
`received` (or `processing` past its lease), and `inbox_process_pending` picks it up again.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit.models import Action, Result
from thuis.core.errors import ThuisError
from thuis.duo import rules
from thuis.duo.choices import EventKind, InboxStatus
from thuis.duo.client import DuoClient, DuoError
from thuis.duo.models import InboxMessage

from . import gebeurtenissen
from .common import (
    SYSTEM_ACTOR,
    configured_municipality,
    duo_actor,
    log,
    logger,
    safe_error,
    signal_raise,
)

LEASE = timedelta(minutes=15)
# Only these headers are kept with a notification (never cookies or authorisation).
KEPT_HEADERS = ("bron", "doel", "berichtId", "Content-Type", "traceparent", "User-Agent")


@transaction.atomic
def notification_receive(
    *,
    bron: str,
    doel: str,
    bericht_id: str,
    notification: rules.Notification,
    raw_body: str,
    headers: dict[str, str],
) -> tuple[InboxMessage, bool]:
    """Store a checked notification. A repeated berichtId returns the first one (created=False)."""
    key = uuid.UUID(bericht_id)
    existing = InboxMessage.objects.filter(bericht_id=key).first()
    if existing is not None:
        logger.info("DUO notificatie herhaald: berichtId=%s", key)
        return existing, False
    municipality = configured_municipality()
    try:
        with transaction.atomic():
            message = InboxMessage.objects.create(
                bericht_id=key,
                bron=bron,
                doel=doel,
                headers=_kept_headers(headers),
                body=raw_body,
                gebeurtenis_id=notification.gebeurtenis_id,
                registratie_datum_tijd=notification.registratie_datum_tijd,
                bsn=notification.bsn,
                v_nummer=notification.v_nummer,
                municipality=municipality,
            )
    except IntegrityError:  # the same berichtId arrived twice at the same moment
        return InboxMessage.objects.get(bericht_id=key), False
    log(
        user=duo_actor(bron),
        action=Action.CREATE,
        object_type="duo_notificatie",
        object_id=message.pk,
        bsn=notification.bsn,
        reason=notification.gebeurtenis_id,
        municipality=municipality,
    )
    transaction.on_commit(partial(schedule_processing, message.pk))
    return message, True


def _kept_headers(headers: dict[str, str]) -> dict[str, str]:
    by_lower = {k.lower(): v for k, v in headers.items()}
    return {name: by_lower[name.lower()] for name in KEPT_HEADERS if name.lower() in by_lower}


def schedule_processing(message_id: int) -> None:
    """Hand the message to the worker. If that fails the message simply waits in the inbox."""
    from thuis.duo import tasks

    try:
        tasks.process_inbox_message.delay(message_id)
    except Exception as exc:  # the broker is down: `thuis duo_inbox` processes it later
        logger.warning("DUO notificatie %s wacht in de inbox: %s", message_id, type(exc).__name__)


def _claim(message_id: int, now: datetime, *, force: bool = False) -> bool:
    due = Q(status=InboxStatus.RECEIVED) | Q(
        status=InboxStatus.PROCESSING, claimed_at__lt=now - LEASE
    )
    if force:
        due |= Q(status=InboxStatus.FAILED)
    return bool(
        InboxMessage.objects.filter(due, pk=message_id).update(
            status=InboxStatus.PROCESSING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def inbox_process(
    *, message_id: int, client: DuoClient | None = None, now: datetime | None = None
) -> InboxMessage | None:
    """Process one message once. Returns None when another worker has it or it is done."""
    now = now or timezone.now()
    if not _claim(message_id, now):
        return None
    message = InboxMessage.objects.select_related("municipality").get(pk=message_id)
    try:
        duo = client or DuoClient.from_settings()
        gebeurtenissen.process(message, duo)
    except DuoError as exc:
        _failed(message, exc, retry=exc.retry)
    except ThuisError as exc:
        _failed(message, exc, retry=False)
    except Exception as exc:
        logger.error("DUO notificatie %s: interne fout %s", message.pk, type(exc).__name__)
        _failed(message, exc, retry=False, internal=True)
    message.refresh_from_db()
    return message


def _failed(
    message: InboxMessage, exc: BaseException, *, retry: bool, internal: bool = False
) -> None:
    error = (
        _("Interne fout bij verwerken (%(soort)s).") % {"soort": type(exc).__name__}
        if internal
        else safe_error(exc)
    )
    give_up = not retry or rules.outbox_gives_up(attempts=message.attempts)
    with transaction.atomic():
        InboxMessage.objects.filter(pk=message.pk).update(
            status=InboxStatus.FAILED if give_up else InboxStatus.RECEIVED,
            error=error,
            claimed_at=None,
            updated_at=timezone.now(),
        )
        if give_up:
            signal_raise(
                code="VERWERKING_MISLUKT",
                kind=EventKind.INTERN,
                title=_("DUO-notificatie %(code)s kon niet worden verwerkt")
                % {"code": message.gebeurtenis_id},
                text=error,
                municipality=message.municipality,
                inbox_message=message,
            )
            log(
                user=SYSTEM_ACTOR,
                action=Action.UPDATE,
                object_type="duo_notificatie",
                object_id=message.pk,
                bsn=message.bsn,
                reason=f"verwerking mislukt {message.gebeurtenis_id}",
                result=Result.ERROR,
                municipality=message.municipality,
            )


def inbox_due_ids(*, now: datetime) -> list[int]:
    """Messages waiting in the inbox (first attempt, retry after backoff, or a lapsed lease)."""
    ids: list[int] = []
    waiting = InboxMessage.objects.filter(
        Q(status=InboxStatus.RECEIVED)
        | Q(status=InboxStatus.PROCESSING, claimed_at__lt=now - LEASE)
    ).order_by("registratie_datum_tijd", "pk")
    for message in waiting.only("pk", "attempts", "updated_at", "status"):
        if (
            message.status == InboxStatus.PROCESSING
            or message.attempts == 0
            or message.updated_at + rules.backoff_delay(attempts=message.attempts) <= now
        ):
            ids.append(message.pk)
    return ids


def inbox_process_pending(*, now: datetime | None = None, client: DuoClient | None = None) -> int:
    """Process every waiting message in DUO's order; returns how many were processed."""
    now = now or timezone.now()
    done = 0
    for message_id in inbox_due_ids(now=now):
        if inbox_process(message_id=message_id, client=client, now=now) is not None:
            done += 1
    return done


@transaction.atomic
def inbox_reprocess(*, message: InboxMessage, by: Any) -> InboxMessage:
    """The beheerder puts a failed or unknown message back in the queue."""
    if message.status not in {InboxStatus.FAILED, InboxStatus.UNKNOWN_CODE}:
        raise ThuisError(_("Alleen mislukte of onbekende berichten kunt u opnieuw verwerken."))
    InboxMessage.objects.filter(pk=message.pk).update(
        status=InboxStatus.RECEIVED, attempts=0, claimed_at=None, updated_at=timezone.now()
    )
    log(
        user=by,
        action=Action.UPDATE,
        object_type="duo_notificatie",
        object_id=message.pk,
        bsn=message.bsn,
        reason="opnieuw verwerken",
        municipality=message.municipality,
    )
    transaction.on_commit(partial(schedule_processing, message.pk))
    message.refresh_from_db()
    return message

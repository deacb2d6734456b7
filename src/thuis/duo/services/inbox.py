"""The inbox: store every DUO notification first, then process it exactly once.

Receipt (`notification_receive`) only stores and schedules; the answer 201 does not wait for
DUO's details. Processing claims a message through the core outbox (`thuis.core.outbox`, outbox
`duo_inbox`: one conditional UPDATE, so two workers never process the same message), reads the
DUO resources, and applies all changes in one transaction together with the status
`processed`. A crash anywhere before that commit leaves the message `received` (or
`processing` past its lease of 15 minutes), and `inbox_process_pending` picks it up again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit.models import Action, Result
from thuis.core import outbox
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
from .outbox import requeue_logged

INBOX = outbox.Outbox(
    name="duo_inbox",
    model=InboxMessage,
    error_field="error",
    waiting=InboxStatus.RECEIVED,
    claimed=InboxStatus.PROCESSING,
    done=InboxStatus.PROCESSED,
    dead=InboxStatus.FAILED,
    requeue_from=(InboxStatus.FAILED, InboxStatus.UNKNOWN_CODE),
    order_by=("registratie_datum_tijd", "pk"),  # DUO's order
)
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


def inbox_process(
    *, message_id: int, client: DuoClient | None = None, now: datetime | None = None
) -> InboxMessage | None:
    """Process one message once. Returns None when another worker has it or it is done."""
    now = now or timezone.now()
    if not outbox.claim(INBOX, message_id, now=now):
        return None
    message = InboxMessage.objects.select_related("municipality").get(pk=message_id)
    try:
        duo = client or DuoClient.from_settings()
        gebeurtenissen.process(message, duo)
    except DuoError as exc:
        _failed(message, exc, now=now, retry=exc.retry)
    except ThuisError as exc:
        _failed(message, exc, now=now, retry=False)
    except Exception as exc:
        logger.error("DUO notificatie %s: interne fout %s", message.pk, type(exc).__name__)
        _failed(message, exc, now=now, retry=False, internal=True)
    message.refresh_from_db()
    return message


def _failed(
    message: InboxMessage,
    exc: BaseException,
    *,
    now: datetime,
    retry: bool,
    internal: bool = False,
) -> None:
    error = (
        _("Interne fout bij verwerken (%(soort)s).") % {"soort": type(exc).__name__}
        if internal
        else safe_error(exc)
    )
    with transaction.atomic():
        if outbox.failed(INBOX, message, error=error, now=now, retry=retry):
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


def inbox_process_pending(*, now: datetime | None = None, client: DuoClient | None = None) -> int:
    """Process the waiting messages in DUO's order (one batch); returns how many were tried."""
    counts = outbox.process_due(
        INBOX,
        lambda pk, at: inbox_process(message_id=pk, client=client, now=at),
        now=now or timezone.now(),
    )
    return sum(counts.values())


@transaction.atomic
def inbox_reprocess(*, message: InboxMessage, by: Any) -> InboxMessage:
    """The beheerder puts a failed or unknown message back in the queue."""
    refusal = _("Alleen mislukte of onbekende berichten kunt u opnieuw verwerken.")
    requeue_logged(INBOX, message, by=by, reason="opnieuw verwerken", refusal=refusal)
    transaction.on_commit(partial(schedule_processing, message.pk))
    return message

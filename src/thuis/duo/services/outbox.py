"""The outbox: every delivery to DUO is stored first, then sent with retries and backoff.

Each message carries an idempotency key that is sent as `berichtId` on every attempt, so DUO
(and the simulator) can recognise a repeat. Claim, lease, backoff and dead letters are the core
outbox's (`thuis.core.outbox`, outbox `duo_outbox` in `THUIS_OUTBOXES`): network errors,
timeouts and 5xx answers are retried (30 s doubling to 1 hour, 24 attempts ≈ 20 hours); a
refusal by DUO (400/403) is final and shown to the regisseur and the beheerder. Nothing is lost
while DUO is down: messages stay `pending` until `thuis duo_outbox` (or the worker) sends them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit.models import Action, Result
from thuis.core import outbox
from thuis.core.errors import ThuisError
from thuis.duo import rules
from thuis.duo.choices import EventKind
from thuis.duo.client import DuoClient, DuoError, DuoResponse
from thuis.duo.models import OutboxMessage
from thuis.duo.specs import OPERATIONS
from thuis.people.models import Municipality, Person

from .common import SYSTEM_ACTOR, case_state, log, logger, safe_error, signal_raise

if TYPE_CHECKING:
    from thuis.cases.models import IntegrationCase

DELIVERIES = outbox.Outbox(name="duo_outbox", model=OutboxMessage)
# The processing log's object type of the messages in each DUO queue.
OBJECT_TYPES = {"duo_outbox": "duo_levering", "duo_inbox": "duo_notificatie"}


@transaction.atomic
def outbox_enqueue(
    *,
    operation: str,
    description: str,
    by: Any,
    bsn: str = "",
    path_params: dict[str, Any] | None = None,
    payload: Any = None,
    case: IntegrationCase | None = None,
    person: Person | None = None,
    municipality: Municipality | None = None,
) -> OutboxMessage:
    """Store a delivery; it is sent after commit (eagerly in the embedded default)."""
    op = OPERATIONS[operation]
    if "{bsn}" in op.path and not bsn:
        raise ThuisError(_("Voor deze levering is een BSN nodig."))
    person = person or (case.person if case else None)
    message = OutboxMessage.objects.create(
        idempotency_key=uuid.uuid4(),
        api=op.api,
        operation=operation,
        description=description[:200],
        bsn=bsn,
        path_params=path_params or {},
        payload=payload,
        next_attempt_at=timezone.now(),
        case=case,
        person=person,
        municipality=municipality or (case.municipality if case else None),
        created_by=by if not isinstance(by, str) else None,
    )
    log(
        user=by,
        action=Action.CREATE,
        object_type="duo_levering",
        object_id=message.pk,
        bsn=bsn,
        reason=operation,
        municipality=message.municipality,
    )
    transaction.on_commit(partial(schedule_delivery, message.pk))
    return message


def schedule_delivery(message_id: int) -> None:
    from thuis.duo import tasks

    try:
        tasks.deliver_outbox_message.delay(message_id)
    except Exception as exc:  # broker down: the message waits; `thuis duo_outbox` sends it
        logger.warning("DUO-levering %s wacht in de outbox: %s", message_id, type(exc).__name__)


def outbox_deliver(
    *, message_id: int, client: DuoClient | None = None, now: datetime | None = None
) -> OutboxMessage | None:
    """Try to send one due message. None when it is not due or another worker has it."""
    now = now or timezone.now()
    if not outbox.claim(DELIVERIES, message_id, now=now):
        return None
    message = OutboxMessage.objects.select_related("case", "municipality").get(pk=message_id)
    params = dict(message.path_params)
    if "{bsn}" in OPERATIONS[message.operation].path:
        params["bsn"] = message.bsn
    try:
        duo = client or DuoClient.from_settings()
        response = duo.call(
            message.operation,
            body=message.payload,
            bericht_id=str(message.idempotency_key),
            **params,
        )
    except DuoError as exc:
        _attempt_failed(message, exc, now=now)
    except Exception as exc:  # a bug must not lose the message: keep it for a retry
        logger.error("DUO-levering %s: interne fout %s", message.pk, type(exc).__name__)
        _attempt_failed(message, exc, now=now)
    else:
        _sent(message, response, now=now)
    message.refresh_from_db()
    return message


@transaction.atomic
def _sent(message: OutboxMessage, response: DuoResponse, *, now: datetime) -> None:
    outbox.succeeded(DELIVERIES, message, now=now, sent_at=now, last_status_code=response.status)
    if message.case is not None:
        _after_sent(message, message.case, response)
    log(
        user=SYSTEM_ACTOR,
        action=Action.SHARE,
        object_type="duo_levering",
        object_id=message.pk,
        bsn=message.bsn,
        reason=f"{message.operation} verzonden",
        municipality=message.municipality,
    )


def _after_sent(message: OutboxMessage, case: IntegrationCase, response: DuoResponse) -> None:
    """Remember in the case what DUO now knows."""
    state = case_state(case)
    payload = message.payload if isinstance(message.payload, dict) else {}
    if message.operation == "postPipByBsn":
        dagtekening = rules.parse_date(payload.get("dagtekeningPip"))
        state.pip_dagtekening = dagtekening
        state.resources["pip"] = {"pip": payload}
    elif message.operation == "deletePipByBsn":
        state.resources.pop("pip", None)
        state.pip_dagtekening = None
    elif message.operation in {"updateMapByBsn", "updatePvtByBsn", "updateZrouteByBsn"}:
        state.resources[message.operation.removeprefix("update").removesuffix("ByBsn").lower()] = (
            payload
        )
    state.save(update_fields=["pip_dagtekening", "resources", "updated_at"])


@transaction.atomic
def _attempt_failed(message: OutboxMessage, exc: BaseException, *, now: datetime) -> None:
    error = safe_error(exc)
    give_up = outbox.failed(
        DELIVERIES,
        message,
        error=error,
        now=now,
        retry=getattr(exc, "retry", True),
        last_status_code=getattr(exc, "status", None),
    )
    log(
        user=SYSTEM_ACTOR,
        action=Action.SHARE,
        object_type="duo_levering",
        object_id=message.pk,
        bsn=message.bsn,
        reason=f"{message.operation} poging {message.attempts} mislukt",
        result=Result.ERROR,
        municipality=message.municipality,
    )
    if give_up:
        signal_raise(
            code="LEVERING_MISLUKT",
            kind=EventKind.INTERN,
            title=_("Levering aan DUO mislukt: %(wat)s") % {"wat": message.description},
            text=error,
            municipality=message.municipality,
            person=message.person,
            case=message.case,
        )


def outbox_process_due(
    *, now: datetime | None = None, client: DuoClient | None = None
) -> dict[str, int]:
    """Send the due messages once (in order, one batch). Returns counts per resulting status."""
    return outbox.process_due(
        DELIVERIES,
        lambda pk, at: outbox_deliver(message_id=pk, client=client, now=at),
        now=now or timezone.now(),
    )


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, by: Any) -> OutboxMessage:
    """The beheerder sends a failed message again (same berichtId, attempts start over)."""
    refusal = _("Alleen een mislukte levering kunt u opnieuw versturen.")
    requeue_logged(DELIVERIES, message, by=by, reason="opnieuw versturen", refusal=refusal)
    transaction.on_commit(partial(schedule_delivery, message.pk))
    return message


def requeue_logged(
    box: outbox.Outbox[Any], message: Any, *, by: Any, reason: str, refusal: str
) -> None:
    """A beheerder puts a dead letter of `box` back (DUO inbox or outbox), in the processing log.

    `ThuisError(refusal)` when the message is not in a state that can be put back.
    """
    if not outbox.requeue(box, message, now=timezone.now()):
        raise ThuisError(refusal)
    log(
        user=by,
        action=Action.UPDATE,
        object_type=OBJECT_TYPES[box.name],
        object_id=message.pk,
        bsn=message.bsn,
        reason=reason,
        municipality=message.municipality,
    )
    message.refresh_from_db()

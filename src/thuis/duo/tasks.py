"""Celery tasks. Eager (in-process) in the embedded default; a worker in production.

The tasks never raise: a failure is recorded on the message, which stays in the inbox or
outbox for the next attempt, so an eager task cannot turn DUO's 201 into a 500.
"""

from __future__ import annotations

from celery import shared_task

from .services.common import logger


@shared_task(name="thuis.duo.process_inbox_message", ignore_result=True)
def process_inbox_message(message_id: int) -> None:
    from .services import inbox_process

    try:
        inbox_process(message_id=message_id)
    except Exception as exc:  # recorded on the message where possible; never lost
        logger.error("DUO notificatie %s: %s", message_id, type(exc).__name__)


@shared_task(name="thuis.duo.deliver_outbox_message", ignore_result=True)
def deliver_outbox_message(message_id: int) -> None:
    from .services import outbox_deliver

    try:
        outbox_deliver(message_id=message_id)
    except Exception as exc:
        logger.error("DUO-levering %s: %s", message_id, type(exc).__name__)


@shared_task(name="thuis.duo.process_due", ignore_result=True)
def process_due() -> None:
    """For Celery beat: waiting notifications and due deliveries."""
    from .services import inbox_process_pending, outbox_process_due

    inbox_process_pending()
    outbox_process_due()

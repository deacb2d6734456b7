from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="thuis.partners.deliver_notification")
def deliver_notification(notification_id: int) -> str:
    note = services.notification_deliver(notification_id=notification_id)
    return note.email_status if note is not None else "skipped"


@shared_task(name="thuis.partners.deliver_due")
def deliver_due() -> dict[str, int]:
    return services.notifications_deliver_due()

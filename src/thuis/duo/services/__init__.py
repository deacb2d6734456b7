"""DUO services: one operation per function, atomic, each writing the processing log."""

from .common import signal_resolve
from .deliveries import (
    DeliveryRefused,
    aanbod_deliver,
    contactpersoon_link,
    contactpersoon_register,
    lbt_skip,
    pip_deliver,
    pip_withdraw,
    resultaat_deliver,
    uren_deliver,
)
from .inbox import inbox_process, inbox_process_pending, inbox_reprocess, notification_receive
from .outbox import outbox_deliver, outbox_enqueue, outbox_process_due, outbox_retry

__all__ = [
    "DeliveryRefused",
    "aanbod_deliver",
    "contactpersoon_link",
    "contactpersoon_register",
    "inbox_process",
    "inbox_process_pending",
    "inbox_reprocess",
    "lbt_skip",
    "notification_receive",
    "outbox_deliver",
    "outbox_enqueue",
    "outbox_process_due",
    "outbox_retry",
    "pip_deliver",
    "pip_withdraw",
    "resultaat_deliver",
    "signal_resolve",
    "uren_deliver",
]

"""One outbox for all work that Thuis stores first and does later, with retries.

Every queue (deliveries to DUO, the DUO inbox, e-mails to partners, report distributions) is a
table of `thuis.core.models.OutboxItem` rows described by one `Outbox`:

- **claim with a lease**: `claim` takes a row for one attempt with one conditional UPDATE
  (`WHERE pk = … AND (waiting AND due OR claimed AND lease lapsed)`). Of two workers exactly one
  wins, on PostgreSQL and on SQLite; a worker that dies leaves its lease behind, and once the
  lease has lapsed the row is claimed again. `attempts` counts every claim.
- **backoff**: after a failed attempt the row waits `RetryPolicy.delay(attempts)`: `base`,
  `base × factor`, … at most `cap` seconds, without jitter, so the schedule can be tested.
- **dead letters**: a refusal (`retry=False`) or the last attempt (`max_attempts`) moves the
  row to the dead state with a `dead_reason`; `requeue` puts it back for a beheerder.
- **idempotency**: the row's `idempotency_key` goes with every attempt (as DUO's berichtId, or
  in the e-mail header `X-Thuis-Idempotentiesleutel` through `send_email`).
- **bounded batches**: `process_due` tries at most `batch` due rows per run, oldest first.

Each outbox has its own `RetryPolicy` in the setting `THUIS_OUTBOXES` (docs/configuration.md).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db.models import F, Q, QuerySet

from .models import DeadReason, OutboxItem, OutboxStatus

M = TypeVar("M", bound=OutboxItem)
IDEMPOTENCY_HEADER = "X-Thuis-Idempotentiesleutel"
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long one outbox tries: the same rule for every outbox, other numbers."""

    base_seconds: int = 30
    factor: int = 2
    cap_seconds: int = 3600
    max_attempts: int = 24
    lease_seconds: int = 300
    batch: int = 500

    def delay(self, attempts: int) -> timedelta:
        """The wait after `attempts` failed attempts: base, base × factor, … at most the cap."""
        exponent = min(max(attempts - 1, 0), 64)  # beyond 2**64 × base every cap is reached
        return timedelta(seconds=min(self.base_seconds * self.factor**exponent, self.cap_seconds))

    def gives_up(self, attempts: int) -> bool:
        """After this many attempts the row becomes a dead letter."""
        return attempts >= self.max_attempts

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    def total_wait(self) -> timedelta:
        """All waits between the first and the last attempt together."""
        return sum((self.delay(n) for n in range(1, self.max_attempts)), timedelta())


_POLICY_KEYS = frozenset(f.name for f in fields(RetryPolicy))


def policy_for(name: str) -> RetryPolicy:
    """The policy of outbox `name` from `settings.THUIS_OUTBOXES` (defaults for missing keys)."""
    config: dict[str, Any] = dict(getattr(settings, "THUIS_OUTBOXES", {}).get(name, {}))
    unknown = set(config) - _POLICY_KEYS
    if unknown:
        raise ImproperlyConfigured(
            f"THUIS_OUTBOXES[{name!r}]: unknown keys {sorted(unknown)}; use {sorted(_POLICY_KEYS)}."
        )
    policy = RetryPolicy(**config)
    if policy.base_seconds < 0 or policy.factor < 1 or policy.max_attempts < 1:
        raise ImproperlyConfigured(f"THUIS_OUTBOXES[{name!r}]: impossible values {config}.")
    return policy


@dataclass(frozen=True)
class Outbox(Generic[M]):
    """One queue: its table, its name in `THUIS_OUTBOXES` and the words its table uses."""

    name: str
    model: type[M]
    status_field: str = "status"
    error_field: str = "last_error"
    waiting: str = OutboxStatus.PENDING
    claimed: str = OutboxStatus.SENDING
    done: str = OutboxStatus.SENT
    dead: str = OutboxStatus.FAILED
    requeue_from: tuple[str, ...] = (OutboxStatus.FAILED,)
    order_by: tuple[str, ...] = ("next_attempt_at", "pk")
    # (name, status) pairs: `process_due` counts under these names (as its command prints them)
    count_names: tuple[tuple[str, str], ...] = ()

    @property
    def policy(self) -> RetryPolicy:
        return policy_for(self.name)

    def due_filter(self, now: datetime) -> Q:
        """Waiting and due, or claimed by a worker whose lease has lapsed."""
        return Q(**{self.status_field: self.waiting, "next_attempt_at__lte": now}) | Q(
            **{self.status_field: self.claimed, "claimed_at__lt": now - self.policy.lease}
        )

    def rows(self) -> QuerySet[M]:
        return self.model._default_manager.all()


def due(outbox: Outbox[M], *, now: datetime) -> QuerySet[M]:
    return outbox.rows().filter(outbox.due_filter(now)).order_by(*outbox.order_by)


def due_ids(outbox: Outbox[M], *, now: datetime, limit: int | None = None) -> list[int]:
    """The ids of at most `limit` (default: the policy's batch) due rows, oldest first."""
    batch = outbox.policy.batch if limit is None else limit
    return list(due(outbox, now=now).values_list("pk", flat=True)[:batch])


def claim(outbox: Outbox[M], pk: int, *, now: datetime) -> bool:
    """Take row `pk` for one attempt. One conditional UPDATE: of two workers exactly one wins."""
    return bool(
        outbox.rows()
        .filter(outbox.due_filter(now), pk=pk)
        .update(**{outbox.status_field: outbox.claimed}, claimed_at=now, attempts=F("attempts") + 1)
    )


def succeeded(outbox: Outbox[M], item: M, *, now: datetime, **values: Any) -> None:
    """The attempt worked: the row is done, its lease released (plus the caller's `values`)."""
    outbox.rows().filter(pk=item.pk).update(
        **{outbox.status_field: outbox.done, outbox.error_field: ""},
        claimed_at=None,
        dead_reason="",
        updated_at=now,
        **values,
    )


def failed(
    outbox: Outbox[M], item: M, *, error: str, now: datetime, retry: bool = True, **values: Any
) -> bool:
    """The attempt failed: wait for the next one, or become a dead letter. True when dead."""
    policy = outbox.policy
    dead = not retry or policy.gives_up(item.attempts)
    outbox.rows().filter(pk=item.pk).update(
        **{outbox.status_field: outbox.dead if dead else outbox.waiting, outbox.error_field: error},
        next_attempt_at=now + policy.delay(item.attempts),
        claimed_at=None,
        dead_reason=(DeadReason.MAX_ATTEMPTS if retry else DeadReason.REFUSED) if dead else "",
        updated_at=now,
        **values,
    )
    return dead


def requeue(outbox: Outbox[M], item: M, *, now: datetime) -> bool:
    """A beheerder puts a dead letter back: same idempotency key, attempts from 0, due now.

    False (nothing changed) when the row is not in one of the outbox's `requeue_from` states.
    """
    return bool(
        outbox.rows()
        .filter(pk=item.pk, **{f"{outbox.status_field}__in": outbox.requeue_from})
        .update(
            **{outbox.status_field: outbox.waiting},
            attempts=0,
            next_attempt_at=now,
            claimed_at=None,
            dead_reason="",
            updated_at=now,
        )
    )


def process_due(
    outbox: Outbox[M],
    send: Callable[[int, datetime], M | None],
    *,
    now: datetime,
    limit: int | None = None,
) -> dict[str, int]:
    """Try each due row once (a bounded batch, oldest first); counts per resulting status.

    `send(pk, now)` claims the row (with `claim`), does the work and records the result (with
    `succeeded` or `failed`); it returns None when another worker had the row. With the
    outbox's `count_names` the counts come back under those names, 0 included.
    """
    counts: Counter[str] = Counter()
    for pk in due_ids(outbox, now=now, limit=limit):
        item = send(pk, now)
        if item is not None:
            counts[str(getattr(item, outbox.status_field))] += 1
    if outbox.count_names:
        return {name: counts[status] for name, status in outbox.count_names}
    return dict(counts)


def send_email(outbox: Outbox[M], item: M, message: EmailMessage, *, now: datetime) -> M:
    """Send the e-mail of a claimed row with its idempotency key in the header
    `X-Thuis-Idempotentiesleutel`, and record the result (`sent_at` when it went out).

    Any error (mail server down, refused, timeout) is a failed attempt that is tried again
    after the backoff; only the error's type is stored, never the address.
    """
    message.extra_headers[IDEMPOTENCY_HEADER] = str(item.idempotency_key)
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        failed(outbox, item, error=type(exc).__name__[:255], now=now)
        logger.warning("%s %s: verzenden mislukt (%s)", outbox.name, item.pk, type(exc).__name__)
    else:
        succeeded(outbox, item, now=now, sent_at=now)
    item.refresh_from_db()
    return item

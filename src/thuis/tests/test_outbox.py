"""Every queue runs on the one core outbox: claim contention, lapsed leases, dead letters."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection

import pytest

from thuis.core import outbox
from thuis.core.models import DeadReason
from thuis.duo.models import InboxMessage, OutboxMessage
from thuis.duo.services.inbox import INBOX
from thuis.duo.services.outbox import DELIVERIES
from thuis.partners.models import Notification, Organisation
from thuis.partners.services import NOTIFICATIONS
from thuis.policy.models import Distribution, Report, ReportVersion
from thuis.policy.services import DISTRIBUTIONS
from thuis.tests import factories

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _delivery() -> OutboxMessage:
    return OutboxMessage.objects.create(
        api="pip", operation="getPipByBsn", description="test", next_attempt_at=NOW
    )


def _notification() -> InboxMessage:
    return InboxMessage.objects.create(
        bericht_id=uuid.uuid4(),
        bron="0" * 20,
        doel="1" * 20,
        body="{}",
        gebeurtenis_id="SS101",
        registratie_datum_tijd=NOW,
        next_attempt_at=NOW,
    )


def _email() -> Notification:
    user = factories.UserFactory(email="partner@example.test")
    return Notification.objects.create(recipient=user, title="test", next_attempt_at=NOW)


def _distribution() -> Distribution:
    report = Report.objects.create(
        municipality=factories.MunicipalityFactory(),
        approach="test",
        peildatum=NOW.date(),
        period_start=NOW.date(),
    )
    version = ReportVersion.objects.create(
        report=report, number=1, peildatum=NOW.date(), snapshot={}, snapshot_sha256="0" * 64
    )
    return Distribution.objects.create(
        version=version,
        organisation=Organisation.objects.create(name="Partner", kind="mb"),
        email=f"{uuid.uuid4().hex}@example.test",
        next_attempt_at=NOW,
    )


OUTBOXES: list[tuple[outbox.Outbox[Any], Callable[[], Any]]] = [
    (DELIVERIES, _delivery),
    (INBOX, _notification),
    (NOTIFICATIONS, _email),
    (DISTRIBUTIONS, _distribution),
]
IDS = [box.name for box, _make in OUTBOXES]


def _status(box: outbox.Outbox[Any], item: Any) -> str:
    item.refresh_from_db()
    return str(getattr(item, box.status_field))


@pytest.mark.django_db
@pytest.mark.parametrize(("box", "make"), OUTBOXES, ids=IDS)
def test_of_two_claims_of_one_item_one_wins(
    box: outbox.Outbox[Any], make: Callable[[], Any]
) -> None:
    item = make()
    assert outbox.claim(box, item.pk, now=NOW) is True
    assert outbox.claim(box, item.pk, now=NOW) is False  # the second worker
    assert outbox.claim(box, item.pk, now=NOW + timedelta(seconds=1)) is False
    assert _status(box, item) == box.claimed
    assert item.attempts == 1 and item.claimed_at == NOW


@pytest.mark.django_db
@pytest.mark.parametrize(("box", "make"), OUTBOXES, ids=IDS)
def test_a_lapsed_lease_can_be_reclaimed(box: outbox.Outbox[Any], make: Callable[[], Any]) -> None:
    item = make()
    lease = box.policy.lease
    assert outbox.claim(box, item.pk, now=NOW)  # this worker dies
    assert outbox.due_ids(box, now=NOW + lease) == []  # the lease still holds
    assert not outbox.claim(box, item.pk, now=NOW + lease)
    later = NOW + lease + timedelta(seconds=1)
    assert outbox.due_ids(box, now=later) == [item.pk]
    assert outbox.claim(box, item.pk, now=later)
    assert not outbox.claim(box, item.pk, now=later)
    item.refresh_from_db()
    assert item.attempts == 2 and item.claimed_at == later


@pytest.mark.django_db
@pytest.mark.parametrize(("box", "make"), OUTBOXES, ids=IDS)
def test_backoff_then_dead_letter_after_max_attempts_and_requeue(
    box: outbox.Outbox[Any], make: Callable[[], Any]
) -> None:
    item = make()
    policy = box.policy
    now = NOW
    for attempt in range(1, policy.max_attempts + 1):
        assert outbox.claim(box, item.pk, now=now), attempt
        item.refresh_from_db()
        dead = outbox.failed(box, item, error=f"fout {attempt}", now=now)
        assert dead is (attempt == policy.max_attempts)
        item.refresh_from_db()
        assert item.next_attempt_at == now + policy.delay(attempt)
        assert item.claimed_at is None
        if not dead:
            assert _status(box, item) == box.waiting
            assert not outbox.claim(box, item.pk, now=item.next_attempt_at - timedelta(seconds=1))
            now = item.next_attempt_at
    assert _status(box, item) == box.dead
    assert item.dead_reason == DeadReason.MAX_ATTEMPTS
    assert getattr(item, box.error_field) == f"fout {policy.max_attempts}"
    assert outbox.due_ids(box, now=now + timedelta(days=365)) == []
    # the beheerder sends it again: attempts from 0, due at once; a second click changes nothing
    assert outbox.requeue(box, item, now=now)
    assert not outbox.requeue(box, item, now=now)
    assert _status(box, item) == box.waiting
    assert (item.attempts, item.dead_reason, item.next_attempt_at) == (0, "", now)


@pytest.mark.django_db
@pytest.mark.parametrize(("box", "make"), OUTBOXES, ids=IDS)
def test_a_refusal_is_a_dead_letter_at_once(
    box: outbox.Outbox[Any], make: Callable[[], Any]
) -> None:
    item = make()
    assert outbox.claim(box, item.pk, now=NOW)
    item.refresh_from_db()
    assert outbox.failed(box, item, error="geweigerd", now=NOW, retry=False)
    assert _status(box, item) == box.dead
    assert item.dead_reason == DeadReason.REFUSED and item.attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("box", "make"), OUTBOXES, ids=IDS)
def test_process_due_takes_a_bounded_batch_in_order(
    box: outbox.Outbox[Any], make: Callable[[], Any]
) -> None:
    items = [make() for _ in range(3)]
    tried: list[int] = []

    def send(pk: int, now: datetime) -> Any:
        if not outbox.claim(box, pk, now=now):
            return None
        tried.append(pk)
        item = box.rows().get(pk=pk)
        outbox.succeeded(box, item, now=now)
        return box.rows().get(pk=pk)

    def done(n: int) -> dict[str, int]:
        if not box.count_names:
            return {box.done: n} if n else {}
        return {name: n if status == box.done else 0 for name, status in box.count_names}

    assert outbox.process_due(box, send, now=NOW, limit=2) == done(2)
    assert tried == [items[0].pk, items[1].pk]
    assert outbox.process_due(box, send, now=NOW) == done(1)
    assert outbox.process_due(box, send, now=NOW) == done(0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("box", "make"), OUTBOXES, ids=IDS)
def test_concurrent_workers_claim_one_item_once(
    box: outbox.Outbox[Any], make: Callable[[], Any]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers between threads need PostgreSQL")
    item = make()
    workers = 6
    barrier = threading.Barrier(workers)
    wins: list[bool] = []

    def work() -> None:
        try:
            barrier.wait()
            wins.append(outbox.claim(box, item.pk, now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * (workers - 1) + [True]
    item.refresh_from_db()
    assert item.attempts == 1

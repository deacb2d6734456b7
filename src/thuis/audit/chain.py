"""The hash chain of the processing log: every record carries the hash of the one before it.

`record_hash` is an HMAC-SHA256, with the key THUIS_AUDIT_HASH_KEY, over a canonical form of the
record (the fields of `FIELDS`, as sorted JSON) that includes `prev_hash`, the `record_hash` of
the record before it (by id; empty for the first). A changed field, a deleted record or a
record inserted in between breaks the chain at that point, and without the key nobody can write
a new chain that verifies. Records are appended under one lock (PostgreSQL: a transaction-level
advisory lock; SQLite: a single writer), so the chain is linear in id order.

The canonical form is versioned (`VERSION`): a later version must leave this one for the
records it already hashed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

VERSION = "thuis-verwerkingenlog/1"
FIELDS = (
    "occurred_at",
    "ended_at",
    "status",
    "trace_id",
    "span_id",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "data_subject_id",
    "data_subject_id_type",
    "processing_activity",
    "result",
    "origin",
    "municipality_code",
    "reason",
    "changes",
)
# Any constant 64-bit number that no other part of Thuis uses as an advisory lock key.
LOCK_KEY = 0x7468756973_617564  # "thuis" "aud"
_local = threading.Lock()  # SQLite: one writer per process (the embedded server has threads)


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(record: Any, prev_hash: str) -> bytes:
    """The bytes that are hashed: the record's fields and the previous hash, as sorted JSON."""
    data = {name: _value(getattr(record, name)) for name in FIELDS}
    data["prev_hash"] = prev_hash
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{VERSION}\n{text}".encode()


def record_hash(record: Any, prev_hash: str, *, key: str | None = None) -> str:
    secret = settings.AUDIT_HASH_KEY if key is None else key
    return hmac.new(secret.encode(), canonical(record, prev_hash), hashlib.sha256).hexdigest()


def _last_hash(model: Any) -> str:
    last = model._base_manager.order_by("-id").values_list("record_hash", flat=True).first()
    return str(last or "")


def link(records: Iterable[Any], prev_hash: str) -> str:
    """Set prev_hash and record_hash of `records` in order, after `prev_hash`; the last hash."""
    for record in records:
        record.prev_hash = prev_hash
        record.record_hash = prev_hash = record_hash(record, prev_hash)
    return prev_hash


def append(model: Any, records: list[Any]) -> None:
    """Insert `records` at the end of the chain, in one transaction under the chain lock."""
    if not records:
        return
    postgresql = connection.vendor == "postgresql"
    # No process lock on PostgreSQL: a thread that holds the advisory lock until its outer
    # transaction commits could wait for a process lock held by a thread that waits for it.
    with contextlib.nullcontext() if postgresql else _local, transaction.atomic():
        if postgresql:
            # Its own statement, so the read below takes a snapshot after the lock is held.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        link(records, _last_hash(model))
        model._base_manager.bulk_create(records)


@dataclass(frozen=True)
class Verdict:
    count: int
    broken_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify(model: Any, *, batch: int = 2000) -> Verdict:
    """Walk the chain in id order; the first record whose link or hash does not match."""
    prev = ""
    count = 0
    for record in _walk(model, batch):
        count += 1
        if record.prev_hash != prev or record.record_hash != record_hash(record, prev):
            return Verdict(count=count, broken_id=record.pk)
        prev = record.record_hash
    return Verdict(count=count)


def _walk(model: Any, batch: int) -> Iterator[Any]:
    """All records in id order, in batches by id (no long-running cursor)."""
    after = 0
    while True:
        rows = list(model._base_manager.filter(id__gt=after).order_by("id")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1].pk

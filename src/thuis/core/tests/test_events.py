"""The domain-event bus: delivery after commit, never after a rollback, failures logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

import pytest

from thuis.core import events


@dataclass(frozen=True)
class Happened(events.DomainEvent):
    thing_id: int


@dataclass(frozen=True)
class HappenedTwice(Happened):
    times: int = 2


@pytest.fixture
def received() -> Iterator[list[events.DomainEvent]]:
    calls: list[events.DomainEvent] = []
    events.subscribe(Happened, calls.append)
    yield calls
    events.unsubscribe(Happened, calls.append)


@pytest.mark.django_db
def test_commit_delivers_exactly_once(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.publish(Happened(1))
        assert received == []  # nothing before the commit
    assert received == [Happened(1)]


@pytest.mark.django_db
def test_rollback_delivers_nothing(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(Happened(1))
            raise RuntimeError("rollback")
        with transaction.atomic():
            events.publish(Happened(2))
    assert received == [Happened(2)]


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_real_rollback(received: list[events.DomainEvent]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish(Happened(1))
        raise RuntimeError("rollback")
    assert received == []
    with transaction.atomic():
        events.publish(Happened(2))
    assert received == [Happened(2)]


@pytest.mark.django_db
def test_equal_events_in_one_transaction_are_delivered_once_at_the_last_place(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.publish(Happened(1))
        events.publish(Happened(3))
        with transaction.atomic():  # a nested service (savepoint) says it again
            events.publish(Happened(1))
    assert received == [Happened(3), Happened(1)]


@pytest.mark.django_db
def test_a_repeat_rolled_back_in_a_savepoint_keeps_the_first_announcement(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.publish(Happened(1))
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(Happened(1))
            raise RuntimeError("savepoint rolled back")
    assert received == [Happened(1)]


@pytest.mark.django_db
def test_an_announcement_in_a_released_savepoint_survives_a_later_rollback(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with transaction.atomic():
            events.publish(Happened(1))  # savepoint released: the change stays
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(Happened(1))
            raise RuntimeError("savepoint rolled back")
    assert received == [Happened(1)]


@pytest.mark.django_db
def test_other_on_commit_callbacks_keep_their_place(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    order: list[str] = []
    events.subscribe(Happened, lambda event: order.append(f"event {event.thing_id}"))
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.publish(Happened(1))
            transaction.on_commit(lambda: order.append("other"))
            events.publish(Happened(1))
    finally:
        events._handlers[Happened].pop()
    assert order == ["other", "event 1"]


@pytest.mark.django_db
def test_an_event_rolled_back_in_a_savepoint_is_not_delivered(
    received: list[events.DomainEvent], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(Happened(1))
            raise RuntimeError("savepoint rolled back")
        events.publish(Happened(2))
    assert received == [Happened(2)]


def test_subclass_events_reach_base_handlers(received: list[events.DomainEvent]) -> None:
    events.deliver(HappenedTwice(5))
    assert received == [HappenedTwice(5)]


def test_a_failing_handler_is_logged_and_the_others_still_run(
    received: list[events.DomainEvent], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: Happened) -> None:
        raise ValueError("kapot bij 123456782")

    events.subscribe(HappenedTwice, broken)
    try:
        with caplog.at_level(logging.ERROR, logger="thuis.events"):
            events.deliver(HappenedTwice(7))
    finally:
        events.unsubscribe(HappenedTwice, broken)
    assert received == [HappenedTwice(7)]
    (record,) = [r for r in caplog.records if r.name == "thuis.events"]
    assert "HappenedTwice" in record.getMessage() and "broken" in record.getMessage()
    assert "123456782" not in record.getMessage()  # a BSN never reaches the log


def test_only_domain_events_without_models_are_published() -> None:
    @dataclass(frozen=True)
    class WithModel(events.DomainEvent):
        thing: Any

    from thuis.people.models import Municipality

    with pytest.raises(TypeError, match="not a DomainEvent"):
        events.publish(Municipality(code="0001"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="id"):
        events.publish(WithModel(Municipality(code="0001")))

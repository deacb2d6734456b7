"""The one retry policy of every outbox: the backoff schedule, giving up, the settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured

import pytest

from thuis.core.outbox import RetryPolicy, policy_for

DEFAULT = RetryPolicy()


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [
        (0, 30),  # not tried yet: the first wait is the base
        (1, 30),
        (2, 60),
        (3, 120),
        (4, 240),
        (5, 480),
        (7, 1920),
        (8, 3600),  # 3840 s is capped at one hour
        (24, 3600),
        (10_000, 3600),  # no overflow for absurd counts
    ],
)
def test_backoff_schedule(attempts: int, seconds: int) -> None:
    assert DEFAULT.delay(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("policy", "attempts", "seconds"),
    [
        (RetryPolicy(base_seconds=10, factor=3, cap_seconds=100), 1, 10),
        (RetryPolicy(base_seconds=10, factor=3, cap_seconds=100), 3, 90),
        (RetryPolicy(base_seconds=10, factor=3, cap_seconds=100), 4, 100),
        (RetryPolicy(base_seconds=60, factor=1, cap_seconds=3600), 9, 60),  # a fixed interval
        (RetryPolicy(base_seconds=0, factor=2, cap_seconds=60), 5, 0),  # retry at once
    ],
)
def test_backoff_follows_base_factor_and_cap(
    policy: RetryPolicy, attempts: int, seconds: int
) -> None:
    assert policy.delay(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("max_attempts", "attempts", "gives_up"),
    [(8, 7, False), (8, 8, True), (8, 9, True), (1, 1, True), (24, 23, False)],
)
def test_gives_up_at_max_attempts(max_attempts: int, attempts: int, gives_up: bool) -> None:
    assert RetryPolicy(max_attempts=max_attempts).gives_up(attempts) is gives_up


def test_total_wait_of_the_default_policy() -> None:
    # 30+60+…+1920 (7 waits) + 16 waits of an hour = 3810 s + 16 h
    assert DEFAULT.total_wait() == timedelta(seconds=3810, hours=16)


def test_each_outbox_keeps_its_documented_limits() -> None:
    duo = policy_for("duo_outbox")
    assert (duo.base_seconds, duo.factor, duo.cap_seconds, duo.max_attempts) == (30, 2, 3600, 24)
    assert duo.lease == timedelta(minutes=5)
    assert policy_for("duo_inbox").lease == timedelta(minutes=15)
    assert policy_for("duo_inbox").max_attempts == 24
    assert policy_for("partners_email").max_attempts == 24
    assert policy_for("partners_email").lease == timedelta(minutes=5)
    assert policy_for("policy_distribution").max_attempts == 8
    assert policy_for("policy_distribution").batch == 200


def test_a_setting_changes_one_outbox_only(settings: Any) -> None:
    settings.THUIS_OUTBOXES = {**settings.THUIS_OUTBOXES, "duo_outbox": {"max_attempts": 3}}
    assert policy_for("duo_outbox") == RetryPolicy(max_attempts=3)
    assert policy_for("partners_email").max_attempts == 24


def test_an_unknown_or_impossible_setting_stops_with_a_clear_message(settings: Any) -> None:
    settings.THUIS_OUTBOXES = {"x": {"max_tries": 3}, "y": {"factor": 0}}
    with pytest.raises(ImproperlyConfigured, match="max_tries"):
        policy_for("x")
    with pytest.raises(ImproperlyConfigured, match="impossible"):
        policy_for("y")

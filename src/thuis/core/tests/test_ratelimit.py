"""The one rate-limit helper: a fixed window in Django's cache, counted atomically."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import pytest

from thuis.conf.env import env_rate
from thuis.core import ratelimit

LIMITS = {"test": (3, 60), "off": (0, 60)}


@override_settings(THUIS_RATE_LIMITS=LIMITS)
def test_over_the_limit_raises_with_the_seconds_left_in_the_window() -> None:
    start = 6000.0  # a window boundary (6000 is a multiple of 60)
    for _ in range(3):
        ratelimit.hit("test", "a", now=start + 10)
    with pytest.raises(ratelimit.RateLimited) as exc:
        ratelimit.hit("test", "a", now=start + 15)
    assert exc.value.name == "test"
    assert exc.value.retry_after == 45
    # Another key has its own counter; the next window starts again at zero.
    ratelimit.hit("test", "b", now=start + 15)
    ratelimit.hit("test", "a", now=start + 60)


@override_settings(THUIS_RATE_LIMITS=LIMITS)
def test_zero_attempts_switches_a_limit_off() -> None:
    for _ in range(50):
        ratelimit.hit("off", "a")


@pytest.mark.parametrize("raw", ["10", "ten/60", "10/0", "-1/60", "10/-5"])
def test_a_bad_rate_setting_stops_the_start(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUIS_RATELIMIT_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="THUIS_RATELIMIT_TEST"):
        env_rate("THUIS_RATELIMIT_TEST", "1/1")


def test_rate_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUIS_RATELIMIT_TEST", "7/120")
    assert env_rate("THUIS_RATELIMIT_TEST", "1/1") == (7, 120)
    assert env_rate("THUIS_RATELIMIT_OTHER", "5/30") == (5, 30)

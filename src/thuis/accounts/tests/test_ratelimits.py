"""Rate limits on the login form and the second step (issue 15): 429, a Dutch page, Retry-After."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client, override_settings

import pytest

from thuis.accounts.choices import Role

PASSWORD = "Thuis-test-2026!"


def _limits(**changed: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return {**settings.THUIS_RATE_LIMITS, **changed}


def _assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert "Te vaak geprobeerd" in response.content.decode()


@pytest.mark.django_db
def test_login_posts_are_limited_per_client_address(make_user: Any) -> None:
    for name in ("a1", "a2", "a3", "a4"):
        make_user(Role.REGISSEUR, username=name)
    with override_settings(THUIS_RATE_LIMITS=_limits(**{"login-ip": (3, 300)})):
        client = Client(REMOTE_ADDR="192.0.2.1")
        for name in ("a1", "a2", "a3"):
            assert client.post("/accounts/inloggen/", {"username": name, "password": "fout"})
        _assert_too_many(
            client.post("/accounts/inloggen/", {"username": "a4", "password": PASSWORD})
        )
        # Another address is not limited, and showing the form is not counted.
        assert Client(REMOTE_ADDR="192.0.2.1").get("/accounts/inloggen/").status_code == 200
        other = Client(REMOTE_ADDR="192.0.2.2")
        assert (
            other.post("/accounts/inloggen/", {"username": "a4", "password": PASSWORD}).status_code
            == 302
        )


@pytest.mark.django_db
def test_second_step_posts_are_limited_per_user(make_user: Any) -> None:
    user = make_user(Role.REGISSEUR, username="otp-user")
    with override_settings(THUIS_RATE_LIMITS=_limits(**{"otp-user": (2, 300)})):
        client = Client()
        client.force_login(user)
        for _ in range(2):
            assert client.post("/accounts/tweede-stap/", {"token": "000000"}).status_code == 200
        _assert_too_many(client.post("/accounts/tweede-stap/", {"token": "000000"}))
        # The same user from another address is still limited (per user, not per address).
        again = Client(REMOTE_ADDR="192.0.2.99")
        again.force_login(user)
        _assert_too_many(again.post("/accounts/tweede-stap/", {"token": "000000"}))


@pytest.mark.django_db
def test_second_step_posts_are_limited_per_address(make_user: Any) -> None:
    first, second = (make_user(Role.REGISSEUR, username=n) for n in ("otp-a", "otp-b"))
    with override_settings(THUIS_RATE_LIMITS=_limits(**{"otp-ip": (2, 300)})):
        for user in (first, second):
            client = Client(REMOTE_ADDR="192.0.2.5")
            client.force_login(user)
            client.post("/accounts/tweede-stap/", {"token": "000000"})
        client = Client(REMOTE_ADDR="192.0.2.5")
        client.force_login(first)
        _assert_too_many(client.post("/accounts/tweede-stap/", {"token": "000000"}))

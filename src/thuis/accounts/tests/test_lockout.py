"""Issue 15, finding 2: django-axes locked on the address alone, so behind the reverse proxy
(every client has the proxy's address) five wrong passwords for any account locked out every
user. The lock is now per account and per account + address, and the address comes from the
trusted proxy only."""

from __future__ import annotations

from typing import Any

from django.test import Client, override_settings

import pytest
from axes.models import AccessAttempt

from thuis.accounts.choices import Role

PASSWORD = "Thuis-test-2026!"
PROXY = "10.0.0.5"
LOGIN = "/accounts/inloggen/"


def _post(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
@override_settings(THUIS_TRUSTED_PROXIES=[PROXY])
def test_five_failures_lock_one_account_not_everyone_behind_the_proxy(make_user: Any) -> None:
    make_user(Role.REGISSEUR, username="victim")
    make_user(Role.REGISSEUR, username="colleague")
    # Every request arrives from the proxy; the attacker's address is in X-Forwarded-For.
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(5):
        _post(attacker, "victim", "fout")
    # A colleague from the same address (same proxy, and even the same client address) logs in.
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert _post(colleague, "colleague", PASSWORD).status_code == 302
    # The attacked account stays locked, from any address, with the right password too.
    for client in (
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"),
        Client(REMOTE_ADDR="192.0.2.44"),
    ):
        locked = _post(client, "victim", PASSWORD)
        assert locked.status_code == 429
        assert "geblokkeerd" in locked.content.decode()
        assert locked["Retry-After"] == str(15 * 60)


@pytest.mark.django_db
def test_lockout_without_proxy_does_not_lock_other_accounts_of_the_address(
    make_user: Any,
) -> None:
    make_user(Role.REGISSEUR, username="victim")
    make_user(Role.REGISSEUR, username="colleague")
    client = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(6):
        _post(client, "victim", "fout")
    assert _post(client, "colleague", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(THUIS_TRUSTED_PROXIES=[PROXY])
def test_forged_forwarded_header_from_an_untrusted_peer_is_ignored(make_user: Any) -> None:
    make_user(Role.REGISSEUR, username="victim")
    forger = Client(REMOTE_ADDR="192.0.2.77", HTTP_X_FORWARDED_FOR="198.51.100.200")
    _post(forger, "victim", "fout")
    attempt = AccessAttempt.objects.get(username="victim")
    assert attempt.ip_address == "192.0.2.77"
    # Through the trusted proxy, the forwarded client address is recorded.
    _post(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1"), "victim", "fout")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "192.0.2.77",
        "198.51.100.1",
    }


@pytest.mark.django_db
@override_settings(THUIS_TRUSTED_PROXIES=[PROXY])
def test_processing_log_origin_uses_the_same_client_address(
    login: Any, regisseur: Any, person: Any
) -> None:
    from thuis.audit.models import ProcessingRecord

    client = login(regisseur)
    forged = client.get(f"/personen/{person.pk}/", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert forged.status_code == 200
    assert ProcessingRecord.objects.latest("pk").origin == "web:127.0.0.1"
    client.defaults["REMOTE_ADDR"] = PROXY
    client.get(f"/personen/{person.pk}/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert ProcessingRecord.objects.latest("pk").origin == "web:198.51.100.1"

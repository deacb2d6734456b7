"""SECURITY.md G9/G10/G23: deploy checks, security headers, security.txt."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.test import Client, override_settings

import pytest
import time_machine

from thuis.core import checks

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/inloggen/",
        "/personen/",
        "/api/v1/schema/",
        "/api/v1/personen/",
        "/.well-known/security.txt",
    ],
)
def test_security_headers_on_every_response(path: str, login: Any, regisseur: Any) -> None:
    for client in (Client(), login(regisseur)):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_security_txt() -> None:
    body = Client().get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:security@thuis.example\n" in body and "Expires: " in body
    assert "Policy:" not in body


@pytest.mark.django_db
@override_settings(
    THUIS_SECURITY_CONTACT="mailto:cert@gemeente.nl, https://gemeente.nl/kwetsbaarheid",
    THUIS_SECURITY_EXPIRES="2030-01-31",
    THUIS_SECURITY_POLICY="https://gemeente.nl/beleid",
)
def test_security_txt_from_settings() -> None:
    body = Client().get("/.well-known/security.txt").content.decode()
    assert body.splitlines() == [
        "Contact: mailto:cert@gemeente.nl",
        "Contact: https://gemeente.nl/kwetsbaarheid",
        "Expires: 2030-01-31T00:00:00Z",
        "Preferred-Languages: nl, en",
        "Policy: https://gemeente.nl/beleid",
    ]


@time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False)
@pytest.mark.django_db
def test_security_txt_expires_computed_and_no_contact_is_404() -> None:
    body = Client().get("/.well-known/security.txt").content.decode()
    assert "Expires: 2026-08-28T00:00:00Z" in body  # 180 days ahead
    with override_settings(THUIS_SECURITY_CONTACT=""):
        assert Client().get("/.well-known/security.txt").status_code == 404


def _ids(messages: list[Any]) -> list[str]:
    return [m.id for m in messages]


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("mailto:cert@gemeente.nl", []),
        ("https://www.gemeente.nl/security", []),
        ("", ["thuis.E104"]),
        ("mailto:security@thuis.example", ["thuis.E105"]),
        ("https://security.example.com/", ["thuis.E105"]),
        ("mailto:cert@gemeente.invalid", ["thuis.E105"]),
        ("mailto:nobody", ["thuis.E105"]),
        ("http://gemeente.nl/security", ["thuis.E105"]),
    ],
)
def test_deploy_check_refuses_empty_or_placeholder_contact(
    contact: str, expected: list[str]
) -> None:
    with override_settings(THUIS_SECURITY_CONTACT=contact):
        assert _ids(checks.check_security_contact()) == expected


def test_deploy_check_is_registered_for_deploy_only() -> None:
    from django.core.checks import registry

    with override_settings(THUIS_SECURITY_CONTACT=""):
        assert "thuis.E104" in _ids(registry.run_checks(include_deployment_checks=True))
        assert "thuis.E104" not in _ids(registry.run_checks())


@time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("contact", "expires", "expected"),
    [
        ("mailto:cert@gemeente.nl", "2026-09-01", []),
        ("ftp://gemeente.nl", "", ["thuis.E101"]),
        ("mailto:cert@gemeente.nl", "1 september", ["thuis.E102"]),
        ("mailto:cert@gemeente.nl", "2026-02-01", ["thuis.E103"]),
    ],
)
def test_format_check(contact: str, expires: str, expected: list[str]) -> None:
    with override_settings(THUIS_SECURITY_CONTACT=contact, THUIS_SECURITY_EXPIRES=expires):
        assert _ids(checks.check_security_txt_format()) == expected


@time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False)
def test_deploy_check_warns_for_an_expiry_over_a_year_ahead() -> None:
    with override_settings(
        THUIS_SECURITY_CONTACT="mailto:cert@gemeente.nl", THUIS_SECURITY_EXPIRES="2028-01-01"
    ):
        assert _ids(checks.check_security_contact()) == ["thuis.W106"]


def test_production_settings_pass_check_deploy() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "thuis.conf.production",
        "SECRET_KEY": "x" * 30 + "production-like-secret-key-for-the-check" + "y" * 20,
        "THUIS_AUDIT_HASH_KEY": "audit-key-for-the-check-of-at-least-32-characters",
        "DATABASE_URL": "postgres://thuis@127.0.0.1:5432/thuis",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "thuis.example.nl",
        "THUIS_SECURITY_CONTACT": "mailto:security@gemeente-voorbeeld.nl",
        "THUIS_DUO_CLIENT_CERT_OIN_HEADER": "X-SSL-Client-OIN",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout or "no issues" in result.stdout


def test_production_refuses_sqlite() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "thuis.conf.production",
        "SECRET_KEY": "s" * 60,
        "THUIS_AUDIT_HASH_KEY": "k",
        "DATABASE_URL": "sqlite:///tmp/x.sqlite3",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0 and "PostgreSQL" in result.stderr

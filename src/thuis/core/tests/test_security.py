"""SECURITY.md G9/G10/G23: deploy checks, security headers, security.txt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

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
    assert "Contact: mailto:" in body and "Expires: " in body


def test_production_settings_pass_check_deploy() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "thuis.conf.production",
        "SECRET_KEY": "x" * 30 + "production-like-secret-key-for-the-check" + "y" * 20,
        "THUIS_AUDIT_HASH_KEY": "audit-key-for-the-check-of-at-least-32-characters",
        "DATABASE_URL": "postgres://thuis@127.0.0.1:5432/thuis",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "thuis.example.nl",
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

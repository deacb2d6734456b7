"""Production refuses an empty or short THUIS_AUDIT_HASH_KEY (system check thuis.E001)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.checks import Error, run_checks
from django.test import override_settings

import pytest

from thuis.audit.checks import audit_hash_key


@pytest.mark.parametrize("key", ["", " " * 40, "k", "audit-key-for-the-check", "x" * 31])
def test_production_refuses_an_empty_or_short_key(key: str) -> None:
    with override_settings(THUIS_PRODUCTION=True, AUDIT_HASH_KEY=key):
        messages = audit_hash_key()
        assert [(type(m), m.id) for m in messages] == [(Error, "thuis.E001")]
        assert "thuis.E001" in {m.id for m in run_checks()}  # registered


def test_production_accepts_a_long_key_and_other_settings_are_not_checked() -> None:
    with override_settings(THUIS_PRODUCTION=True, AUDIT_HASH_KEY="x" * 32):
        assert audit_hash_key() == []
    with override_settings(THUIS_PRODUCTION=False, AUDIT_HASH_KEY="k"):
        assert audit_hash_key() == []


def test_the_production_settings_run_the_check() -> None:
    """With the real production settings module, `check` names thuis.E001 for a short key."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PYTHONPATH": str(settings.SRC_DIR),  # this checkout, not an installed copy
        "DJANGO_SETTINGS_MODULE": "thuis.conf.production",
        "SECRET_KEY": "s" * 60,
        "THUIS_AUDIT_HASH_KEY": "short-key",
        "DATABASE_URL": "postgres://thuis@127.0.0.1:5432/thuis",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "thuis.example.nl",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--tag", "security"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "thuis.E001" in result.stderr

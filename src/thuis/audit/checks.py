"""System checks of the processing log's settings (run by `thuis check`, `thuis migrate`, ...)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

MIN_KEY_LENGTH = 32


@register(Tags.security)
def audit_hash_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """In production the key of the BSN pseudonyms and of the hash chain must be long: with a
    short or guessed key anyone can compute a BSN's pseudonym or forge a chain that verifies."""
    if not getattr(settings, "THUIS_PRODUCTION", False):
        return []
    key = getattr(settings, "AUDIT_HASH_KEY", "") or ""
    if len(key.strip()) >= MIN_KEY_LENGTH:
        return []
    return [
        Error(
            f"THUIS_AUDIT_HASH_KEY is empty or shorter than {MIN_KEY_LENGTH} characters.",
            hint="Set a random key of at least 32 characters, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`, and keep it: '
            "changing it breaks the per-person view and the chain check of older records.",
            id="thuis.E001",
        )
    ]

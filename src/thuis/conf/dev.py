"""Embedded default for `make run`: SQLite under var/, eager tasks, demo conveniences."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-secret-key-change-me")
os.environ.setdefault("THUIS_AUDIT_HASH_KEY", "dev-only-audit-hash-key")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("THUIS_SECURE_COOKIES", "false")
os.environ.setdefault("THUIS_DEMO", "true")

from .base import *  # noqa: F403
from .env import env_bool

# Only the development settings may switch the second factor off (the UI then shows a notice).
THUIS_2FA_REQUIRED = env_bool("THUIS_2FA_REQUIRED", False)

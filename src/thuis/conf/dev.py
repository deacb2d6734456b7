"""Embedded default for `make run`: SQLite under var/, eager tasks, demo conveniences."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-secret-key-change-me")
os.environ.setdefault("THUIS_AUDIT_HASH_KEY", "dev-only-audit-hash-key")
os.environ.setdefault("THUIS_SECURITY_CONTACT", "mailto:security@thuis.example")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("THUIS_SECURE_COOKIES", "false")
os.environ.setdefault("THUIS_DEMO", "true")
# DUO koppeling against the local simulator (`thuis duo_simulator`, started by `make run`).
# DEMO VALUES, not real OINs: 00000099... is no registered OIN prefix. Never use in production.
os.environ.setdefault("THUIS_DUO_OIN", "00000099000000000001")
os.environ.setdefault("THUIS_GEMEENTE_OIN", "00000099000000000148")
os.environ.setdefault("THUIS_DUO_GEMEENTECODE", "0148")
os.environ.setdefault("THUIS_DUO_BASE_URL", "http://127.0.0.1:8765/v1")

from .base import *  # noqa: F403
from .env import env_bool

# Only the development settings may switch the second factor off (the UI then shows a notice).
THUIS_2FA_REQUIRED = env_bool("THUIS_2FA_REQUIRED", False)

# The demo and seed app (`thuis seed`, `thuis demo_logins`): development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "thuis.demo"]  # noqa: F405

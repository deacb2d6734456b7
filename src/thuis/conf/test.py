"""Settings for the test suite: the same as production in spirit, fast where it does not matter."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("THUIS_AUDIT_HASH_KEY", "test-audit-hash-key")
os.environ.setdefault("THUIS_SECURITY_CONTACT", "mailto:security@thuis.example")
os.environ.setdefault("THUIS_SECURE_COOKIES", "false")
os.environ.setdefault("THUIS_VAR_DIR", "var/test")
# Test transactions are not visible to a second connection: the parallel fact rebuild is tested
# on its own in a transactional test (monitoring/tests/test_facts_paths.py).
os.environ.setdefault("THUIS_FACTS_PARALLEL", "false")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
LOGGING["handlers"]["capture"] = {  # type: ignore[index]  # noqa: F405
    "class": "thuis.core.logging.CaptureHandler",
    "filters": ["no_bsn"],
}
LOGGING["root"]["handlers"] = ["console", "capture"]  # type: ignore[index]  # noqa: F405

# The demo and seed app: the tests seed through it (never installed in production).
INSTALLED_APPS = [*INSTALLED_APPS, "thuis.demo"]  # noqa: F405

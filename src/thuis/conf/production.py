"""Production: PostgreSQL, Redis + Celery, gunicorn. Only tightens the base settings."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_str

# Marks the production settings (also for a module that imports these): system checks that
# apply to production only look at it (audit/checks.py).
THUIS_PRODUCTION = True
DEBUG = False
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("Production needs PostgreSQL: set DATABASE_URL=postgres://...")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
THUIS_2FA_REQUIRED = True
THUIS_DEMO = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

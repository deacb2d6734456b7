"""Base settings: every value comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_rate, env_str

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(env_str("THUIS_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
# Key for the keyed hash (HMAC) of a BSN in the processing log; never the BSN itself.
AUDIT_HASH_KEY = env_str("THUIS_AUDIT_HASH_KEY")
THUIS_PRODUCTION = False  # True in conf/production.py only
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "csp",
    "thuis.core",
    "thuis.accounts",
    "thuis.audit",
    "thuis.people",
    "thuis.partners",
    "thuis.cases",
    "thuis.api",
    "thuis.duo",
    "thuis.finance",
    "thuis.surveys",
    "thuis.monitoring",
    "thuis.policy",
    "thuis.migration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "thuis.audit.middleware.TraceMiddleware",
    "thuis.core.middleware.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thuis.accounts.middleware.SessionTimeoutMiddleware",
    "thuis.accounts.middleware.SecondFactorRequiredMiddleware",
    "thuis.core.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "thuis.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thuis.urls"
WSGI_APPLICATION = "thuis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "thuis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thuis.core.context_processors.thuis",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'thuis.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default keeps its SQLite file under var/; create the folder on first use.
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SRC_DIR / "thuis" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "thuis" / "static"]
MEDIA_ROOT = VAR_DIR / "media"

# Sessions: idle timeout 30 minutes, absolute lifetime 12 hours (SECURITY.md G8).
SESSION_IDLE_SECONDS = env_int("THUIS_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("THUIS_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("THUIS_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Second factor (TOTP) for every staff and partner login. Only dev settings may turn it off.
THUIS_2FA_REQUIRED = True
OTP_TOTP_ISSUER = "Thuis"

# Login hardening (SECURITY.md G6): 5 failures, 15 minutes cool-off.
AXES_FAILURE_LIMIT = env_int("THUIS_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("THUIS_AXES_COOLOFF_MINUTES", 15) / 60
# Lock per account (from any address) and per account and address, never per address alone:
# behind a proxy or a gemeente's NAT many users share one address, and failures for one account
# must not lock the others out (issue 15). Repeated tries from one address are slowed down by
# the login rate limit instead (THUIS_RATE_LIMITS["login-ip"]).
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "thuis.accounts.views.locked_out"
AXES_VERBOSE = False
# security.txt (thuis.core.securitytxt): the vulnerability contact (mailto: or https:, comma
# separated), the expiry (ISO date; empty: 180 days ahead) and an optional policy URL.
# `check --deploy` refuses an empty or example contact (thuis.core.checks).
THUIS_SECURITY_CONTACT = env_str("THUIS_SECURITY_CONTACT", "")
THUIS_SECURITY_EXPIRES = env_str("THUIS_SECURITY_EXPIRES", "")
THUIS_SECURITY_POLICY = env_str("THUIS_SECURITY_POLICY", "")

# The client address: REMOTE_ADDR, or X-Forwarded-For only from these proxies (comma-separated
# addresses or CIDR networks; empty trusts no forwarded header). thuis.core.client_ip.
THUIS_TRUSTED_PROXIES = env_list("THUIS_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "thuis.core.client_ip.client_ip"

# Rate limits (thuis.core.ratelimit): (attempts, seconds) per key; 0 attempts switches one off.
THUIS_RATE_LIMITS: dict[str, tuple[int, int]] = {
    # login form posts per client address (any account)
    "login-ip": env_rate("THUIS_RATELIMIT_LOGIN_IP", "30/300"),
    # second-step posts (TOTP code or activation code) per user and per client address
    "otp-user": env_rate("THUIS_RATELIMIT_OTP_USER", "10/900"),
    "otp-ip": env_rate("THUIS_RATELIMIT_OTP_IP", "50/900"),
    # submissions through a public (anonymous) survey link, per client address and per link
    "survey-ip": env_rate("THUIS_RATELIMIT_SURVEY_IP", "20/3600"),
    "survey-link": env_rate("THUIS_RATELIMIT_SURVEY_LINK", "1000/3600"),
}

# Second-factor enrolment: a one-time activation code, valid this many hours (accounts).
THUIS_ACTIVATION_CODE_HOURS = env_int("THUIS_ACTIVATION_CODE_HOURS", 72)
#: Plausibility: at most this many hours of lessons or participation per day of a period.
THUIS_MAX_HOURS_PER_DAY = env_int("THUIS_MAX_HOURS_PER_DAY", 12)
#: The longest value of one query parameter (a search, a filter); longer answers 400.
THUIS_MAX_QUERY_VALUE = env_int("THUIS_MAX_QUERY_VALUE", 1000)
#: How long an API key of a system stays valid (days); a key is made again before it expires.
THUIS_API_TOKEN_DAYS = env_int("THUIS_API_TOKEN_DAYS", 365)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "thuis.api.auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "thuis.api.errors.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Thuis API",
    "DESCRIPTION": "Regie op inburgering en participatie. Persoonsgegevens nooit in URL's; "
    "zoeken op BSN gaat via POST.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE

# Cache: per process by default (embedded); production sets a Redis URL so every gunicorn
# worker shares the cached indicator tables (docs/configuration.md).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "thuis",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

THUIS_DEMO = env_bool("THUIS_DEMO", False)

# Every handler carries the `no_bsn` filter (thuis.core.logging.RedactBsnFilter): no BSN and no
# searched name in a log line. Django's own handlers (its `console`, `mail_admins` and the
# development server's `django.server`) are replaced here, so none of them bypasses the filter;
# gunicorn's logs get it from conf/gunicorn.py. core/tests/test_logging.py checks every handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_bsn": {"()": "thuis.core.logging.RedactBsnFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_bsn"], "formatter": "plain"},
        "django.server": {
            "class": "logging.StreamHandler",
            "filters": ["no_bsn"],
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Through the root's filtered console (Django's default adds unfiltered handlers).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
# A Celery worker keeps this configuration instead of putting its own handlers on the root.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# DUO M2M koppeling (docs/configuration.md): endpoint, OINs, PKIoverheid mutual TLS, timeout.
THUIS_DUO_BASE_URL = env_str("THUIS_DUO_BASE_URL", "")
THUIS_DUO_OIN = env_str("THUIS_DUO_OIN", "")
THUIS_GEMEENTE_OIN = env_str("THUIS_GEMEENTE_OIN", "")
THUIS_DUO_GEMEENTECODE = env_str("THUIS_DUO_GEMEENTECODE", "")
THUIS_DUO_CLIENT_CERT = env_str("THUIS_DUO_CLIENT_CERT", "")
THUIS_DUO_CLIENT_KEY = env_str("THUIS_DUO_CLIENT_KEY", "")
THUIS_DUO_CA_BUNDLE = env_str("THUIS_DUO_CA_BUNDLE", "")
THUIS_DUO_TIMEOUT = env_int("THUIS_DUO_TIMEOUT", 10)
# Header in which the TLS proxy passes the OIN of DUO's verified client certificate (required
# in production; empty elsewhere: the local simulator sends no certificate).
THUIS_DUO_CLIENT_CERT_OIN_HEADER = env_str("THUIS_DUO_CLIENT_CERT_OIN_HEADER", "")

# Brede-intake no-show ladder (JSON list of {"soort", "bedrag", "pip_zonder_inbreng"}).
THUIS_NO_SHOW_LADDER = env_str(
    "THUIS_NO_SHOW_LADDER",
    '[{"soort": "waarschuwing", "bedrag": "0"},'
    ' {"soort": "boete_gemeente", "bedrag": "250.00"},'
    ' {"soort": "boete_gemeente", "bedrag": "250.00", "pip_zonder_inbreng": true}]',
)

# OpenAPI enum names (drf-spectacular): fixed names, so two serializers that share a field name
# with different choice sets (e.g. `doelgroep`) never rename each other's enum component.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "DoelgroepEnum": "thuis.cases.choices.Doelgroep",
    "CaseStatusEnum": "thuis.cases.choices.CaseStatus",
    "IntakeStatusEnum": "thuis.cases.choices.IntakeStatus",
    "PipReasonEnum": "thuis.cases.choices.PipReason",
    "PlichtEndReasonEnum": "thuis.cases.choices.PlichtEndReason",
    "IntensiteitEnum": "thuis.cases.choices.Intensiteit",
    "LeerrouteEnum": "thuis.cases.choices.Leerroute",
    "NiveauEnum": "thuis.cases.choices.Niveau",
    "RekenhulpDoelgroepEnum": "thuis.cases.api.DOELGROEP_VALUES",
    "RekenhulpLeerrouteEnum": "thuis.cases.api.LEERROUTE_VALUES",
    "RekenhulpNiveauEnum": "thuis.cases.api.NIVEAU_VALUES",
    "RekenhulpWetEnum": "thuis.cases.api.WET_VALUES",
    "RekenhulpLbtUitslagEnum": "thuis.cases.api.LBT_UITSLAG_VALUES",
    "RekenhulpSignaalCodeEnum": "thuis.cases.api.SIGNAAL_VALUES",
}

# Celery beat: nightly jobs (production). The embedded default runs `thuis signalen` instead.
CELERY_BEAT_SCHEDULE = {
    "refresh-signals": {"task": "thuis.cases.refresh_signals", "schedule": 24 * 60 * 60},
}
# DUO koppeling: notifications waiting in the inbox and due deliveries (retries with backoff).
CELERY_BEAT_SCHEDULE["duo-process-due"] = {"task": "thuis.duo.process_due", "schedule": 30}

# Outboxes (`thuis.core.outbox`): one retry policy per outbox. After n failed attempts the next
# waits base_seconds × factor^(n-1), at most cap_seconds; after max_attempts the row is a dead
# letter. A claim lasts lease_seconds (then another worker may take it); one run tries at most
# `batch` rows. Override a key in a settings module; docs/configuration.md lists the values.
_OUTBOX_DEFAULT = {
    "base_seconds": 30,
    "factor": 2,
    "cap_seconds": 3600,
    "max_attempts": 24,
    "lease_seconds": 5 * 60,
    "batch": 500,
}
THUIS_OUTBOXES: dict[str, dict[str, int]] = {
    # deliveries to DUO: 30 s doubling to 1 hour, 24 attempts (about 20 hours)
    "duo_outbox": _OUTBOX_DEFAULT,
    # processing of DUO notifications: the same backoff; a lease of 15 minutes (reads at DUO)
    "duo_inbox": {**_OUTBOX_DEFAULT, "lease_seconds": 15 * 60},
    # e-mails to partner organisations: 30 s doubling to 1 hour, 24 attempts
    "partners_email": _OUTBOX_DEFAULT,
    # report distributions (PDFs to partner contacts): 30 s doubling to 1 hour, 8 attempts
    "policy_distribution": {**_OUTBOX_DEFAULT, "max_attempts": 8, "batch": 200},
}

# Partners (issue 5): fixed enum names in the OpenAPI schema for the partners' choice sets.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "ReferralStatusEnum": "thuis.partners.choices.ReferralStatus",
        "ReferralTypeEnum": "thuis.partners.choices.ReferralType",
        "ReportKindEnum": "thuis.partners.choices.ReportKind",
        "SpellKindEnum": "thuis.partners.choices.SpellKind",
        "SpellSourceEnum": "thuis.partners.choices.SpellSource",
        "ContractTypeEnum": "thuis.partners.choices.ContractType",
        "EndReasonEnum": "thuis.partners.choices.EndReason",
    }
)

# The one small-cell threshold k of every published count (thuis.core.disclosure), the public
# figures page, the nightly fact rebuild.
THUIS_DISCLOSURE_K = env_int("THUIS_DISCLOSURE_K", 10)
THUIS_PUBLIC_FIGURES = env_bool("THUIS_PUBLIC_FIGURES", True)
# Fact rebuild on PostgreSQL: set-based in SQL (all gemeenten in one pass) and, in parallel, the
# legal dates per case in a second thread that reads the same snapshot (docs/performance.md).
THUIS_FACTS_SET_BASED = env_bool("THUIS_FACTS_SET_BASED", True)
THUIS_FACTS_PARALLEL = env_bool("THUIS_FACTS_PARALLEL", True)
CELERY_BEAT_SCHEDULE["rebuild-facts"] = {
    "task": "thuis.monitoring.rebuild_facts",
    "schedule": 24 * 60 * 60,
}

# Uploads (core/tabular.py, docs/import.md): limits of every CSV/XLSX import, checked before
# parsing. Each importer adds its own file size and row limit.
THUIS_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("THUIS_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 2**20)
THUIS_IMPORT_MAX_COMPRESSION_RATIO = env_int("THUIS_IMPORT_MAX_COMPRESSION_RATIO", 100)
THUIS_IMPORT_MAX_COLUMNS = env_int("THUIS_IMPORT_MAX_COLUMNS", 100)
THUIS_IMPORT_MAX_CELL_CHARS = env_int("THUIS_IMPORT_MAX_CELL_CHARS", 10_000)

# Policy (issue 8): the gemeente's name and logo on reports and council documents.
THUIS_GEMEENTE_NAAM = env_str("THUIS_GEMEENTE_NAAM", "")
THUIS_GEMEENTE_LOGO = env_str("THUIS_GEMEENTE_LOGO", "")
CELERY_BEAT_SCHEDULE["policy-outbox"] = {
    "task": "thuis.policy.deliver_due",
    "schedule": 5 * 60,
}

# Partners: e-mail notifications to partner organisations (retries with backoff).
CELERY_BEAT_SCHEDULE["partners-outbox"] = {"task": "thuis.partners.deliver_due", "schedule": 60}

"""security.txt (RFC 9116) at /.well-known/security.txt: where to report a vulnerability.

The contact comes from `THUIS_SECURITY_CONTACT` (one or more `mailto:` or `https:` URIs, comma
separated), the expiry from `THUIS_SECURITY_EXPIRES` (an ISO date) or, when empty, 180 days from
today. `core.checks` refuses an empty or example contact in `check --deploy` (SECURITY.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

DEFAULT_LIFETIME = timedelta(days=180)
MAX_LIFETIME = timedelta(days=366)  # RFC 9116: an Expires less than a year ahead
# Domains that are reserved for examples and tests (RFC 2606, RFC 6761): never a real contact.
_PLACEHOLDER_DOMAINS = frozenset(
    {"example", "example.com", "example.net", "example.org", "invalid", "test", "localhost"}
)


def contacts() -> list[str]:
    raw = getattr(settings, "THUIS_SECURITY_CONTACT", "") or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


def contact_problem(contact: str) -> str | None:
    """Why `contact` cannot be a security.txt Contact, or None when it can."""
    parts = urlsplit(contact)
    if parts.scheme == "mailto":
        host = parts.path.rpartition("@")[2] if "@" in parts.path else ""
    elif parts.scheme == "https":
        host = parts.hostname or ""
    else:
        return "is not a mailto: or https: URI"
    host = host.lower().rstrip(".")
    if not host or ("." not in host and host != "localhost"):
        return "has no domain"
    if any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS):
        return "is an example or test address"
    return None


def configured_expires() -> datetime | None:
    """`THUIS_SECURITY_EXPIRES` as an aware datetime (a date means its midnight, UTC)."""
    raw = (getattr(settings, "THUIS_SECURITY_EXPIRES", "") or "").strip()
    if not raw:
        return None
    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def expires(now: datetime | None = None) -> datetime:
    configured = configured_expires()
    if configured is not None:
        return configured
    day = ((now or timezone.now()) + DEFAULT_LIFETIME).astimezone(UTC).date()
    return datetime.combine(day, time(), tzinfo=UTC)


def body(now: datetime | None = None) -> str:
    lines = [f"Contact: {contact}" for contact in contacts()]
    lines.append(f"Expires: {expires(now).astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: nl, en")
    policy = getattr(settings, "THUIS_SECURITY_POLICY", "")
    if policy:
        lines.append(f"Policy: {policy}")
    return "\n".join(lines) + "\n"

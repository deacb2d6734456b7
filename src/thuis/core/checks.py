"""System checks of core (registered in `CoreConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils import timezone

from . import securitytxt


@register(Tags.security)
def check_security_txt_format(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A malformed contact or expiry breaks security.txt anywhere, not only in production."""
    messages: list[CheckMessage] = []
    for contact in securitytxt.contacts():
        if not contact.startswith(("mailto:", "https:")):
            messages.append(
                Error(
                    f"THUIS_SECURITY_CONTACT {contact!r} is not a mailto: or https: URI.",
                    id="thuis.E101",
                )
            )
    try:
        configured = securitytxt.configured_expires()
    except ValueError:
        messages.append(Error("THUIS_SECURITY_EXPIRES is not an ISO 8601 date.", id="thuis.E102"))
    else:
        if configured is not None and configured <= timezone.now():
            messages.append(Error("THUIS_SECURITY_EXPIRES lies in the past.", id="thuis.E103"))
    return messages


@register(Tags.security, deploy=True)
def check_security_contact(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production (`check --deploy`): a real contact in security.txt, not an example address."""
    found = securitytxt.contacts()
    if not found:
        return [
            Error(
                "THUIS_SECURITY_CONTACT is empty: security.txt has no contact.",
                hint="Set it to mailto:<address> or an https: URL of the reporting page.",
                id="thuis.E104",
            )
        ]
    messages: list[CheckMessage] = []
    for contact in found:
        problem = securitytxt.contact_problem(contact)
        if problem:
            messages.append(
                Error(f"THUIS_SECURITY_CONTACT {contact!r} {problem}.", id="thuis.E105")
            )
    configured = _safe_expires()
    if configured is not None and configured - timezone.now() > securitytxt.MAX_LIFETIME:
        messages.append(
            Warning(
                "THUIS_SECURITY_EXPIRES lies more than a year ahead (RFC 9116 advises less).",
                id="thuis.W106",
            )
        )
    return messages


def _safe_expires() -> Any:
    try:
        return securitytxt.configured_expires()
    except ValueError:
        return None  # reported by check_security_txt_format

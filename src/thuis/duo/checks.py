"""System checks of the DUO koppeling (registered in `DuoConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security)
def client_certificate_header(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """In production the Notificatie API trusts only the OIN of DUO's verified certificate,
    which the TLS proxy passes on in a header: without that setting the API stays closed."""
    if not getattr(settings, "THUIS_PRODUCTION", False):
        return []
    if (getattr(settings, "THUIS_DUO_CLIENT_CERT_OIN_HEADER", "") or "").strip():
        return []
    return [
        Error(
            "THUIS_DUO_CLIENT_CERT_OIN_HEADER is empty: the DUO Notificatie API answers 503.",
            hint="Let the TLS proxy verify DUO's PKIoverheid client certificate and pass its "
            "OIN (subject serialNumber) in a header, e.g. X-SSL-Client-OIN, and set "
            "THUIS_DUO_CLIENT_CERT_OIN_HEADER to that name (docs/duo.md).",
            id="thuis.E201",
        )
    ]

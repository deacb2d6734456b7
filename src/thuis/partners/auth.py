"""API authentication with an organisation token (issue 5: "a JSON API with an organisation token").

Header: `Authorization: Bearer <token>`. The request then acts as the organisation, not as a
person: `request.user` is an `OrganisationPrincipal` with role partner and the organisation's
id, so every partner selector, permission and allow-list applies unchanged. The principal has
no user id; the processing log names it "organisatiesleutel <id> (<organisation>)".

Registered only on the partner viewsets (`thuis.partners.api`), never globally.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.utils import timezone

from rest_framework import authentication, exceptions

from thuis.accounts.choices import Role

from .models import OrganisationToken

KEYWORD = "Bearer"
TOKEN_PREFIX = "thuis_org_"  # noqa: S105 - a public marker, not a secret
#: `last_used_at` is written at most once per this interval (no write on every request).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(raw: str) -> str:
    """SHA-256 of the token. The token is 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


class OrganisationPrincipal:
    """Who a token request is: the organisation. Looks like a partner user to the selectors."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_organisation_token = True
    role = Role.PARTNER
    pk = None
    id = None

    def __init__(self, token: OrganisationToken) -> None:
        self.token = token
        self.organisation_id = token.organisation_id
        self.organisation = token.organisation

    def get_username(self) -> str:
        return f"organisatiesleutel {self.token.pk} ({self.organisation.name})"[:150]

    def __str__(self) -> str:
        return self.get_username()


def is_organisation_principal(user: Any) -> bool:
    return bool(getattr(user, "is_organisation_token", False))


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[OrganisationPrincipal, OrganisationToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige sleutel.")
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Ongeldige sleutel.") from exc
        token = (
            OrganisationToken.objects.select_related("organisation")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Ongeldige of ingetrokken sleutel.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            OrganisationToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return OrganisationPrincipal(token), token

    def authenticate_header(self, request: Any) -> str:
        return f'{KEYWORD} realm="api"'

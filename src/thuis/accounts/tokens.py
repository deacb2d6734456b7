"""API keys of systems: one design for partner organisations and the gemeente's own systems.

Header: `Authorization: Bearer thuis_…`. A key belongs to a system account (never a person),
one gemeente and one purpose (`TokenPurpose`). An endpoint accepts keys only by listing the
authentication class of its purpose (`ApiTokenAuthentication.for_purpose`), so a key opens
exactly the endpoints of its purpose and nothing else; staff endpoints take a session that
passed the second factor only (`thuis.api.auth.VerifiedSessionAuthentication`).

The request then acts as the system account: its role, gemeente and (for a partner) its
organisation, so every selector, permission and allow-list applies unchanged, and the
processing log names the account.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.utils import timezone

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken

KEYWORD = "Bearer"
TOKEN_PREFIX = "thuis_"  # noqa: S105 - a public marker, not a secret
#: Characters of the key kept to recognise it on the screen (prefix + 6 random characters).
SHOWN_CHARS = len(TOKEN_PREFIX) + 6
#: `last_used_at` is written at most once per this interval (no write on every request).
LAST_USED_RESOLUTION = timedelta(minutes=5)
INVALID = "Ongeldige, verlopen of ingetrokken sleutel."


def hash_token(raw: str) -> str:
    """SHA-256 of the key. The key holds 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Accepts a key of `purpose` only. Use a subclass made by `for_purpose`."""

    purpose: ClassVar[str] = ""

    @classmethod
    def for_purpose(cls, purpose: str) -> type[ApiTokenAuthentication]:
        return _purpose_class(purpose)

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2 or not self.purpose:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            raw = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(INVALID) from exc
        token = (
            ApiToken.objects.select_related("account", "municipality")
            .filter(key_hash=hash_token(raw), purpose=self.purpose)
            .first()
        )
        now = timezone.now()
        if token is None or not token.is_usable(now) or not self._account_ok(token):
            raise exceptions.AuthenticationFailed(INVALID)
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.account, token

    @staticmethod
    def _account_ok(token: ApiToken) -> bool:
        account = token.account
        return bool(
            account.is_active
            and account.is_system_account
            and list(account.municipalities.values_list("pk", flat=True)) == [token.municipality_id]
        )

    def authenticate_header(self, request: Any) -> str:
        return f'{KEYWORD} realm="api"'


@functools.cache
def _purpose_class(purpose: str) -> type[ApiTokenAuthentication]:
    name = f"ApiTokenAuthentication_{purpose.replace('-', '_')}"
    return type(name, (ApiTokenAuthentication,), {"purpose": purpose})


def authentication_for(purpose: str) -> list[Any]:
    """`authentication_classes` of an endpoint that systems call with a key of `purpose`: the
    key first (a bad key answers 401), then the staff session (`VerifiedSessionAuthentication`)."""
    from rest_framework.settings import api_settings

    return [_purpose_class(purpose), *api_settings.DEFAULT_AUTHENTICATION_CLASSES]


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents the API key in the committed OpenAPI schema (every purpose's subclass)."""

    target_class = "thuis.accounts.tokens.ApiTokenAuthentication"
    match_subclasses = True

    @property
    def name(self) -> str:  # type: ignore[override]
        """One security scheme per purpose: a key of one purpose opens no other endpoint."""
        return f"apiSleutel-{self.target.purpose}"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": f"API-sleutel met doel '{self.target.purpose}' van een systeemaccount "
            "(één gemeente). Alleen op de endpoints van dit doel.",
        }

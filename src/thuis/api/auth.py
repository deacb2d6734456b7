from __future__ import annotations

from typing import Any

from django.conf import settings

from rest_framework.authentication import SessionAuthentication


class VerifiedSessionAuthentication(SessionAuthentication):
    """The staff API's only authentication: a session that passed the second factor (when
    required), so the API has the web's second factor and session timeouts. Systems use an API
    key of a system account, on the endpoints of its purpose only (`thuis.accounts.tokens`)."""

    def authenticate_header(self, request: Any) -> str:
        # Without a session the answer is 401 (not 403), with a challenge that names the login.
        return 'Session realm="thuis", login="/accounts/inloggen/"'

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.THUIS_2FA_REQUIRED and not getattr(user, "is_verified", lambda: False)():
            return None
        return result

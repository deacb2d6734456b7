from __future__ import annotations

from typing import Any

from django.conf import settings

from rest_framework.authentication import SessionAuthentication


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session auth for the web UI: only sessions that passed the second factor (when required)."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.THUIS_2FA_REQUIRED and not getattr(user, "is_verified", lambda: False)():
            return None
        return result

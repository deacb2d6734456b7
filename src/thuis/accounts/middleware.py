"""Session lifetime (idle and absolute) and the second-factor requirement."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LOGIN_AT = "thuis_login_at"
LAST_SEEN = "thuis_last_seen"

# Reachable before the second factor: logging in and out, the second step itself (not the rest
# of /accounts/, such as the beheerder's user screen), static files, the API (its own
# authentication), the DUO endpoint, well-known files and the public survey links.
_OPEN_PREFIXES = (
    "/accounts/inloggen/",
    "/accounts/tweede-stap/",
    "/accounts/uitloggen/",
    "/static/",
    "/api/",
    "/duo/",
    "/.well-known/",
    "/e/",
)
# The last-seen time is written at most once a minute: otherwise every page view would write
# the session (a database transaction per request). The idle timeout then counts from a time
# that may be up to a minute early, so a session can end slightly sooner, never later.
TOUCH_SECONDS = 60


class SessionTimeoutMiddleware:
    """Log out after 30 idle minutes or 12 hours after login (SECURITY.md G8)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            login_at = request.session.get(LOGIN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_SECONDS
                or now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(reverse("accounts:login") + "?verlopen=1")
            if LOGIN_AT not in request.session:
                request.session[LOGIN_AT] = login_at
            if LAST_SEEN not in request.session or now - last_seen >= TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A logged-in user who has not passed the second factor only reaches the 2FA pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.THUIS_2FA_REQUIRED
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("accounts:otp")
        return self.get_response(request)

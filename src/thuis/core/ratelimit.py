"""Rate limits: at most `count` attempts per `seconds` for one key (a client address, a user, a
survey link), counted in Django's cache.

A fixed window: the first attempt of a window creates the counter (`cache.add`, which never
overwrites) and every attempt increments it (`cache.incr`, atomic in Redis and in the per-process
cache), so concurrent requests cannot both slip under the limit. The counter expires with its
window. With the per-process cache (no `CACHE_URL`) each worker counts on its own; production
sets a shared Redis cache (docs/configuration.md). A limited request raises `RateLimited`;
`RateLimitMiddleware` answers it with 429, a Dutch page (problem+json on the API) and
`Retry-After`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# The security log of thuis.audit.events (core cannot import audit); no personal data.
security_log = logging.getLogger("thuis.security")


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


class RateLimited(Exception):
    """Too many attempts: try again after `retry_after` seconds. Not a ThuisError on purpose:
    views that turn domain errors into form messages must not swallow it."""

    def __init__(self, name: str, retry_after: int) -> None:
        super().__init__(f"rate limit {name}")
        self.name = name
        self.retry_after = retry_after


def limit(name: str) -> Limit:
    """The configured limit `name` (settings.THUIS_RATE_LIMITS, docs/configuration.md)."""
    count, seconds = settings.THUIS_RATE_LIMITS[name]
    return Limit(count=count, seconds=seconds)


def _cache_key(name: str, key: str, window: int) -> str:
    # Hashed: the key may be an address or a link token, which the cache need not see.
    digest = hashlib.sha256(f"{name}\0{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{name}:{digest}:{window}"


def hit(name: str, key: str, *, now: float | None = None) -> None:
    """Count one attempt of `name` for `key`; raise RateLimited when it is over the limit."""
    rule = limit(name)
    if rule.count <= 0:
        return  # 0 switches this limit off
    moment = time.time() if now is None else now
    window = int(moment // rule.seconds)
    cache_key = _cache_key(name, key, window)
    cache.add(cache_key, 0, timeout=rule.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this is the first attempt again
        cache.add(cache_key, 1, timeout=rule.seconds + 1)
        count = 1
    if count > rule.count:
        retry_after = max(1, math.ceil((window + 1) * rule.seconds - moment))
        raise RateLimited(name, retry_after)


def too_many_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with Retry-After: a Dutch page, or problem+json under /api/."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Te veel verzoeken.",
                "status": 429,
                "detail": "U heeft dit te vaak geprobeerd. Probeer het later opnieuw.",
                "code": "te_veel_pogingen",
                "instance": request.path,
            },
            status=429,
            content_type="application/problem+json",
        )
    else:
        minutes = max(1, math.ceil(retry_after / 60))
        response = render(request, "core/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Turn `RateLimited` from any view into the 429 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            security_log.warning("security event=rate_limited limit=%s", exception.name)
            return too_many_response(request, exception.retry_after)
        return None

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from thuis.core.client_ip import client_ip

from . import context

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


class TraceMiddleware:
    """Give every request a trace id (from a W3C traceparent header or new) and an origin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _TRACEPARENT.match(request.headers.get("traceparent", ""))
        trace_id = match.group(1) if match else context.new_trace_id()
        origin = "api" if request.path.startswith("/api/") else "web"
        origin = f"{origin}:{client_ip(request)}"[:64]
        token = context.set_current(context.TraceContext(trace_id=trace_id, origin=origin))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Trace-Id"] = trace_id
        return response

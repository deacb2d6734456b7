from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from thuis.core.client_ip import client_ip

from . import context, events
from .models import Status

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


class TraceMiddleware:
    """Give every request a trace id (from a W3C traceparent header or new) and an origin, and
    write the request's processing records at its end, with the end time and a status from the
    response (Logboek Dataverwerkingen: 4xx and 5xx are ERROR)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _TRACEPARENT.match(request.headers.get("traceparent", ""))
        trace_id = match.group(1) if match else context.new_trace_id()
        origin = "api" if request.path.startswith("/api/") else "web"
        origin = f"{origin}:{client_ip(request)}"[:64]
        ctx = context.TraceContext(trace_id=trace_id, origin=origin, pending=[])
        token = context.set_current(ctx)
        status = Status.ERROR  # an exception that escapes every handler
        try:
            response = self.get_response(request)
            status = Status.ERROR if response.status_code >= 400 else Status.OK
        finally:
            try:
                events.flush(status=status)
            finally:
                context.reset(token)
        response["X-Trace-Id"] = trace_id
        return response

"""Pages of core itself. The start page (`core:home`, thuis.accounts.views.home) and the overview
(`core:overview`, thuis.cases.overview_views.overview) belong to the apps that know roles and
cases; thuis/urls.py mounts them under the `core` names so links stay the same."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def security_txt(request: HttpRequest) -> HttpResponse:
    expires = (timezone.now() + timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    body = (
        "Contact: mailto:security@thuis.example\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        "Policy: https://github.com/thuis/thuis/blob/main/SECURITY.md\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")

"""Pages of core itself. The start page (`core:home`, thuis.accounts.views.home) and the overview
(`core:overview`, thuis.cases.overview_views.overview) belong to the apps that know roles and
cases; thuis/urls.py mounts them under the `core` names so links stay the same."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from . import securitytxt


def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116 security.txt; 404 while no contact is configured (a file without one is useless)."""
    if not securitytxt.contacts():
        raise Http404
    return HttpResponse(securitytxt.body(), content_type="text/plain; charset=utf-8")

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from thuis.accounts import scope
from thuis.accounts.choices import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is."""
    role = getattr(request.user, "role", "")
    if role in {Role.REGISSEUR, Role.TEAMLEIDER}:
        return redirect("people:caseload")
    if role == Role.BEHEERDER:
        return redirect("audit:log")
    if role == Role.BELEIDSMEDEWERKER:
        return redirect("core:overview")
    if role == Role.PARTNER and getattr(request.user, "organisation_id", None):
        return redirect("partners:portal")
    return render(request, "core/no_access.html", status=403)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Aggregates for policy staff: counts per cohort and status, small cells suppressed."""
    if not scope.sees_aggregates(request.user):
        raise PermissionDenied
    from thuis.cases.aggregates import status_by_cohort

    table = status_by_cohort(user=request.user)
    return render(request, "core/overview.html", {"table": table})


def security_txt(request: HttpRequest) -> HttpResponse:
    expires = (timezone.now() + timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    body = (
        "Contact: mailto:security@thuis.example\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        "Policy: https://github.com/thuis/thuis/blob/main/SECURITY.md\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")

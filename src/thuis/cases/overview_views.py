"""The overview (/overzicht/, `core:overview`): cases per cohort and status, for policy staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thuis.accounts import scope

from .aggregates import status_by_cohort


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Aggregates for policy staff: counts per cohort and status, small cells suppressed."""
    if not scope.sees_aggregates(request.user):
        raise PermissionDenied
    table = status_by_cohort(user=request.user)
    return render(request, "core/overview.html", {"table": table})

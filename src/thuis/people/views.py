from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thuis.accounts import scope

from . import selectors


def require_person_files(request: HttpRequest) -> None:
    if not scope.sees_person_files(request.user):
        raise PermissionDenied


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_person_files(request)
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    return render(request, "people/household_detail.html", {"household": household})

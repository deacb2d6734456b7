from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thuis.accounts import scope
from thuis.audit import events
from thuis.cases import selectors as case_selectors
from thuis.cases.filters import CaseloadFilter
from thuis.cases.services import current_doelgroep

from . import selectors
from .forms import BsnSearchForm

PAGE_SIZE = 25


def _require_person_files(request: HttpRequest) -> None:
    if not scope.sees_person_files(request.user):
        raise PermissionDenied


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload: search by name (GET), by BSN (POST), filters, pagination."""
    _require_person_files(request)
    user = request.user
    bsn_form = BsnSearchForm(request.POST or None)
    if request.method == "POST":
        if bsn_form.is_valid():
            person = selectors.person_find_by_bsn_for_user(
                user=user, bsn=bsn_form.cleaned_data["bsn"]
            )
            if person is not None:
                return redirect(person)
            messages.warning(request, _("Geen persoon gevonden met dit BSN in uw gemeente(n)."))
        bsn_form = BsnSearchForm()
    caseload = case_selectors.case_list_for_user(user=user)
    filterset = CaseloadFilter(request.GET or None, queryset=caseload, request=request)
    form = filterset.form
    cases = filterset.qs if filterset.is_valid() else caseload
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    events.persons_read(user=user, persons=[c.person for c in page], view="caseload")
    query = request.GET.copy()
    query.pop("pagina", None)
    template = "people/_caseload_table.html" if request.htmx else "people/caseload.html"
    return render(
        request,
        template,
        {"form": form, "bsn_form": bsn_form, "page": page, "query": query.urlencode()},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    cases = list(case_selectors.cases_of_person_for_user(user=request.user, person_id=pk))
    for case in cases:
        case.current_doelgroep = current_doelgroep(case)  # type: ignore[attr-defined]
    memberships = selectors.households_of_person(person=person)
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "cases": cases, "memberships": memberships},
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    return render(request, "people/household_detail.html", {"household": household})

"""The caseload (/personen/, `people:caseload`) and the person page (`people:detail`): persons
with their cases. They live in cases because they list cases; thuis/urls.py mounts them under
the `people` names (people, a base app, imports no domain app)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thuis.people import selectors as people_selectors
from thuis.people.forms import BsnSearchForm
from thuis.people.views import require_person_files

from . import selectors
from .filters import CaseloadFilter
from .services import current_doelgroep


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload: search by name (GET), by BSN (POST), filters, pagination."""
    require_person_files(request)
    user = request.user
    bsn_form = BsnSearchForm(request.POST or None)
    if request.method == "POST":
        if bsn_form.is_valid():
            person = people_selectors.person_find_by_bsn_for_user(
                user=user, bsn=bsn_form.cleaned_data["bsn"]
            )
            if person is not None:
                return redirect(person)
            messages.warning(request, _("Geen persoon gevonden met dit BSN in uw gemeente(n)."))
        bsn_form = BsnSearchForm()
    caseload = selectors.case_list_for_user(user=user)
    filterset = CaseloadFilter(request.GET or None, queryset=caseload, request=request)
    form = filterset.form
    cases = filterset.qs if filterset.is_valid() else caseload
    page = selectors.caseload_page_for_user(
        user=user, cases=cases, number=request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    htmx = getattr(request, "htmx", False)  # django-htmx middleware
    template = "people/_caseload_table.html" if htmx else "people/caseload.html"
    return render(
        request,
        template,
        {"form": form, "bsn_form": bsn_form, "page": page, "query": query.urlencode()},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_person_files(request)
    person = people_selectors.person_get_for_user(user=request.user, person_id=pk)
    cases = list(selectors.cases_of_person_for_user(user=request.user, person_id=pk))
    for case in cases:
        case.current_doelgroep = current_doelgroep(case)  # type: ignore[attr-defined]
    memberships = people_selectors.households_of_person(person=person)
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "cases": cases, "memberships": memberships},
    )

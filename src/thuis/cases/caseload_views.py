"""The caseload (/personen/, `people:caseload`) and the person page (`people:detail`): persons
with their cases. They live in cases because they list cases; thuis/urls.py mounts them under
the `people` names (people, a base app, imports no domain app)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thuis.people import selectors as people_selectors
from thuis.people.forms import BsnSearchForm
from thuis.people.views import require_person_files

from . import selectors
from .filters import CaseloadFilter
from .services import current_doelgroep

#: The session key of the caseload's name search. A name never goes into a URL (the address bar,
#: the browser history, the access log): it is posted and kept here instead.
NAME_SESSION_KEY = "thuis_caseload_naam"
#: Query parameters that carry personal data. They are never read from (or put into) a URL.
PERSONAL_PARAMETERS = ("naam", "bsn")


def _filter_query(request: HttpRequest) -> QueryDict:
    """The caseload's non-personal filters from the URL (status, regisseur, cohort, mijn)."""
    query = request.GET.copy()
    for key in (*PERSONAL_PARAMETERS, "pagina"):
        query.pop(key, None)
    return query


def _caseload_url(query: QueryDict) -> str:
    url = reverse("people:caseload")
    return f"{url}?{query.urlencode()}" if query else url


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload: filters (GET), search by name and by BSN (both POST), pagination.

    The name search is posted and kept in the session, the BSN search is posted and leads to the
    person: neither ever appears in a URL. A `?naam=` or `?bsn=` in the URL is ignored."""
    require_person_files(request)
    user = request.user
    query = _filter_query(request)
    data = query.copy()
    bsn_form = BsnSearchForm(request.POST if "bsn" in request.POST else None)
    if request.method == "POST" and "bsn" in request.POST:
        if bsn_form.is_valid():
            person = people_selectors.person_find_by_bsn_for_user(
                user=user, bsn=bsn_form.cleaned_data["bsn"]
            )
            if person is not None:
                return redirect(person)
            messages.warning(request, _("Geen persoon gevonden met dit BSN in uw gemeente(n)."))
        bsn_form = BsnSearchForm()
    elif request.method == "POST":
        name = "" if "wis" in request.POST else request.POST.get("naam", "").strip()
        data["naam"] = name
        named = CaseloadFilter(data, request=request)  # only its form, to check the name
        if named.form.is_valid():
            if name:
                request.session[NAME_SESSION_KEY] = name
            else:
                request.session.pop(NAME_SESSION_KEY, None)
            return redirect(_caseload_url(query))
    elif request.session.get(NAME_SESSION_KEY):
        data["naam"] = request.session[NAME_SESSION_KEY]
    caseload = selectors.case_list_for_user(user=user)
    filterset = CaseloadFilter(data or None, queryset=caseload, request=request)
    form = filterset.form
    cases = filterset.qs if filterset.is_valid() else caseload
    page = selectors.caseload_page_for_user(
        user=user, cases=cases, number=request.GET.get("pagina")
    )
    htmx = getattr(request, "htmx", False)  # django-htmx middleware
    template = "people/_caseload_table.html" if htmx else "people/caseload.html"
    return render(
        request,
        template,
        {
            "form": form,
            "bsn_form": bsn_form,
            "page": page,
            "query": query.urlencode(),
            "name_search": data.get("naam", ""),
        },
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

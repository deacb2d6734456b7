from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuis.accounts import scope
from thuis.core.bsn import is_valid_bsn, normalise_bsn

from . import inzage, selectors
from .forms import InzageForm, LogBsnForm, LogFilterForm

if TYPE_CHECKING:
    from thuis.people.models import Person


@login_required
def log_view(request: HttpRequest) -> HttpResponse:
    """Processing log for the privacy officer, per user or per person, of the own gemeenten.

    A person is looked up by BSN through POST; the page then continues with the person's id
    (`?persoon=`), so the BSN never appears in a URL. A BSN of another gemeente gets the same
    answer as an unknown BSN.
    """
    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied
    bsn_form = LogBsnForm(request.POST or None)
    if request.method == "POST" and bsn_form.is_valid():
        found = _person_by_bsn(request, bsn_form, "bsn_form")
        if isinstance(found, HttpResponse):
            return found
        return redirect(f"{reverse('audit:log')}?{urlencode({'persoon': found.pk})}")
    if request.method == "POST":
        return _render_log(request, bsn_form=bsn_form, status=400)
    return _render_log(request)


def _person_by_bsn(request: HttpRequest, form: Any, form_name: str) -> Person | HttpResponse:
    """The person of the BSN posted in `form` in the privacy officer's gemeenten, or the log page
    with the error at the field (an invalid BSN 400; an unknown one, or one of another gemeente,
    the same 404)."""
    bsn = normalise_bsn(form.cleaned_data["bsn"])
    if not is_valid_bsn(bsn):
        form.add_error("bsn", _("Dit is geen geldig BSN (9 cijfers, elfproef)."))
        return _render_log(request, status=400, **{form_name: form})
    person = selectors.person_for_privacy_officer(user=request.user, bsn=bsn)
    if person is None:
        form.add_error("bsn", _not_known())
        return _render_log(request, status=404, **{form_name: form})
    return person


def _not_known() -> str:
    """One answer for an unknown BSN and for a person of another gemeente."""
    return _("In uw gemeente(n) is geen persoon met dit BSN bekend.")


def _person_in_query(request: HttpRequest) -> Person | None:
    """The person of `?persoon=`; a 404 for an id that is unknown or of another gemeente."""
    raw = request.GET.get("persoon", "")
    if not raw:
        return None
    person = (
        selectors.person_for_privacy_officer(user=request.user, pk=int(raw))
        if raw.isdigit()
        else None
    )
    if person is None:
        raise Http404(_not_known())
    return person


def _render_log(
    request: HttpRequest,
    *,
    bsn_form: LogBsnForm | None = None,
    inzage_form: InzageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    actor = form.cleaned_data["gebruiker"] if form.is_valid() else ""
    person = _person_in_query(request)
    records = selectors.records_for_privacy_officer(user=request.user, actor=actor, person=person)
    page = Paginator(records, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "bsn_form": bsn_form or LogBsnForm(),
            "inzage_form": inzage_form or InzageForm(),
            "page": page,
            "subject": person is not None,
            "query": query.urlencode(),
        },
        status=status,
    )


@login_required
@require_POST
def inzage_view(request: HttpRequest) -> HttpResponse:
    """Inzage-export (AVG art. 15) for one person of the privacy officer's gemeenten, as a JSON
    download. The BSN comes by POST and appears in no URL or file name."""
    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied
    form = InzageForm(request.POST)
    if not form.is_valid():
        return _render_log(request, inzage_form=form, status=400)
    person = _person_by_bsn(request, form, "inzage_form")
    if isinstance(person, HttpResponse):
        return person
    document = inzage.export(by=request.user, person=person)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    filename = f"inzage-{timezone.localdate().isoformat()}-{person.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thuis.accounts import scope
from thuis.core.bsn import is_valid_bsn, normalise_bsn

from . import events, selectors
from .forms import LogBsnForm, LogFilterForm

_HASH = re.compile(r"^[0-9a-f]{64}$")


@login_required
def log_view(request: HttpRequest) -> HttpResponse:
    """Processing log for the privacy officer, per user or per person.

    A person is looked up by BSN through POST; the page then continues with the keyed hash
    (a pseudonym), so the BSN never appears in a URL.
    """
    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied
    bsn_form = LogBsnForm(request.POST or None)
    if request.method == "POST" and bsn_form.is_valid():
        bsn = normalise_bsn(bsn_form.cleaned_data["bsn"])
        if is_valid_bsn(bsn):
            target = urlencode({"betrokkene": events.subject_id(bsn)})
            return redirect(f"{reverse('audit:log')}?{target}")
        bsn_form = LogBsnForm()
        bsn_form.add_error("bsn", _("Dit is geen geldig BSN (9 cijfers, elfproef)."))
    form = LogFilterForm(request.GET or None)
    actor = form.cleaned_data["gebruiker"] if form.is_valid() else ""
    subject = request.GET.get("betrokkene", "")
    subject = subject if _HASH.match(subject) else ""
    records = selectors.records_for_privacy_officer(
        user=request.user, actor=actor, data_subject_id=subject
    )
    page = Paginator(records, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "bsn_form": bsn_form,
            "page": page,
            "subject": subject,
            "query": query.urlencode(),
        },
    )

"""The web upload of a migration file: check (preview), then confirm or cancel. Thin views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from thuis.core.errors import ThuisError

from . import importer, selectors, services
from .forms import ImportUploadForm
from .models import ImportStatus


def _require_beheerder(user: Any) -> None:
    if not selectors.may_import(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_beheerder(request.user)
    municipalities = selectors.municipalities_for_user(user=request.user)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        batch = services.batch_upload(
            by=request.user,
            municipality=next(m for m in municipalities if m.code == form.cleaned_data["gemeente"]),
            kind=form.cleaned_data["soort"],
            filename=upload.name,
            content=upload.read(importer.MAX_BYTES + 1),
        )
        return redirect("migration:import-detail", pk=batch.pk)
    batches = selectors.batches_for_user(user=request.user)[:20]
    return render(request, "migration/import.html", {"form": form, "batches": batches})


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_beheerder(request.user)
    batch = selectors.batch_for_user(user=request.user, pk=pk)
    if request.method == "POST" and batch.status == ImportStatus.PREVIEW:
        try:
            if request.POST.get("actie") == "bevestigen":
                batch = services.batch_confirm(by=request.user, batch=batch)
                if batch.status == ImportStatus.APPLIED:
                    messages.success(
                        request, "Het bestand is ingelezen. De cijfers worden bijgewerkt."
                    )
            else:
                services.batch_cancel(by=request.user, batch=batch)
                messages.info(request, "Import geannuleerd; er is niets opgeslagen.")
        except ThuisError as exc:
            messages.error(request, exc.message)
        return redirect("migration:import-detail", pk=batch.pk)
    summary_rows = [(k.replace("_", " ").capitalize(), v) for k, v in batch.summary.items()]
    return render(
        request, "migration/import_detail.html", {"batch": batch, "summary_rows": summary_rows}
    )

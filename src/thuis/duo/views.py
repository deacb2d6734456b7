"""DUO screens and the gemeente's Notificatie API.

`notificaties` implements `POST /notificaties` of Notificatie.openapi.yml: headers bron, doel
and berichtId; 201 without a body; 400/401/403/500/503 with a `Foutmelding` body; the
`API-Version` header on every answer. A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 400 (the spec
has no 413) before it is read. Authentication is by the PKIoverheid client certificate:
the reverse proxy that terminates mutual TLS verifies it and passes its OIN on in the header
THUIS_DUO_CLIENT_CERT_OIN_HEADER, which must be DUO's OIN (required in production; docs/duo.md).
No session or token is used.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from thuis.accounts import scope
from thuis.core.errors import ThuisError

from . import rules, selectors, services
from .choices import InboxStatus, OutboxStatus
from .forms import PipDeliveryForm, ResultaatDeliveryForm, StatusFilterForm
from .services.common import logger
from .specs import NOTIFICATIE_API_VERSION

PAGE_SIZE = 50


# --- Notificatie API (DUO -> gemeente) ---


def _answer(status: int, fouttekst: str = "") -> HttpResponse:
    if fouttekst:
        response = HttpResponse(
            json.dumps({"fouttekst": fouttekst[: rules.MAX_FOUTTEKST]}),
            status=status,
            content_type="application/json",
        )
    else:
        response = HttpResponse(status=status)
        del response["Content-Type"]
    response["API-Version"] = NOTIFICATIE_API_VERSION
    return response


@csrf_exempt
def notificaties(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = _answer(405, _("Alleen POST is toegestaan."))
        response["Allow"] = "POST"
        return response
    header = settings.THUIS_DUO_CLIENT_CERT_OIN_HEADER
    rejection = rules.check_client_certificate(
        certificate_oin=request.headers.get(header) if header else None,
        duo_oin=settings.THUIS_DUO_OIN,
        header_configured=bool(header),
        production=settings.THUIS_PRODUCTION,
    )
    if rejection is None:
        # Before the body is read: Django would answer an HTML 400 (RequestDataTooBig).
        rejection = rules.check_body_size(
            request.META.get("CONTENT_LENGTH"), limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
    if rejection is not None:
        return _answer(rejection.status, rejection.fouttekst)
    bron = request.headers.get("bron")
    doel = request.headers.get("doel")
    bericht_id = request.headers.get("berichtId")
    rejection = rules.check_notification_headers(bron=bron, doel=doel, bericht_id=bericht_id)
    bron, doel, bericht_id = bron or "", doel or "", bericht_id or ""
    if rejection is None:
        rejection = rules.check_notification_parties(
            bron=bron,
            doel=doel,
            duo_oin=settings.THUIS_DUO_OIN,
            gemeente_oin=settings.THUIS_GEMEENTE_OIN,
        )
    if rejection is not None:
        return _answer(rejection.status, rejection.fouttekst)
    try:
        body = request.body
    except RequestDataTooBig:  # a size the Content-Length did not announce
        return _answer(400, _("Het bericht is te groot."))
    parsed = rules.parse_notification(body, content_type=request.content_type or "")
    if isinstance(parsed, rules.Rejection):
        return _answer(parsed.status, parsed.fouttekst)
    try:
        services.notification_receive(
            bron=bron,
            doel=doel,
            bericht_id=bericht_id,
            notification=parsed,
            raw_body=body.decode("utf-8"),
            headers=dict(request.headers),
        )
    except Exception as exc:  # not stored: DUO must send it again, so say so
        logger.error("DUO notificatie niet opgeslagen: %s", type(exc).__name__)
        return _answer(
            500, _("De notificatie kon niet worden opgeslagen. Probeer het later opnieuw.")
        )
    return _answer(201)


# --- beheerder: inbox and outbox ---


def _require_beheerder(request: HttpRequest) -> None:
    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_beheerder(request)
    form = StatusFilterForm(request.GET or None, choices=list(InboxStatus.choices))
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = Paginator(selectors.inbox_list_for_user(user=request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "duo/inbox.html",
        {
            "form": form,
            "page": page.get_page(request.GET.get("pagina")),
            "signals": selectors.beheer_signals_for_user(user=request.user)[:50],
        },
    )


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    _require_beheerder(request)
    form = StatusFilterForm(request.GET or None, choices=list(OutboxStatus.choices))
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = Paginator(selectors.outbox_list_for_user(user=request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "duo/outbox.html",
        {"form": form, "page": page.get_page(request.GET.get("pagina")), "now": timezone.now()},
    )


@login_required
@require_POST
def inbox_reprocess(request: HttpRequest, pk: int) -> HttpResponse:
    _require_beheerder(request)
    message = selectors.inbox_get_for_user(user=request.user, message_id=pk)
    try:
        services.inbox_reprocess(message=message, by=request.user)
        messages.success(request, _("Het bericht staat weer klaar om te verwerken."))
    except ThuisError as exc:
        messages.error(request, exc.message)
    return redirect("duo:inbox")


@login_required
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_beheerder(request)
    message = selectors.outbox_get_for_user(user=request.user, message_id=pk)
    try:
        services.outbox_retry(message=message, by=request.user)
        messages.success(request, _("De levering wordt opnieuw verstuurd."))
    except ThuisError as exc:
        messages.error(request, exc.message)
    return redirect("duo:outbox")


# --- regisseur / teamleider: signals and the DUO page of a case ---


def _require_person_files(request: HttpRequest) -> None:
    if not scope.sees_person_files(request.user):
        raise PermissionDenied


@login_required
def signals(request: HttpRequest) -> HttpResponse:
    _require_person_files(request)
    page = selectors.signal_page_for_user(
        user=request.user, page=request.GET.get("pagina"), per_page=PAGE_SIZE
    )
    return render(request, "duo/signals.html", {"page": page})


@login_required
@require_POST
def signal_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    if not (scope.sees_person_files(request.user) or scope.is_privacy_officer(request.user)):
        raise PermissionDenied
    signal = selectors.signal_get_for_user(user=request.user, signal_id=pk)
    try:
        services.signal_resolve(signal=signal, by=request.user)
        messages.success(request, _("Het signaal is afgehandeld."))
    except ThuisError as exc:
        messages.error(request, exc.message)
    if signal.case_id and scope.sees_person_files(request.user):
        return redirect("duo:case", pk=signal.case_id)
    return redirect("duo:signals" if scope.sees_person_files(request.user) else "duo:inbox")


def _case_page(
    request: HttpRequest,
    pk: int,
    *,
    pip_form: PipDeliveryForm | None = None,
    resultaat_form: ResultaatDeliveryForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    context = selectors.case_duo_for_user(user=request.user, case_id=pk)
    context.update(
        pip_form=pip_form or PipDeliveryForm(),
        resultaat_form=resultaat_form or ResultaatDeliveryForm(),
        problems=problems or [],
    )
    return render(request, "duo/case.html", context)


@login_required
def case_duo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    return _case_page(request, pk)


@login_required
@require_POST
def case_pip(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    form = PipDeliveryForm(request.POST)
    if not form.is_valid():
        return _case_page(request, pk, pip_form=form)
    case = selectors.case_duo_for_user(user=request.user, case_id=pk)["case"]
    data = form.cleaned_data
    try:
        services.pip_deliver(
            case=case,
            by=request.user,
            dagtekening=data["dagtekening"],
            leerroute=data["leerroute"],
            niveau=data["niveau"] or None,
            geschatte_intensiteit_b1=data["geschatte_intensiteit_b1"],
            mag_opleiding_afmaken=data["mag_opleiding_afmaken"],
            alfabetisering=data["alfabetisering"],
        )
    except services.DeliveryRefused as exc:
        return _case_page(request, pk, pip_form=form, problems=exc.problems)
    except ThuisError as exc:
        return _case_page(request, pk, pip_form=form, problems=[exc.message])
    messages.success(request, _("De PIP staat klaar voor DUO. U ziet hieronder of het is gelukt."))
    return redirect("duo:case", pk=pk)


@login_required
@require_POST
def case_resultaat(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    form = ResultaatDeliveryForm(request.POST)
    if not form.is_valid():
        return _case_page(request, pk, resultaat_form=form)
    case = selectors.case_duo_for_user(user=request.user, case_id=pk)["case"]
    data = form.cleaned_data
    try:
        services.resultaat_deliver(
            case=case,
            by=request.user,
            kind=data["soort"],
            datum=data["datum"],
            verwijtbaar=data["verwijtbaar"] or None,
            today=timezone.localdate(),
        )
    except services.DeliveryRefused as exc:
        return _case_page(request, pk, resultaat_form=form, problems=exc.problems)
    except ThuisError as exc:
        return _case_page(request, pk, resultaat_form=form, problems=[exc.message])
    messages.success(request, _("Het resultaat staat klaar voor DUO."))
    return redirect("duo:case", pk=pk)

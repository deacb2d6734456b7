"""Screens: the partner portal, and the regisseur's referral, timeline and network screens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuis.accounts import scope
from thuis.cases import selectors as case_selectors
from thuis.core.errors import ThuisError, ValidationFailed, add_to_form
from thuis.people import selectors as people_selectors

from . import imports, rules, selectors, services
from .choices import ReferralStatus
from .forms import ContactForm, ReferralForm, ReportForm, SpellForm, TransitionForm, UploadForm


def _require_partner(request: HttpRequest) -> None:
    if not selectors.is_partner(request.user):
        raise PermissionDenied


def _require_person_files(request: HttpRequest) -> None:
    if not scope.sees_person_files(request.user):
        raise PermissionDenied


def _labelled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Screen labels next to the allow-listed data (the API answers without them)."""
    from .choices import ReferralType

    return [
        {
            **item,
            "referral_type_label": ReferralType(item["referral_type"]).label,
            "status_label": ReferralStatus(item["status"]).label,
        }
        for item in items
    ]


def _person_rows(item: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(rules.PERSON_FIELD_LABELS[k], v) for k, v in item["person"].items()]


# --- Partner portal ----------------------------------------------------------------------------


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """Referrals to the partner's organisation: only the allowed fields, and logged."""
    _require_partner(request)
    status = request.GET.get("status", "")
    if status not in ReferralStatus.values:
        status = ""
    referrals = selectors.referral_list_for_partner(user=request.user, data=request.GET)
    items = _labelled(selectors.partner_view(referrals))
    return render(
        request,
        "partners/portal.html",
        {
            "items": items,
            "status": status,
            "statuses": [
                (s, label) for s, label in ReferralStatus.choices if s != ReferralStatus.REVOKED
            ],
            "organisation": request.user.organisation,  # type: ignore[union-attr]
            "unread": selectors.unread_count(user=request.user),
        },
    )


def _portal_referral_page(
    request: HttpRequest, referral: Any, *, transition_form: Any = None, report_form: Any = None
) -> HttpResponse:
    item = _labelled(selectors.partner_view([referral]))[0]
    today = timezone.localdate()
    return render(
        request,
        "partners/portal_referral.html",
        {
            "referral": referral,
            "item": item,
            "person_rows": _person_rows(item),
            "transition_form": transition_form
            or TransitionForm(
                current=referral.status, actor=rules.PARTNER, initial={"on_date": today}
            ),
            "can_transition": bool(
                rules.next_statuses(current=referral.status, actor=rules.PARTNER)
            ),
            "can_report": referral.status in (ReferralStatus.ACTIVE, ReferralStatus.ENDED),
            "report_form": report_form or ReportForm(initial={"period_end": today}),
            "reports": selectors.reports_of_referral(referral=referral),
        },
        status=400 if (transition_form or report_form) else 200,
    )


@login_required
def portal_referral(request: HttpRequest, pk: int) -> HttpResponse:
    _require_partner(request)
    referral = selectors.referral_get_for_partner(user=request.user, referral_id=pk)
    return _portal_referral_page(request, referral)


@login_required
@require_POST
def portal_referral_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _require_partner(request)
    referral = selectors.referral_get_for_partner(
        user=request.user, referral_id=pk, view="portaal-status"
    )
    form = TransitionForm(request.POST, current=referral.status, actor=rules.PARTNER)
    if form.is_valid():
        try:
            services.referral_transition(
                by=request.user,
                referral=referral,
                to=form.cleaned_data["to"],
                actor=rules.PARTNER,
                on=form.cleaned_data["on_date"],
                reason=form.cleaned_data["reason"],
                end_reason=form.cleaned_data["end_reason"],
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De status is gewijzigd."))
            return redirect("partners:portal-referral", pk=referral.pk)
    return _portal_referral_page(request, referral, transition_form=form)


@login_required
@require_POST
def portal_report(request: HttpRequest, pk: int) -> HttpResponse:
    _require_partner(request)
    referral = selectors.referral_get_for_partner(
        user=request.user, referral_id=pk, view="portaal-rapportage"
    )
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            _report, outcome = services.report_save(
                by=request.user, referral=referral, **form.cleaned_data
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("De rapportage is opgeslagen.")
                if outcome != "unchanged"
                else _("Deze rapportage was al precies zo opgeslagen."),
            )
            return redirect("partners:portal-referral", pk=referral.pk)
    return _portal_referral_page(request, referral, report_form=form)


def _upload(
    request: HttpRequest, importer: Any, template: str, extra: dict[str, Any]
) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = imports.read_rows(filename=upload.name, content=upload.read())
                result = importer(by=request.user, rows=rows)
            except imports.ImportFailed as exc:
                errors = exc.errors
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Ingelezen: %(n)s nieuw, %(u)s gewijzigd, %(z)s ongewijzigd.")
                    % {"n": result.created, "u": result.updated, "z": result.unchanged},
                )
        else:
            status = 400
    return render(
        request,
        template,
        {"form": form, "errors": errors, "result": result, **extra},
        status=status,
    )


@login_required
def portal_import(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    return _upload(
        request,
        imports.import_reports,
        "partners/upload.html",
        {
            "title": _("Rapportages inlezen"),
            "columns": imports.REPORT_COLUMNS,
            "back": "partners:portal",
            "back_label": _("Terug naar verwijzingen"),
        },
    )


# --- Regisseur screens -------------------------------------------------------------------------


@login_required
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a person with a partner. A double submit leads to the same single referral."""
    _require_person_files(request)
    person = people_selectors.person_get_for_user(user=request.user, person_id=pk, view="verwijzen")
    organisations = selectors.organisations_for_person(person=person)
    form = ReferralForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        case = case_selectors.cases_of_person_for_user(
            user=request.user, person_id=person.pk
        ).first()
        try:
            _referral, created = services.referral_share(
                by=request.user,
                person=person,
                case=case,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("De verwijzing is verstuurd.")
                if created
                else _("Er was al een open verwijzing voor dit doel bij deze organisatie."),
            )
            return redirect(f"{person.get_absolute_url()}#deelname")
    allowed = {
        t: [rules.PERSON_FIELD_LABELS[f] for f in fields]
        for t, fields in rules.ALLOWED_PERSON_FIELDS.items()
    }
    from .choices import ReferralType

    return render(
        request,
        "partners/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Verwijzen naar een partner"),
            "allowed": [(ReferralType(t).label, labels) for t, labels in allowed.items()],
            "submit": _("Verwijzing versturen"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def referral_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """The gemeente's steps: revoke, or end an active referral."""
    _require_person_files(request)
    referral = selectors.referral_get_for_user(
        user=request.user, referral_id=pk, view="verwijzing-status"
    )
    form = TransitionForm(
        request.POST,
        current=referral.status,
        actor=rules.GEMEENTE,
        prefix=f"verwijzing-{referral.pk}",
    )
    if form.is_valid():
        try:
            services.referral_transition(
                by=request.user,
                referral=referral,
                to=form.cleaned_data["to"],
                actor=rules.GEMEENTE,
                on=form.cleaned_data["on_date"],
                reason=form.cleaned_data["reason"],
                end_reason=form.cleaned_data["end_reason"],
            )
        except ThuisError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("De status van de verwijzing is gewijzigd."))
    else:
        messages.error(request, _("Kies een geldige stap en vul de datum in."))
    return redirect(f"{referral.person.get_absolute_url()}#deelname")


@login_required
def spell_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    person = people_selectors.person_get_for_user(user=request.user, person_id=pk, view="deelname")
    form = SpellForm(
        request.POST or None, organisations=selectors.organisations_for_person(person=person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.spell_create(by=request.user, person=person, **form.cleaned_data)
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De periode is toegevoegd."))
            return redirect(f"{person.get_absolute_url()}#deelname")
    return render(
        request,
        "partners/form.html",
        {"form": form, "person": person, "title": _("Deelname toevoegen"), "submit": _("Opslaan")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_person_files(request)
    person = people_selectors.person_get_for_user(
        user=request.user, person_id=pk, view="steunnetwerk"
    )
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(by=request.user, person=person, **form.cleaned_data)
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De steunpersoon is toegevoegd."))
            return redirect(f"{person.get_absolute_url()}#deelname")
    return render(
        request,
        "partners/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Steunpersoon toevoegen"),
            "submit": _("Opslaan"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def spell_import(request: HttpRequest) -> HttpResponse:
    _require_person_files(request)
    return _upload(
        request,
        imports.import_spells,
        "partners/upload.html",
        {
            "title": _("Deelname inlezen"),
            "columns": imports.SPELL_COLUMNS,
            "back": "people:caseload",
            "back_label": _("Terug naar caseload"),
        },
    )


# --- Notifications -----------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, _("Alle meldingen zijn gelezen."))
        return redirect("partners:notifications")
    return render(
        request,
        "partners/notifications.html",
        {"notifications": selectors.notifications_for_user(user=request.user)},
    )


# --- Beheer: organisation tokens and contracts -------------------------------------------------


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """API keys of the beheerder's own gemeenten: make one for a partner organisation (shown
    once) or revoke one. Beheerder only."""
    from .forms import TokenForm

    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST or None, user=request.user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                municipality=form.cleaned_data["municipality"],
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationFailed as exc:
            add_to_form(form, exc)
        else:
            new_token = {"token": token, "raw": raw}
            form = TokenForm(user=request.user)
    response = render(
        request,
        "partners/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.tokens_for_beheerder(user=request.user),
            "now": timezone.now(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied
    token = scope.get_for_user(
        scope.api_tokens_for_beheerder(request.user),
        pk,
        user=request.user,
        not_found=_("Deze sleutel bestaat niet."),
        object_type="api_token",
    )
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("De sleutel is ingetrokken. Hij werkt niet meer."))
    return redirect("partners:tokens")


def _require_contracts(request: HttpRequest) -> None:
    if not (scope.is_privacy_officer(request.user) or _is_policy(request.user)):
        raise PermissionDenied


def _is_policy(user: Any) -> bool:
    from thuis.accounts.choices import Role

    return scope.active_user(user) and user.role == Role.BELEIDSMEDEWERKER


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    """Contracts per organisation, of the user's municipalities."""
    _require_contracts(request)
    rows = selectors.contracts_for_user(user=request.user)
    grouped: dict[Any, list[Any]] = {}
    for c in rows:
        grouped.setdefault(c.organisation, []).append(c)
    return render(request, "partners/contracts.html", {"grouped": list(grouped.items())})


@login_required
def contract_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from django.http import Http404

    from .forms import ContractForm

    _require_contracts(request)
    instance = None
    if pk is not None:
        instance = selectors.contracts_queryset_for_user(user=request.user).filter(pk=pk).first()
        if instance is None:
            raise Http404
    municipalities = selectors.contract_municipalities(user=request.user)
    form = ContractForm(
        request.POST or None,
        instance=instance,
        municipalities=municipalities,
        organisations=selectors.organisations_for_contracts(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_save(by=request.user, contract=form.save(commit=False))
        except ValidationFailed as exc:
            add_to_form(form, exc)
        except ThuisError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het contract is opgeslagen."))
            return redirect("partners:contracts")
    return render(
        request,
        "partners/contract_form.html",
        {
            "form": form,
            "title": _("Contract wijzigen") if instance else _("Nieuw contract"),
        },
    )

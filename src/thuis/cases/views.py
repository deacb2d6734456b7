"""The regisseur's case page and the flows on it: thin views over selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuis.accounts import scope
from thuis.core.actor import as_actor
from thuis.core.errors import ThuisError

from . import forms, selectors, services
from .models import Appointment, IntegrationCase


def _require(request: HttpRequest) -> None:
    if not scope.sees_person_files(request.user):
        raise PermissionDenied


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    case = selectors.case_detail_for_user(user=request.user, case_id=pk)
    today = timezone.localdate()
    dates = services.case_dates(case, today=today)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "dates": dates,
            "health_notes": selectors.health_notes_for_user(user=request.user, case=case),
            "doelgroep": services.current_doelgroep(case),
            "actions": ACTIONS,
            "open_signals": [s for s in case.signals.all() if s.resolved_on is None],
            "plicht": services.progress.plicht_check(case) if case.pips.all() else None,
        },
    )


@dataclass(frozen=True)
class Action:
    title: Any
    form: type[dj_forms.Form]
    run: Callable[..., Any]
    help: Any = ""
    done: Any = None


def _no_show(case: IntegrationCase, by: Any, data: dict[str, Any], today: Any) -> Any:
    appointment = Appointment.objects.get(pk=data["appointment"], case=case)
    measures = services.no_show_register(appointment=appointment, by=by, today=today)
    return measures


def _payment(case: IntegrationCase, by: Any, data: dict[str, Any], today: Any) -> Any:
    arrangement = getattr(case, "ontzorgen", None)
    if arrangement is None:
        raise ThuisError(str(_("Leg eerst de afspraken over ontzorgen vast.")))
    return services.ontzorgen_payment_add(arrangement=arrangement, by=by, **data)


ACTIONS: dict[str, Action] = {
    "datums": Action(
        _("Datums van het traject"),
        forms.CaseDatesForm,
        lambda c, by, d, t: services.case_set_dates(case=c, by=by, **d),
    ),
    "afspraak": Action(
        _("Afspraak plannen"),
        forms.AppointmentForm,
        lambda c, by, d, t: services.appointment_plan(case=c, by=by, **d),
    ),
    "niet-verschenen": Action(
        _("Niet verschenen"),
        forms.NoShowForm,
        _no_show,
        help=_(
            "Bij de brede intake volgt de gemeente vaste stappen: eerst een waarschuwing, "
            "daarna een boete. De stap wordt automatisch gekozen."
        ),
        done=_("Vastgelegd. De volgende stap van de handhaving staat bij het traject."),
    ),
    "intake": Action(
        _("Brede intake"),
        forms.IntakeForm,
        lambda c, by, d, t: services.intake_update(case=c, by=by, today=t, **d),
        help=_(
            "De brede intake heeft drie verplichte delen: de leerbaarheidstoets, opleiding en "
            "werk in het land van herkomst, en persoonlijke omstandigheden met gezondheid."
        ),
    ),
    "gezondheid": Action(
        _("Gezondheid (bijzonder persoonsgegeven)"),
        forms.HealthForm,
        lambda c, by, d, t: services.health_note_add(case=c, by=by, **d),
        help=_("Alleen de regisseur van dit traject en de teamleider zien dit."),
    ),
    "pip": Action(
        _("PIP vaststellen"),
        forms.PipForm,
        lambda c, by, d, t: services.pip_establish(case=c, by=by, today=t, **d),
        help=_(
            "Elke wijziging maakt een nieuwe versie. De termijn van 3 jaar start de dag na de "
            "dagtekening van de eerste PIP en verschuift nooit door een nieuwe versie."
        ),
        done=_("De PIP is vastgesteld."),
    ),
    "verlenging": Action(
        _("Verlenging van de termijn"),
        forms.ExtensionForm,
        lambda c, by, d, t: services.extension_record(case=c, by=by, **d),
        help=_("Alleen een verlenging die DUO heeft toegekend verschuift de termijn."),
    ),
    "gesprek": Action(
        _("Voortgangsgesprek"),
        forms.TalkForm,
        lambda c, by, d, t: services.progress_talk_add(case=c, by=by, today=t, **d),
    ),
    "examen": Action(
        _("Examenuitslag"),
        forms.ExamForm,
        lambda c, by, d, t: services.exam_record(case=c, by=by, today=t, **d),
    ),
    "uren": Action(
        _("Uren"),
        forms.HoursForm,
        lambda c, by, d, t: services.hours_record(case=c, by=by, today=t, **d),
    ),
    "afgerond": Action(
        _("Onderdeel afgerond (PVT, MAP, Z-route)"),
        forms.CompletionForm,
        lambda c, by, d, t: services.completion_record(case=c, by=by, today=t, **d),
    ),
    "ontzorgen": Action(
        _("Ontzorgen"),
        forms.OntzorgenForm,
        lambda c, by, d, t: services.ontzorgen_set(case=c, by=by, **d),
        help=_(
            "De gemeente betaalt 6 maanden de vaste lasten uit de bijstand. Dit geldt voor "
            "inburgeringsplichtige asielstatushouders met bijstand."
        ),
    ),
    "betaling": Action(_("Betaling ontzorgen"), forms.PaymentForm, _payment),
    "handhaving": Action(
        _("Boete of besluit vastleggen"),
        forms.EnforcementForm,
        lambda c, by, d, t: services.enforcement_record(case=c, by=by, **d),
    ),
    "lening": Action(
        _("DUO-lening (Wi2013)"),
        forms.LoanForm,
        lambda c, by, d, t: services.loan_status_set(case=c, by=by, **d),
        help=_(
            "Voor asielstatushouders scheldt DUO de lening kwijt als de plicht op tijd is "
            "voldaan, of bij vrijstelling of ontheffing."
        ),
    ),
    "einde": Action(
        _("Einde van de inburgeringsplicht"),
        forms.EndForm,
        lambda c, by, d, t: services.plicht_end(case=c, by=by, today=t, **d),
        help=_("'Voldaan' kan alleen als Thuis ziet dat alle onderdelen klaar zijn."),
    ),
}


def _form(action: Action, case: IntegrationCase, data: Any = None) -> dj_forms.Form:
    if action.form is forms.NoShowForm:
        return forms.NoShowForm(data, case=case)
    return action.form(data)


@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = selectors.case_get_for_user(user=request.user, case_id=pk, view=f"actie-{action}")
    form = _form(spec, case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        if spec.form in {forms.PipForm}:
            data.setdefault("niveau", "")
            data.setdefault("map_intensiteit", "")
        if spec.form is forms.IntakeForm:
            for name in ("talk_without_partner_offered", "talk_without_partner_held"):
                data[name] = form.cleaned_data[name]
        try:
            spec.run(case, as_actor(request.user), data, timezone.localdate())
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, spec.done or _("Opgeslagen."))
            return redirect(reverse("cases:detail", kwargs={"pk": case.pk}))
    return render(
        request, "cases/action.html", {"case": case, "form": form, "spec": spec, "action": action}
    )


@login_required
def pip_pdf_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    _require(request)
    case = selectors.case_get_for_user(user=request.user, case_id=pk, view="pip-pdf")
    content = services.pip_pdf_export(case=case, version=version, by=as_actor(request.user))
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pip-{case.pk}-v{version}.pdf"'
    return response


@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    _require(request)
    only_mine = request.GET.get("alles") != "1"
    signals = selectors.work_queue_page_for_user(user=request.user, only_mine=only_mine)
    return render(request, "cases/work_queue.html", {"signals": signals, "only_mine": only_mine})

"""The PIP as a versioned beschikking, and termijn extensions."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.choices import CaseStatus, ExtensionStatus, HoursKind, PipReason, Regime
from thuis.cases.models import IntegrationCase, Pip, TermijnExtension
from thuis.core.errors import ValidationFailed

from ._common import actor, full_clean, log_change
from .case import case_change_status
from .facts import _doelgroep


def _rules_doelgroep(case: IntegrationCase) -> rules.Doelgroep:
    return rules.Doelgroep(_doelgroep(case))


@transaction.atomic
def pip_establish(
    *,
    case: IntegrationCase,
    by: Any,
    dagtekening: date,
    leerroute: str,
    niveau: str = "",
    reason: str = PipReason.EERSTE,
    reason_text: str = "",
    today: date,
    **fields: Any,
) -> Pip:
    """Establish a new PIP version. DUO's validation rules apply; the termijn never moves."""
    case = IntegrationCase.objects.select_for_update().get(pk=case.pk)
    if case.regime != Regime.WI2021:
        raise ValidationFailed(_("Een PIP hoort bij de Wet inburgering 2021."), code="pip_regime")
    if case.status not in {CaseStatus.INTAKE, CaseStatus.PIP}:
        raise ValidationFailed(
            _("Een PIP kan pas worden vastgesteld na de start van de brede intake.")
        )
    if dagtekening > today:
        raise ValidationFailed(_("De dagtekening kan niet in de toekomst liggen."))
    intake = getattr(case, "intake", None)
    if intake is not None and intake.started_on and dagtekening < intake.started_on:
        raise ValidationFailed(
            _("De dagtekening ligt vóór de start van de brede intake."), code="pip_voor_intake"
        )
    previous = case.pips.order_by("-version").first()
    first_pip = previous is None
    if first_pip and reason != PipReason.EERSTE:
        reason = PipReason.EERSTE
    if not first_pip and reason == PipReason.EERSTE:
        raise ValidationFailed(_("Kies de reden voor deze nieuwe versie van de PIP."))
    errors = rules.pip_validate(
        leerroute=rules.Leerroute(leerroute),
        niveau=rules.Niveau(niveau) if niveau in {"A2", "B1"} else None,
        first_pip=first_pip,
        doelgroep=_rules_doelgroep(case),
        dagtekening=dagtekening,
        plicht_start=case.plicht_start,
        vestiging=case.vestiging_date,
        previous_dagtekening=previous.dagtekening if previous else None,
        geschatte_intensiteit_b1=fields.get("geschatte_intensiteit_b1"),
    )
    if previous is not None:
        first = case.pips.order_by("version").first()
        assert first is not None  # noqa: S101 - previous exists, so a first version exists
        start = rules.termijn_start(pip_dagtekening=first.dagtekening).value
        if reason == PipReason.SCHAKELEN:
            if leerroute == previous.leerroute:
                errors.append(
                    rules.RuleError("GEEN_SCHAKEL", _("Bij schakelen verandert de leerroute."))
                )
            allowed = rules.route_switch_allowed(termijn_start=start, on=dagtekening)
            if not allowed.value:
                errors.append(rules.RuleError("SCHAKELEN_TE_LAAT", allowed.toelichting))
        elif reason == PipReason.AFSCHALEN:
            hours = sum(h.hours for h in case.hours.filter(kind=HoursKind.CURSUS))
            allowed = rules.afschalen_allowed(
                leerroute=rules.Leerroute(previous.leerroute), course_hours=float(hours)
            )
            if not allowed.value:
                errors.append(rules.RuleError("AFSCHALEN_NIET_TOEGESTAAN", allowed.toelichting))
            if leerroute != previous.leerroute or niveau != "A2":
                errors.append(
                    rules.RuleError(
                        "AFSCHALEN_NIVEAU", _("Afschalen betekent: B1-route houden, niveau A2.")
                    )
                )
        elif leerroute != previous.leerroute:
            errors.append(
                rules.RuleError(
                    "LEERROUTE_GELIJK",
                    _(
                        "De leerroute verandert alleen bij schakelen. "
                        "Bij verhuizing blijft hij gelijk."
                    ),
                )
            )
    if errors:
        raise ValidationFailed(" ".join(e.melding for e in errors), code=errors[0].code)
    version = (case.pips.aggregate(m=Max("version"))["m"] or 0) + 1
    pip = Pip(
        case=case,
        version=version,
        dagtekening=dagtekening,
        leerroute=leerroute,
        niveau=niveau,
        reason=reason,
        reason_text=reason_text,
        established_by=actor(by),
        **fields,
    )
    full_clean(pip)
    pip.save()
    transaction.on_commit(partial(_after_pip, pip.pk), robust=True)
    if case.status == CaseStatus.INTAKE:
        case_change_status(
            case=case,
            to=CaseStatus.PIP,
            by=by,
            on=max(dagtekening, case.status_since),
            reason=_("PIP vastgesteld"),
            activity=events.Activity.PIP,
        )
    log_change(
        by=by,
        case=case,
        object_type="pip",
        object_id=pip.pk,
        action=Action.CREATE,
        activity=events.Activity.PIP,
        reason=f"versie {version}",
    )
    return pip


def _after_pip(pip_id: int) -> None:
    """Hand the new PIP to the DUO koppeling (outbox); never breaks the regisseur's flow."""
    from thuis.duo.services import deliveries

    deliveries.after_commit(deliveries.pip_enqueue_for, pip_id=pip_id)


@transaction.atomic
def extension_record(
    *,
    case: IntegrationCase,
    by: Any,
    months: int,
    status: str,
    decided_on: date,
    grondcode: str = "",
    alfabetisering: bool = False,
) -> TermijnExtension:
    """Record a DUO extension decision or request. Only granted extensions move the termijn."""
    if months < 1 or months > 60:
        raise ValidationFailed(_("Een verlenging is 1 tot en met 60 maanden."))
    granted = [e.months for e in case.extensions.filter(status=ExtensionStatus.TOEGEKEND)]
    if status == ExtensionStatus.TOEGEKEND:
        errors = rules.extensions_validate(
            wet=rules.Wet(case.regime),
            extensions_months=[*granted, months],
            alfabetisering_months=months if alfabetisering else 0,
        )
        if errors:
            raise ValidationFailed(" ".join(e.melding for e in errors))
    extension = TermijnExtension(
        case=case,
        months=months,
        status=status,
        decided_on=decided_on,
        grondcode=grondcode,
        alfabetisering=alfabetisering,
    )
    full_clean(extension)
    extension.save()
    log_change(
        by=by,
        case=case,
        object_type="termijn_extension",
        object_id=extension.pk,
        action=Action.CREATE,
    )
    return extension

"""The PIP as a versioned beschikking, and termijn extensions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.choices import CaseStatus, ExtensionStatus, HoursKind, PipReason
from thuis.cases.events import PipEstablished
from thuis.cases.models import IntegrationCase, Pip, TermijnExtension
from thuis.cases.pdf import pip_pdf
from thuis.core import validation
from thuis.core.actor import ActorLike, as_actor, user_id_of
from thuis.core.errors import ValidationFailed
from thuis.core.events import publish

from ._common import log_created, refuse
from .case import case_change_status
from .facts import doelgroep_of


@transaction.atomic
def pip_establish(
    *,
    case: IntegrationCase,
    by: ActorLike,
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
    intake = getattr(case, "intake", None)
    blocked = rules.pip_preconditions(
        wet=rules.Wet(case.regime),
        status=case.status,
        dagtekening=dagtekening,
        today=today,
        intake_started_on=intake.started_on if intake is not None else None,
    )
    if blocked is not None:
        raise ValidationFailed(blocked.melding, code=blocked.code)
    previous = case.pips.order_by("-version").first()
    first_pip = previous is None
    reason, no_reason = rules.pip_reason(reason=reason, first_pip=first_pip)
    if no_reason is not None:
        raise ValidationFailed(no_reason.melding, code=no_reason.code)
    errors = rules.pip_validate(
        leerroute=rules.Leerroute(leerroute),
        niveau=rules.Niveau(niveau) if niveau in rules.PIP_NIVEAUS else None,
        first_pip=first_pip,
        doelgroep=doelgroep_of(case),
        dagtekening=dagtekening,
        plicht_start=case.plicht_start,
        vestiging=case.vestiging_date,
        previous_dagtekening=previous.dagtekening if previous else None,
        geschatte_intensiteit_b1=fields.get("geschatte_intensiteit_b1"),
    )
    if previous is not None:
        first = case.pips.order_by("version").first()
        assert first is not None  # noqa: S101 - previous exists, so a first version exists
        errors += rules.pip_version_validate(
            reason=reason,
            leerroute=leerroute,
            niveau=niveau,
            previous_leerroute=previous.leerroute,
            termijn_start=rules.termijn_start(pip_dagtekening=first.dagtekening).value,
            dagtekening=dagtekening,
            course_hours=float(sum(h.hours for h in case.hours.filter(kind=HoursKind.CURSUS))),
        )
    refuse(errors)
    version = (case.pips.aggregate(m=Max("version"))["m"] or 0) + 1
    pip = Pip(
        case=case,
        version=version,
        dagtekening=dagtekening,
        leerroute=leerroute,
        niveau=niveau,
        reason=reason,
        reason_text=reason_text,
        established_by_id=user_id_of(by),
        **fields,
    )
    validation.save(pip)
    publish(PipEstablished(case_id=case.pk, pip_id=pip.pk, version=version, actor=as_actor(by)))
    if case.status == CaseStatus.INTAKE:
        case_change_status(
            case=case,
            to=CaseStatus.PIP,
            by=by,
            on=max(dagtekening, case.status_since),
            reason=_("PIP vastgesteld"),
            activity=events.Activity.PIP,
        )
    log_created(
        by=by,
        case=case,
        object_type="pip",
        obj=pip,
        activity=events.Activity.PIP,
        reason=f"versie {version}",
    )
    return pip


@transaction.atomic
def extension_record(
    *,
    case: IntegrationCase,
    by: ActorLike,
    months: int,
    status: str,
    decided_on: date,
    grondcode: str = "",
    alfabetisering: bool = False,
) -> TermijnExtension:
    """Record a DUO extension decision or request. Only granted extensions move the termijn."""
    too_long = rules.extension_months_error(months)
    if too_long is not None:
        raise ValidationFailed(too_long.melding, code=too_long.code)
    granted = [e.months for e in case.extensions.filter(status=ExtensionStatus.TOEGEKEND)]
    if status == ExtensionStatus.TOEGEKEND:
        errors = rules.extensions_validate(
            wet=rules.Wet(case.regime),
            extensions_months=[*granted, months],
            alfabetisering_months=months if alfabetisering else 0,
        )
        refuse(errors)
    extension = TermijnExtension(
        case=case,
        months=months,
        status=status,
        decided_on=decided_on,
        grondcode=grondcode,
        alfabetisering=alfabetisering,
    )
    validation.save(extension)
    log_created(by=by, case=case, object_type="termijn_extension", obj=extension)
    return extension


def pip_pdf_export(*, case: IntegrationCase, version: int, by: ActorLike) -> bytes | None:
    """The PDF of one PIP version (None when there is no such version); the export is logged."""
    pip = case.pips.filter(version=version).first()
    if pip is None:
        return None
    content = pip_pdf(pip=pip)
    events.record(
        user=by,
        action=Action.EXPORT,
        object_type="pip",
        subjects=[(str(pip.pk), case.person.bsn)],
        activity=events.Activity.PIP,
    )
    return content

"""Handhaving: the no-show ladder for the brede intake and decisions from DUO."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from thuis.cases.choices import AppointmentKind, AppointmentOutcome, EnforcementKind
from thuis.cases.ladder import no_show_step, parse_ladder
from thuis.cases.models import Appointment, EnforcementMeasure, IntegrationCase
from thuis.core import validation
from thuis.core.actor import ActorLike
from thuis.core.errors import ValidationFailed

from ._common import log_created


@transaction.atomic
def no_show_register(
    *, appointment: Appointment, by: ActorLike, today: date
) -> list[EnforcementMeasure]:
    """Mark an intake appointment as missed and apply the next step of the ladder."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.scheduled_on > today:
        raise ValidationFailed(_("Een afspraak in de toekomst kan nog niet gemist zijn."))
    if appointment.outcome == AppointmentOutcome.NIET_VERSCHENEN:
        raise ValidationFailed(_("Deze afspraak staat al als gemist."))
    case = appointment.case
    previous = case.appointments.filter(
        kind=AppointmentKind.INTAKE, outcome=AppointmentOutcome.NIET_VERSCHENEN
    ).count()
    appointment.outcome = AppointmentOutcome.NIET_VERSCHENEN
    appointment.save(update_fields=["outcome", "updated_at"])
    measures: list[EnforcementMeasure] = []
    if appointment.kind != AppointmentKind.INTAKE:
        return measures
    step = no_show_step(
        previous_no_shows=previous, ladder=parse_ladder(settings.THUIS_NO_SHOW_LADDER)
    )
    measures.append(
        EnforcementMeasure.objects.create(
            case=case,
            kind=step.kind,
            on_date=today,
            amount=step.amount or None,
            appointment=appointment,
            description=_("%(n)de keer niet verschenen bij de brede intake") % {"n": previous + 1},
        )
    )
    if step.pip_without_input:
        measures.append(
            EnforcementMeasure.objects.create(
                case=case,
                kind=EnforcementKind.PIP_ZONDER_INBRENG,
                on_date=today,
                appointment=appointment,
                description=_("De PIP wordt vastgesteld zonder inbreng van de inburgeraar."),
            )
        )
    for measure in measures:
        log_created(by=by, case=case, object_type="enforcement", obj=measure)
    return measures


@transaction.atomic
def enforcement_record(
    *,
    case: IntegrationCase,
    by: ActorLike,
    kind: str,
    on_date: date,
    amount: Decimal | None = None,
    description: str = "",
) -> EnforcementMeasure:
    """Record a fine or decision (from DUO or the Participatiewet) on the case."""
    if (
        kind == EnforcementKind.BOETE_DUO
        and case.doelgroepen.filter(end_date__isnull=True, doelgroep="asielstatushouder").exists()
    ):
        raise ValidationFailed(
            _("Asielstatushouders krijgen geen boete van DUO (Raad van State, 9 juli 2025)."),
            code="geen_boete_asiel",
        )
    measure = EnforcementMeasure(
        case=case, kind=kind, on_date=on_date, amount=amount, description=description
    )
    validation.save(measure)
    log_created(by=by, case=case, object_type="enforcement", obj=measure)
    return measure

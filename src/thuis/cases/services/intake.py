"""Brede intake: planning, the statutory parts, health notes (special category)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.cases import rules
from thuis.cases.choices import AppointmentKind, AppointmentOutcome, CaseStatus, IntakeStatus
from thuis.cases.models import Appointment, BredeIntake, HealthNote, IntegrationCase
from thuis.core import validation
from thuis.core.actor import ActorLike, user_id_of
from thuis.core.errors import ValidationFailed

from ._common import before, changed, log_change, log_created
from .case import case_change_status

# Special category (AVG art. 9): their content never enters the processing log.
HEALTH_FIELDS = ("physical", "mental", "impact")

INTAKE_FIELDS = (
    "education_history",
    "work_history",
    "finances",
    "housing",
    "social_network",
    "family_childcare",
    "vve_children",
    "participation_wishes",
    "talk_without_partner_offered",
    "talk_without_partner_held",
)


@transaction.atomic
def appointment_plan(
    *,
    case: IntegrationCase,
    by: ActorLike,
    kind: str,
    scheduled_on: date,
    invitation_sent_on: date | None = None,
) -> Appointment:
    if scheduled_on < case.plicht_start:
        raise ValidationFailed(_("Een afspraak kan niet vóór de start van de plicht liggen."))
    appointment = Appointment(
        case=case, kind=kind, scheduled_on=scheduled_on, invitation_sent_on=invitation_sent_on
    )
    validation.save(appointment)
    if kind == AppointmentKind.INTAKE:
        BredeIntake.objects.get_or_create(case=case)
    log_created(
        by=by,
        case=case,
        object_type="appointment",
        obj=appointment,
        activity=events.Activity.INTAKE,
    )
    return appointment


@transaction.atomic
def intake_update(
    *,
    case: IntegrationCase,
    by: ActorLike,
    today: date,
    started_on: date | None = None,
    completed_on: date | None = None,
    lbt_score: int | None = None,
    lbt_date: date | None = None,
    **fields: Any,
) -> BredeIntake:
    """Record (parts of) the brede intake. Completing it needs the three statutory parts."""
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Onbekende velden: %s") % ", ".join(sorted(unknown)))
    intake, is_new = BredeIntake.objects.select_for_update().get_or_create(case=case)
    old = None if is_new else before(intake)
    for name, value in fields.items():
        setattr(intake, name, value)
    if started_on:
        if started_on < case.plicht_start:
            raise ValidationFailed(_("De intake kan niet vóór de start van de plicht beginnen."))
        intake.started_on = started_on
        if intake.status == IntakeStatus.GEPLAND:
            intake.status = IntakeStatus.LOOPT
    if lbt_score is not None or lbt_date is not None:
        if lbt_score is None or lbt_date is None:
            raise ValidationFailed(_("Vul de score én de datum van de leerbaarheidstoets in."))
        try:
            outcome = rules.lbt_outcome(score=lbt_score, test_date=lbt_date)
        except rules.RuleInputError as exc:
            raise ValidationFailed(" ".join(e.melding for e in exc.errors)) from exc
        intake.lbt_score, intake.lbt_date = lbt_score, lbt_date
        intake.lbt_outcome, intake.lbt_review = outcome.value.value, outcome.review
    if completed_on:
        missing = []
        if not intake.lbt_outcome:
            missing.append(_("de leerbaarheidstoets"))
        if not (intake.education_history or intake.work_history):
            missing.append(_("opleiding en werkervaring in het land van herkomst"))
        if not case.health_notes.exists():
            missing.append(_("de persoonlijke omstandigheden, waaronder gezondheid"))
        if missing:
            raise ValidationFailed(
                _("De brede intake is nog niet compleet. Nog nodig: %s.") % ", ".join(missing),
                code="intake_onvolledig",
            )
        if intake.started_on and completed_on < intake.started_on:
            raise ValidationFailed(_("De intake kan niet eindigen vóór de start."))
        intake.completed_on, intake.status = completed_on, IntakeStatus.AFGEROND
    validation.save(intake)
    case.refresh_from_db(fields=["status", "status_since", "version"])
    if intake.started_on and case.status == CaseStatus.AANGEMELD:
        case_change_status(
            case=case,
            to=CaseStatus.INTAKE,
            by=by,
            on=max(intake.started_on, case.status_since),
            reason=_("Brede intake gestart"),
            activity=events.Activity.INTAKE,
        )
    log_change(
        by=by,
        case=case,
        object_type="brede_intake",
        object_id=intake.pk,
        activity=events.Activity.INTAKE,
        changes=changed(old, intake),
    )
    return intake


@transaction.atomic
def health_note_add(
    *, case: IntegrationCase, by: ActorLike, physical: str = "", mental: str = "", impact: str = ""
) -> HealthNote:
    if not (physical or mental or impact):
        raise ValidationFailed(_("Vul minstens één onderdeel over gezondheid in."))
    note = HealthNote.objects.create(
        case=case, physical=physical, mental=mental, impact=impact, written_by_id=user_id_of(by)
    )
    log_created(
        by=by,
        case=case,
        object_type="health_note",
        obj=note,
        activity=events.Activity.INTAKE,
        reason="bijzonder persoonsgegeven (gezondheid)",
        secret=HEALTH_FIELDS,
    )
    return note


def appointment_set_outcome(*, appointment: Appointment, outcome: str) -> Appointment:
    if outcome not in AppointmentOutcome.values:
        raise ValidationFailed(_("Onbekende uitkomst."))
    appointment.outcome = outcome
    appointment.save(update_fields=["outcome", "updated_at"])
    return appointment

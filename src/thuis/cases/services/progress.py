"""Progress: talks, exams, hours, completions, key dates and the end of the plicht."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.choices import CaseStatus, Component, LoanStatus, PlichtEndReason
from thuis.cases.models import (
    ComponentCompletion,
    ExamResult,
    HoursRecord,
    IntegrationCase,
    ProgressTalk,
)
from thuis.core.errors import ValidationFailed

from ._common import actor, full_clean, log_change
from .case import case_change_status
from .facts import case_dates, date_of

_END_STATUS = {
    PlichtEndReason.VOLDAAN: CaseStatus.VOLDAAN,
    PlichtEndReason.VOLLEDIGE_ONTHEFFING: CaseStatus.ONTHEVEN,
    PlichtEndReason.VOLLEDIGE_VRIJSTELLING: CaseStatus.VRIJGESTELD,
}


@transaction.atomic
def progress_talk_add(
    *,
    case: IntegrationCase,
    by: Any,
    held_on: date,
    summary: str,
    agreements: str = "",
    today: date,
) -> ProgressTalk:
    if held_on > today:
        raise ValidationFailed(_("Een gesprek in de toekomst kunt u nog niet vastleggen."))
    talk = ProgressTalk(
        case=case, held_on=held_on, summary=summary, agreements=agreements, held_by=actor(by)
    )
    full_clean(talk)
    talk.save()
    log_change(
        by=by, case=case, object_type="progress_talk", object_id=talk.pk, action=Action.CREATE
    )
    return talk


@transaction.atomic
def exam_record(
    *,
    case: IntegrationCase,
    by: Any,
    component: str,
    level: str,
    exam_date: date,
    result: str,
) -> ExamResult:
    if exam_date < case.plicht_start:
        raise ValidationFailed(_("Een examen vóór de start van de plicht telt niet mee."))
    attempt = case.exams.filter(component=component, level=level).count() + 1
    exam = ExamResult(
        case=case,
        component=component,
        level=level,
        exam_date=exam_date,
        result=result,
        attempt=attempt,
    )
    full_clean(exam)
    exam.save()
    log_change(by=by, case=case, object_type="exam", object_id=exam.pk, action=Action.CREATE)
    return exam


@transaction.atomic
def hours_record(
    *,
    case: IntegrationCase,
    by: Any,
    kind: str,
    period_start: date,
    period_end: date,
    hours: Decimal,
    source: str = "",
) -> HoursRecord:
    if period_end < period_start:
        raise ValidationFailed(_("De periode eindigt vóór de start."))
    if hours <= 0:
        raise ValidationFailed(_("Vul een aantal uren groter dan 0 in."))
    record = HoursRecord(
        case=case,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        source=source,
    )
    full_clean(record)
    record.save()
    log_change(by=by, case=case, object_type="hours", object_id=record.pk, action=Action.CREATE)
    return record


@transaction.atomic
def completion_record(
    *,
    case: IntegrationCase,
    by: Any,
    component: str,
    completed_on: date,
    today: date,
) -> ComponentCompletion:
    """PVT/MAP/Z-route done. The date must lie in the termijn and not in the future (DUO)."""
    dates = case_dates(case, today=today)
    start = date_of(dates, "TERMIJN_START")
    end = date_of(dates, "TERMIJN_EINDE")
    verwijtbaar = ""
    if case.regime == "Wi2021" and component in {Component.PVT, Component.MAP, Component.Z_ROUTE}:
        if start is None or end is None:
            raise ValidationFailed(_("Stel eerst de PIP vast; dan start de termijn."))
        z_done = case.completions.filter(component=Component.Z_ROUTE).first()
        errors = rules.mapvt_date_validate(
            datum=completed_on,
            termijn_start=start,
            today=today,
            z_route_done_on=z_done.completed_on
            if z_done and component != Component.Z_ROUTE
            else None,
        )
        if errors:
            raise ValidationFailed(" ".join(e.melding for e in errors), code=errors[0].code)
        verwijtbaar = rules.mapvt_verwijtbaarheid(termijn_end=end, today=today).value or ""
    elif completed_on > today:
        raise ValidationFailed(_("De datum kan niet in de toekomst liggen."))
    try:
        with transaction.atomic():
            completion = ComponentCompletion.objects.create(
                case=case, component=component, completed_on=completed_on, verwijtbaar=verwijtbaar
            )
    except IntegrityError as exc:
        raise ValidationFailed(_("Dit onderdeel is al als afgerond vastgelegd.")) from exc
    log_change(
        by=by, case=case, object_type="completion", object_id=completion.pk, action=Action.CREATE
    )
    transaction.on_commit(partial(_after_completion, completion.pk, by), robust=True)
    return completion


def _after_completion(completion_id: int, by: Any) -> None:
    """Hand a PVT/MAP/Z-route completion to the DUO koppeling; never breaks the flow."""
    from thuis.duo.services import deliveries

    deliveries.after_commit(deliveries.resultaat_enqueue_for, completion_id=completion_id, by=by)


@transaction.atomic
def case_set_dates(
    *,
    case: IntegrationCase,
    by: Any,
    kennisgeving_date: date | None = None,
    koppeling_date: date | None = None,
    vestiging_date: date | None = None,
    third_party_info_received: date | None = None,
    recht_op_bijstand: bool | None = None,
) -> IntegrationCase:
    changed = []
    for name, value in (
        ("kennisgeving_date", kennisgeving_date),
        ("koppeling_date", koppeling_date),
        ("vestiging_date", vestiging_date),
        ("third_party_info_received", third_party_info_received),
        ("recht_op_bijstand", recht_op_bijstand),
    ):
        if value is not None and getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if case.koppeling_date and case.vestiging_date and case.vestiging_date < case.koppeling_date:
        raise ValidationFailed(_("De datum van vestiging ligt vóór de datum van koppeling."))
    if changed:
        case.version += 1
        case.save(update_fields=[*changed, "version", "updated_at"])
        log_change(by=by, case=case, object_type="case", object_id=case.pk, reason="datums")
    return case


def plicht_check(case: IntegrationCase) -> rules.RuleResult[bool]:
    """Is the plicht met, given exams and completions on the case?"""
    last_pip = case.pips.order_by("-version").first()
    passed: dict[rules.Examenonderdeel, str] = {}
    knm = False
    for exam in case.exams.filter(result="geslaagd"):
        if exam.component == "knm":
            knm = True
        elif exam.component in rules.Examenonderdeel.__members__.values():
            current = passed.get(rules.Examenonderdeel(exam.component))
            if current is None or current < exam.level:
                passed[rules.Examenonderdeel(exam.component)] = exam.level
    done = set(case.completions.values_list("component", flat=True))
    return rules.plicht_voldaan(
        wet=rules.Wet(case.regime),
        plicht_start=case.plicht_start,
        leerroute=rules.Leerroute(last_pip.leerroute) if last_pip else None,
        niveau=rules.Niveau(last_pip.niveau)
        if last_pip and last_pip.niveau in {"A2", "B1"}
        else None,
        exams_passed=passed,
        knm_passed=knm,
        taalschakeltraject_done=Component.TAALSCHAKELTRAJECT in done,
        z_route_done=Component.Z_ROUTE in done,
        pvt_done=Component.PVT in done,
        map_done=Component.MAP in done,
        ona_done=Component.ONA in done
        or "ona" in {e.component for e in case.exams.filter(result="geslaagd")},
    )


@transaction.atomic
def plicht_end(
    *,
    case: IntegrationCase,
    by: Any,
    reason: str,
    on: date,
    today: date,
) -> IntegrationCase:
    """End the plicht. 'Voldaan' is only accepted when the rules say it is met."""
    if on > today:
        raise ValidationFailed(_("De datum kan niet in de toekomst liggen."))
    if reason == PlichtEndReason.VOLDAAN:
        check = plicht_check(case)
        if not check.value:
            raise ValidationFailed(check.toelichting, code="plicht_niet_voldaan")
    status = _END_STATUS.get(PlichtEndReason(reason), CaseStatus.BEEINDIGD)
    case = case_change_status(
        case=case, to=status, by=by, on=on, reason=str(PlichtEndReason(reason).label)
    )
    case.plicht_end_date, case.plicht_end_reason = on, reason
    case.save(update_fields=["plicht_end_date", "plicht_end_reason", "updated_at"])
    return case


@transaction.atomic
def loan_status_set(*, case: IntegrationCase, by: Any, loan_status: str) -> IntegrationCase:
    """Record the status of the Wi2013 DUO loan (Besluit inburgering art. 4.1a, 4.13)."""
    if case.regime != "Wi2013":
        raise ValidationFailed(
            _("Een DUO-lening hoort bij de Wet inburgering 2013."), code="lening_regime"
        )
    if loan_status not in LoanStatus.values:
        raise ValidationFailed(_("Onbekende status van de lening."))
    case.loan_status = loan_status
    case.version += 1
    case.save(update_fields=["loan_status", "version", "updated_at"])
    log_change(by=by, case=case, object_type="case", object_id=case.pk, reason="lening")
    return case

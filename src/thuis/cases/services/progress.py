"""Progress: talks, exams, hours, completions, key dates and the end of the plicht."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.cases import rules
from thuis.cases.choices import CaseStatus, Component, LoanStatus, PlichtEndReason
from thuis.cases.events import ComponentCompleted
from thuis.cases.models import (
    ComponentCompletion,
    ExamResult,
    HoursRecord,
    IntegrationCase,
    ProgressTalk,
)
from thuis.core import validation
from thuis.core.actor import ActorLike, as_actor, user_id_of
from thuis.core.errors import ValidationFailed
from thuis.core.events import publish

from ._common import before, changed, log_change, log_created, refuse
from .case import _check_dates, case_change_status
from .facts import case_dates, date_of

_END_STATUS = {
    PlichtEndReason.VOLDAAN: CaseStatus.VOLDAAN,
    PlichtEndReason.VOLLEDIGE_ONTHEFFING: CaseStatus.ONTHEVEN,
    PlichtEndReason.VOLLEDIGE_VRIJSTELLING: CaseStatus.VRIJGESTELD,
}


#: The exam form field each refusal of `rules.exam_validate` belongs to (else the date).
_EXAM_FIELDS = {
    "NIVEAU_ONTBREEKT": "level",
    "NIVEAU_NIET_VAN_TOEPASSING": "level",
    "ONDERDEEL_NIET_IN_REGIME": "component",
}


@transaction.atomic
def progress_talk_add(
    *,
    case: IntegrationCase,
    by: ActorLike,
    held_on: date,
    summary: str,
    agreements: str = "",
    today: date,
) -> ProgressTalk:
    refuse(
        rules.past_date_validate(
            on=held_on, today=today, birth_date=case.person.birth_date, what="Het gesprek"
        ),
        field="held_on",
    )
    talk = ProgressTalk(
        case=case,
        held_on=held_on,
        summary=summary,
        agreements=agreements,
        held_by_id=user_id_of(by),
    )
    validation.save(talk)
    log_created(by=by, case=case, object_type="progress_talk", obj=talk)
    return talk


@transaction.atomic
def exam_record(
    *,
    case: IntegrationCase,
    by: ActorLike,
    component: str,
    exam_date: date,
    result: str,
    level: str = "",
    today: date | None = None,
) -> ExamResult:
    errors = rules.exam_validate(
        component=component,
        level=level,
        exam_date=exam_date,
        today=today or timezone.localdate(),
        birth_date=case.person.birth_date,
        plicht_start=case.plicht_start,
        regime=case.regime,
    )
    refuse(errors, field=lambda e: _EXAM_FIELDS.get(e.code, "exam_date"))
    attempt = case.exams.filter(component=component, level=level).count() + 1
    exam = ExamResult(
        case=case,
        component=component,
        level=level,
        exam_date=exam_date,
        result=result,
        attempt=attempt,
    )
    validation.save(exam)
    log_created(by=by, case=case, object_type="exam", obj=exam)
    return exam


@transaction.atomic
def hours_record(
    *,
    case: IntegrationCase,
    by: ActorLike,
    kind: str,
    period_start: date,
    period_end: date,
    hours: Decimal,
    source: str = "",
    today: date | None = None,
) -> HoursRecord:
    errors = rules.hours_validate(
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        today=today or timezone.localdate(),
        max_per_day=Decimal(settings.THUIS_MAX_HOURS_PER_DAY),
    )
    refuse(errors, field=lambda e: "hours" if e.code.startswith("UREN") else "period_end")
    record = HoursRecord(
        case=case,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        source=source,
    )
    validation.save(record)
    log_created(by=by, case=case, object_type="hours", obj=record)
    return record


@transaction.atomic
def completion_record(
    *,
    case: IntegrationCase,
    by: ActorLike,
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
        refuse(errors)
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
    log_created(by=by, case=case, object_type="completion", obj=completion)
    publish(
        ComponentCompleted(
            case_id=case.pk,
            completion_id=completion.pk,
            component=component,
            actor=as_actor(by),
        )
    )
    return completion


DATE_FIELDS = (
    "kennisgeving_date",
    "koppeling_date",
    "vestiging_date",
    "third_party_info_received",
    "recht_op_bijstand",
)


@transaction.atomic
def case_set_dates(
    *,
    case: IntegrationCase,
    by: ActorLike,
    kennisgeving_date: date | None = None,
    koppeling_date: date | None = None,
    vestiging_date: date | None = None,
    third_party_info_received: date | None = None,
    recht_op_bijstand: bool | None = None,
) -> IntegrationCase:
    old = before(case, DATE_FIELDS)
    names = []
    for name, value in (
        ("kennisgeving_date", kennisgeving_date),
        ("koppeling_date", koppeling_date),
        ("vestiging_date", vestiging_date),
        ("third_party_info_received", third_party_info_received),
        ("recht_op_bijstand", recht_op_bijstand),
    ):
        if value is not None and getattr(case, name) != value:
            setattr(case, name, value)
            names.append(name)
    _check_dates(koppeling_date=case.koppeling_date, vestiging_date=case.vestiging_date)
    if names:
        case.version += 1
        case.save(update_fields=[*names, "version", "updated_at"])
        log_change(
            by=by,
            case=case,
            object_type="case",
            object_id=case.pk,
            reason="datums",
            changes=changed(old, case),
        )
    return case


def plicht_check(case: IntegrationCase) -> rules.RuleResult[bool]:
    """Is the plicht met, given exams and completions on the case?"""
    last_pip = case.pips.order_by("-version").first()
    passed: dict[rules.Examenonderdeel, str] = {}
    knm = False
    for exam in case.exams.filter(result="geslaagd"):
        if exam.component == "knm":
            knm = True
        elif exam.component in rules.LANGUAGE_COMPONENTS:
            current = passed.get(rules.Examenonderdeel(exam.component))
            if current is None or rules.level_rank(current) < rules.level_rank(exam.level):
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
    by: ActorLike,
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
    old = before(case, ("plicht_end_date", "plicht_end_reason"))
    case.plicht_end_date, case.plicht_end_reason = on, reason
    case.save(update_fields=["plicht_end_date", "plicht_end_reason", "updated_at"])
    log_change(
        by=by,
        case=case,
        object_type="case",
        object_id=case.pk,
        reason="einde plicht",
        changes=changed(old, case),
    )
    return case


@transaction.atomic
def loan_status_set(*, case: IntegrationCase, by: ActorLike, loan_status: str) -> IntegrationCase:
    """Record the status of the Wi2013 DUO loan (Besluit inburgering art. 4.1a, 4.13)."""
    if case.regime != "Wi2013":
        raise ValidationFailed(
            _("Een DUO-lening hoort bij de Wet inburgering 2013."), code="lening_regime"
        )
    if loan_status not in LoanStatus.values:
        raise ValidationFailed(_("Onbekende status van de lening."))
    old = before(case, ("loan_status",))
    case.loan_status = loan_status
    case.version += 1
    case.save(update_fields=["loan_status", "version", "updated_at"])
    log_change(
        by=by,
        case=case,
        object_type="case",
        object_id=case.pk,
        reason="lening",
        changes=changed(old, case),
    )
    return case

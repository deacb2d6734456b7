"""Operations on integration cases. Status changes only happen here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.choices import CaseStatus, Regime
from thuis.cases.models import CaseStatusChange, DoelgroepPeriod, IntegrationCase
from thuis.cases.selectors import current_doelgroep
from thuis.core.actor import ActorLike, user_id_of
from thuis.core.errors import ConflictError, NotAllowed, ValidationFailed
from thuis.people.models import Person

from ._common import before, changed, created, log_change

# The workflow and DUO's doelgroep pairs are rules (`rules.STATUS_TRANSITIONS`,
# `rules.DETAIL_FOR_DOELGROEP`); the names stay here for the callers of the services.
ALLOWED_TRANSITIONS = rules.STATUS_TRANSITIONS
DETAIL_FOR_DOELGROEP = rules.DETAIL_FOR_DOELGROEP


DOELGROEP_FIELDS = ("doelgroep", "gedetailleerde_doelgroep")


def _regime(plicht_start: date) -> str:
    result = rules.law_regime(plicht_start=plicht_start)
    return str(getattr(result, "value", result))


def _check_doelgroep(doelgroep: str, detail: str) -> None:
    error = rules.doelgroep_validate(doelgroep=doelgroep, gedetailleerde_doelgroep=detail)
    if error is not None:
        raise ValidationFailed(error.melding, code=error.code)


def _check_dates(**dates: date | None) -> None:
    """`rules.case_dates_validate`; the first problem stops the change (code: the generic one)."""
    problems = rules.case_dates_validate(**dates)
    if problems:
        raise ValidationFailed(problems[0][1].melding)


@transaction.atomic
def case_open(
    *,
    by: ActorLike,
    person: Person,
    plicht_start: date,
    doelgroep: str,
    gedetailleerde_doelgroep: str,
    koppeling_date: date | None = None,
    vestiging_date: date | None = None,
    regisseur: Any = None,
    team: Any = None,
    activity: str = events.Activity.REGIE,
) -> IntegrationCase:
    _check_doelgroep(doelgroep, gedetailleerde_doelgroep)
    _check_dates(
        plicht_start=plicht_start,
        birth_date=person.birth_date,
        koppeling_date=koppeling_date,
        vestiging_date=vestiging_date,
    )
    case = IntegrationCase.objects.create(
        person=person,
        municipality=person.municipality,
        regime=_regime(plicht_start),
        plicht_start=plicht_start,
        koppeling_date=koppeling_date,
        vestiging_date=vestiging_date,
        status=CaseStatus.AANGEMELD,
        status_since=plicht_start,
        regisseur=regisseur,
        team=team,
    )
    period = DoelgroepPeriod.objects.create(
        case=case,
        doelgroep=doelgroep,
        gedetailleerde_doelgroep=gedetailleerde_doelgroep,
        start_date=plicht_start,
    )
    CaseStatusChange.objects.create(
        case=case,
        from_status="",
        to_status=CaseStatus.AANGEMELD,
        on_date=plicht_start,
        changed_by_id=user_id_of(by),
        reason=_("Traject geopend"),
    )
    log_change(
        by=by,
        case=case,
        object_type="case",
        object_id=case.pk,
        action=Action.CREATE,
        activity=activity,
        changes={**created(case), **changed(None, period)},
    )
    return case


@transaction.atomic
def case_change_status(
    *,
    case: IntegrationCase,
    to: str,
    by: ActorLike,
    on: date,
    reason: str = "",
    expected_version: int | None = None,
    activity: str = events.Activity.REGIE,
) -> IntegrationCase:
    """Move a case to a new status, keeping history. Refuses jumps the workflow does not allow."""
    locked = IntegrationCase.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("Iemand anders heeft dit traject net gewijzigd. Laad de pagina opnieuw.")
        )
    refused = rules.status_transition(van=locked.status, naar=to)
    if refused is not None:
        raise NotAllowed(refused.melding, code=refused.code)
    early = rules.status_date_validate(on=on, status_since=locked.status_since)
    if early is not None:
        raise ValidationFailed(early.melding, code=early.code)
    old = before(locked, ("status", "status_since"))
    CaseStatusChange.objects.create(
        case=locked,
        from_status=locked.status,
        to_status=to,
        on_date=on,
        changed_by_id=user_id_of(by),
        reason=reason[:255],
    )
    IntegrationCase.objects.filter(pk=locked.pk).update(
        status=to, status_since=on, version=F("version") + 1
    )
    locked.refresh_from_db()
    log_change(
        by=by,
        case=locked,
        object_type="case",
        object_id=locked.pk,
        activity=activity,
        reason=f"status {to}",
        changes=changed(old, locked),
    )
    return locked


@transaction.atomic
def case_change_doelgroep(
    *,
    case: IntegrationCase,
    by: ActorLike,
    doelgroep: str,
    gedetailleerde_doelgroep: str,
    on: date,
    activity: str = events.Activity.REGIE,
) -> DoelgroepPeriod:
    """Close the current doelgroep period the day before `on` and start a new one."""
    _check_doelgroep(doelgroep, gedetailleerde_doelgroep)
    current = case.doelgroepen.filter(end_date__isnull=True).order_by("-start_date").first()
    old = before(current, DOELGROEP_FIELDS) if current is not None else None
    if current is not None:
        if on <= current.start_date:
            raise ValidationFailed(
                _("De nieuwe doelgroep moet ná de vorige beginnen."), code="DOELGROEP_DATUM"
            )
        current.end_date = date.fromordinal(on.toordinal() - 1)
        current.save(update_fields=["end_date", "updated_at"])
    period = DoelgroepPeriod.objects.create(
        case=case,
        doelgroep=doelgroep,
        gedetailleerde_doelgroep=gedetailleerde_doelgroep,
        start_date=on,
    )
    log_change(
        by=by,
        case=case,
        object_type="case",
        object_id=case.pk,
        activity=activity,
        reason="doelgroep",
        changes=changed(old, period),
    )
    return period


@transaction.atomic
def case_assign(
    *,
    case: IntegrationCase,
    by: ActorLike,
    regisseur: Any,
    team: Any = None,
) -> IntegrationCase:
    if (
        regisseur is not None
        and not regisseur.municipalities.filter(pk=case.municipality_id).exists()
    ):
        raise ValidationFailed(
            _("Deze regisseur werkt niet voor de gemeente van dit traject."),
            code="regisseur_gemeente",
        )
    old = before(case, ("regisseur", "team"))
    case.regisseur, case.team = regisseur, team
    case.version += 1
    case.save(update_fields=["regisseur", "team", "version", "updated_at"])
    log_change(
        by=by,
        case=case,
        object_type="case",
        object_id=case.pk,
        reason="toewijzing",
        changes=changed(old, case),
    )
    return case


__all__ = [
    "ALLOWED_TRANSITIONS",
    "Regime",
    "case_assign",
    "case_change_doelgroep",
    "case_change_status",
    "case_open",
    "current_doelgroep",
]

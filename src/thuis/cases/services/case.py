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
from thuis.cases.choices import CaseStatus, Doelgroep, GedetailleerdeDoelgroep, Regime
from thuis.cases.models import CaseStatusChange, DoelgroepPeriod, IntegrationCase
from thuis.core.errors import ConflictError, NotAllowed, ValidationFailed
from thuis.people.models import Person

# Which status may follow which. Closing statuses are final; a case is reopened by a new case.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.AANGEMELD: {
        CaseStatus.INTAKE,
        CaseStatus.VRIJGESTELD,
        CaseStatus.ONTHEVEN,
        CaseStatus.BEEINDIGD,
    },
    CaseStatus.INTAKE: {
        CaseStatus.PIP,
        CaseStatus.VRIJGESTELD,
        CaseStatus.ONTHEVEN,
        CaseStatus.BEEINDIGD,
    },
    CaseStatus.PIP: {
        CaseStatus.VOLDAAN,
        CaseStatus.VRIJGESTELD,
        CaseStatus.ONTHEVEN,
        CaseStatus.BEEINDIGD,
    },
    CaseStatus.VOLDAAN: set(),
    CaseStatus.VRIJGESTELD: set(),
    CaseStatus.ONTHEVEN: set(),
    CaseStatus.BEEINDIGD: set(),
}

# Consistent pairs of doelgroep and gedetailleerde doelgroep (DUO Inburgeringsplicht API).
DETAIL_FOR_DOELGROEP: dict[str, set[str]] = {
    Doelgroep.ASIELSTATUSHOUDER: {
        GedetailleerdeDoelgroep.ASIELSTATUSHOUDER,
        GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
        GedetailleerdeDoelgroep.GEZINSVORMER_ASIEL,
    },
    Doelgroep.GEZINSMIGRANT: {
        GedetailleerdeDoelgroep.GEESTELIJK_BEDIENAAR,
        GedetailleerdeDoelgroep.GEZINSHERENIGER,
        GedetailleerdeDoelgroep.GEZINSVORMER,
        GedetailleerdeDoelgroep.OVERIG,
        GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
        GedetailleerdeDoelgroep.GEZINSVORMER_ASIEL,
    },
}


def _regime(plicht_start: date) -> str:
    result = rules.law_regime(plicht_start=plicht_start)
    return str(getattr(result, "value", result))


def _check_doelgroep(doelgroep: str, detail: str) -> None:
    if doelgroep not in DETAIL_FOR_DOELGROEP:
        raise ValidationFailed(_("Onbekende doelgroep."))
    if detail not in DETAIL_FOR_DOELGROEP[doelgroep]:
        raise ValidationFailed(
            _("De gedetailleerde doelgroep past niet bij de doelgroep."), code="doelgroep"
        )


@transaction.atomic
def case_open(
    *,
    by: Any,
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
    if vestiging_date and koppeling_date and vestiging_date < koppeling_date:
        raise ValidationFailed(_("De datum van vestiging ligt vóór de datum van koppeling."))
    if plicht_start < person.birth_date:
        raise ValidationFailed(_("De inburgeringsplicht kan niet vóór de geboorte beginnen."))
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
    DoelgroepPeriod.objects.create(
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
        changed_by=by if not isinstance(by, str) else None,
        reason=_("Traject geopend"),
    )
    events.person_changed(
        user=by,
        person=person,
        action=Action.CREATE,
        object_type="case",
        object_id=case.pk,
        activity=activity,
    )
    return case


@transaction.atomic
def case_change_status(
    *,
    case: IntegrationCase,
    to: str,
    by: Any,
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
    if to not in ALLOWED_TRANSITIONS.get(locked.status, set()):
        raise NotAllowed(
            _("De status kan niet van '%(van)s' naar '%(naar)s'.")
            % {"van": locked.get_status_display(), "naar": CaseStatus(to).label}
        )
    if on < locked.status_since:
        raise ValidationFailed(
            _("De datum ligt vóór de vorige statuswijziging."), code="status_datum_voor_vorige"
        )
    CaseStatusChange.objects.create(
        case=locked,
        from_status=locked.status,
        to_status=to,
        on_date=on,
        changed_by=by if not isinstance(by, str) else None,
        reason=reason[:255],
    )
    IntegrationCase.objects.filter(pk=locked.pk).update(
        status=to, status_since=on, version=F("version") + 1
    )
    locked.refresh_from_db()
    events.person_changed(
        user=by,
        person=locked.person,
        action=Action.UPDATE,
        object_type="case",
        object_id=locked.pk,
        activity=activity,
        reason=f"status {to}",
    )
    return locked


@transaction.atomic
def case_change_doelgroep(
    *,
    case: IntegrationCase,
    by: Any,
    doelgroep: str,
    gedetailleerde_doelgroep: str,
    on: date,
    activity: str = events.Activity.REGIE,
) -> DoelgroepPeriod:
    """Close the current doelgroep period the day before `on` and start a new one."""
    _check_doelgroep(doelgroep, gedetailleerde_doelgroep)
    current = case.doelgroepen.filter(end_date__isnull=True).order_by("-start_date").first()
    if current is not None:
        if on <= current.start_date:
            raise ValidationFailed(_("De nieuwe doelgroep moet ná de vorige beginnen."))
        current.end_date = date.fromordinal(on.toordinal() - 1)
        current.save(update_fields=["end_date", "updated_at"])
    period = DoelgroepPeriod.objects.create(
        case=case,
        doelgroep=doelgroep,
        gedetailleerde_doelgroep=gedetailleerde_doelgroep,
        start_date=on,
    )
    events.person_changed(
        user=by,
        person=case.person,
        action=Action.UPDATE,
        object_type="case",
        object_id=case.pk,
        activity=activity,
        reason="doelgroep",
    )
    return period


@transaction.atomic
def case_assign(
    *,
    case: IntegrationCase,
    by: Any,
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
    case.regisseur, case.team = regisseur, team
    case.version += 1
    case.save(update_fields=["regisseur", "team", "version", "updated_at"])
    events.person_changed(
        user=by,
        person=case.person,
        action=Action.UPDATE,
        object_type="case",
        object_id=case.pk,
        reason="toewijzing",
    )
    return case


def current_doelgroep(case: IntegrationCase) -> DoelgroepPeriod | None:
    periods = sorted(case.doelgroepen.all(), key=lambda p: p.start_date)
    open_periods = [p for p in periods if p.end_date is None]
    candidates = open_periods or periods
    return candidates[-1] if candidates else None


__all__ = [
    "ALLOWED_TRANSITIONS",
    "Regime",
    "case_assign",
    "case_change_doelgroep",
    "case_change_status",
    "case_open",
    "current_doelgroep",
]

"""Helpers shared by the DUO services: the processing log, the gemeente, signals, case state."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action, Result
from thuis.core.errors import NotAllowed, ValidationFailed
from thuis.core.logging import redact
from thuis.duo.choices import EventKind, SignalStatus
from thuis.duo.models import DuoCaseState, DuoSignal, InboxMessage
from thuis.people.models import Municipality, Person

if TYPE_CHECKING:
    from thuis.cases.models import IntegrationCase

logger = logging.getLogger("thuis.duo")

# Actor label in the processing log for work Thuis does on its own (no user involved).
SYSTEM_ACTOR = "systeem:duo-koppeling"


def duo_actor(bron: str) -> str:
    return f"DUO (OIN {bron})"


def log(
    *,
    user: Any,
    action: str,
    object_type: str,
    object_id: Any,
    bsn: str,
    reason: str = "",
    result: str = Result.SUCCESS,
    municipality: Municipality | None = None,
) -> None:
    """One processing-log record (activity: gegevensuitwisseling DUO) for one data subject."""
    events.record(
        user=user,
        action=action,
        object_type=object_type,
        subjects=[(str(object_id), bsn)],
        activity=events.Activity.DUO,
        result=result,
        municipality_code=municipality.code if municipality else "",
        reason=reason,
    )


def safe_error(exc: BaseException) -> str:
    """An error text that is safe to store and show: never a BSN, never a DUO URL."""
    text = getattr(exc, "message", "") or str(exc) or type(exc).__name__
    return redact(text)[:1000]


def configured_municipality() -> Municipality | None:
    """The gemeente behind THUIS_GEMEENTE_OIN (THUIS_DUO_GEMEENTECODE, or the only one)."""
    code = settings.THUIS_DUO_GEMEENTECODE
    if code:
        return Municipality.objects.filter(code=code).first()
    only = list(Municipality.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def case_state(case: IntegrationCase) -> DuoCaseState:
    state, _created = DuoCaseState.objects.get_or_create(case=case)
    return state


def signal_raise(
    *,
    code: str,
    title: str,
    text: str = "",
    kind: str = EventKind.GEBEURTENIS,
    municipality: Municipality | None = None,
    person: Person | None = None,
    case: IntegrationCase | None = None,
    inbox_message: InboxMessage | None = None,
    due_date: date | None = None,
) -> DuoSignal:
    """Create a signal for the regisseur (with a case) or the beheerder (without a person)."""
    if municipality is None and case is not None:
        municipality = case.municipality
    if municipality is None and person is not None:
        municipality = person.municipality
    return DuoSignal.objects.create(
        code=code[:32],
        kind=kind,
        title=title[:200],
        text=text,
        municipality=municipality,
        person=person,
        case=case,
        inbox_message=inbox_message,
        due_date=due_date,
    )


@transaction.atomic
def signal_resolve(*, signal: DuoSignal, by: Any) -> DuoSignal:
    if signal.status == SignalStatus.DONE:
        raise NotAllowed(_("Dit signaal is al afgehandeld."))
    if signal.person is None and signal.case is None and by.role != "beheerder":
        raise ValidationFailed(_("Alleen de beheerder handelt dit signaal af."))
    signal.status = SignalStatus.DONE
    signal.resolved_at = timezone.now()
    signal.resolved_by = by
    signal.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
    if signal.person is not None:
        log(
            user=by,
            action=Action.UPDATE,
            object_type="duo_signaal",
            object_id=signal.pk,
            bsn=signal.person.bsn,
            reason="signaal afgehandeld",
            municipality=signal.municipality,
        )
    return signal

"""The only way to read DUO messages and signals for a user.

The beheerder sees the technical inbox and outbox of their gemeenten (status, retries, errors;
no names, no BSNs). Regisseur and teamleider see DUO messages and signals of the cases they may
open; those reads are logged through the case selectors and `persons_read`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from thuis.accounts import scope
from thuis.audit import events
from thuis.cases import selectors as case_selectors
from thuis.cases.models import IntegrationCase

from .choices import SignalStatus
from .models import DuoCaseState, DuoSignal, InboxMessage, OutboxMessage


def _beheer_scope(user: Any) -> Q:
    return Q(municipality__in=scope.municipality_ids(user)) | Q(municipality__isnull=True)


def inbox_list_for_user(*, user: Any, status: str = "") -> QuerySet[InboxMessage]:
    if not scope.is_privacy_officer(user):
        return InboxMessage.objects.none()
    qs = InboxMessage.objects.filter(_beheer_scope(user))
    return qs.filter(status=status) if status else qs


def outbox_list_for_user(*, user: Any, status: str = "") -> QuerySet[OutboxMessage]:
    if not scope.is_privacy_officer(user):
        return OutboxMessage.objects.none()
    qs = OutboxMessage.objects.filter(_beheer_scope(user))
    return qs.filter(status=status) if status else qs


def inbox_get_for_user(*, user: Any, message_id: int) -> InboxMessage:
    message = inbox_list_for_user(user=user).filter(pk=message_id).first()
    if message is None:
        raise Http404("Bericht niet gevonden.")
    return message


def outbox_get_for_user(*, user: Any, message_id: int) -> OutboxMessage:
    message = outbox_list_for_user(user=user).filter(pk=message_id).first()
    if message is None:
        raise Http404("Levering niet gevonden.")
    return message


def beheer_signals_for_user(*, user: Any) -> QuerySet[DuoSignal]:
    """Open signals without a person (processing problems) for the beheerder."""
    if not scope.is_privacy_officer(user):
        return DuoSignal.objects.none()
    return DuoSignal.objects.filter(
        _beheer_scope(user), person__isnull=True, status=SignalStatus.OPEN
    ).select_related("inbox_message")


def signal_list_for_user(*, user: Any, only_open: bool = True) -> QuerySet[DuoSignal]:
    """Signals about persons the user may see (regisseur, teamleider). Log reads per page."""
    if not scope.sees_person_files(user):
        return DuoSignal.objects.none()
    qs = DuoSignal.objects.filter(
        person__isnull=False, person__municipality__in=scope.municipality_ids(user)
    ).select_related("person", "case")
    if only_open:
        qs = qs.filter(status=SignalStatus.OPEN)
    return qs.order_by("due_date", "-created_at")


def signal_get_for_user(*, user: Any, signal_id: int) -> DuoSignal:
    signal = (
        DuoSignal.objects.filter(pk=signal_id)
        .filter(
            Q(person__municipality__in=scope.municipality_ids(user))
            if scope.sees_person_files(user)
            else _beheer_scope(user) & Q(person__isnull=True)
            if scope.is_privacy_officer(user)
            else Q(pk__in=[])
        )
        .select_related("person")
        .first()
    )
    if signal is None:
        if scope.active_user(user):
            events.access_denied(user=user, object_type="duo_signaal", object_id=signal_id)
        raise Http404("Signaal niet gevonden.")
    if signal.person is not None:
        events.persons_read(user=user, persons=[signal.person], view="duo-signaal")
    return signal


def case_duo_for_user(*, user: Any, case_id: int) -> dict[str, Any]:
    """A case with what was exchanged with DUO about it (logs the read)."""
    case: IntegrationCase = case_selectors.case_get_for_user(user=user, case_id=case_id, view="duo")
    state = DuoCaseState.objects.filter(case=case).first()
    return {
        "case": case,
        "state": state,
        "inbox": InboxMessage.objects.filter(case=case).order_by("-registratie_datum_tijd")[:50],
        "outbox": OutboxMessage.objects.filter(case=case).order_by("-created_at")[:50],
        "signals": DuoSignal.objects.filter(case=case).order_by("status", "-created_at")[:50],
    }

"""The only way to read DUO messages and signals for a user.

The beheerder sees the technical inbox and outbox of their gemeenten (status, retries, errors;
no names, no BSNs). Regisseur and teamleider see DUO messages and signals of the cases they may
open; those reads are logged through the case selectors and `persons_read`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from thuis.accounts import scope
from thuis.audit import events
from thuis.cases import rules as law
from thuis.cases import selectors as case_selectors
from thuis.cases.services.facts import case_facts

from .choices import OutboxStatus, SignalStatus
from .models import DuoCaseState, DuoSignal, InboxMessage, OutboxMessage

if TYPE_CHECKING:
    from thuis.cases.models import IntegrationCase


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
    return scope.get_for_user(
        inbox_list_for_user(user=user), message_id, user=user, not_found="Bericht niet gevonden."
    )


def outbox_get_for_user(*, user: Any, message_id: int) -> OutboxMessage:
    return scope.get_for_user(
        outbox_list_for_user(user=user), message_id, user=user, not_found="Levering niet gevonden."
    )


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


def signal_page_for_user(*, user: Any, page: Any, per_page: int) -> Page[DuoSignal]:
    """One page of the open signals; the read of the persons on it is logged."""
    shown = Paginator(signal_list_for_user(user=user), per_page).get_page(page)
    events.persons_read(
        user=user, persons=[s.person for s in shown if s.person], view="duo-signalen"
    )
    return shown


def signal_get_for_user(*, user: Any, signal_id: int) -> DuoSignal:
    visible = DuoSignal.objects.filter(
        Q(person__municipality__in=scope.municipality_ids(user))
        if scope.sees_person_files(user)
        else _beheer_scope(user) & Q(person__isnull=True)
        if scope.is_privacy_officer(user)
        else Q(pk__in=[])
    ).select_related("person")
    return scope.get_for_user(
        visible,
        signal_id,
        user=user,
        not_found="Signaal niet gevonden.",
        object_type="duo_signaal",
        view="duo-signaal",
        persons=lambda signal: [signal.person] if signal.person is not None else [],
    )


def case_duo_for_user(*, user: Any, case_id: int) -> dict[str, Any]:
    """A case with what was exchanged with DUO about it (logs the read)."""
    case: IntegrationCase = case_selectors.case_get_for_user(user=user, case_id=case_id, view="duo")
    state = DuoCaseState.objects.filter(case=case).first()
    return {
        "case": case,
        "state": state,
        # The case's own PIP deadline from the one rule, as on the case page and in its DUO
        # section; `state` keeps what DUO itself reported (the kennisgeving).
        "pip_deadline": law.pip_deadline_of(case_facts(case)),
        "inbox": InboxMessage.objects.filter(case=case).order_by("-registratie_datum_tijd")[:50],
        "outbox": OutboxMessage.objects.filter(case=case).order_by("-created_at")[:50],
        "signals": DuoSignal.objects.filter(case=case).order_by("status", "-created_at")[:50],
    }


def case_section_for_user(*, user: Any, case: IntegrationCase) -> dict[str, Any]:
    """The DUO part of the regisseur's case page (the case was read via cases.selectors).

    Empty for users without person files or outside the case's gemeente. A fixed number of
    queries, however many messages there are.
    """
    if (
        not scope.sees_person_files(user)
        or not scope.municipality_ids(user).filter(pk=case.municipality_id).exists()
    ):
        return {}
    signals = list(
        DuoSignal.objects.filter(
            Q(case=case) | Q(case__isnull=True, person_id=case.person_id),
            status=SignalStatus.OPEN,
        ).order_by("due_date", "-created_at")[:20]
    )
    counts = dict(
        OutboxMessage.objects.filter(case=case)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "case": case,
        "state": DuoCaseState.objects.filter(case=case).first(),
        # The one PIP deadline of the case (the same as the case page), not a copy of DUO's.
        "pip_deadline": law.pip_deadline_of(case_facts(case)),
        "signals": signals,
        "pending": counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0),
        "failed": counts.get(OutboxStatus.FAILED, 0),
        "last_message": InboxMessage.objects.filter(case=case)
        .order_by("-registratie_datum_tijd")
        .first(),
    }


def work_queue_signals_for_user(
    *, user: Any, only_mine: bool = True, limit: int = 200
) -> list[DuoSignal]:
    """Open DUO signals for the work queue, like `cases.selectors.work_queue_for_user`.

    "Only mine": a regisseur sees signals of their own cases, a teamleider those of the team;
    both also see signals nobody owns yet (a new person from DUO has no regisseur). Logs reads.
    """
    qs = signal_list_for_user(user=user)
    if only_mine and user.role == "regisseur":
        qs = qs.filter(Q(case__regisseur=user) | Q(case__regisseur__isnull=True))
    elif only_mine and user.role == "teamleider" and user.team_id:
        qs = qs.filter(Q(case__team_id=user.team_id) | Q(case__team__isnull=True))
    signals = list(qs.select_related("case__regisseur")[:limit])
    if signals:
        events.persons_read(
            user=user,
            persons={s.person for s in signals if s.person is not None},
            view="werkvoorraad-duo",
        )
    return signals


def case_duo_api_for_user(*, user: Any, case_id: int) -> dict[str, Any]:
    """The DUO data of one case for the API (logs the read through the case selector)."""
    case: IntegrationCase = case_selectors.case_get_for_user(
        user=user, case_id=case_id, view="api-traject-duo"
    )
    return {
        "state": DuoCaseState.objects.filter(case=case).first(),
        "signals": list(
            DuoSignal.objects.filter(
                Q(case=case) | Q(case__isnull=True, person_id=case.person_id)
            ).order_by("status", "due_date", "-created_at")[:100]
        ),
        "inbox": list(
            InboxMessage.objects.filter(case=case).order_by("-registratie_datum_tijd")[:100]
        ),
        "outbox": list(OutboxMessage.objects.filter(case=case).order_by("-created_at")[:100]),
    }

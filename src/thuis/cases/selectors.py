"""The only way to read integration cases for a user. Reads of personal data are logged."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from thuis.accounts import scope
from thuis.audit import events

from . import rules
from .models import DoelgroepPeriod, IntegrationCase


def case_queryset_for_user(*, user: Any) -> QuerySet[IntegrationCase]:
    if scope.sees_person_files(user):
        return IntegrationCase.objects.filter(municipality__in=scope.municipality_ids(user))
    return IntegrationCase.objects.none()


def case_list_for_user(
    *,
    user: Any,
    name: str = "",
    status: str = "",
    regisseur_id: int | None = None,
    cohort: int | None = None,
    only_mine: bool = False,
) -> QuerySet[IntegrationCase]:
    """Caseload: cases with person and regisseur in one query. Log reads per shown page."""
    qs = (
        case_queryset_for_user(user=user)
        .select_related("person", "regisseur", "team")
        .annotate(open_signals=Count("signals", filter=Q(signals__resolved_on__isnull=True)))
    )
    if name:
        for part in name.split():
            qs = qs.filter(
                Q(person__family_name__icontains=part) | Q(person__given_names__icontains=part)
            )
    if status:
        qs = qs.filter(status=status)
    if regisseur_id:
        qs = qs.filter(regisseur_id=regisseur_id)
    if only_mine:
        qs = qs.filter(regisseur=user)
    if cohort:
        qs = qs.filter(plicht_start__year=cohort)
    return qs.order_by("person__family_name", "person__given_names", "-plicht_start")


def cases_of_person_for_user(*, user: Any, person_id: int) -> QuerySet[IntegrationCase]:
    return (
        case_queryset_for_user(user=user)
        .filter(person_id=person_id)
        .select_related("regisseur", "team")
        .prefetch_related("doelgroepen", "status_changes")
        .order_by("-plicht_start")
    )


def case_get_for_user(*, user: Any, case_id: int, view: str = "traject") -> IntegrationCase:
    case = (
        case_queryset_for_user(user=user)
        .select_related("person", "regisseur", "team")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        if scope.active_user(user):
            events.access_denied(user=user, object_type="case", object_id=case_id)
        raise Http404("Traject niet gevonden.")
    events.persons_read(user=user, persons=[case.person], view=view)
    return case


def cohorts_for_user(*, user: Any) -> list[int]:
    return sorted(
        {d.year for d in case_queryset_for_user(user=user).dates("plicht_start", "year")},
        reverse=True,
    )


def case_detail_for_user(*, user: Any, case_id: int) -> IntegrationCase:
    """A case with everything the case page shows, fetched in a fixed number of queries."""
    case = case_get_for_user(user=user, case_id=case_id, view="traject")
    return (
        IntegrationCase.objects.select_related(
            "person", "person__municipality", "regisseur", "team", "intake", "ontzorgen"
        )
        .prefetch_related(
            "doelgroepen",
            "status_changes",
            "pips",
            "extensions",
            "progress_talks",
            "exams",
            "hours",
            "completions",
            "appointments",
            "measures",
            "signals",
            "ontzorgen__payments",
        )
        .get(pk=case.pk)
    )


def may_see_health(*, user: Any, case: IntegrationCase) -> bool:
    """Health notes (special category): the case's regisseur and its team's teamleider only."""
    if not scope.sees_person_files(user):
        return False
    if case.regisseur_id == user.pk:
        return True
    if user.role == "teamleider":
        return case.team_id is None or case.team_id == user.team_id
    return False


def health_notes_for_user(*, user: Any, case: IntegrationCase) -> list[Any] | None:
    """None when the user may not see health notes; the read is logged as special category."""
    if not may_see_health(user=user, case=case):
        return None
    notes = list(case.health_notes.all())
    if notes:
        events.record(
            user=user,
            action="read",
            object_type="health_note",
            subjects=[(str(case.pk), case.person.bsn)],
            activity=events.Activity.INTAKE,
            reason="bijzonder persoonsgegeven (gezondheid)",
        )
    return notes


def work_queue_for_user(*, user: Any, only_mine: bool = True) -> QuerySet[Any]:
    """Open signals for the caseload (regisseur: own cases; teamleider: team or municipality)."""
    from .models import CaseSignal

    qs = CaseSignal.objects.filter(
        resolved_on__isnull=True, case__in=case_queryset_for_user(user=user)
    ).select_related("case", "case__person", "case__regisseur")
    if only_mine and user.role == "regisseur":
        qs = qs.filter(case__regisseur=user)
    elif only_mine and user.role == "teamleider" and user.team_id:
        qs = qs.filter(case__team_id=user.team_id)
    return qs.order_by("due_date", "case_id")


def current_doelgroep(case: IntegrationCase) -> DoelgroepPeriod | None:
    """The case's current doelgroep period (`rules.current_period` over its history; reads
    the prefetched `doelgroepen` when there are)."""
    return rules.current_period(
        case.doelgroepen.all(), start=lambda p: p.start_date, end=lambda p: p.end_date
    )

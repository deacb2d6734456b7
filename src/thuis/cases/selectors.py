"""The only way to read integration cases for a user. Reads of personal data are logged."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from thuis.accounts import scope
from thuis.audit import events

from .models import IntegrationCase


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
    qs = case_queryset_for_user(user=user).select_related("person", "regisseur", "team")
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

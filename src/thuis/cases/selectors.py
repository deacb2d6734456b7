"""The only way to read integration cases for a user. Reads of personal data are logged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from thuis.accounts import scope
from thuis.audit import events

from . import rules
from .choices import OPEN_STATUSES
from .models import BredeIntake, ComponentCompletion, DoelgroepPeriod, IntegrationCase, Pip


def case_queryset_for_user(*, user: Any) -> QuerySet[IntegrationCase]:
    if scope.sees_person_files(user):
        return IntegrationCase.objects.filter(municipality__in=scope.municipality_ids(user))
    return IntegrationCase.objects.none()


def case_list_for_user(*, user: Any) -> QuerySet[IntegrationCase]:
    """Caseload: cases with person and regisseur in one query. Log reads per shown page.

    The caseload's filters are `filters.CaseFilter` (shared with the API list)."""
    return (
        case_queryset_for_user(user=user)
        .select_related("person", "regisseur", "team")
        .annotate(open_signals=Count("signals", filter=Q(signals__resolved_on__isnull=True)))
        .order_by("person__family_name", "person__given_names", "-plicht_start")
    )


def cases_of_person_for_user(*, user: Any, person_id: int) -> QuerySet[IntegrationCase]:
    return (
        case_queryset_for_user(user=user)
        .filter(person_id=person_id)
        .select_related("regisseur", "team")
        .prefetch_related("doelgroepen", "status_changes")
        .order_by("-plicht_start")
    )


def case_get_for_user(*, user: Any, case_id: int, view: str = "traject") -> IntegrationCase:
    return scope.get_for_user(
        case_queryset_for_user(user=user).select_related("person", "regisseur", "team"),
        case_id,
        user=user,
        not_found="Traject niet gevonden.",
        object_type="case",
        view=view,
    )


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


def intake_of_case(*, case: IntegrationCase) -> BredeIntake | None:
    """The case's brede intake; None before it started. The caller read the case through a
    scoped selector (`case_get_for_user`), which logged the read."""
    return BredeIntake.objects.filter(case=case).first()


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


# --- system reads (no user: the caller is a system component) ---------------------------------


def newest_case_by_bsn(*, bsn: str, gemeentecode: str, regime: str) -> IntegrationCase | None:
    """The newest case of this BSN, regime and gemeente with its PIPs, doelgroepen and
    extensions; None when there is none. No user scope: for system components only (the local
    DUO simulator's demo source), never for a screen."""
    return (
        IntegrationCase.objects.filter(
            person__bsn=bsn, municipality__code=gemeentecode, regime=regime
        )
        .prefetch_related("pips", "doelgroepen", "extensions")
        .order_by("-plicht_start")
        .first()
    )


def current_case_of_person(*, person: Any) -> IntegrationCase | None:
    """The person's open case with the latest start of the plicht, else the latest case; None
    when the person has none. No user scope: for system components (the DUO inbox)."""
    cases = IntegrationCase.objects.filter(person=person).select_related("person", "municipality")
    return (
        cases.filter(status__in=OPEN_STATUSES).order_by("-plicht_start").first()
        or cases.order_by("-plicht_start").first()
    )


# --- aggregates for other apps (counts and ids only; no person leaves these) ------------------


def open_case_ids(*, municipality: Any, regime: str) -> set[int]:
    """Ids of the gemeente's open cases under this regime."""
    return set(
        IntegrationCase.objects.filter(
            municipality=municipality, regime=regime, status__in=OPEN_STATUSES
        ).values_list("pk", flat=True)
    )


def latest_leerroutes(*, case_ids: Iterable[int]) -> dict[int, str]:
    """Leerroute of each case's latest PIP version (one query)."""
    latest: dict[int, str] = {}
    for case_id, leerroute in (
        Pip.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "version")
        .values_list("case_id", "leerroute")
    ):
        latest[case_id] = leerroute
    return latest


def open_cases_by_doelgroep_and_start_year(
    *, municipality: Any, regime: str
) -> dict[tuple[str, int], int]:
    """Open cases under this regime per current doelgroep and start year (the year of the
    vestiging, else of the start of the plicht)."""
    rows = (
        DoelgroepPeriod.objects.filter(
            end_date__isnull=True,
            case__municipality=municipality,
            case__regime=regime,
            case__status__in=OPEN_STATUSES,
        )
        .annotate(start=ExtractYear(Coalesce("case__vestiging_date", "case__plicht_start")))
        .values("doelgroep", "start")
        .annotate(n=Count("case", distinct=True))
    )
    return {(row["doelgroep"], row["start"]): row["n"] for row in rows}


# --- reads for the partner view (partners.selectors.partner_view logs them) -------------------


def latest_pip_by_person(*, person_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(leerroute label, niveau) of each person's latest PIP version."""
    latest: dict[int, tuple[str, str]] = {}
    for pip in (
        Pip.objects.filter(case__person_id__in=person_ids)
        .order_by("case__plicht_start", "version")
        .select_related("case")
    ):
        latest[pip.case.person_id] = (pip.get_leerroute_display(), pip.niveau)
    return latest


def work_wishes_by_person(*, person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's participation wishes from the brede intake (the latest case's wins)."""
    wishes: dict[int, str] = {}
    for intake in (
        BredeIntake.objects.filter(case__person_id__in=person_ids)
        .order_by("case__plicht_start")
        .select_related("case")
    ):
        if intake.participation_wishes:
            wishes[intake.case.person_id] = intake.participation_wishes
    return wishes


def case_counts_by_status(*, municipality: Any) -> dict[str, int]:
    """status -> number of the gemeente's cases (statuses without cases left out)."""
    return dict(
        IntegrationCase.objects.filter(municipality=municipality)
        .values_list("status")
        .annotate(n=Count("pk"))
    )


CASELOAD_PAGE = 25


def caseload_page_for_user(
    *, user: Any, cases: QuerySet[IntegrationCase], number: Any
) -> Page[IntegrationCase]:
    """One page of the (filtered) caseload, with the read of its persons logged."""
    page = Paginator(cases, CASELOAD_PAGE).get_page(number)
    events.persons_read(user=user, persons=[c.person for c in page], view="caseload")
    return page


WORK_QUEUE_PAGE = 200


def work_queue_page_for_user(*, user: Any, only_mine: bool = True) -> list[Any]:
    """The first signals of the work queue, with the read of their persons logged."""
    signals = list(work_queue_for_user(user=user, only_mine=only_mine)[:WORK_QUEUE_PAGE])
    events.persons_read(user=user, persons={s.case.person for s in signals}, view="werkvoorraad")
    return signals


def current_doelgroep(case: IntegrationCase) -> DoelgroepPeriod | None:
    """The case's current doelgroep period (`rules.current_period` over its history; reads
    the prefetched `doelgroepen` when there are)."""
    return rules.current_period(
        case.doelgroepen.all(), start=lambda p: p.start_date, end=lambda p: p.end_date
    )


def pip_with_case(*, pip_id: int) -> Pip:
    """A PIP with its case, person and gemeente loaded (for a system hand-off, no user)."""
    return Pip.objects.select_related("case", "case__person", "case__municipality").get(pk=pip_id)


def completion_with_case(*, completion_id: int) -> ComponentCompletion:
    """A component completion with its case, person and gemeente loaded (for a system hand-off)."""
    return ComponentCompletion.objects.select_related(
        "case", "case__person", "case__municipality"
    ).get(pk=completion_id)

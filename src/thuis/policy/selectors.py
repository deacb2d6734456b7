"""Reads for the policy screens, scoped to the user's role and municipalities.

Policy staff (beleidsmedewerker) work on plans and reports; the beheerder may look. Nobody here
sees a person: the plan and the reports hold aggregates only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.core import formatting
from thuis.people.models import Municipality

from . import report as report_builder
from . import rules
from .models import Action, Goal, Plan, Report, ReportJob, ReportVersion, Theme
from .sources import Sources

EDIT_ROLES = {Role.BELEIDSMEDEWERKER}
VIEW_ROLES = {Role.BELEIDSMEDEWERKER, Role.BEHEERDER}


def sees_policy(user: Any) -> bool:
    return scope.active_user(user) and user.role in VIEW_ROLES


def edits_policy(user: Any) -> bool:
    return scope.active_user(user) and user.role in EDIT_ROLES


def municipalities_for_user(*, user: Any) -> QuerySet[Municipality]:
    if not sees_policy(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=scope.municipality_ids(user)).order_by("name")


def municipality_for_user(*, user: Any, code: str | None = None) -> Municipality:
    qs = municipalities_for_user(user=user)
    found = qs.filter(code=code).first() if code else qs.first()
    if found is None:
        raise Http404("Gemeente niet gevonden.")
    return found


def plan_by_title(*, municipality: Municipality, title: str) -> Plan | None:
    """The gemeente's plan with this title, if any (system writers: the demo)."""
    return Plan.objects.filter(municipality=municipality, title=title).first()


def plans_for_user(*, user: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(municipality__in=municipalities_for_user(user=user))


def plan_get_for_user(*, user: Any, pk: int) -> Plan:
    return scope.get_for_user(
        plans_for_user(user=user).select_related("municipality"),
        pk,
        user=user,
        not_found="Plan niet gevonden.",
    )


def theme_get_for_user(*, user: Any, pk: int) -> Theme:
    return scope.get_for_user(
        Theme.objects.select_related("plan__municipality").filter(
            plan__in=plans_for_user(user=user)
        ),
        pk,
        user=user,
        not_found="Thema niet gevonden.",
    )


def goal_get_for_user(*, user: Any, pk: int) -> Goal:
    return scope.get_for_user(
        Goal.objects.select_related("theme__plan").filter(
            theme__plan__in=plans_for_user(user=user)
        ),
        pk,
        user=user,
        not_found="Doel niet gevonden.",
    )


def action_get_for_user(*, user: Any, pk: int) -> Action:
    return scope.get_for_user(
        Action.objects.select_related("theme__plan", "owner").filter(
            theme__plan__in=plans_for_user(user=user)
        ),
        pk,
        user=user,
        not_found="Actie niet gevonden.",
    )


def reports_for_user(*, user: Any) -> QuerySet[Report]:
    return Report.objects.filter(municipality__in=municipalities_for_user(user=user))


def report_get_for_user(*, user: Any, pk: int) -> Report:
    return scope.get_for_user(
        reports_for_user(user=user).select_related("municipality", "plan"),
        pk,
        user=user,
        not_found="Rapport niet gevonden.",
    )


def version_get_for_user(*, user: Any, pk: int) -> ReportVersion:
    return scope.get_for_user(
        ReportVersion.objects.select_related("report__municipality").filter(
            report__in=reports_for_user(user=user)
        ),
        pk,
        user=user,
        not_found="Versie niet gevonden.",
    )


def job_get_for_user(*, user: Any, pk: int) -> ReportJob:
    return scope.get_for_user(
        ReportJob.objects.select_related("version").filter(report__in=reports_for_user(user=user)),
        pk,
        user=user,
        not_found="Opdracht niet gevonden.",
    )


def plan_progress(*, plan: Plan, peildatum: date, sources: Sources) -> list[dict[str, Any]]:
    """Per theme: action counts, the actions, and each goal with the measured value."""
    themes = plan.themes.prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner")), "goals"
    )
    out = []
    cache: dict[str, Any] = {}
    for theme in themes:
        actions = list(theme.actions.all())
        goals = []
        for goal in theme.goals.all():
            measured = None
            met = None
            state = "geen indicator"
            if goal.indicator_code:
                if goal.indicator_code not in cache:
                    cache[goal.indicator_code] = report_builder._total_cell(
                        sources.indicator_table(
                            code=goal.indicator_code,
                            municipality=plan.municipality,
                            peildatum=peildatum,
                            per=[],
                        )
                    )
                cell = cache[goal.indicator_code]
                if cell is None:
                    state = "niet beschikbaar"
                elif not rules.visible(cell):
                    state = "afgeschermd (te weinig personen)"
                else:
                    measured = formatting.percent(cell["waarde"])
                    met = rules.goal_met(
                        value=float(cell["waarde"]),
                        target=goal.target_value,
                        comparison=goal.comparison,
                    )
                    state = "gehaald" if met else "nog niet gehaald"
            goals.append({"goal": goal, "measured": measured, "met": met, "state": state})
        out.append(
            {
                "theme": theme,
                "progress": rules.action_progress(a.status for a in actions),
                "actions": actions,
                "goals": goals,
            }
        )
    return out


def plan_list_summary(*, user: Any, municipality: Municipality) -> QuerySet[Plan]:
    return (
        plans_for_user(user=user)
        .filter(municipality=municipality)
        .annotate(
            theme_count=Count("themes", distinct=True),
            action_count=Count("themes__actions", distinct=True),
            done_count=Count(
                "themes__actions", filter=Q(themes__actions__status="done"), distinct=True
            ),
        )
    )

"""Filters of the case lists: one FilterSet for the caseload screen and the API list.

`/personen/` (web) and `/api/v1/trajecten/` (API) take the same query parameters (status,
regisseur, cohort, mijn) through `CaseFilter` and give the same cases for them. Both start from
the user's scoped queryset, so a filter never widens what the user may see. The screen adds the
name search (`CaseloadFilter`); the API has none, because a name never goes into an API URL
(no BSN or name in URLs).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.people import selectors as people_selectors

from . import selectors
from .choices import CaseStatus
from .models import IntegrationCase


@extend_schema_field(OpenApiTypes.BOOL)
class CheckboxFilter(django_filters.Filter):
    """A checkbox: checked ("on", "true") filters, unchecked or absent does not."""

    field_class = forms.BooleanField


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.TypedChoiceFilter):
    """A choice of ids whose options depend on the user (filled in by the FilterSet)."""


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label=_("Alle statussen")
    )
    regisseur = IdChoiceFilter(
        label=_("Regisseur"),
        field_name="regisseur_id",
        coerce=int,
        empty_value=None,
        choices=[],
    )
    cohort = IdChoiceFilter(
        label=_("Cohort (jaar start plicht)"),
        field_name="plicht_start__year",
        coerce=int,
        empty_value=None,
        choices=[],
    )
    mijn = CheckboxFilter(label=_("Alleen mijn caseload"), method="filter_mine", required=False)

    class Meta:
        model = IntegrationCase
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: Any = None, *, request: Any = None, **kw: Any
    ) -> None:
        super().__init__(data, queryset, request=request, **kw)
        user = getattr(request, "user", None)

        def regisseurs() -> list[tuple[Any, Any]]:
            users = get_user_model().objects.filter(
                role=Role.REGISSEUR, municipalities__in=scope.municipality_ids(user)
            )
            return [("", _("Alle regisseurs")), *((u.pk, str(u)) for u in users.distinct())]

        def cohorts() -> list[tuple[Any, Any]]:
            years = selectors.cohorts_for_user(user=user)
            return [("", _("Alle jaren")), *((c, str(c)) for c in years)]

        # On this instance's own copy of the field (the class-level field may already exist, e.g.
        # after the API schema was built). Callables: read only when a value is checked or the
        # form is shown, so an unfiltered API list costs no extra query.
        self.filters["regisseur"].field.choices = regisseurs
        self.filters["cohort"].field.choices = cohorts

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(regisseur=self.request.user) if value else queryset


class CaseloadFilter(CaseFilter):
    """The caseload screen: `CaseFilter` plus the search on (part of) a name."""

    naam = django_filters.CharFilter(label=_("Zoek op naam"), method="filter_name", max_length=100)

    class Meta(CaseFilter.Meta):
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # One name search for the whole project (people.search): accents, case, hyphens, the
        # order ("Achternaam, Voornaam") and common transliterations do not matter.
        return people_selectors.filter_by_name(queryset, value, prefix="person__")

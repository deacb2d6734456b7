"""Filters of the cost list: one FilterSet for the cost screen and the API list.

`/financien/kosten/` (web) and `/api/v1/financien/kosten/` (API) take the same query parameters
(`jaar`, `soort`) through `CostFilter` and give the same cost entries for them. Both start from
the gemeente's entries (`selectors.cost_entries`), chosen with `gemeente` and scoped to the user.
An invalid value gives a 400 problem in the API (DjangoFilterBackend) and a field error on the
screen, where the filter is then not applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .choices import CostCategory
from .models import CostEntry

YEAR_MESSAGE = _("Vul een jaar in, bijvoorbeeld 2026.")


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.Filter):
    """A year from 2000 to 2100."""

    field_class = forms.IntegerField


class CostFilter(django_filters.FilterSet):
    jaar = YearFilter(
        label=_("Jaar"),
        field_name="year",
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": YEAR_MESSAGE,
            "min_value": YEAR_MESSAGE,
            "max_value": YEAR_MESSAGE,
        },
    )
    soort = django_filters.ChoiceFilter(
        label=_("Soort kosten"),
        field_name="category",
        choices=CostCategory.choices,
        empty_label=_("Alle soorten"),
    )

    class Meta:
        model = CostEntry
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        years: Iterable[int] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(data, queryset, request=request, **kw)
        if years is not None:
            # The screen offers the years that have budget lines or costs as a choice.
            self.form.fields["jaar"].widget = forms.Select(choices=[(y, str(y)) for y in years])

"""API endpoints for finance figures (/api/v1/financien/...): beleidsmedewerker and beheerder only.

Registered in thuis/api/urls.py. Everything here is aggregate or bookkeeping data; no person.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors
from .filters import YEAR_MESSAGE, CostFilter
from .models import BudgetLine, CostEntry, Scenario

_PROBLEM = OpenApiResponse(description="Fout (application/problem+json).")
_ERRORS = {400: _PROBLEM, 401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM}
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}

GEMEENTE = OpenApiParameter(
    "gemeente", OpenApiTypes.STR, description="CBS-gemeentecode (standaard: uw eerste gemeente)."
)
JAAR = OpenApiParameter("jaar", OpenApiTypes.INT, description="Alleen dit jaar.")


class SeesFinance(BasePermission):
    message = "Uw rol geeft geen toegang tot de financiën."

    def has_permission(self, request, view) -> bool:
        return selectors.sees_finance(request.user)


def _municipality(request: Request):
    return selectors.municipality_for_user(
        user=request.user, code=request.query_params.get("gemeente") or None
    )


def _year(request: Request) -> int | None:
    value = request.query_params.get("jaar")
    if not value:
        return None
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise serializers.ValidationError({"jaar": YEAR_MESSAGE})
    return int(value)


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "year", "source", "description", "amount", "reference"]


class CostEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CostEntry
        fields = [
            "id",
            "booked_on",
            "year",
            "category",
            "provider",
            "description",
            "amount",
            "hours",
            "hourly_rate",
            "origin",
        ]


class ScenarioSerializer(serializers.ModelSerializer):
    parameters = serializers.SerializerMethodField()

    class Meta:
        model = Scenario
        fields = ["id", "name", "description", "is_default", "version", "parameters"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_parameters(self, obj) -> dict:
        return selectors.scenario_current_version(scenario=obj).parameters


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    statushouders = serializers.DecimalField(**MONEY)
    asiel_plichtig = serializers.DecimalField(**MONEY)
    nareizigers = serializers.DecimalField(**MONEY)
    gezinsmigranten = serializers.DecimalField(**MONEY)
    income_spuk = serializers.DecimalField(**MONEY)
    income_onderwijsroute = serializers.DecimalField(**MONEY)
    income_fixed = serializers.DecimalField(**MONEY)
    income_total = serializers.DecimalField(**MONEY)
    cost_routes = serializers.DecimalField(**MONEY)
    cost_components = serializers.DecimalField(**MONEY)
    cost_running = serializers.DecimalField(**MONEY)
    cost_staff = serializers.DecimalField(**MONEY)
    cost_other = serializers.DecimalField(**MONEY)
    spending_total = serializers.DecimalField(**MONEY)
    result = serializers.DecimalField(**MONEY)
    cumulative = serializers.DecimalField(**MONEY)
    shortfall = serializers.BooleanField()
    below_zero = serializers.BooleanField()


class ForecastSerializer(serializers.Serializer):
    scenario = serializers.CharField()
    version = serializers.IntegerField()
    first_year = serializers.IntegerField()
    opening_balance = serializers.DecimalField(**MONEY)
    closing_balance = serializers.DecimalField(**MONEY)
    warnings = serializers.ListField(child=serializers.CharField())
    years = YearSerializer(many=True)


class AmountRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    amount = serializers.DecimalField(**MONEY)


class CountRowSerializer(serializers.Serializer):
    doelgroep = serializers.CharField()
    count = serializers.CharField(help_text="Kleine aantallen zijn afgeschermd ('<10', 'x').")


class MunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    municipality = MunicipalitySerializer()
    year = serializers.IntegerField()
    budget = AmountRowSerializer(many=True)
    budget_total = serializers.DecimalField(**MONEY)
    costs = AmountRowSerializer(many=True)
    costs_total = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**MONEY)
    running_cases = CountRowSerializer(many=True)
    forecast = ForecastSerializer(allow_null=True)
    estimates = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


class FinanceBudgetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Begrotingsregels per jaar en bron."""

    serializer_class = BudgetLineSerializer
    permission_classes = [SeesFinance]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BudgetLine.objects.none()
        return selectors.budget_lines(
            municipality=_municipality(self.request), year=_year(self.request)
        )

    @extend_schema(
        parameters=[GEMEENTE, JAAR], responses={200: BudgetLineSerializer(many=True), **_ERRORS}
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)


class FinanceCostViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Werkelijke kosten (realisatie)."""

    serializer_class = CostEntrySerializer
    permission_classes = [SeesFinance]
    filterset_class = CostFilter  # the same filters as the cost screen

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CostEntry.objects.none()
        return selectors.cost_entries(municipality=_municipality(self.request))

    @extend_schema(
        parameters=[GEMEENTE],
        responses={200: CostEntrySerializer(many=True), **_ERRORS},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)


class FinanceScenarioViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Scenario's met hun huidige parameters, en de prognose per scenario."""

    serializer_class = ScenarioSerializer
    permission_classes = [SeesFinance]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Scenario.objects.none()
        return selectors.scenarios(municipality=_municipality(self.request)).prefetch_related(
            "versions"
        )

    def get_object(self):
        return selectors.scenario_get_for_user(
            user=self.request.user, scenario_id=int(self.kwargs["pk"])
        )

    @extend_schema(parameters=[GEMEENTE], responses={200: ScenarioSerializer(many=True), **_ERRORS})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ScenarioSerializer, **_ERRORS})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={200: ForecastSerializer, **_ERRORS})
    @action(detail=True, methods=["get"], url_path="prognose", url_name="forecast")
    def forecast(self, request: Request, pk: str) -> Response:
        scenario = self.get_object()
        params, projection = selectors.scenario_projection(scenario=scenario)
        data = {
            "scenario": scenario.name,
            "version": scenario.version,
            "first_year": params.first_year,
            "opening_balance": projection.opening_balance,
            "closing_balance": projection.closing_balance,
            "warnings": [w.message for w in projection.warnings],
            "years": selectors.projection_rows(projection),
        }
        return Response(ForecastSerializer(data).data)


class FinanceOverviewViewSet(viewsets.ViewSet):
    """De financiële paragraaf van de evaluatie: begroot, uitgegeven en de prognose."""

    permission_classes = [SeesFinance]

    @extend_schema(
        parameters=[GEMEENTE, OpenApiParameter("jaar", OpenApiTypes.INT, required=True)],
        responses={200: OverviewSerializer, **_ERRORS},
    )
    def list(self, request: Request) -> Response:
        year = _year(request)
        if year is None:
            raise serializers.ValidationError({"jaar": YEAR_MESSAGE})
        municipality = _municipality(request)
        section = selectors.finance_report_section(municipality=municipality, year=year)
        data = dict(section)
        data["budget"] = [
            {"key": r["source"], "label": r["label"], "amount": r["amount"]}
            for r in section["budget"]
        ]
        data["costs"] = [
            {"key": r["category"], "label": r["label"], "amount": r["amount"]}
            for r in section["costs"]
        ]
        if data["forecast"] is not None:
            data["forecast"] = {k: v for k, v in data["forecast"].items() if k != "chart_svg"}
        return Response(OverviewSerializer(data).data)

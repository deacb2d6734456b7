"""GET /api/v1/indicatoren/ (catalogue) and GET /api/v1/indicatoren/{code}/ (one table).

Roles: regisseur, teamleider, beleidsmedewerker and beheerder, for their own municipalities.
A partner gets 403, an anonymous caller 401. A gemeente the caller does not work for answers
404 (as if it did not exist), like hidden persons and cases.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from thuis.accounts.choices import TokenPurpose
from thuis.accounts.tokens import authentication_for

from . import indicators, selectors

_PROBLEM = OpenApiResponse(description="Fout (application/problem+json).")


class SeesMonitoring(BasePermission):
    message = "Uw rol geeft geen toegang tot de monitor."

    def has_permission(self, request, view) -> bool:
        return selectors.sees_monitoring(request.user)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()
    definitie = serializers.CharField()
    teller = serializers.CharField()
    noemer = serializers.CharField()
    eenheid = serializers.CharField()
    uitsplitsingen = serializers.ListField(child=serializers.CharField())
    bron = serializers.CharField()


class IndicatorCellSerializer(serializers.Serializer):
    """A cell: the breakdown keys (cohort, geslacht, ... or "totaal"), then the figures."""

    teller = serializers.IntegerField(allow_null=True, help_text="null als onderdrukt.")
    noemer = serializers.IntegerField(
        allow_null=True, help_text="null als onderdrukt (de grootte van een kleine groep)."
    )
    waarde = serializers.FloatField(
        allow_null=True, help_text="Percentage met één decimaal (of mediaan in dagen)."
    )
    ondergrens = serializers.FloatField(allow_null=True, help_text="95%-Wilson-interval.")
    bovengrens = serializers.FloatField(allow_null=True)
    onderdrukt = serializers.BooleanField()


class IndicatorTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    peildatum = serializers.DateField()
    k = serializers.IntegerField(help_text="Cellen met een noemer kleiner dan k zijn onderdrukt.")
    cellen = IndicatorCellSerializer(many=True)


class IndicatorViewSet(viewsets.ViewSet):
    #: Other systems call this with an API key of purpose "indicatoren" (docs/api-keys.md).
    authentication_classes = authentication_for(TokenPurpose.INDICATOREN)
    permission_classes = [SeesMonitoring]
    lookup_field = "code"
    lookup_value_regex = "[A-Z0-9_]+"

    @extend_schema(responses={200: IndicatorSerializer(many=True), 401: _PROBLEM, 403: _PROBLEM})
    def list(self, request: Request) -> Response:
        return Response([i.as_dict() for i in indicators.CATALOGUE.values()])

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Code uit de catalogus, zoals WERK_12M.",
            ),
            OpenApiParameter(
                "gemeente",
                OpenApiTypes.STR,
                description="CBS-gemeentecode(s), komma-gescheiden; standaard al uw gemeenten.",
            ),
            OpenApiParameter("peildatum", OpenApiTypes.DATE, description="Standaard vandaag."),
            OpenApiParameter(
                "per",
                OpenApiTypes.STR,
                description="Uitsplitsingen, komma-"
                "gescheiden: cohort, geslacht, leeftijdsklasse, geboorteland, "
                "leerroute, gemeente.",
            ),
        ],
        responses={
            200: IndicatorTableSerializer,
            400: _PROBLEM,
            401: _PROBLEM,
            403: _PROBLEM,
            404: _PROBLEM,
        },
    )
    def retrieve(self, request: Request, code: str | None = None) -> Response:
        if code not in indicators.CATALOGUE:
            raise Http404
        raw_date = request.query_params.get("peildatum")
        try:
            peildatum = date.fromisoformat(raw_date) if raw_date else timezone.localdate()
        except ValueError as exc:
            raise ValidationError({"peildatum": ["Schrijf de peildatum als JJJJ-MM-DD."]}) from exc
        codes = selectors.parse_per(request.query_params.get("gemeente"))
        municipalities = selectors.municipalities_resolve(user=request.user, codes=codes)
        table = selectors.indicator_table(
            code=code,
            municipality=municipalities,
            peildatum=peildatum,
            per=selectors.parse_per(request.query_params.get("per")),
        )
        return Response(table)

"""POST /api/v1/rekenhulp/: the law calculator for other systems. Stores and logs nothing.

The serializers document the contract of issue 3 for the OpenAPI schema. The input itself is
read by `rekenhulp.compute` (the same code as `thuis rekenhulp`), so the command, the API and the
web page give the same dates for the same facts.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuis.accounts import scope
from thuis.accounts.choices import TokenPurpose
from thuis.accounts.tokens import authentication_for

from . import rules
from .rekenhulp import DATE_CODES, compute, error_field


def _values(kind) -> list[str]:
    return [member.value for member in kind]


# Choice sets of the rekenhulp; SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names their enums
# (Rekenhulp...Enum) so they never collide with the enums of the case serializers.
DOELGROEP_VALUES = _values(rules.Doelgroep)
LEERROUTE_VALUES = _values(rules.Leerroute)
NIVEAU_VALUES = _values(rules.PIP_NIVEAUS)
WET_VALUES = _values(rules.Wet)
LBT_UITSLAG_VALUES = _values(rules.LbtUitslag)
SIGNAAL_VALUES = _values(rules.SignaalCode)


def _enum(values, *, nullable=False, **kwargs):
    return serializers.ChoiceField(choices=values, allow_null=nullable, **kwargs)


class RekenhulpVerlengingSerializer(serializers.Serializer):
    maanden = serializers.IntegerField(
        min_value=1,
        max_value=rules.MAX_EXTENSION_MONTHS,
        help_text="Verlenging van de termijn in maanden (door DUO).",
    )
    alfabetisering = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Alleen Wi2013: verlenging voor alfabetisering (één keer, ten hoogste 24).",
    )


class RekenhulpFactsSerializer(serializers.Serializer):
    """The facts. Dates in ISO 8601 (JJJJ-MM-DD); every key except plicht_start is optional."""

    plicht_start = serializers.DateField(help_text="Start van de inburgeringsplicht.")
    doelgroep = _enum(DOELGROEP_VALUES, nullable=True, required=False)
    kennisgeving_duo = serializers.DateField(
        required=False, allow_null=True, help_text="Datum van de kennisgeving van DUO."
    )
    brp_vestiging = serializers.DateField(
        required=False, allow_null=True, help_text="Datum van vestiging in de gemeente (BRP)."
    )
    pip_dagtekening = serializers.DateField(
        required=False, allow_null=True, help_text="Dagtekening van de PIP."
    )
    leerroute = _enum(LEERROUTE_VALUES, nullable=True, required=False)
    niveau = _enum(NIVEAU_VALUES, nullable=True, required=False)
    eerste_pip = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Is pip_dagtekening de dagtekening van de eerste PIP? Alleen de eerste PIP "
        "zet de termijn.",
    )
    verlengingen = RekenhulpVerlengingSerializer(
        many=True, required=False, help_text="Door DUO toegekende verlengingen."
    )
    bijstand_start = serializers.DateField(required=False, allow_null=True)
    bijstand_einde = serializers.DateField(required=False, allow_null=True)
    lbt_score = serializers.IntegerField(
        min_value=0, max_value=40, required=False, allow_null=True, help_text="Score op de LBT."
    )
    lbt_datum = serializers.DateField(
        required=False, allow_null=True, help_text="Datum van de leerbaarheidstoets."
    )
    peildatum = serializers.DateField(
        required=False, allow_null=True, help_text="Voor welke dag de signalen gelden."
    )


class RekenhulpDatumSerializer(serializers.Serializer):
    datum = serializers.DateField(
        allow_null=True, help_text="null als de datum niet te berekenen is."
    )
    grondslag = serializers.CharField(help_text="Wettelijke grondslag of interpretatie.")
    toelichting = serializers.CharField(help_text="Uitleg in eenvoudig Nederlands.")


RekenhulpDatumsSerializer = type(
    "RekenhulpDatumsSerializer",
    (serializers.Serializer,),
    {code: RekenhulpDatumSerializer() for code in DATE_CODES},
)


class RekenhulpFoutSerializer(serializers.Serializer):
    code = serializers.CharField()
    melding = serializers.CharField()


class RekenhulpSignaalSerializer(serializers.Serializer):
    code = _enum(SIGNAAL_VALUES)
    datum = serializers.DateField()
    melding = serializers.CharField()


class RekenhulpResultSerializer(serializers.Serializer):
    wet = _enum(WET_VALUES)
    datums = RekenhulpDatumsSerializer()
    lbt_uitslag = _enum(LBT_UITSLAG_VALUES, nullable=True)
    fouten = RekenhulpFoutSerializer(
        many=True, help_text="Feiten die niet met elkaar kloppen (de datums zijn wel berekend)."
    )
    signalen = RekenhulpSignaalSerializer(many=True, help_text="Signalen op de peildatum.")


class RekenhulpInvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Het veld, of 'algemeen'.")
    code = serializers.CharField()
    reason = serializers.CharField()


class RekenhulpProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    invalidParams = RekenhulpInvalidParamSerializer(many=True)  # noqa: N815 - problem+json member name


class ActiveStaff(BasePermission):
    """Every active, logged-in role: the rekenhulp holds no personal data."""

    def has_permission(self, request, view) -> bool:
        return scope.active_user(request.user)


_EXAMPLE = {
    "plicht_start": "2023-03-01",
    "doelgroep": "asielstatushouder",
    "kennisgeving_duo": "2023-03-10",
    "brp_vestiging": "2023-04-01",
    "pip_dagtekening": "2023-06-01",
    "leerroute": "B1",
    "niveau": "B1",
    "verlengingen": [{"maanden": 6}],
    "bijstand_start": "2023-04-01",
    "peildatum": "2025-06-01",
}


class RekenhulpApi(APIView):
    #: Other systems call this with an API key of purpose "rekenhulp" (docs/api-keys.md).
    authentication_classes = authentication_for(TokenPurpose.REKENHULP)
    permission_classes = [ActiveStaff]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rekenhulp_calculate",
        tags=["rekenhulp"],
        summary="Bereken de datums uit de Wet inburgering",
        description=(
            "Rekent met de feiten in de body alle wettelijke datums uit, met grondslag en "
            "toelichting. Er wordt niets opgeslagen of gelogd. Zelfde rekenregels als "
            "`thuis rekenhulp` en de pagina /rekenhulp/. Zie docs/rekenhulp.md."
        ),
        request=RekenhulpFactsSerializer,
        responses={
            200: RekenhulpResultSerializer,
            400: OpenApiResponse(
                RekenhulpProblemSerializer,
                description="De invoer is niet bruikbaar (application/problem+json).",
            ),
            401: OpenApiResponse(description="Niet ingelogd (application/problem+json)."),
            415: OpenApiResponse(description="Gebruik application/json."),
        },
        examples=[
            OpenApiExample("Asielstatushouder in de B1-route", value=_EXAMPLE, request_only=True)
        ],
    )
    def post(self, request: Request) -> Response:
        try:
            result = compute(request.data)
        except rules.RekenhulpInputError as exc:
            problem = {
                "type": "about:blank",
                "title": "Ongeldige invoer.",
                "status": 400,
                "detail": "De rekenhulp kan deze invoer niet gebruiken.",
                "instance": request.path,
                "invalidParams": [
                    {"name": error_field(e), "code": e.code, "reason": e.melding}
                    for e in exc.errors
                ],
            }
            return Response(problem, status=400, content_type="application/problem+json")
        return Response(result)

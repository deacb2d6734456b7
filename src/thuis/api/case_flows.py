"""Case flows in the API: the same services as the regisseur's web forms."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from thuis.cases import selectors as case_selectors
from thuis.cases import services as case_services
from thuis.cases.choices import (
    Alfabetisering,
    AppointmentKind,
    Component,
    ExamComponent,
    ExamResultValue,
    HoursKind,
    Intensiteit,
    Leerroute,
    PipReason,
    PlichtEndReason,
)
from thuis.cases.models import BredeIntake, CaseSignal, Pip
from thuis.core.actor import as_actor

_PROBLEM = OpenApiResponse(description="Fout (application/problem+json).")
ERRORS = {400: _PROBLEM, 401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM}


class PipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pip
        fields = [
            "version",
            "dagtekening",
            "leerroute",
            "niveau",
            "pvt_intensiteit",
            "map_intensiteit",
            "begeleiding",
            "ondersteuning",
            "ontzorgen",
            "voortgangsafspraken",
            "alfabetisering",
            "geschatte_intensiteit_b1",
            "mag_opleiding_afmaken",
            "reason",
            "reason_text",
        ]
        read_only_fields = fields


class PipCreateSerializer(serializers.Serializer):
    dagtekening = serializers.DateField()
    leerroute = serializers.ChoiceField(choices=Leerroute.choices)
    niveau = serializers.ChoiceField(
        choices=[("A2", "A2"), ("B1", "B1")], required=False, allow_blank=True, default=""
    )
    reason = serializers.ChoiceField(choices=PipReason.choices, default=PipReason.EERSTE)
    reason_text = serializers.CharField(max_length=255, required=False, allow_blank=True)
    pvt_intensiteit = serializers.ChoiceField(choices=Intensiteit.choices, required=False)
    map_intensiteit = serializers.ChoiceField(
        choices=Intensiteit.choices, required=False, allow_blank=True
    )
    begeleiding = serializers.CharField(required=False, allow_blank=True)
    ondersteuning = serializers.CharField(required=False, allow_blank=True)
    ontzorgen = serializers.BooleanField(required=False)
    voortgangsafspraken = serializers.CharField(required=False, allow_blank=True)
    alfabetisering = serializers.ChoiceField(choices=Alfabetisering.choices, required=False)
    geschatte_intensiteit_b1 = serializers.IntegerField(min_value=1, max_value=9999, required=False)
    mag_opleiding_afmaken = serializers.BooleanField(required=False)


class IntakeSerializer(serializers.ModelSerializer):
    """The brede intake without health notes (special category, never in the API)."""

    class Meta:
        model = BredeIntake
        fields = [
            "status",
            "started_on",
            "completed_on",
            "lbt_score",
            "lbt_date",
            "lbt_outcome",
            "lbt_review",
            "education_history",
            "work_history",
            "finances",
            "housing",
            "social_network",
            "family_childcare",
            "vve_children",
            "participation_wishes",
            "talk_without_partner_offered",
            "talk_without_partner_held",
        ]
        read_only_fields = ["status", "lbt_outcome", "lbt_review"]
        extra_kwargs = {f: {"required": False} for f in fields}


class ExamCreateSerializer(serializers.Serializer):
    component = serializers.ChoiceField(choices=ExamComponent.choices)
    level = serializers.ChoiceField(
        choices=[("A2", "A2"), ("B1", "B1"), ("B2", "B2")],
        required=False,
        allow_blank=True,
        default="",
        help_text="Leeg voor KNM en ONA (één examen zonder niveau).",
    )
    exam_date = serializers.DateField()
    result = serializers.ChoiceField(choices=ExamResultValue.choices)


class HoursCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HoursKind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)
    source = serializers.CharField(  # type: ignore[assignment]  # "source" is a field here
        max_length=100, required=False, allow_blank=True
    )


class TalkCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    summary = serializers.CharField()
    agreements = serializers.CharField(required=False, allow_blank=True)


class CompletionCreateSerializer(serializers.Serializer):
    component = serializers.ChoiceField(choices=Component.choices)
    completed_on = serializers.DateField()


class AppointmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AppointmentKind.choices)
    scheduled_on = serializers.DateField()
    invitation_sent_on = serializers.DateField(required=False)


class EndSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PlichtEndReason.choices)
    on = serializers.DateField()


class SignalSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseSignal
        fields = ["code", "due_date", "message", "raised_on"]
        read_only_fields = fields


class DatesSerializer(serializers.Serializer):
    wet = serializers.CharField()
    datums = serializers.DictField(child=serializers.DictField())
    lbt_uitslag = serializers.CharField(allow_null=True)
    fouten = serializers.ListField(child=serializers.DictField())
    signalen = serializers.ListField(child=serializers.DictField())


class CaseFlowsMixin:
    """Adds the regie flows as sub-resources of /trajecten/{id}/."""

    def _case(self, request: Request, pk: str) -> Any:
        return case_selectors.case_get_for_user(user=request.user, case_id=int(pk), view="api")

    def _run(
        self, request: Request, serializer_class: type[serializers.Serializer]
    ) -> dict[str, Any]:
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return {k: v for k, v in data.validated_data.items() if v not in (None,)}

    @extend_schema(
        responses={200: DatesSerializer, **ERRORS},
        description="Alle wettelijke datums van het traject, zoals de rekenhulp.",
    )
    def dates(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        return Response(case_services.case_dates(case, today=timezone.localdate()))

    @extend_schema(responses={200: SignalSerializer(many=True), **ERRORS})
    def signals(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        return Response(
            SignalSerializer(case.signals.filter(resolved_on__isnull=True), many=True).data
        )

    def _pip_list(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        return Response(PipSerializer(case.pips.order_by("version"), many=True).data)

    def _pip_create(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        data = self._run(request, PipCreateSerializer)
        pip = case_services.pip_establish(
            case=case, by=as_actor(request.user), today=timezone.localdate(), **data
        )
        return Response(PipSerializer(pip).data, status=201)

    def _intake_get(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        intake = case_selectors.intake_of_case(case=case)
        return Response(IntakeSerializer(intake).data if intake else {})

    def _intake_post(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        data = IntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intake = case_services.intake_update(
            case=case, by=as_actor(request.user), today=timezone.localdate(), **data.validated_data
        )
        return Response(IntakeSerializer(intake).data)

    def _simple_post(
        self,
        request: Request,
        pk: str,
        serializer_class: Any,
        service: Any,
        with_today: bool = False,
    ) -> Response:
        case = self._case(request, pk)
        data = self._run(request, serializer_class)
        extra = {"today": timezone.localdate()} if with_today else {}
        service(case=case, by=as_actor(request.user), **data, **extra)
        return Response({"status": "ok"}, status=201)

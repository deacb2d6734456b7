"""REST endpoints of the partners app.

Partners (own organisation only, only allow-listed fields):
  GET  /api/v1/partner/verwijzingen/            referrals of the own organisation
  GET  /api/v1/partner/verwijzingen/{id}/
  POST /api/v1/partner/verwijzingen/{id}/status/        accept, decline, start, end
  POST /api/v1/partner/verwijzingen/{id}/rapportages/   one report (hours, attendance, ...)
  POST /api/v1/partner/rapportages/             many reports at once: all or nothing, idempotent
Regisseurs and teamleiders (persons of their municipalities):
  GET/POST /api/v1/verwijzingen/, GET /api/v1/verwijzingen/{id}/
  GET/POST /api/v1/deelnameperioden/, GET /api/v1/deelnameperioden/{id}/
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from thuis.accounts.choices import TokenPurpose
from thuis.accounts.permissions import SeesPersonFiles
from thuis.accounts.tokens import authentication_for
from thuis.audit import events
from thuis.cases import selectors as case_selectors
from thuis.core.errors import ValidationFailed
from thuis.people import selectors as people_selectors

from . import imports, rules, selectors, services
from .choices import (
    ContractType,
    EndReason,
    ReferralStatus,
    ReferralType,
    SpellKind,
)
from .filters import PartnerReferralFilter
from .models import Organisation, ParticipationSpell, PartnerReport, Referral

_PROBLEM = OpenApiResponse(description="Fout (application/problem+json).")


#: Partner endpoints also accept an API key of purpose "partner-verwijzingen" (`Authorization:
#: Bearer ...`), first in the list so that a missing or bad key answers 401. Only here.
PARTNER_AUTHENTICATION = authentication_for(TokenPurpose.PARTNER_VERWIJZINGEN)


class IsPartner(BasePermission):
    message = "Alleen voor gebruikers van een partnerorganisatie."

    def has_permission(self, request: Any, view: Any) -> bool:
        return selectors.is_partner(request.user)


# --- Partner serializers -----------------------------------------------------------------------


class PartnerPersonSchema(serializers.Serializer):
    """Every field a partner can ever get. A response holds only the fields of its purpose."""

    name = serializers.CharField(required=False, help_text="Alle doelen.")
    birth_date = serializers.DateField(required=False, help_text="mb, taal, sport.")
    contact_language = serializers.CharField(
        required=False, allow_null=True, help_text="mb, vrijwilligers."
    )
    preferred_language = serializers.CharField(required=False, allow_null=True, help_text="taal.")
    household_composition = serializers.CharField(required=False, help_text="mb.")
    leerroute = serializers.CharField(required=False, allow_null=True, help_text="taal.")
    niveau = serializers.CharField(required=False, allow_null=True, help_text="taal.")
    work_wishes = serializers.CharField(required=False, allow_null=True, help_text="werkgever.")


@extend_schema_field(PartnerPersonSchema)
class PartnerPersonField(serializers.Field):
    """Outputs exactly the allow-listed dict built by `selectors.partner_view`."""

    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in value.items()}


class PartnerReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    referral_type = serializers.ChoiceField(choices=ReferralType.choices, read_only=True)
    purpose = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    sent_on = serializers.DateField(read_only=True)
    decided_on = serializers.DateField(read_only=True, allow_null=True)
    started_on = serializers.DateField(read_only=True, allow_null=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    end_reason = serializers.CharField(read_only=True)
    status_reason = serializers.CharField(read_only=True)
    person = PartnerPersonField(read_only=True)


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    on_date = serializers.DateField(required=False, help_text="Standaard: vandaag.")
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    end_reason = serializers.ChoiceField(
        choices=[("", ""), *EndReason.choices], required=False, default=""
    )


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerReport
        fields = [
            "id",
            "kind",
            "period_start",
            "period_end",
            "hours",
            "sessions_attended",
            "sessions_missed",
            "note",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("note", "")
        return attrs


class ReportBatchSerializer(serializers.Serializer):
    rijen = serializers.ListField(
        child=serializers.DictField(),
        max_length=imports.MAX_ROWS,
        help_text="Regels met de kolommen verwijzing, soort, van, tot_en_met, uren, aanwezig, "
        "afwezig, toelichting (zoals in het CSV-bestand).",
    )


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


# --- Partner endpoints -------------------------------------------------------------------------


class PartnerReferralViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Referrals to the caller's organisation: only the fields their purpose allows."""

    serializer_class = PartnerReferralSerializer
    authentication_classes = PARTNER_AUTHENTICATION
    permission_classes = [IsPartner]
    queryset = Referral.objects.none()
    filterset_class = PartnerReferralFilter  # the same filters as the portal screen

    def get_queryset(self):
        return (
            selectors.referral_queryset_for_partner(user=self.request.user)
            .select_related("person")
            .order_by("pk")
        )

    @extend_schema(
        responses={
            200: PartnerReferralSerializer(many=True),
            400: _PROBLEM,
            401: _PROBLEM,
            403: _PROBLEM,
        }
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # noqa: S101 - pagination is always configured
        events.persons_read(
            user=request.user,
            persons=[r.person for r in page],
            activity=events.Activity.PARTNER,
            view="api-partner-verwijzingen",
        )
        data = PartnerReferralSerializer(selectors.partner_view(page), many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses={200: PartnerReferralSerializer, 401: _PROBLEM, 404: _PROBLEM})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        referral = selectors.referral_get_for_partner(
            user=request.user, referral_id=_int(kwargs["pk"]), view="api-partner-verwijzing"
        )
        return Response(PartnerReferralSerializer(selectors.partner_view([referral])[0]).data)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: PartnerReferralSerializer, 400: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def transition(self, request: Request, pk: str) -> Response:
        referral = selectors.referral_get_for_partner(
            user=request.user, referral_id=_int(pk), view="api-partner-status"
        )
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_transition(
            by=request.user,
            referral=referral,
            to=data.validated_data["status"],
            actor=rules.PARTNER,
            on=data.validated_data.get("on_date") or timezone.localdate(),
            reason=data.validated_data["reason"],
            end_reason=data.validated_data["end_reason"],
        )
        return Response(PartnerReferralSerializer(selectors.partner_view([referral])[0]).data)

    @extend_schema(
        request=ReportSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer, 400: _PROBLEM, 404: _PROBLEM},
        description="Eén rapportage. Dezelfde verwijzing, soort en periode nog eens: vervangt "
        "de waarden (200), of verandert niets als ze gelijk zijn.",
    )
    @action(detail=True, methods=["post"], url_path="rapportages")
    def report(self, request: Request, pk: str) -> Response:
        referral = selectors.referral_get_for_partner(
            user=request.user, referral_id=_int(pk), view="api-partner-rapportage"
        )
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, outcome = services.report_save(
            by=request.user, referral=referral, **data.validated_data
        )
        return Response(
            ReportSerializer(report).data,
            status=status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK,
        )


class PartnerReportBatchViewSet(viewsets.ViewSet):
    """Many reports in one request: all or nothing, and the same batch twice changes nothing."""

    authentication_classes = PARTNER_AUTHENTICATION
    permission_classes = [IsPartner]

    @extend_schema(
        request=ReportBatchSerializer,
        responses={200: ImportResultSerializer, 400: _PROBLEM, 401: _PROBLEM, 403: _PROBLEM},
    )
    def create(self, request: Request) -> Response:
        data = ReportBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            rows = imports.rows_from_objects(data.validated_data["rijen"])
            if not rows:
                raise imports.ImportFailed(["Geen regels."])
            result = imports.import_reports(by=request.user, rows=rows)
        except imports.ImportFailed as exc:
            raise serializers.ValidationError({"rijen": exc.errors}) from exc
        return Response(ImportResultSerializer(result).data)


# --- Regisseur endpoints -----------------------------------------------------------------------


class ReferralSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    person = serializers.IntegerField(source="person_id")

    class Meta:
        model = Referral
        fields = [
            "id",
            "person",
            "organisation",
            "referral_type",
            "purpose",
            "consent_on",
            "status",
            "sent_on",
            "decided_on",
            "started_on",
            "ended_on",
            "end_reason",
            "status_reason",
        ]
        read_only_fields = [
            "id",
            "status",
            "sent_on",
            "decided_on",
            "started_on",
            "ended_on",
            "end_reason",
            "status_reason",
        ]


class SpellSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=SpellKind.choices)
    contract_type = serializers.ChoiceField(
        choices=ContractType.choices, required=False, default=""
    )

    class Meta:
        model = ParticipationSpell
        fields = [
            "id",
            "person",
            "kind",
            "start_date",
            "end_date",
            "hours_per_week",
            "organisation",
            "sector",
            "contract_type",
            "description",
            "source",
            "source_key",
        ]
        read_only_fields = ["id", "source"]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


_PERSON_FILTER = OpenApiParameter("persoon", int, description="Alleen deze persoon (id).")


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    permission_classes = [SeesPersonFiles]
    queryset = Referral.objects.none()

    def get_queryset(self):
        qs = selectors.referral_queryset_for_user(user=self.request.user).select_related("person")
        person = self.request.query_params.get("persoon")
        if person:
            qs = qs.filter(person_id=_int(person))
        return qs.order_by("pk")

    @extend_schema(
        parameters=[_PERSON_FILTER],
        responses={200: ReferralSerializer(many=True), 401: _PROBLEM, 403: _PROBLEM},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101
        events.persons_read(
            user=request.user, persons=[r.person for r in page], view="api-verwijzingen"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: ReferralSerializer, 401: _PROBLEM, 404: _PROBLEM})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        referral = selectors.referral_get_for_user(
            user=request.user, referral_id=_int(kwargs["pk"]), view="api-verwijzing"
        )
        return Response(self.get_serializer(referral).data)

    @extend_schema(
        request=ReferralSerializer,
        responses={201: ReferralSerializer, 200: ReferralSerializer, 400: _PROBLEM, 404: _PROBLEM},
        description="Deel een persoon met een partner. Bestaat er al een open verwijzing voor "
        "hetzelfde doel bij dezelfde organisatie, dan komt die terug (200) en komt er geen "
        "tweede bij.",
    )
    def create(self, request: Request) -> Response:
        data = ReferralSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = people_selectors.person_get_for_user(
            user=request.user, person_id=values["person_id"], view="api-verwijzen"
        )
        case = case_selectors.cases_of_person_for_user(
            user=request.user, person_id=person.pk
        ).first()
        referral, created = services.referral_share(
            by=request.user,
            person=person,
            organisation=values["organisation"],
            referral_type=values["referral_type"],
            purpose=values.get("purpose", ""),
            consent_on=values.get("consent_on"),
            case=case,
            today=timezone.localdate(),
        )
        return Response(
            ReferralSerializer(referral).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SpellViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SpellSerializer
    permission_classes = [SeesPersonFiles]
    queryset = ParticipationSpell.objects.none()

    def get_queryset(self):
        qs = selectors.spell_queryset_for_user(user=self.request.user).select_related("person")
        person = self.request.query_params.get("persoon")
        if person:
            qs = qs.filter(person_id=_int(person))
        return qs.order_by("pk")

    @extend_schema(
        parameters=[_PERSON_FILTER],
        responses={200: SpellSerializer(many=True), 401: _PROBLEM, 403: _PROBLEM},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101
        events.persons_read(
            user=request.user, persons=[s.person for s in page], view="api-deelnameperioden"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: SpellSerializer, 401: _PROBLEM, 404: _PROBLEM})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        spell = (
            selectors.spell_queryset_for_user(user=request.user)
            .select_related("person")
            .filter(pk=_int(kwargs["pk"]))
            .first()
        )
        if spell is None:
            events.access_denied(
                user=request.user, object_type="participation_spell", object_id=kwargs["pk"]
            )
            raise NotFound()
        events.persons_read(user=request.user, persons=[spell.person], view="api-deelnameperiode")
        return Response(self.get_serializer(spell).data)

    @extend_schema(
        request=SpellSerializer,
        responses={201: SpellSerializer, 400: _PROBLEM, 404: _PROBLEM},
        description="Met een source_key is aanmaken idempotent: dezelfde sleutel nog eens "
        "werkt de periode bij of verandert niets.",
    )
    def create(self, request: Request) -> Response:
        data = SpellSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = people_selectors.person_get_for_user(
            user=request.user, person_id=values.pop("person_id"), view="api-deelname"
        )
        organisation = values.pop("organisation", None)
        if (
            organisation is not None
            and not organisation.municipalities.filter(pk=person.municipality_id).exists()
        ):
            raise ValidationFailed("Deze organisatie werkt niet in de gemeente van deze persoon.")
        spell = services.spell_create(
            by=request.user,
            person=person,
            organisation=organisation,
            source="import" if values.get("source_key") else "handmatig",
            **values,
        )
        return Response(SpellSerializer(spell).data, status=status.HTTP_201_CREATED)

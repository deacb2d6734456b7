"""REST endpoint for the DUO data of a case (regisseur and teamleider, their own gemeenten).

  GET /api/v1/trajecten/{id}/duo/   what DUO knows, DUO signals, messages in and out

No BSN and no raw message bodies: the caller already knows the person through the case.
Status fields are plain strings (with a Dutch label next to them) so the OpenAPI schema gets
no enum that collides with the `status` enums of other apps.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thuis.accounts.permissions import SeesPersonFiles
from thuis.cases import selectors as case_selectors

from . import selectors

_PROBLEM = OpenApiResponse(description="Fout (application/problem+json).")


class DuoStateSerializer(serializers.Serializer):
    kennisgeving_date = serializers.DateField(allow_null=True)
    pip_deadline = serializers.DateField(allow_null=True)
    pip_dagtekening = serializers.DateField(allow_null=True)
    termijn_start = serializers.DateField(allow_null=True)
    termijn_end = serializers.DateField(allow_null=True)
    verlengingsgrond = serializers.CharField()


class DuoSignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField(help_text="gebeurtenis, attentiesignaal of intern")
    title = serializers.CharField()
    text = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="open of done")
    created_at = serializers.DateTimeField()


class DuoInboxSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    gebeurtenis_id = serializers.CharField()
    description = serializers.CharField()
    registratie_datum_tijd = serializers.DateTimeField()
    status = serializers.CharField(
        help_text="received, processing, processed, failed of unknown_code"
    )
    status_label = serializers.CharField(source="get_status_display")
    error = serializers.CharField()


class DuoOutboxSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    api = serializers.CharField()
    operation = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField(help_text="pending, sending, sent of failed")
    status_label = serializers.CharField(source="get_status_display")
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField()
    last_error = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class CaseDuoSerializer(serializers.Serializer):
    state = DuoStateSerializer(allow_null=True)
    signals = DuoSignalSerializer(many=True)
    inbox = DuoInboxSerializer(many=True)
    outbox = DuoOutboxSerializer(many=True)


class CaseDuoViewSet(viewsets.GenericViewSet):
    """/trajecten/{id}/duo/: the DUO koppeling seen from one case."""

    permission_classes = [SeesPersonFiles]
    serializer_class = CaseDuoSerializer

    def get_queryset(self) -> Any:
        return case_selectors.case_queryset_for_user(user=self.request.user)

    @extend_schema(
        responses={200: CaseDuoSerializer, 401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM},
        description=(
            "Wat DUO weet over het traject (PIP-termijn, inburgeringstermijn), de signalen van "
            "DUO en de berichten van en aan DUO (status, pogingen, fouten). Zonder BSN."
        ),
    )
    @action(detail=True, methods=["get"], url_path="duo", url_name="duo")
    def duo(self, request: Request, pk: str) -> Response:
        data = selectors.case_duo_api_for_user(user=request.user, case_id=int(pk))
        return Response(CaseDuoSerializer(data).data)

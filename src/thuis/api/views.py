from __future__ import annotations

from django.utils import timezone

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thuis.audit import events
from thuis.cases import selectors as case_selectors
from thuis.cases import services as case_services
from thuis.people import selectors as people_selectors

from .permissions import SeesPersonFiles
from .serializers import (
    BsnSearchSerializer,
    CaseSerializer,
    PersonSerializer,
    StatusChangeSerializer,
)

_PROBLEM = OpenApiResponse(description="Fout (application/problem+json).")


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Persons in the caller's scope. Every returned person is written to the processing log."""

    serializer_class = PersonSerializer
    permission_classes = [SeesPersonFiles]

    def get_queryset(self):
        return people_selectors.person_queryset_for_user(user=self.request.user).order_by("pk")

    @extend_schema(responses={200: PersonSerializer(many=True), 401: _PROBLEM, 403: _PROBLEM})
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - pagination is always configured
        events.persons_read(user=request.user, persons=page, view="api-personen")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: PersonSerializer, 401: _PROBLEM, 404: _PROBLEM})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        person = people_selectors.person_get_for_user(
            user=request.user, person_id=int(kwargs["pk"]), view="api-persoon"
        )
        return Response(self.get_serializer(person).data)

    @extend_schema(
        request=BsnSearchSerializer,
        responses={200: PersonSerializer, 400: _PROBLEM, 401: _PROBLEM, 404: _PROBLEM},
        description="Zoek een persoon op BSN. Het BSN staat in de body, nooit in de URL.",
    )
    @action(detail=False, methods=["post"], url_path="zoeken")
    def search(self, request: Request) -> Response:
        data = BsnSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = people_selectors.person_find_by_bsn_for_user(
            user=request.user, bsn=data.validated_data["bsn"]
        )
        if person is None:
            from rest_framework.exceptions import NotFound

            raise NotFound("Geen persoon gevonden met dit BSN binnen uw bevoegdheid.")
        return Response(self.get_serializer(person).data)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    permission_classes = [SeesPersonFiles]

    def get_queryset(self):
        return (
            case_selectors.case_queryset_for_user(user=self.request.user)
            .select_related("person", "regisseur")
            .prefetch_related("doelgroepen")
            .order_by("pk")
        )

    @extend_schema(responses={200: CaseSerializer(many=True), 401: _PROBLEM, 403: _PROBLEM})
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101
        events.persons_read(
            user=request.user, persons=[c.person for c in page], view="api-trajecten"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: CaseSerializer, 401: _PROBLEM, 404: _PROBLEM})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        case = case_selectors.case_get_for_user(
            user=request.user, case_id=int(kwargs["pk"]), view="api-traject"
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(
        request=StatusChangeSerializer,
        responses={200: CaseSerializer, 400: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM, 409: _PROBLEM},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: str) -> Response:
        case = case_selectors.case_get_for_user(user=request.user, case_id=int(pk))
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_services.case_change_status(
            case=case,
            to=data.validated_data["status"],
            by=request.user,
            on=data.validated_data.get("on_date") or timezone.localdate(),
            reason=data.validated_data.get("reason", ""),
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(case).data)

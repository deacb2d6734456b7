from __future__ import annotations

from django.utils import timezone

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thuis.accounts.permissions import SeesPersonFiles
from thuis.audit import events
from thuis.cases import selectors as case_selectors
from thuis.cases import services as case_services
from thuis.cases.filters import CaseFilter
from thuis.core.actor import as_actor
from thuis.people import selectors as people_selectors

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
    # Cases in the caller's scope; the filters are the caseload screen's (`CaseFilter`).
    serializer_class = CaseSerializer
    permission_classes = [SeesPersonFiles]
    filterset_class = CaseFilter

    def get_queryset(self):
        return (
            case_selectors.case_queryset_for_user(user=self.request.user)
            .select_related("person", "regisseur")
            .prefetch_related("doelgroepen")
            .order_by("pk")
        )

    @extend_schema(
        responses={200: CaseSerializer(many=True), 400: _PROBLEM, 401: _PROBLEM, 403: _PROBLEM}
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
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
            by=as_actor(request.user),
            on=data.validated_data.get("on_date") or timezone.localdate(),
            reason=data.validated_data.get("reason", ""),
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(case).data)


from thuis.cases import services as _cs  # noqa: E402

from .case_flows import (  # noqa: E402
    ERRORS,
    AppointmentCreateSerializer,
    CaseFlowsMixin,
    CompletionCreateSerializer,
    DatesSerializer,
    EndSerializer,
    ExamCreateSerializer,
    HoursCreateSerializer,
    IntakeSerializer,
    PipCreateSerializer,
    PipSerializer,
    SignalSerializer,
    TalkCreateSerializer,
)

_OK = {201: OpenApiResponse(description="Vastgelegd."), **ERRORS}


class CaseFlowViewSet(CaseFlowsMixin, viewsets.GenericViewSet):
    """Regie flows on a case (/trajecten/{id}/...). Same services and rules as the web forms."""

    permission_classes = [SeesPersonFiles]
    serializer_class = CaseSerializer

    def get_queryset(self):
        return case_selectors.case_queryset_for_user(user=self.request.user)

    @extend_schema(
        responses={200: DatesSerializer, **ERRORS},
        description="Alle wettelijke datums van het traject, zoals de rekenhulp.",
    )
    @action(detail=True, methods=["get"], url_path="datums")
    def datums(self, request: Request, pk: str) -> Response:
        return self.dates(request, pk)

    @extend_schema(responses={200: SignalSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], url_path="signalen")
    def signalen(self, request: Request, pk: str) -> Response:
        return self.signals(request, pk)

    @extend_schema(methods=["GET"], responses={200: PipSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=PipCreateSerializer,
        responses={201: PipSerializer, **ERRORS},
        description="Stel een (nieuwe versie van de) PIP vast. DUO-regels gelden.",
    )
    @action(detail=True, methods=["get", "post"], url_path="pip")
    def pip(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            return self._pip_create(request, pk)
        return self._pip_list(request, pk)

    @extend_schema(methods=["GET"], responses={200: IntakeSerializer, **ERRORS})
    @extend_schema(
        methods=["POST"], request=IntakeSerializer, responses={200: IntakeSerializer, **ERRORS}
    )
    @action(detail=True, methods=["get", "post"], url_path="intake")
    def intake(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            return self._intake_post(request, pk)
        return self._intake_get(request, pk)

    @extend_schema(request=ExamCreateSerializer, responses=_OK)
    @action(detail=True, methods=["post"], url_path="examens")
    def examens(self, request: Request, pk: str) -> Response:
        return self._simple_post(
            request, pk, ExamCreateSerializer, _cs.exam_record, with_today=True
        )

    @extend_schema(request=HoursCreateSerializer, responses=_OK)
    @action(detail=True, methods=["post"], url_path="uren")
    def uren(self, request: Request, pk: str) -> Response:
        return self._simple_post(
            request, pk, HoursCreateSerializer, _cs.hours_record, with_today=True
        )

    @extend_schema(request=TalkCreateSerializer, responses=_OK)
    @action(detail=True, methods=["post"], url_path="gesprekken")
    def gesprekken(self, request: Request, pk: str) -> Response:
        return self._simple_post(
            request, pk, TalkCreateSerializer, _cs.progress_talk_add, with_today=True
        )

    @extend_schema(request=CompletionCreateSerializer, responses=_OK)
    @action(detail=True, methods=["post"], url_path="afgerond")
    def afgerond(self, request: Request, pk: str) -> Response:
        return self._simple_post(
            request, pk, CompletionCreateSerializer, _cs.completion_record, with_today=True
        )

    @extend_schema(request=AppointmentCreateSerializer, responses=_OK)
    @action(detail=True, methods=["post"], url_path="afspraken")
    def afspraken(self, request: Request, pk: str) -> Response:
        return self._simple_post(request, pk, AppointmentCreateSerializer, _cs.appointment_plan)

    @extend_schema(request=EndSerializer, responses=_OK)
    @action(detail=True, methods=["post"], url_path="einde")
    def einde(self, request: Request, pk: str) -> Response:
        return self._simple_post(request, pk, EndSerializer, _cs.plicht_end, with_today=True)

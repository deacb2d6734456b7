import functools
import re
from typing import Any

from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from thuis.cases.api import RekenhulpApi
from thuis.core.errors import problem_response
from thuis.duo import api as duo_api
from thuis.finance import api as finance_api
from thuis.monitoring import api as monitoring_api
from thuis.partners import api as partners_api

from . import views
from .docs import api_docs_view

#: An id in a path: a positive whole number that fits the database's bigint.
ID = re.compile(r"[0-9]{1,18}")


def _checked_ids(view: Any, kwarg: str) -> Any:
    """The view, but an id that is not a number answers 400 problem+json before the view runs
    (issue 15: `/api/v1/personen/abc/` was a 500)."""

    @functools.wraps(view)
    def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
        if kwarg in kwargs and not ID.fullmatch(str(kwargs[kwarg])):
            return problem_response(
                400,
                detail="De invoer is niet geldig.",
                instance=request.path,
                invalid_params=[{"name": "id", "reason": "Een id is een positief geheel getal."}],
            )
        return view(request, *args, **kwargs)

    return checked


class IdRouter(SimpleRouter):
    """Every viewset's detail routes check their id (unless the viewset has its own pattern)."""

    def get_urls(self) -> list[Any]:
        urls = super().get_urls()
        for pattern in urls:
            viewset = getattr(pattern.callback, "cls", None)
            if viewset is None or getattr(viewset, "lookup_value_regex", None):
                continue
            kwarg = str(
                getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            )
            if kwarg in pattern.pattern.regex.groupindex:
                pattern.callback = _checked_ids(pattern.callback, kwarg)
        return urls


router = IdRouter(trailing_slash=True)
router.register("personen", views.PersonViewSet, basename="person")
router.register("trajecten", views.CaseViewSet, basename="case")
router.register("trajecten", views.CaseFlowViewSet, basename="case-flow")
router.register("trajecten", duo_api.CaseDuoViewSet, basename="case-duo")
router.register("financien/begroting", finance_api.FinanceBudgetViewSet, basename="finance-budget")
router.register("financien/kosten", finance_api.FinanceCostViewSet, basename="finance-cost")
router.register(
    "financien/scenarios", finance_api.FinanceScenarioViewSet, basename="finance-scenario"
)
router.register(
    "financien/overzicht", finance_api.FinanceOverviewViewSet, basename="finance-overview"
)

router.register(
    "partner/verwijzingen", partners_api.PartnerReferralViewSet, basename="partner-referral"
)
router.register(
    "partner/rapportages", partners_api.PartnerReportBatchViewSet, basename="partner-report-batch"
)
router.register("verwijzingen", partners_api.ReferralViewSet, basename="referral")
router.register("deelnameperioden", partners_api.SpellViewSet, basename="spell")
router.register("indicatoren", monitoring_api.IndicatorViewSet, basename="indicator")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs_view, name="docs"),
    path("rekenhulp/", RekenhulpApi.as_view(), name="rekenhulp"),
    path("", include(router.urls)),
]

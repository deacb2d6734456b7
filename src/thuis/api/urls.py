from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from thuis.cases.api import RekenhulpApi
from thuis.duo import api as duo_api
from thuis.finance import api as finance_api
from thuis.monitoring import api as monitoring_api
from thuis.partners import api as partners_api

from . import views
from .docs import api_docs_view

router = SimpleRouter(trailing_slash=True)
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

from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from thuis.cases.api import RekenhulpApi

from . import views
from .docs import api_docs_view

router = SimpleRouter(trailing_slash=True)
router.register("personen", views.PersonViewSet, basename="person")
router.register("trajecten", views.CaseViewSet, basename="case")
router.register("trajecten", views.CaseFlowViewSet, basename="case-flow")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs_view, name="docs"),
    path("rekenhulp/", RekenhulpApi.as_view(), name="rekenhulp"),
    path("", include(router.urls)),
]

"""The people app's own pages. The caseload and the person page (with cases) come from
thuis.cases.caseload_views; thuis/urls.py mounts them under this app's `people` names."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("huishoudens/<int:pk>/", views.household_detail, name="household"),
]

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("begroting/", views.budget, name="budget"),
    path("begroting/<int:pk>/", views.budget_edit, name="budget-edit"),
    path("begroting/<int:pk>/verwijderen/", views.budget_delete, name="budget-delete"),
    path("bedragen/", views.rates, name="rates"),
    path("kosten/", views.costs, name="costs"),
    path("kosten/<int:pk>/verwijderen/", views.cost_delete, name="cost-delete"),
    path("kosten/inlezen/", views.cost_import, name="cost-import"),
    path("kosten/inlezen/<int:pk>/", views.cost_import_preview, name="cost-import-preview"),
    path("scenarios/", views.scenarios, name="scenarios"),
    path("scenarios/nieuw/", views.scenario_create, name="scenario-create"),
    path("scenarios/<int:pk>/", views.scenario_edit, name="scenario-edit"),
    path("scenarios/<int:pk>/standaard/", views.scenario_default, name="scenario-default"),
    path("export/", views.export, name="export"),
]

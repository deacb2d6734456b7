from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("monitor/", views.dashboard, name="dashboard"),
    path("monitor/indicator/<str:code>/", views.indicator_detail, name="indicator"),
    path("monitor/indicator/<str:code>/export/", views.indicator_export, name="export"),
    path("monitor/benchmark/", views.benchmark, name="benchmark"),
    path("monitor/benchmark/export/", views.benchmark_export, name="benchmark-export"),
    path("cijfers/<str:gemeentecode>/", views.public_figures, name="public"),
]

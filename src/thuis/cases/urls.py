from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("werkvoorraad/", views.work_queue, name="work-queue"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/pip/<int:version>/pdf/", views.pip_pdf_view, name="pip-pdf"),
    path("<int:pk>/<slug:action>/", views.case_action, name="action"),
]

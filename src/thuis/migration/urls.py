from django.urls import path

from . import views

app_name = "migration"

# The web upload kept the URLs it had under monitoring.
urlpatterns = [
    path("monitor/import/", views.import_upload, name="import"),
    path("monitor/import/<int:pk>/", views.import_detail, name="import-detail"),
]

"""The gemeente's Notificatie API, mounted at /duo/v1/ (DUO's base path convention /v{major})."""

from django.urls import path

from . import views

app_name = "duo_api"

urlpatterns = [
    path("notificaties", views.notificaties, name="notificaties"),
]

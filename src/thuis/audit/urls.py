from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.log_view, name="log"),
    path("inzage/", views.inzage_view, name="inzage"),
]

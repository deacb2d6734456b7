from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("start/", views.home, name="home"),
    path("overzicht/", views.overview, name="overview"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
]

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
]

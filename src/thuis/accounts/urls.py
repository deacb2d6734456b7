from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("tweede-stap/", views.otp_view, name="otp"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
]

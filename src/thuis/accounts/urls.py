from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("tweede-stap/", views.otp_view, name="otp"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("gebruikers/", views.users, name="users"),
    path(
        "gebruikers/<int:pk>/tweede-stap-opnieuw/",
        views.user_reset_second_factor,
        name="user-reset-second-factor",
    ),
    path("gebruikers/<int:pk>/actief/", views.user_set_active, name="user-set-active"),
]

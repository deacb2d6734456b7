from django.urls import path

from . import respondent_views

app_name = "respond"

urlpatterns = [
    path("bedankt/", respondent_views.respond_thanks, name="thanks"),
    path("open/<str:token>/", respondent_views.respond_public, name="public"),
    path("<str:token>/", respondent_views.respond_personal, name="personal"),
]

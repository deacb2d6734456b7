from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household"),
]

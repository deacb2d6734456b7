from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("importeren/", views.survey_import, name="import"),
    path("nieuw/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/nieuwe-meting/", views.survey_new_wave, name="new-wave"),
    path("<int:pk>/vergelijking/", views.survey_compare, name="compare"),
    path("versie/<int:pk>/", views.version_detail, name="version"),
    path(
        "versie/<int:pk>/vraag-verwijderen/", views.version_question_delete, name="question-delete"
    ),
    path("versie/<int:pk>/status/", views.version_status, name="version-status"),
    path("versie/<int:pk>/openbare-link/", views.version_public_link, name="public-link"),
    path("versie/<int:pk>/xlsform/", views.version_xlsform, name="xlsform"),
    path("versie/<int:pk>/resultaten/", views.version_results, name="results"),
    path("versie/<int:pk>/antwoorden.csv", views.version_responses_csv, name="responses-csv"),
    path("versie/<int:pk>/antwoorden.xlsx", views.version_responses_xlsx, name="responses-xlsx"),
    path(
        "versie/<int:pk>/onderzoeksexport/", views.version_research_export, name="research-export"
    ),
    path(
        "onderzoeksexport/<int:pk>/bestand/",
        views.research_export_file,
        name="research-export-file",
    ),
    path("persoon/<int:pk>/", views.person_surveys, name="person"),
    path("persoon/<int:pk>/uitnodigen/", views.person_invite, name="person-invite"),
    path("persoon/<int:pk>/invullen/<int:version>/", views.person_fill, name="person-fill"),
    path("gesprekken/", views.consultation_list, name="consultations"),
    path("gesprekken/nieuw/", views.consultation_create, name="consultation-create"),
    path("gesprekken/<int:pk>/", views.consultation_detail, name="consultation"),
    path("gesprekken/<int:pk>/wijzigen/", views.consultation_edit, name="consultation-edit"),
    path("adviezen/", views.advice_list, name="advices"),
    path("adviezen/nieuw/", views.advice_create, name="advice-create"),
    path("adviezen/<int:pk>/", views.advice_detail, name="advice"),
    path("adviezen/<int:pk>/afdrukken/", views.advice_print, name="advice-print"),
]

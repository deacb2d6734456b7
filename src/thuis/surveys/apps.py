from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "thuis.surveys"
    label = "surveys"
    verbose_name = "Enquêtes, gesprekken en adviezen"

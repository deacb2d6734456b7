from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "thuis.cases"
    label = "cases"
    verbose_name = "Inburgering"

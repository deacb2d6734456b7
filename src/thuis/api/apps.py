from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "thuis.api"
    label = "api"
    verbose_name = "API"

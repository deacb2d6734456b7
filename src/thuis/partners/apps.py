from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "thuis.partners"
    label = "partners"
    verbose_name = "Partners"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thuis.core"
    label = "core"
    verbose_name = "Thuis"

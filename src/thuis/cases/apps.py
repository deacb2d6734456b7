from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "thuis.cases"
    label = "cases"
    verbose_name = "Inburgering"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()

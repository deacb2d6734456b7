from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thuis.core"
    label = "core"
    verbose_name = "Thuis"

    def ready(self) -> None:
        from . import checks  # noqa: F401  # registers the system checks

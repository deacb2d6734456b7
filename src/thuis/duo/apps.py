from django.apps import AppConfig


class DuoConfig(AppConfig):
    name = "thuis.duo"
    label = "duo"
    verbose_name = "DUO-koppeling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, subscribers  # noqa: F401  (checks registers the system checks)

        subscribers.register()

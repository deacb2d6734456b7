from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "thuis.audit"
    label = "audit"
    verbose_name = "Verwerkingenlog"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "thuis.audit"
    label = "audit"
    verbose_name = "Verwerkingenlog"

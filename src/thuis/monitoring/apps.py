from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "thuis.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

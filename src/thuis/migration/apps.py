from django.apps import AppConfig


class MigrationConfig(AppConfig):
    """The caseload migration import from another system (docs/import.md)."""

    name = "thuis.migration"
    label = "migration"
    verbose_name = "Gegevensmigratie"

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "thuis.people"
    label = "people"
    verbose_name = "Personen"

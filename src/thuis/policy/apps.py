from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "thuis.policy"
    label = "policy"
    verbose_name = "Beleid"

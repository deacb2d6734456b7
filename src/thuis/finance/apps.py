from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "thuis.finance"
    label = "finance"
    verbose_name = "Financiën"

from decimal import Decimal

from django import template

from thuis.finance import rules

register = template.Library()


@register.filter
def eur(value: Decimal | None) -> str:
    """€ 1.234,56 (Dutch notation, cents)."""
    if value is None or value == "":
        return ""
    return rules.format_eur(Decimal(value))


@register.filter
def nl_number(value: Decimal | None) -> str:
    """An expected number of people: 12,35."""
    if value is None:
        return ""
    return f"{Decimal(value):.2f}".replace(".", ",")

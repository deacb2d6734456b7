"""Template filters for Dutch notation; each calls `thuis.core.formatting`.

{% load thuis_format %}
{{ line.amount|euro }}  {{ r.persons|number:2 }}  {{ cell.waarde|percent }}
{{ pip.dagtekening|date_short }}  {{ plan.adopted_on|date_long }}
{{ job.created_at|datetime_short }}
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from thuis.core import formatting

register = template.Library()


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def euro(value: Any) -> str:
    """€ 1.234,56; '' for no value."""
    return formatting.euro(_number(value))


@register.filter
def number(value: Any, decimals: int = 1) -> str:
    """1.234,5 (`|number:2` for two decimals); '' for no value."""
    return formatting.number(_number(value), int(decimals))


@register.filter
def percent(value: Any, decimals: int = 1) -> str:
    """44,0%; '' for no value."""
    return formatting.percent(_number(value), int(decimals))


@register.filter
def date_short(value: date | str | None) -> str:
    """03-12-2026."""
    return formatting.date_short(value)


@register.filter
def date_long(value: date | str | None) -> str:
    """3 december 2026."""
    return formatting.date_long(value)


@register.filter
def datetime_short(value: datetime | None) -> str:
    """03-12-2026 14:05 (local time)."""
    return formatting.datetime_short(value)

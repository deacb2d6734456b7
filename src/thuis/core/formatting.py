"""Dutch notation of dates, numbers, amounts and percentages: the one place for it.

Screens, reports, PDFs, messages and charts format through these functions (templates through
the filters in `thuis.core.templatetags.thuis_format`), so the same value reads the same
everywhere: 03-12-2026, 3 december 2026, 1.234,5, 44,0%, € 1.234,56.

Rounding is half up on the decimal value (45,25 → 45,3), like Django's `floatformat`, so a
table and a chart of the same figure never differ in the last digit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

Number = Decimal | float | int


def _as_date(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def date_short(value: date | str | None) -> str:
    """dd-mm-jjjj (03-12-2026); '' for no date. Accepts a date or an ISO string."""
    d = _as_date(value)
    return f"{d:%d-%m-%Y}" if d else ""


def date_long(value: date | str | None) -> str:
    """3 december 2026 (for letters, reports and explanations); '' for no date."""
    d = _as_date(value)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else ""


def datetime_short(value: datetime | None) -> str:
    """dd-mm-jjjj uu:mm in the local time zone; '' for none."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%d-%m-%Y %H:%M}"


def _rounded(value: Number, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Number | None, decimals: int = 1, *, grouping: bool = True) -> str:
    """1.234,5 (thousands with a dot, decimals with a comma); '' for None.

    `grouping=False` leaves out the thousands separator (1234,5), for running text where the
    figure is a small count or a year-like value.
    """
    if value is None or value == "":
        return ""
    q = _rounded(value, decimals)
    sign = "-" if q < 0 else ""
    whole, _, fraction = f"{abs(q):f}".partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def percent(value: Number | None, decimals: int = 1) -> str:
    """44,0%; '' for None."""
    return f"{number(value, decimals)}%" if value is not None and value != "" else ""


def euro(value: Number | None, *, cents: bool = True) -> str:
    """€ 1.234,56 and -€ 1.234,56; '' for None."""
    if value is None or value == "":
        return ""
    text = number(value, 2 if cents else 0)
    return f"-€ {text[1:]}" if text.startswith("-") else f"€ {text}"


def decimal_comma(value: Number | None) -> str:
    """The value as it is, with a decimal comma (12.50 → 12,50): for CSV cells and form inputs,
    where thousands separators would not read back."""
    return "" if value is None else str(value).replace(".", ",")

"""Server-side SVG chart of the forecast: no JavaScript, no inline styles (strict CSP).

The SVG carries <title> and <desc> (role="img"); screens show the same figures in a data table
next to it, so the chart never is the only way to read the numbers. Colours come from classes in
static/finance/finance.css; bars also differ in pattern (solid vs outlined) and carry labels.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .rules import Projection, format_eur

WIDTH = 640
HEIGHT = 320
MARGIN_LEFT = 96
MARGIN_RIGHT = 16
MARGIN_TOP = 24
MARGIN_BOTTOM = 56


def _short_eur(value: Decimal) -> str:
    """Axis labels: € 1,2 mln / € 350k."""
    v = float(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    if v >= 1_000_000:
        return f"{sign}€ {v / 1_000_000:.1f} mln".replace(".", ",")
    if v >= 1_000:
        return f"{sign}€ {v / 1_000:.0f}k"
    return f"{sign}€ {v:.0f}"


def forecast_chart_svg(
    *, projection: Projection, title_suffix: str = "", chart_id: str = "prognose"
) -> SafeString:
    years = projection.years
    title = "Prognose: inkomsten en uitgaven per jaar"
    if title_suffix:
        title += f" ({title_suffix})"
    desc_parts = [
        f"{y.year}: inkomsten {format_eur(y.income_total)}, uitgaven "
        f"{format_eur(y.spending_total)}, saldo na dit jaar {format_eur(y.cumulative)}"
        for y in years
    ]
    desc = "Staafdiagram. " + ("; ".join(desc_parts) or "Geen gegevens") + "."

    values = [Decimal(0)]
    for y in years:
        values += [y.income_total, y.spending_total, y.cumulative]
    top = max(values)
    bottom = min(values)
    span = top - bottom or Decimal(1)
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT

    def y_of(value: Decimal) -> float:
        return MARGIN_TOP + float((top - value) / span) * plot_h

    zero_y = y_of(Decimal(0))
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fin-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    # Grid lines with labels: top, zero and bottom.
    for value in sorted({top, Decimal(0), bottom}):
        gy = y_of(value)
        parts.append(
            f'<line class="fin-chart__grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
            f'y1="{gy:.1f}" y2="{gy:.1f}"/>'
        )
        parts.append(
            f'<text class="fin-chart__axis" x="{MARGIN_LEFT - 8}" y="{gy + 4:.1f}" '
            f'text-anchor="end">{escape(_short_eur(value))}</text>'
        )
    group_w = plot_w / max(len(years), 1)
    bar_w = group_w / 4
    points: list[str] = []
    for i, y in enumerate(years):
        x0 = MARGIN_LEFT + i * group_w + bar_w / 2
        for j, (cls, value) in enumerate(
            (("income", y.income_total), ("spending", y.spending_total))
        ):
            vy = y_of(value)
            top_y, h = (vy, zero_y - vy) if value >= 0 else (zero_y, vy - zero_y)
            parts.append(
                f'<rect class="fin-chart__bar fin-chart__bar--{cls}" x="{x0 + j * bar_w:.1f}" '
                f'y="{top_y:.1f}" width="{bar_w - 2:.1f}" height="{max(h, 0.5):.1f}"/>'
            )
        cx = x0 + 2.5 * bar_w
        points.append(f"{cx:.1f},{y_of(y.cumulative):.1f}")
        parts.append(
            f'<text class="fin-chart__axis" x="{x0 + bar_w:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}"'
            f' text-anchor="middle">{y.year}</text>'
        )
    if points:
        parts.append(f'<polyline class="fin-chart__line" points="{" ".join(points)}"/>')
        for point, row in zip(points, years, strict=True):
            px, py = point.split(",")
            cls = " fin-chart__dot--negative" if row.below_zero else ""
            parts.append(f'<circle class="fin-chart__dot{cls}" cx="{px}" cy="{py}" r="4"/>')
    # Legend.
    ly = HEIGHT - 18
    legend = (
        ("fin-chart__bar fin-chart__bar--income", "Inkomsten"),
        ("fin-chart__bar fin-chart__bar--spending", "Uitgaven"),
        ("fin-chart__dot", "Saldo na het jaar"),
    )
    for k, (cls, label) in enumerate(legend):
        lx = MARGIN_LEFT + k * 170
        if "dot" in cls:
            parts.append(f'<circle class="{cls}" cx="{lx + 6}" cy="{ly - 4}" r="4"/>')
        else:
            parts.append(f'<rect class="{cls}" x="{lx}" y="{ly - 10}" width="12" height="12"/>')
        parts.append(f'<text class="fin-chart__axis" x="{lx + 18}" y="{ly}">{label}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))

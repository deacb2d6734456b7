"""The forecast as a core column chart: income and spending per year, the balance as a line.

Screens show the same figures in a data table next to it. Income bars are solid, spending bars
outlined, a negative balance point is drawn in the alert colour; the desc reads every figure.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from thuis.core import charts, formatting

from .rules import Projection


def short_eur(value: float) -> str:
    """Axis labels: € 1,2 mln / € 350k."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1_000_000:
        return f"{sign}€ {v / 1_000_000:.1f} mln".replace(".", ",")
    if v >= 1_000:
        return f"{sign}€ {v / 1_000:.0f}k"
    return f"{sign}€ {v:.0f}"


def forecast_chart_svg(
    *, projection: Projection, title_suffix: str = "", chart_id: str = "prognose"
) -> SafeString:
    title = "Prognose: inkomsten en uitgaven per jaar"
    if title_suffix:
        title += f" ({title_suffix})"
    columns = [
        charts.Column(
            label=str(y.year),
            values=(float(y.income_total), float(y.spending_total)),
            texts=(formatting.euro(y.income_total), formatting.euro(y.spending_total)),
            point=float(y.cumulative),
            point_text=formatting.euro(y.cumulative),
            alert=y.below_zero,
        )
        for y in projection.years
    ]
    return charts.column_chart(
        chart_id=chart_id,
        title=title,
        columns=columns,
        series=("Inkomsten", "Uitgaven"),
        line_label="Saldo na het jaar",
        axis_text=short_eur,
        css_class="fin-chart",
    )

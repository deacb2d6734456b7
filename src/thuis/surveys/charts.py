"""Survey results as core charts: one bar per answer option, length = share of respondents.

Suppressed cells get no bar and the text "<k" or "x", exactly like the table next to the chart.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from thuis.core import charts

from .selectors import QuestionResult


def choice_chart_svg(result: QuestionResult) -> SafeString:
    if result.kind != "choices" or not result.rows or result.rows[0].total is None:
        return SafeString("")
    row = result.rows[0]
    if row.total is not None and row.total.hidden:
        return SafeString("")
    bars = [
        charts.Bar(
            label=label,
            value=None if cell.hidden else 100 * cell.share,
            text=cell.percentage or cell.text,
        )
        for label, cell in zip(result.columns, row.cells, strict=True)
    ]
    return charts.bar_chart(
        chart_id=result.chart_id, title=result.label, bars=bars, css_class="srv-chart"
    )

"""Accessible SVG bar charts of survey results (no JavaScript, no inline styles: strict CSP).

Each chart has role="img" with <title> and <desc> listing the shown figures; suppressed cells
get no bar and the text "<k" or "x", exactly like the table next to the chart.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import QuestionResult

WIDTH = 640
BAR_HEIGHT = 26
GAP = 10
LABEL_WIDTH = 240
VALUE_WIDTH = 90


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def choice_chart_svg(result: QuestionResult) -> SafeString:
    """Horizontal bars: one per answer option, length = share of respondents."""
    if result.kind != "choices" or not result.rows or result.rows[0].total is None:
        return mark_safe("")
    row = result.rows[0]
    if row.total is not None and row.total.hidden:
        return mark_safe("")
    chart_id = escape(result.chart_id)
    height = len(result.columns) * (BAR_HEIGHT + GAP) + GAP
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    desc = "; ".join(
        f"{label}: {cell.percentage or cell.text}"
        for label, cell in zip(result.columns, row.cells, strict=True)
    )
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="srv-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(result.label)}</title>',
        f'<desc id="{chart_id}-desc">Staafdiagram. {escape(desc)}.</desc>',
    ]
    for i, (label, cell) in enumerate(zip(result.columns, row.cells, strict=True)):
        y = GAP + i * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text class="srv-chart__label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect class="srv-chart__track" x="{LABEL_WIDTH}" y="{y}" width="{plot}" '
            f'height="{BAR_HEIGHT}"/>'
        )
        if not cell.hidden and cell.share > 0:
            parts.append(
                f'<rect class="srv-chart__bar" x="{LABEL_WIDTH}" y="{y}" '
                f'width="{max(1.0, plot * cell.share):.1f}" height="{BAR_HEIGHT}"/>'
            )
        parts.append(
            f'<text class="srv-chart__value" x="{WIDTH - VALUE_WIDTH + 8}" '
            f'y="{y + BAR_HEIGHT * 0.7:.1f}">'
            f"{escape(cell.percentage or cell.text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))

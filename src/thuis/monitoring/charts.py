"""Server-side SVG charts: no JavaScript, no inline styles (strict CSP).

Every chart is an <svg role="img"> with <title> and <desc>; the desc reads out every value, and
the page shows the same numbers in a data table beside the chart. Colours come from classes in
static/monitoring/monitoring.css; a suppressed bar is drawn as an outlined stub labelled
"onderdrukt", so colour is never the only carrier of meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 680
BAR_H = 22
GAP = 8
LABEL_W = 210
RIGHT = 90
TOP = 28


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or no data
    text: str = ""  # the value as shown (e.g. "44,0%")
    series: int = 0  # 0 or 1: colour class


@dataclass(frozen=True)
class Marker:
    label: str
    value: float


def nl_number(value: float | None, unit: str = "%") -> str:
    if value is None:
        return "onderdrukt"
    text = f"{value:.1f}".replace(".", ",")
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    unit: str = "%",
    markers: Sequence[Marker] = (),
    maximum: float | None = None,
) -> SafeString:
    values = [b.value for b in bars if b.value is not None] + [m.value for m in markers]
    top = maximum if maximum is not None else (100.0 if unit == "%" else max(values, default=1))
    top = max(top, max(values, default=0), 1.0)
    plot_w = WIDTH - LABEL_W - RIGHT
    height = TOP + len(bars) * (BAR_H + GAP) + 24 + 16 * len(markers)
    desc_parts = [f"{b.label}: {b.text or nl_number(b.value, unit)}" for b in bars]
    desc_parts += [f"referentie {m.label}: {nl_number(m.value, unit)}" for m in markers]
    desc = "Staafdiagram. " + ("; ".join(desc_parts) if desc_parts else "Geen gegevens") + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mon-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for tick in (0.0, top / 2, top):
        x = LABEL_W + plot_w * tick / top
        parts.append(
            f'<line class="mon-chart__grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 6}" '
            f'y2="{height - 20 - 16 * len(markers)}"/>'
        )
        parts.append(
            f'<text class="mon-chart__axis" x="{x:.1f}" y="{TOP - 10}" '
            f'text-anchor="middle">{escape(nl_number(tick, unit))}</text>'
        )
    for i, bar in enumerate(bars):
        y = TOP + i * (BAR_H + GAP)
        parts.append(
            f'<text class="mon-chart__label" x="{LABEL_W - 8}" y="{y + BAR_H * 0.7:.1f}" '
            f'text-anchor="end">{escape(bar.label[:34])}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<rect class="mon-chart__bar mon-chart__bar--empty" x="{LABEL_W}" '
                f'y="{y}" width="6" height="{BAR_H}"/>'
            )
            parts.append(
                f'<text class="mon-chart__value" x="{LABEL_W + 12}" '
                f'y="{y + BAR_H * 0.7:.1f}">{escape(bar.text or "onderdrukt")}</text>'
            )
            continue
        w = max(plot_w * bar.value / top, 1.0)
        parts.append(
            f'<rect class="mon-chart__bar mon-chart__bar--s{bar.series}" x="{LABEL_W}" '
            f'y="{y}" width="{w:.1f}" height="{BAR_H}"/>'
        )
        parts.append(
            f'<text class="mon-chart__value" x="{LABEL_W + w + 6:.1f}" '
            f'y="{y + BAR_H * 0.7:.1f}">{escape(bar.text or nl_number(bar.value, unit))}'
            "</text>"
        )
    base = TOP + len(bars) * (BAR_H + GAP) + 8
    for j, marker in enumerate(markers):
        x = LABEL_W + plot_w * marker.value / top
        parts.append(
            f'<line class="mon-chart__marker" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" '
            f'y2="{base + 16 * j}"/>'
        )
        parts.append(
            f'<text class="mon-chart__marker-label" x="{x + 4:.1f}" y="{base + 16 * j + 4}">'
            f"{escape(marker.label[:40])}: {escape(nl_number(marker.value, unit))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))

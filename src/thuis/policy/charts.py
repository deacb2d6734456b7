"""Server-side SVG bar charts for the report (no JavaScript, no external files).

A chart is an <img> with a data URI in HTML and PDF, always with alt text that states every
figure, and always next to a table with the same numbers. Suppressed cells get no bar.
Colours differ in lightness and the target is a dashed line with a text label, so the chart
does not depend on colour alone.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .rules import nl_number

WIDTH = 640
ROW_H = 28
LABEL_W = 170
RIGHT_W = 90
TOP = 30
BOTTOM = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or empty
    low: float | None = None
    high: float | None = None


def _fmt(value: float, unit: str) -> str:
    return f"{nl_number(value)}%" if unit == "%" else f"{nl_number(value, 0)} {unit}"


def _fmt_round(value: float, unit: str) -> str:
    """Axis ticks and targets: no decimals when the value is whole (75%, 100%)."""
    if float(value).is_integer():
        return f"{nl_number(value, 0)}%" if unit == "%" else nl_number(value, 0)
    return _fmt(value, unit)


def alt_text(*, title: str, bars: Sequence[Bar], unit: str, target: float | None) -> str:
    parts = [
        f"{b.label}: {_fmt(b.value, unit)}" if b.value is not None else f"{b.label}: afgeschermd"
        for b in bars
    ]
    text = f"Staafdiagram {title}. " + ("; ".join(parts) if parts else "Geen gegevens") + "."
    if target is not None:
        text += f" Doel: {_fmt(target, unit)}."
    return text


def bar_chart_svg(
    *, title: str, bars: Sequence[Bar], unit: str, target: float | None = None
) -> str:
    """A horizontal bar chart as an SVG document (string)."""
    values = [b.high if b.high is not None else b.value for b in bars if b.value is not None]
    top = 100.0 if unit == "%" else max([*values, target or 0.0, 1.0]) * 1.1
    plot_w = WIDTH - LABEL_W - RIGHT_W
    height = TOP + BOTTOM + ROW_H * max(len(bars), 1)

    def x_of(v: float) -> float:
        return LABEL_W + plot_w * max(0.0, min(v, top)) / top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="DejaVu Sans, sans-serif" '
        'font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(alt_text(title=title, bars=bars, unit=unit, target=target))}</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    axis_y = TOP + ROW_H * max(len(bars), 1)
    ticks = (0.0, 50.0, 100.0) if unit == "%" else (0.0, round(top / 2), round(top))
    for tick in ticks:
        x = x_of(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{axis_y}" stroke="#c8c8c8" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" fill="#333333">'
            f"{escape(_fmt_round(tick, unit))}</text>"
        )
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + 18}" text-anchor="end" fill="#000000">'
            f"{escape(bar.label)}</text>"
        )
        if bar.value is None:
            out.append(
                f'<text x="{LABEL_W + 4}" y="{y + 18}" fill="#333333" font-style="italic">'
                "afgeschermd</text>"
            )
            continue
        total = bar.label.lower().startswith("totaal")
        fill = "#1a4f7a" if total else "#4f8fc0"
        out.append(
            f'<rect x="{LABEL_W}" y="{y + 6}" width="{x_of(bar.value) - LABEL_W:.1f}" '
            f'height="{ROW_H - 12}" fill="{fill}"/>'
        )
        if bar.low is not None and bar.high is not None:
            lo, hi = x_of(bar.low), x_of(bar.high)
            mid = y + ROW_H / 2
            out.append(
                f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}" '
                'stroke="#000000" stroke-width="1.5"/>'
            )
            for x in (lo, hi):
                out.append(
                    f'<line x1="{x:.1f}" y1="{mid - 5:.1f}" x2="{x:.1f}" y2="{mid + 5:.1f}" '
                    'stroke="#000000" stroke-width="1.5"/>'
                )
        out.append(
            f'<text x="{WIDTH - RIGHT_W + 8}" y="{y + 18}" fill="#000000">'
            f"{escape(_fmt(bar.value, unit))}</text>"
        )
    if target is not None:
        x = x_of(target)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{axis_y}" stroke="#b00020" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{TOP - 12}" text-anchor="middle" fill="#b00020">'
            f"doel {escape(_fmt_round(target, unit))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")

"""Server-side SVG charts: the one chart module of Thuis (no JavaScript, no inline styles).

Every chart is an `<svg role="img">` with `<title>` and `<desc>`; the desc is the text
alternative and reads out every figure (`text_alternative`), and every page and report shows
the same numbers in a data table next to the chart, so the chart is never the only way to read
them. Colour is never the only carrier of meaning: a suppressed bar is an outlined stub with
its text ("onderdrukt", "<10"), a target or reference is a dashed line with a label, and the
second series of a column chart is outlined.

Two renderings of the same drawing:
- inline in a page (default): colours come from the `thuis-chart__*` classes in
  static/thuis/thuis.css, so the strict CSP (no inline styles) holds;
- `standalone=True`, for an `<img>` data URI and the PDF (WeasyPrint) where no page CSS
  applies: the same elements carry SVG presentation attributes from `PALETTE` instead (these
  are not style attributes, and an image has no CSP of the page).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from . import formatting

WIDTH = 640
ROW_H = 28
LABEL_W = 190
VALUE_W = 100
TOP = 30
AXIS_H = 26
MARKER_ROW = 16
HIDDEN = "afgeschermd"  # the word for a suppressed cell in reports

#: Presentation attributes per class for standalone SVG (the same colours as thuis.css).
PALETTE: dict[str, dict[str, str]] = {
    "thuis-chart__grid": {"stroke": "#b0b0b0", "stroke-width": "1"},
    "thuis-chart__text": {"fill": "#1a1a1a"},
    "thuis-chart__muted": {"fill": "#333333", "font-style": "italic"},
    "thuis-chart__track": {"fill": "#eef1f4"},
    "thuis-chart__bar thuis-chart__bar--s0": {"fill": "#0b5a8a"},
    "thuis-chart__bar thuis-chart__bar--s1": {"fill": "#8a3b0b"},
    "thuis-chart__bar thuis-chart__bar--total": {"fill": "#0a2f4f"},
    "thuis-chart__bar thuis-chart__bar--outline": {
        "fill": "#ffffff",
        "stroke": "#a04000",
        "stroke-width": "2",
    },
    "thuis-chart__bar thuis-chart__bar--empty": {
        "fill": "#ffffff",
        "stroke": "#555555",
        "stroke-dasharray": "2 2",
    },
    "thuis-chart__interval": {"stroke": "#000000", "stroke-width": "1.5"},
    "thuis-chart__marker": {"stroke": "#1a1a1a", "stroke-width": "1.5", "stroke-dasharray": "4 3"},
    "thuis-chart__target": {"stroke": "#b00020", "stroke-width": "2", "stroke-dasharray": "6 4"},
    "thuis-chart__target-label": {"fill": "#b00020"},
    "thuis-chart__line": {
        "fill": "none",
        "stroke": "#1a1a1a",
        "stroke-width": "2",
        "stroke-dasharray": "6 3",
    },
    "thuis-chart__dot": {"fill": "#1a1a1a"},
    "thuis-chart__dot thuis-chart__dot--alert": {"fill": "#b00020"},
}


@dataclass(frozen=True)
class Bar:
    """One bar. `value` None: suppressed or no data (no bar; `text` says why)."""

    label: str
    value: float | None
    text: str = ""  # the value as shown; by default `value_text(value, unit)`
    series: int = 0  # 0 or 1: colour
    low: float | None = None  # an interval (e.g. 95%), drawn as whiskers
    high: float | None = None
    total: bool = False  # the total row: darker


@dataclass(frozen=True)
class Marker:
    """A reference value: a dashed line with its label under the chart."""

    label: str
    value: float


@dataclass(frozen=True)
class Column:
    """One group of a column chart (e.g. a year): two bars and a point on the line."""

    label: str
    values: tuple[float, float]
    texts: tuple[str, str]
    point: float
    point_text: str
    alert: bool = False  # the point is drawn in the alert colour (e.g. a negative balance)


def value_text(value: float | None, unit: str = "%", *, empty: str = "onderdrukt") -> str:
    """44,0% or 12,5 personen; `empty` when there is no value."""
    if value is None:
        return empty
    return formatting.percent(value) if unit == "%" else f"{formatting.number(value)} {unit}"


def tick_text(value: float, unit: str = "%") -> str:
    """Axis ticks and targets: no decimals when whole (0%, 50%, 75%)."""
    text = formatting.number(value, 0 if float(value).is_integer() else 1)
    return f"{text}%" if unit == "%" else text


def text_alternative(
    *,
    title: str,
    bars: Sequence[Bar],
    unit: str = "%",
    markers: Sequence[Marker] = (),
    target: float | None = None,
    empty: str = "onderdrukt",
) -> str:
    """The chart as one sentence: every shown figure, references and the target."""
    parts = [f"{b.label}: {b.text or value_text(b.value, unit, empty=empty)}" for b in bars]
    parts += [f"referentie {m.label}: {value_text(m.value, unit)}" for m in markers]
    text = f"Staafdiagram {title}. " + ("; ".join(parts) if parts else "Geen gegevens") + "."
    if target is not None:
        text += f" Doel: {tick_text(target, unit)}."
    return text


class _Svg:
    """Collects elements; a class becomes presentation attributes when standalone."""

    def __init__(self, *, standalone: bool) -> None:
        self.standalone = standalone
        self.parts: list[str] = []

    def el(self, tag: str, cls: str, text: str | None = None, **attrs: object) -> None:
        pairs = dict(PALETTE.get(cls, {})) if self.standalone else {"class": cls}
        pairs.update({k.rstrip("_").replace("_", "-"): _num(v) for k, v in attrs.items()})
        attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in pairs.items())
        if text is None:
            self.parts.append(f"<{tag}{attr_text}/>")
        else:
            self.parts.append(f"<{tag}{attr_text}>{escape(text)}</{tag}>")

    def render(self, *, chart_id: str, title: str, desc: str, height: float, css_class: str) -> str:
        ids = f"{chart_id}-title {chart_id}-desc"
        size = (
            f' width="{WIDTH}" height="{_num(height)}" font-family="DejaVu Sans, sans-serif"'
            ' font-size="12"'
            if self.standalone
            else ""
        )
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class={quoteattr(f"thuis-chart {css_class}")}'
            f' role="img" viewBox="0 0 {WIDTH} {_num(height)}"{size}'
            f" aria-labelledby={quoteattr(ids)}>"
            f"<title id={quoteattr(chart_id + '-title')}>{escape(title)}</title>"
            f"<desc id={quoteattr(chart_id + '-desc')}>{escape(desc)}</desc>"
        )
        background = (
            f'<rect x="0" y="0" width="{WIDTH}" height="{_num(height)}" fill="#ffffff"/>'
            if self.standalone
            else ""
        )
        return head + background + "".join(self.parts) + "</svg>"


def _num(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    unit: str = "%",
    markers: Sequence[Marker] = (),
    target: float | None = None,
    maximum: float | None = None,
    empty: str = "onderdrukt",
    css_class: str = "",
    standalone: bool = False,
    label_limit: int = 34,
) -> SafeString:
    """Horizontal bars, one row per bar: label, bar (on a track for percentages), value."""
    values = [b.high if b.high is not None else b.value for b in bars if b.value is not None]
    values += [m.value for m in markers] + ([target] if target is not None else [])
    if maximum is not None:
        top = maximum
    elif unit == "%":
        top = 100.0
    else:
        top = max([*values, 1.0]) * 1.1
    top = max(top, *values, 1.0)
    plot_w = WIDTH - LABEL_W - VALUE_W
    rows_h = ROW_H * max(len(bars), 1)
    axis_y = TOP + rows_h
    height = axis_y + AXIS_H + MARKER_ROW * len(markers)

    def x_of(v: float) -> float:
        return LABEL_W + plot_w * max(0.0, min(v, top)) / top

    svg = _Svg(standalone=standalone)
    ticks = (0.0, 50.0, 100.0) if unit == "%" and top == 100.0 else (0.0, top / 2, top)
    for tick in ticks:
        x = x_of(tick)
        svg.el("line", "thuis-chart__grid", x1=x, x2=x, y1=TOP - 6, y2=axis_y)
        shown = tick if unit == "%" else float(round(tick))
        svg.el(
            "text",
            "thuis-chart__text",
            tick_text(shown, unit),
            x=x,
            y=axis_y + 16,
            text_anchor="middle",
        )
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H
        text_y = y + ROW_H * 0.65
        svg.el(
            "text",
            "thuis-chart__text",
            _short(bar.label, label_limit),
            x=LABEL_W - 8,
            y=text_y,
            text_anchor="end",
        )
        if unit == "%":
            svg.el("rect", "thuis-chart__track", x=LABEL_W, y=y + 4, width=plot_w, height=ROW_H - 8)
        if bar.value is None:
            svg.el(
                "rect",
                "thuis-chart__bar thuis-chart__bar--empty",
                x=LABEL_W,
                y=y + 6,
                width=6,
                height=ROW_H - 12,
            )
            svg.el(
                "text",
                "thuis-chart__muted",
                bar.text or empty,
                x=WIDTH - VALUE_W + 8,
                y=text_y,
            )
            continue
        kind = "total" if bar.total else f"s{bar.series}"
        svg.el(
            "rect",
            f"thuis-chart__bar thuis-chart__bar--{kind}",
            x=LABEL_W,
            y=y + 6,
            width=max(x_of(bar.value) - LABEL_W, 1.0),
            height=ROW_H - 12,
        )
        if bar.low is not None and bar.high is not None:
            lo, hi, mid = x_of(bar.low), x_of(bar.high), y + ROW_H / 2
            svg.el("line", "thuis-chart__interval", x1=lo, x2=hi, y1=mid, y2=mid)
            for x in (lo, hi):
                svg.el("line", "thuis-chart__interval", x1=x, x2=x, y1=mid - 5, y2=mid + 5)
        svg.el(
            "text",
            "thuis-chart__text",
            bar.text or value_text(bar.value, unit),
            x=WIDTH - VALUE_W + 8,
            y=text_y,
        )
    for j, marker in enumerate(markers):
        x = x_of(marker.value)
        label_y = axis_y + AXIS_H + MARKER_ROW * j + 4
        svg.el("line", "thuis-chart__marker", x1=x, x2=x, y1=TOP - 4, y2=label_y - 10)
        svg.el(
            "text",
            "thuis-chart__text",
            f"{_short(marker.label, 40)}: {value_text(marker.value, unit)}",
            x=x + 4,
            y=label_y,
        )
    if target is not None:
        x = x_of(target)
        svg.el("line", "thuis-chart__target", x1=x, x2=x, y1=TOP - 8, y2=axis_y)
        svg.el(
            "text",
            "thuis-chart__target-label",
            f"doel {tick_text(target, unit)}",
            x=x,
            y=TOP - 12,
            text_anchor="middle",
        )
    desc = text_alternative(
        title=title, bars=bars, unit=unit, markers=markers, target=target, empty=empty
    )
    return mark_safe(  # nosec B308, B703  # _Svg escapes every text and attribute value
        svg.render(chart_id=chart_id, title=title, desc=desc, height=height, css_class=css_class)
    )


def column_chart(
    *,
    chart_id: str,
    title: str,
    columns: Sequence[Column],
    series: tuple[str, str],
    line_label: str,
    axis_text: Callable[[float], str] = tick_text,
    css_class: str = "",
    standalone: bool = False,
) -> SafeString:
    """Two bars per group (solid, outlined) and a dashed line through one point per group."""
    height = 320
    left, right, top_m, bottom_m = 96, 16, 24, 56
    values = [0.0]
    for c in columns:
        values += [*c.values, c.point]
    top, bottom = max(values), min(values)
    span = (top - bottom) or 1.0
    plot_h, plot_w = height - top_m - bottom_m, WIDTH - left - right

    def y_of(value: float) -> float:
        return top_m + (top - value) / span * plot_h

    svg = _Svg(standalone=standalone)
    for value in sorted({top, 0.0, bottom}):
        gy = y_of(value)
        svg.el("line", "thuis-chart__grid", x1=left, x2=WIDTH - right, y1=gy, y2=gy)
        svg.el(
            "text", "thuis-chart__text", axis_text(value), x=left - 8, y=gy + 4, text_anchor="end"
        )
    zero_y = y_of(0.0)
    group_w = plot_w / max(len(columns), 1)
    bar_w = group_w / 4
    points: list[tuple[float, float, bool]] = []
    for i, column in enumerate(columns):
        x0 = left + i * group_w + bar_w / 2
        for j, (kind, value) in enumerate(zip(("s0", "outline"), column.values, strict=True)):
            vy = y_of(value)
            top_y, h = (vy, zero_y - vy) if value >= 0 else (zero_y, vy - zero_y)
            svg.el(
                "rect",
                f"thuis-chart__bar thuis-chart__bar--{kind}",
                x=x0 + j * bar_w,
                y=top_y,
                width=bar_w - 2,
                height=max(h, 0.5),
            )
        points.append((x0 + 2.5 * bar_w, y_of(column.point), column.alert))
        svg.el(
            "text",
            "thuis-chart__text",
            column.label,
            x=x0 + bar_w,
            y=height - bottom_m + 18,
            text_anchor="middle",
        )
    if points:
        svg.el(
            "polyline",
            "thuis-chart__line",
            points=" ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points),
        )
        for x, y, alert in points:
            cls = "thuis-chart__dot thuis-chart__dot--alert" if alert else "thuis-chart__dot"
            svg.el("circle", cls, cx=x, cy=y, r=4)
    legend_y = height - 18
    for k, label in enumerate((*series, line_label)):
        lx = left + k * 170
        if k < 2:
            kind = ("s0", "outline")[k]
            cls = f"thuis-chart__bar thuis-chart__bar--{kind}"
            svg.el("rect", cls, x=lx, y=legend_y - 10, width=12, height=12)
        else:
            svg.el("circle", "thuis-chart__dot", cx=lx + 6, cy=legend_y - 4, r=4)
        svg.el("text", "thuis-chart__text", label, x=lx + 18, y=legend_y)
    names = [s.lower() for s in (*series, line_label)]
    parts = [
        f"{c.label}: {names[0]} {c.texts[0]}, {names[1]} {c.texts[1]}, {names[2]} {c.point_text}"
        for c in columns
    ]
    desc = "Staafdiagram. " + ("; ".join(parts) or "Geen gegevens") + "."
    return mark_safe(  # nosec B308, B703  # _Svg escapes every text and attribute value
        svg.render(chart_id=chart_id, title=title, desc=desc, height=height, css_class=css_class)
    )


def data_uri(svg: str) -> str:
    """A standalone SVG as the `src` of an `<img>` (HTML and PDF)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")

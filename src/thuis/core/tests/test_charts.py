"""core.charts: the one SVG chart module (inline for pages, standalone for reports and PDF)."""

from __future__ import annotations

import base64
import re
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree

from thuis.core import charts

SVG = "{http://www.w3.org/2000/svg}"

BARS = [
    charts.Bar(label="Totaal", value=44.0, total=True),
    charts.Bar(label="Vrouw", value=None, text="<10"),
    charts.Bar(label="Man", value=61.25, text="61,3%", low=50.0, high=70.0),
]


def _parse(svg: str) -> ElementTree.Element:
    return SafeElementTree.fromstring(svg)


def test_chart_is_an_image_labelled_by_its_title_and_desc() -> None:
    root = _parse(charts.bar_chart(chart_id="werk", title="Met werk", bars=BARS))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "werk-title werk-desc"
    assert root.find(f"{SVG}title").get("id") == "werk-title"  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").text == "Met werk"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.get("id") == "werk-desc"
    assert desc.text == "Staafdiagram Met werk. Totaal: 44,0%; Vrouw: <10; Man: 61,3%."


def test_text_alternative_names_every_figure_reference_and_target() -> None:
    text = charts.text_alternative(
        title="Inburgering",
        bars=[charts.Bar("2022", 81.0), charts.Bar("2023", None)],
        markers=[charts.Marker("landelijk", 75.5)],
        target=80.0,
        empty=charts.HIDDEN,
    )
    assert text == (
        "Staafdiagram Inburgering. 2022: 81,0%; 2023: afgeschermd; "
        "referentie landelijk: 75,5%. Doel: 80%."
    )
    assert charts.text_alternative(title="Leeg", bars=[]) == "Staafdiagram Leeg. Geen gegevens."


def test_inline_chart_uses_theme_classes_and_no_style_or_colour_attributes() -> None:
    svg = str(charts.bar_chart(chart_id="a", title="T", bars=BARS, target=50.0, css_class="x"))
    assert not re.search(r"\sstyle=", svg)
    assert not re.search(r'\s(fill|stroke)="', svg)
    root = _parse(svg)
    assert root.get("class") == "thuis-chart x"
    classes = {el.get("class") for el in root.iter()}
    assert {
        "thuis-chart__bar thuis-chart__bar--total",
        "thuis-chart__bar thuis-chart__bar--s0",
        "thuis-chart__bar thuis-chart__bar--empty",
        "thuis-chart__interval",
        "thuis-chart__target",
    } <= classes


def test_every_class_the_charts_use_has_a_palette_entry_and_a_css_rule() -> None:
    from pathlib import Path

    css = (Path(charts.__file__).parents[1] / "static" / "thuis" / "thuis.css").read_text()
    svg = str(charts.bar_chart(chart_id="a", title="T", bars=BARS, target=50.0))
    svg += str(
        charts.bar_chart(chart_id="b", title="T", bars=BARS, markers=[charts.Marker("m", 1)])
    )
    svg += str(_forecast())
    used = {el.get("class") for s in svg.split("</svg>")[:-1] for el in _parse(s + "</svg>").iter()}
    used -= {None, "thuis-chart ", "thuis-chart fin-chart"}
    for cls in used:
        assert cls in charts.PALETTE, cls
        assert f".{str(cls).split()[-1]} " in css, cls


def test_standalone_chart_carries_its_colours_for_img_and_pdf() -> None:
    svg = str(charts.bar_chart(chart_id="a", title="T", bars=BARS, standalone=True))
    root = _parse(svg)
    assert root.get("width") == "640" and root.get("height")
    assert 'class="thuis-chart' in svg.split(">", 1)[0]  # only the root keeps its class
    assert "thuis-chart__" not in svg
    assert 'fill="#0a2f4f"' in svg  # the total bar
    assert not re.search(r"\sstyle=", svg)
    uri = charts.data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def test_suppressed_bar_has_no_length_only_a_stub_and_its_text() -> None:
    root = _parse(charts.bar_chart(chart_id="a", title="T", bars=[charts.Bar("Vrouw", None)]))
    stubs = [e for e in root.iter(f"{SVG}rect") if "bar--empty" in (e.get("class") or "")]
    assert [s.get("width") for s in stubs] == ["6"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "onderdrukt" in texts


def test_percentage_axis_reads_0_50_100_and_bars_scale_to_it() -> None:
    root = _parse(charts.bar_chart(chart_id="a", title="T", bars=[charts.Bar("Alle", 50.0)]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:3] == ["0%", "50%", "100%"]
    bar = next(e for e in root.iter(f"{SVG}rect") if "bar--s0" in (e.get("class") or ""))
    plot = charts.WIDTH - charts.LABEL_W - charts.VALUE_W
    assert float(bar.get("width") or 0) == plot / 2


def test_count_axis_grows_with_the_largest_value() -> None:
    bars = [charts.Bar("A", 120.0, text="120 personen"), charts.Bar("B", 30.0)]
    root = _parse(charts.bar_chart(chart_id="a", title="T", bars=bars, unit="personen"))
    ticks = [t.text for t in root.iter(f"{SVG}text")][:3]
    assert ticks == ["0", "66", "132"]
    assert "B: 30,0 personen" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_labels_and_titles_are_escaped() -> None:
    svg = str(charts.bar_chart(chart_id="a", title="<b>&", bars=[charts.Bar("<i>", 1.0)]))
    assert "<b>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;&amp;" in svg


def _forecast() -> str:
    columns = [
        charts.Column("2026", (100.0, 80.0), ("€ 100", "€ 80"), 20.0, "€ 20"),
        charts.Column("2027", (50.0, 90.0), ("€ 50", "€ 90"), -20.0, "-€ 20", alert=True),
    ]
    return charts.column_chart(
        chart_id="prognose",
        title="Prognose",
        columns=columns,
        series=("Inkomsten", "Uitgaven"),
        line_label="Saldo na het jaar",
        css_class="fin-chart",
    )


def test_column_chart_reads_out_every_group_and_marks_the_alert_point() -> None:
    root = _parse(_forecast())
    assert root.get("role") == "img"
    assert (root.find(f"{SVG}desc").text or "") == (  # type: ignore[union-attr]
        "Staafdiagram. 2026: inkomsten € 100, uitgaven € 80, saldo na het jaar € 20; "
        "2027: inkomsten € 50, uitgaven € 90, saldo na het jaar -€ 20."
    )
    dots = [e.get("class") for e in root.iter(f"{SVG}circle")]
    assert dots[:2] == ["thuis-chart__dot", "thuis-chart__dot thuis-chart__dot--alert"]
    assert len(list(root.iter(f"{SVG}polyline"))) == 1

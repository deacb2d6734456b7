"""Render a report snapshot as HTML, accessible PDF (PDF/UA-1) and DOCX.

Renderers read only the snapshot. WeasyPrint and python-docx are imported lazily, when a file
is made, so the rest of Thuis starts without them. The PDF loads no outside files: only the
data: URIs of the charts and the logo inside the snapshot.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string

from .choices import DocumentKind, FileFormat

DOCUMENTS = (DocumentKind.EVALUATION, DocumentKind.COUNCIL)
FORMATS = (FileFormat.PDF, FileFormat.DOCX, FileFormat.HTML)
CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.HTML: "text/html; charset=utf-8",
}


def document_title(snapshot: Mapping[str, Any], document: str) -> str:
    if document == DocumentKind.EVALUATION:
        return str(snapshot["titel"])
    return f"{snapshot['raad']['soort_tekst']}: {snapshot['titel']}"


def file_name(snapshot: Mapping[str, Any], document: str, fmt: str) -> str:
    base = "evaluatie" if document == DocumentKind.EVALUATION else snapshot["raad"]["soort"]
    slug = re.sub(r"[^a-z0-9]+", "-", str(snapshot["aanpak"]).lower()).strip("-")
    return f"{base}-{slug}-{snapshot['peildatum']}.{fmt}"


def render_html(snapshot: Mapping[str, Any], document: str) -> bytes:
    template = (
        "policy/doc/evaluation.html"
        if document == DocumentKind.EVALUATION
        else "policy/doc/council.html"
    )
    html = render_to_string(
        template, {"s": snapshot, "doc_title": document_title(snapshot, document)}
    )
    return html.encode("utf-8")


def _data_only_fetcher() -> Any:
    """WeasyPrint's fetcher restricted to data: URIs; any other URL stops the rendering."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def render_pdf(snapshot: Mapping[str, Any], document: str) -> bytes:
    """Tagged PDF/UA-1 with document language nl and the title in the metadata."""
    import weasyprint  # type: ignore[import-untyped]

    html = render_html(snapshot, document).decode("utf-8")
    doc = weasyprint.HTML(string=html, url_fetcher=_data_only_fetcher(), base_url=".")
    content: bytes = doc.write_pdf(pdf_variant="pdf/ua-1")
    return content


# --- DOCX ----------------------------------------------------------------------------------


def _docx_language(document: Any, lang: str = "nl-NL") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.append(rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)


def _table(doc: Any, header: list[str], rows: list[list[str]], caption: str) -> None:
    doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)


def _text(doc: Any, text: str, empty: str = "Nog niet ingevuld.") -> None:
    if not text:
        doc.add_paragraph(empty).runs[0].italic = True
        return
    for block in str(text).split("\n\n"):
        doc.add_paragraph(block)


def _docx_evaluation(doc: Any, s: Mapping[str, Any], level: int = 0) -> None:
    c = s["inhoud"]
    doc.add_heading(s["titel"], level=level)
    doc.add_paragraph(
        f"Gemeente {s['gemeente']['naam']} · Cijfers met peildatum {s['peildatum_tekst']} · "
        f"Terugblik vanaf {s['terugblik_vanaf']}"
    )
    h = level + 1
    t = c["terugblik"]
    doc.add_heading("1. Terugblik op de acties", level=h)
    if not t["beschikbaar"]:
        _text(doc, "", t["melding"])
    else:
        doc.add_paragraph(
            f"Het plan van aanpak ‘{t['plan']}’ is"
            + (f" op {t['vastgesteld']}" if t["vastgesteld"] else "")
            + f" vastgesteld door de {t['vastgesteld_door']}."
        )
        if t["visie"]:
            _text(doc, t["visie"])
        for theme in t["themas"]:
            doc.add_heading(theme["titel"], level=h + 1)
            if theme["toelichting"]:
                _text(doc, theme["toelichting"])
            v = theme["voortgang"]
            doc.add_paragraph(
                f"Acties: {v['total']} in totaal, {v['done']} klaar, {v['running']} lopen nog, "
                f"{v['planned']} gepland, {v['stopped']} gestopt."
            )
            if theme["doelen"]:
                _table(
                    doc,
                    ["Doel", "Streefwaarde", "Gemeten", "Gehaald?"],
                    [
                        [
                            g["doel"],
                            g.get("streefwaarde", "–"),
                            g.get("gemeten", "–"),
                            {True: "ja", False: "nee"}.get(g.get("gehaald"), "onbekend"),
                        ]
                        for g in theme["doelen"]
                    ],
                    f"Doelen van het thema {theme['titel']}",
                )
            if theme["acties"]:
                _table(
                    doc,
                    ["Actie", "Wie", "Status", "Gepland", "Uitgevoerd", "Resultaat"],
                    [
                        [
                            a["titel"],
                            a["eigenaar"] or "gemeente",
                            a["status"],
                            a["gepland"] or "–",
                            a["uitgevoerd"] or "–",
                            a["bewijs"] or "–",
                        ]
                        for a in theme["acties"]
                    ],
                    f"Acties van het thema {theme['titel']}",
                )
        if t.get("trajecten"):
            rows = [[r["status"], r["aantal"]] for r in t["trajecten"]["rijen"]]
            rows.append(["Totaal", t["trajecten"]["totaal"]])
            _table(doc, ["Status", "Aantal"], rows, "Trajecten in Thuis per status")

    g = c["gehoord"]
    doc.add_heading("2. Wat we hoorden", level=h)
    if not g["beschikbaar"] or g["melding"]:
        _text(doc, "", g["melding"])
    for item in g.get("gesprekken", []):
        doc.add_heading(item["onderwerp"], level=h + 1)
        doc.add_paragraph(f"{item['soort']} met {item['met'].lower()} op {item['datum_tekst']}")
        _text(doc, item["bevindingen"])
        for quote in item["citaten"]:
            doc.add_paragraph(f"“{quote}”", style="List Bullet")

    o = c["onderzoek"]
    doc.add_heading("3. Onderzoek en enquêtes", level=h)
    if not o["beschikbaar"] or o["melding"]:
        _text(doc, "", o["melding"])
    if o.get("uitkomsten"):
        _table(
            doc,
            ["Vraag", "Uitkomst"],
            [[u["label"], u["tekst"]] for u in o["uitkomsten"]],
            "Uitkomsten van de enquête ‘Ervaringen met Thuis’",
        )

    f = c["cijfers"]
    doc.add_heading("4. De cijfers", level=h)
    doc.add_paragraph(
        f"Alle cijfers hebben peildatum {s['peildatum_tekst']}. "
        # a snapshot frozen before issue 14 has no "afscherming": its own, older sentence
        + (
            f.get("afscherming")
            or f"Een cel met minder dan {f['k']} personen laten we niet zien (afgeschermd)."
        )
    )
    if f["melding"]:
        _text(doc, "", f["melding"])
    for ind in f["indicatoren"]:
        doc.add_heading(ind["naam"], level=h + 1)
        if not ind["beschikbaar"]:
            _text(doc, "", ind["melding"])
            continue
        doc.add_paragraph(f"Definitie. {ind['definitie']}")
        doc.add_paragraph(f"Peildatum. {ind['peildatum_tekst']}. Bron. {ind['bron']}")
        if not ind["leeg"]:
            doc.add_paragraph(f"Grafiek (beschrijving): {ind['grafiek_alt']}")
            percent = ind["eenheid"] == "%"
            header = ["Groep", "Waarde", *(["95%-interval"] if percent else []), "Aantal personen"]
            rows = []
            for r in ind["rijen"]:
                if r["onderdrukt"]:
                    rows.append([r["label"], "afgeschermd", *([""] if percent else []), ""])
                else:
                    rows.append(
                        [
                            r["label"],
                            r["waarde_tekst"],
                            *([r["interval_tekst"] or "–"] if percent else []),
                            str(r["noemer"]),
                        ]
                    )
            _table(doc, header, rows, f"{ind['naam']} – tabel")
        for ref in ind["referenties"]:
            doc.add_paragraph(
                f"{ref['label']}: {ref['waarde_tekst']} ({ref['bron']})", style="List Bullet"
            )

    doc.add_heading("5. Ontwikkelingen", level=h)
    _text(doc, c["ontwikkelingen"]["tekst"])
    doc.add_heading("6. Aandachtspunten", level=h)
    if not c["aandachtspunten"]["punten"]:
        _text(doc, "", "Er zijn geen aandachtspunten opgenomen.")
    for p in c["aandachtspunten"]["punten"]:
        doc.add_heading(p["titel"], level=h + 1)
        if p["tekst"]:
            _text(doc, p["tekst"])
        if p["onderbouwing"]:
            doc.add_paragraph(f"Onderbouwing: {p['onderbouwing']}")

    fin = c["financien"]
    doc.add_heading("7. Financiën", level=h)
    if not fin["beschikbaar"]:
        _text(doc, "", fin["melding"])
    else:
        no_budget = str(fin.get("geen_begroting", ""))  # absent in snapshots from before
        rows = []
        if not no_budget:
            rows = [[f"Begroting: {r['label']}", r["bedrag"]] for r in fin["begroting"]]
            rows.append(["Begroting totaal", fin["begroting_totaal"]])
        else:
            _text(doc, "", no_budget)
        rows += [[f"Kosten: {r['label']}", r["bedrag"]] for r in fin["kosten"]]
        rows.append(["Kosten totaal", fin["kosten_totaal"]])
        if not no_budget:
            rows.append(["Saldo", fin["saldo"]])
        caption = "Kosten" if no_budget else "Begroting en kosten"
        _table(doc, ["Post", "Bedrag"], rows, f"{caption} {fin['jaar']}")
        if fin.get("prognose"):
            _table(
                doc,
                ["Jaar", "Inkomsten", "Uitgaven", "Resultaat", "Saldo na dit jaar"],
                [
                    [str(y["jaar"]), y["inkomsten"], y["uitgaven"], y["resultaat"], y["saldo"]]
                    for y in fin["prognose"]["jaren"]
                ],
                f"Prognose (scenario {fin['prognose']['scenario']})",
            )
        for note in fin.get("notities", []):
            _text(doc, "", note)

    doc.add_heading("8. Vervolgstappen", level=h)
    _text(doc, c["vervolg"]["tekst"])


def _docx_council(doc: Any, s: Mapping[str, Any]) -> None:
    r = s["raad"]
    doc.add_heading(f"{r['soort_tekst']}: {s['titel']}", level=0)
    doc.add_paragraph(f"Gemeente {s['gemeente']['naam']}")
    for key, label in (
        ("doel", "Doel"),
        ("inleiding", "Inleiding"),
        ("kernboodschap", "Kernboodschap"),
        ("duurzaamheid", "Duurzaamheid"),
        ("communicatie", "Communicatie"),
        ("vervolg", "Vervolg"),
    ):
        doc.add_heading(label, level=1)
        _text(doc, r[key], "–")
    doc.add_heading("Bijlagen", level=1)
    for item in r["bijlagen"]:
        doc.add_paragraph(item, style="List Number")
    doc.add_paragraph(f"{r['college']},")
    sign = doc.add_table(rows=2, cols=2)
    sign.rows[0].cells[0].text = "de burgemeester,"
    sign.rows[0].cells[1].text = f"{r['secretaris_functie']},"
    sign.rows[1].cells[0].text = r["burgemeester"]
    sign.rows[1].cells[1].text = r["secretaris"]
    doc.add_page_break()
    doc.add_paragraph("Bijlage 1").runs[0].bold = True
    _docx_evaluation(doc, s, level=1)
    advice = s.get("advies")
    if s.get("advies_beschikbaar") and advice:
        doc.add_page_break()
        doc.add_paragraph("Bijlage 2").runs[0].bold = True
        doc.add_heading(f"Advies van de {advice['raad'].lower()}: {advice['onderwerp']}", level=1)
        doc.add_paragraph(f"Ontvangen op {advice.get('ontvangen_tekst', '')}")
        if advice["inleiding"]:
            _text(doc, advice["inleiding"])
        for p in advice["punten"]:
            doc.add_paragraph(p["tekst"], style="List Number")
        doc.add_page_break()
        doc.add_paragraph("Bijlage 3").runs[0].bold = True
        doc.add_heading(
            f"Reactie van het college op het advies van de {advice['raad'].lower()}", level=1
        )
        if advice["reactie_inleiding"]:
            _text(doc, advice["reactie_inleiding"])
        for p in advice["punten"]:
            doc.add_heading(f"Adviespunt {p['nummer']}", level=2)
            _text(doc, p["tekst"])
            doc.add_paragraph(
                f"Reactie: {p['besluit'] or 'nog geen reactie'}."
                + (f" {p['motivering']}" if p["motivering"] else "")
            )
    elif s.get("advies_gevraagd"):
        _text(doc, "", "Het advies en de reactie zijn (nog) niet beschikbaar in Thuis.")


def render_docx(snapshot: Mapping[str, Any], document: str) -> bytes:
    import docx  # type: ignore[import-untyped]

    doc = docx.Document()
    _docx_language(doc)
    props = doc.core_properties
    props.title = document_title(snapshot, document)
    props.language = "nl-NL"
    props.author = snapshot["raad"]["college"]
    props.subject = f"Peildatum {snapshot['peildatum']}"
    if document == DocumentKind.EVALUATION:
        _docx_evaluation(doc, snapshot)
    else:
        _docx_council(doc, snapshot)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


RENDERERS = {FileFormat.PDF: render_pdf, FileFormat.DOCX: render_docx, FileFormat.HTML: render_html}


def render(snapshot: Mapping[str, Any], document: str, fmt: str) -> bytes:
    return RENDERERS[FileFormat(fmt)](snapshot, document)

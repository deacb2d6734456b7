"""Must-hold checks on the rendered documents: figures equal the indicator values, no suppressed
cell shows, the PDF is tagged with language and alt text, pages render to non-blank PNGs, and
a frozen version is byte-for-byte the same after the data changed."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest
from pypdf import PdfReader

from thuis.demo.policy import seed_policy_demo
from thuis.policy import render, services
from thuis.policy import report as report_builder
from thuis.policy.models import ReportJob

from .conftest import PEILDATUM
from .fakes import FakeSources

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert PDFTOTEXT, "pdftotext (poppler-utils) is needed: apt-get install poppler-utils"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603 - fixed binary, our own file
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def _figures_section(text: str) -> str:
    start = text.index("Alle cijfers hebben peildatum")  # the section, not the table of contents
    end = text.index("5. Ontwikkelingen", start)
    return text[start:end]


def _generate(report: Any, fake: FakeSources) -> tuple[dict, dict]:
    return services.documents_for(report=report, peildatum=PEILDATUM, sources=fake)


def test_every_figure_equals_the_indicator_value_and_no_suppressed_cell_shows(
    demo_report: Any, fake_sources: FakeSources, tmp_path: Path
) -> None:
    _, files = _generate(demo_report, fake_sources)
    section = _figures_section(_pdf_text(files[("evaluatie", "pdf")], tmp_path))
    names = [
        (fake_sources.indicator_meta(f["code"]) or {"naam": f["code"]})["naam"]
        for f in report_builder.figures_of(demo_report)
    ]
    starts = [section.index(name) for name in names]
    blocks = {
        name: section[start : (starts[i + 1] if i + 1 < len(starts) else len(section))]
        for i, (name, start) in enumerate(zip(names, starts, strict=True))
    }
    allowed: set[str] = {"0%", "50%", "100%", "95%"}  # axis ticks and the word "95%-interval"
    checked = 0
    for fig in report_builder.figures_of(demo_report):
        table = fake_sources.indicator_table(
            code=fig["code"],
            municipality=demo_report.municipality,
            peildatum=PEILDATUM,
            per=fig["per"],
        )
        meta = fake_sources.indicator_meta(fig["code"])
        if table is None or meta is None:
            assert "Deze indicator is (nog) niet beschikbaar." in section
            continue
        lines = blocks[meta["naam"]].splitlines()
        for cell in table["cellen"]:
            label = report_builder.table_rows([cell])[0]["label"]
            row = [ln for ln in lines if re.match(rf"\s*{re.escape(label)}\s+(\d|afgeschermd)", ln)]
            assert len(row) == 2, f"chart and table row for {label} of {fig['code']}: {row}"
            row = row[1:]  # the table row (the first match is the chart's label)
            if cell["onderdrukt"]:
                # the suppressed row shows no number at all (not the value, not the noemer)
                assert re.sub(re.escape(label), "", row[0]).strip() == "afgeschermd"
                continue
            value = f"{cell['waarde']:.1f}".replace(".", ",") + "%"
            low = f"{cell['ondergrens']:.1f}".replace(".", ",")
            high = f"{cell['bovengrens']:.1f}".replace(".", ",")
            numbers = re.findall(r"\d+(?:,\d+)?%?", row[0].replace(label, ""))
            assert numbers == [value, low, f"{high}%", str(cell["noemer"])], (label, numbers)
            allowed |= {value, f"{high}%"}
            checked += 1
        for ref in meta["referenties"]:
            allowed.add(f"{ref['waarde']:.1f}".replace(".", ",") + "%")
    assert checked >= 5
    targets = {f"{t:.0f}%" for t in report_builder._targets(demo_report).values()}
    # every percentage anywhere in the figures section is an indicator value, an interval
    # bound, a reference, a target or an axis tick
    for token in re.findall(r"\d+(?:,\d+)?%", section):
        assert token in allowed | targets | {t.replace("%", ",0%") for t in targets}, token


def test_suppressed_values_never_reach_any_document(
    demo_report: Any, fake_sources: FakeSources, tmp_path: Path
) -> None:
    snapshot, files = _generate(demo_report, fake_sources)
    text = _pdf_text(files[("raad", "pdf")], tmp_path)
    html = files[("evaluatie", "html")].decode()
    # 2018-H2: 4 of 7 (57,1%) is primary suppressed; 2019-H1: 16 of 20 (80,0%) secondary.
    for hidden in ("57,1%", "80,0%"):
        assert hidden not in text and hidden not in html
    rows = {
        r["label"]: r
        for i in snapshot["inhoud"]["cijfers"]["indicatoren"]
        if i["beschikbaar"]
        for r in i["rijen"]
    }
    assert set(rows["2018-H2"]) == {"label", "totaal", "onderdrukt"}  # not even the noemer
    assert rows["2019-H1"]["onderdrukt"] is True
    assert "noemer" not in json.dumps(rows["2018-H2"])


def _walk(node: Any, found: list[tuple[str, Any]]) -> None:
    node = node.get_object()
    if not hasattr(node, "get"):
        return
    if node.get("/S") is not None:
        found.append((str(node["/S"]), node.get("/Alt")))
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object"):
            _walk(kid, found)


@pytest.mark.parametrize("document", ["evaluatie", "raad"])
def test_pdf_is_tagged_with_language_title_and_alt_text(
    demo_report: Any, fake_sources: FakeSources, document: str
) -> None:
    _, files = _generate(demo_report, fake_sources)
    reader = PdfReader(io.BytesIO(files[(document, "pdf")]))
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "Evaluatie en doorontwikkeling" in reader.metadata.title
    found: list[tuple[str, Any]] = []
    _walk(root["/StructTreeRoot"], found)
    figures = [alt for tag, alt in found if tag == "/Figure"]
    assert len(figures) >= 2  # two charts (the third indicator is not available)
    assert all(alt and str(alt).startswith("Staafdiagram") for alt in figures), figures
    assert any(tag == "/Table" for tag, _ in found)
    assert any(tag == "/H1" for tag, _ in found) and any(tag == "/H2" for tag, _ in found)


def test_pdf_pages_render_to_non_blank_png(
    demo_report: Any, fake_sources: FakeSources, tmp_path: Path
) -> None:
    from PIL import Image

    assert PDFTOPPM, "pdftoppm (poppler-utils) is needed"
    _, files = _generate(demo_report, fake_sources)
    pdf = tmp_path / "raad.pdf"
    pdf.write_bytes(files[("raad", "pdf")])
    subprocess.run(  # noqa: S603 - fixed binary, our own file
        [PDFTOPPM, "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5  # council document + evaluation + advice + response
    for page in pages:
        image = Image.open(page).convert("L")
        low, high = image.getextrema()
        assert low < 128 < high, f"{page.name} looks blank"
        dark = sum(image.histogram()[:128])
        assert dark > 50, f"{page.name} has almost no ink"


def test_frozen_version_is_byte_identical_after_the_data_changed(
    demo_report: Any, fake_sources: FakeSources, beleid: Any
) -> None:
    job = services.job_start(report=demo_report, by=beleid, peildatum=PEILDATUM)
    job = services.job_run(job_id=job.pk, sources=fake_sources)
    assert job.status == "done" and job.version is not None
    version = services.version_publish(version=job.version, by=beleid)
    before = {
        (f.document, f.fmt): bytes(
            services.version_file(version=version, document=f.document, fmt=f.fmt).content
        )
        for f in version.files.all()
    }
    package_before = services.publication_package(version=version)
    assert len(before) == 6

    # the data change: other figures, other texts, another plan action
    changed = FakeSources(shift=5, surveys=[], support=None)
    demo_report.developments = "Nieuwe tekst na vaststelling."
    demo_report.save()
    action = demo_report.plan.themes.first().actions.first()
    action.title = "Andere actie"
    action.save()
    _, fresh = services.documents_for(report=demo_report, peildatum=PEILDATUM, sources=changed)
    assert fresh[("evaluatie", "html")] != before[("evaluatie", "html")]

    version.refresh_from_db()
    after = {
        (f.document, f.fmt): bytes(
            services.version_file(version=version, document=f.document, fmt=f.fmt).content
        )
        for f in version.files.all()
    }
    assert after == before
    assert services.publication_package(version=version) == package_before
    assert "Nieuwe tekst" not in json.dumps(version.snapshot)
    with pytest.raises(services.ConflictError) as exc:
        services.version_publish(version=version, by=beleid)
    assert exc.value.code == "conflict"


def test_publication_package_holds_pdfs_and_metadata(
    demo_report: Any, fake_sources: FakeSources, beleid: Any
) -> None:
    job = services.job_run(
        job_id=ReportJob.objects.create(report=demo_report, peildatum=PEILDATUM).pk,
        sources=fake_sources,
    )
    with pytest.raises(services.NotAllowed) as exc:
        services.publication_package(version=job.version)
    assert exc.value.code == "niet_toegestaan"
    version = services.version_publish(version=job.version, by=beleid)
    archive = zipfile.ZipFile(io.BytesIO(services.publication_package(version=version)))
    names = archive.namelist()
    assert names[-1] == "metadata.json" and sum(n.endswith(".pdf") for n in names) == 2
    meta = json.loads(archive.read("metadata.json"))
    assert meta["versie"] == 1 and meta["peildatum"] == "2024-02-01"
    assert meta["bijlagen"][1] == "Advies van de participatieraad"
    for item in meta["bestanden"]:
        assert services.sha256(archive.read(item["bestand"])) == item["sha256"]


def test_sections_without_a_source_say_so(municipality: Any, tmp_path: Path) -> None:
    seed_policy_demo(municipality, today=PEILDATUM)
    report = municipality.policy_reports.get()
    empty = FakeSources(missing=frozenset({"monitoring", "surveys", "finance", "partners"}))
    snapshot, files = services.documents_for(
        report=report, peildatum=PEILDATUM, sources=empty, formats=["html", "docx"]
    )
    content = snapshot["inhoud"]
    for key in ("gehoord", "onderzoek", "cijfers", "financien"):
        assert content[key]["beschikbaar"] is False
        assert content[key]["melding"] == report_builder.NOT_AVAILABLE
    html = files[("evaluatie", "html")].decode()
    assert html.count(report_builder.NOT_AVAILABLE) >= 4
    assert "<img" not in html  # no chart without figures
    import docx

    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(files[("evaluatie", "docx")])).paragraphs
    )
    assert report_builder.NOT_AVAILABLE in text


def test_council_document_follows_the_seed_structure(
    demo_report: Any, fake_sources: FakeSources, settings: Any, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" '
        'height="20" fill="#036"/></svg>'
    )
    settings.THUIS_GEMEENTE_NAAM = "Dalfsen"
    settings.THUIS_GEMEENTE_LOGO = str(logo)
    try:
        snapshot, files = services.documents_for(
            report=demo_report,
            peildatum=PEILDATUM,
            sources=fake_sources,
            formats=["html", "docx"],
        )
    finally:
        logo.unlink()
    html = files[("raad", "html")].decode()
    order = [
        "<h2>Doel</h2>",
        "<h2>Inleiding</h2>",
        "<h2>Kernboodschap</h2>",
        "<h2>Duurzaamheid</h2>",
        "<h2>Communicatie</h2>",
        "<h2>Vervolg</h2>",
        "<h2>Bijlagen</h2>",
        "<p>Burgemeester en wethouders van Dalfsen",
        "Bijlage 1",
        "Bijlage 2",
        "Bijlage 3",
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "drs. E. van Lente" in html and "drs. J.H.J. Berends" in html
    assert "de gemeentesecretaris-alg.directeur" in html
    assert 'alt="Logo van gemeente Dalfsen"' in html and "data:image/svg+xml;base64," in html
    assert snapshot["titel"] == "Evaluatie en doorontwikkeling ‘Thuis in Dalfsen’"
    assert "Let op vrouwen." in html and "Het college reageert als volgt." in html
    import docx

    doc = docx.Document(io.BytesIO(files[("raad", "docx")]))
    assert doc.core_properties.language == "nl-NL"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:7] == [
        "Doel",
        "Inleiding",
        "Kernboodschap",
        "Duurzaamheid",
        "Communicatie",
        "Vervolg",
        "Bijlagen",
    ]


def test_command_writes_pdf_docx_and_html(
    demo_report: Any, fake_sources: FakeSources, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command(
        "rapport",
        "evaluatie",
        "--gemeente",
        "0148",
        "--peildatum",
        "2024-02-01",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) == 6
    assert {p.rsplit(".", 1)[1] for p in written} == {"pdf", "docx", "html"}
    assert "evaluatie-thuis-in-dalfsen-2024-02-01.pdf" in written
    assert (tmp_path / "evaluatie-thuis-in-dalfsen-2024-02-01.pdf").read_bytes()[:5] == b"%PDF-"
    assert "Klaar" in out.getvalue()


def test_render_refuses_outside_urls() -> None:
    snapshot: dict[str, Any] = {"titel": "x"}
    fetcher = render._data_only_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.org/logo.png")
    assert snapshot


def test_live_sources_work_with_the_installed_apps(municipality: Any) -> None:
    """No fakes: the real monitoring, surveys, finance, partners and cases selectors."""
    from thuis.policy.sources import LiveSources

    seed_policy_demo(municipality, today=PEILDATUM)
    report = municipality.policy_reports.get()
    live = LiveSources()
    snapshot, files = services.documents_for(
        report=report, peildatum=PEILDATUM, sources=live, formats=["html"]
    )
    content = snapshot["inhoud"]
    for key in ("gehoord", "onderzoek", "cijfers", "financien"):
        assert content[key]["beschikbaar"] is True, key
    for item in content["cijfers"]["indicatoren"]:
        table = live.indicator_table(
            code=item["code"], municipality=municipality, peildatum=PEILDATUM, per=item["per"]
        )
        assert table is not None
        assert len(item["rijen"]) == len(table["cellen"])
    assert b"Evaluatie en doorontwikkeling" in files[("evaluatie", "html")]


def test_pdf_and_docx_explain_the_same_suppression(
    demo_report: Any, fake_sources: FakeSources
) -> None:
    """One text, with the complement rule of public output (issue 14)."""
    import docx

    snapshot, files = services.documents_for(
        report=demo_report, peildatum=PEILDATUM, sources=fake_sources, formats=["html", "docx"]
    )
    note = snapshot["inhoud"]["cijfers"]["afscherming"]
    assert "personen na iedereen meetelt" in note
    assert note.replace("'", "&#x27;") in files[("evaluatie", "html")].decode()
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(files[("evaluatie", "docx")])).paragraphs
    )
    assert note in text


def test_live_survey_inputs_hide_a_small_complement(municipality: Any, monkeypatch) -> None:
    """38 of 40 agree: the 2 who do not are a small group in a published report."""
    from thuis.policy.sources import LiveSources
    from thuis.surveys import selectors as survey_selectors

    def inputs(*, municipality: Any, period: Any) -> dict[str, Any]:
        make = survey_selectors.IndicatorInput
        return {
            "feeling_welcome": make("feeling_welcome", "Welkom", 38, 40, 0.95, "95% (38 van 40)"),
            "social_network": make("social_network", "Netwerk", 20, 40, 0.5, "50% (20 van 40)"),
        }

    monkeypatch.setattr(survey_selectors, "indicator_inputs", inputs)
    items = {
        i["code"]: i
        for i in LiveSources().survey_inputs(
            municipality=municipality, start=PEILDATUM, end=PEILDATUM
        )
    }
    welcome = items["feeling_welcome"]
    assert (welcome["teller"], welcome["noemer"]) == (None, None)
    assert welcome["tekst"] == "afgeschermd (te weinig personen)"
    network = items["social_network"]
    assert (network["teller"], network["noemer"], network["tekst"]) == (20, 40, "50% (20 van 40)")

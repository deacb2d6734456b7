"""The PIP as PDF/UA-1: content in plain Dutch, termijn from the first version, fonts for
Arabic and Tigrinya names, and never a BSN."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from thuis.cases.choices import (
    Alfabetisering,
    ExtensionStatus,
    Intensiteit,
    Leerroute,
    PipReason,
)
from thuis.cases.models import OntzorgenArrangement, Pip, TermijnExtension
from thuis.cases.pdf import pip_context, pip_pdf

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # Arabic may come out as presentation forms; NFKC maps them back to the letters.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def _pip(case: Any, version: int, dagtekening: date, **kw: Any) -> Pip:
    defaults: dict[str, Any] = {
        "leerroute": Leerroute.B1,
        "niveau": "B1",
        "reason": PipReason.EERSTE if version == 1 else PipReason.WIJZIGING,
    }
    return Pip.objects.create(
        case=case, version=version, dagtekening=dagtekening, **{**defaults, **kw}
    )


@pytest.fixture
def arabic_case(case: Any) -> Any:
    person = case.person
    person.given_names, person.prefix, person.family_name = "مريم", "", "الحسن"
    person.birth_date = date(1990, 5, 17)
    person.save()
    return case


def test_pdf_is_tagged_pdf_ua_in_dutch_with_title(arabic_case: Any) -> None:
    pip = _pip(arabic_case, 1, date(2024, 2, 29))
    pdf = pip_pdf(pip=pip)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == ("Persoonlijk Plan Inburgering en Participatie van مريم الحسن")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    # Headings and tables are in the structure tree.
    tags = _struct_tags(root["/StructTreeRoot"])
    assert {"H1", "H2", "Table", "TH", "TD"} <= tags


def _struct_tags(node: Any, seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    node = node.get_object()
    if hasattr(node, "get") and node.get("/S") is not None:
        seen.add(str(node["/S"]).lstrip("/"))
    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is None:
        return seen
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get"):
            _struct_tags(kid, seen)
    return seen


def test_arabic_name_is_real_text_in_a_noto_font(arabic_case: Any) -> None:
    pdf = pip_pdf(pip=_pip(arabic_case, 1, date(2024, 2, 29)))
    text = _text(pdf)
    assert "مريم" in text and "الحسن" in text
    assert any("Noto-Sans-Arabic" in name for name in _fonts(pdf))
    assert any(name.split("+")[-1].startswith("Noto-Sans") for name in _fonts(pdf))


def test_tigrinya_name_uses_the_ethiopic_font(case: Any) -> None:
    case.person.given_names, case.person.family_name = "ሰላም", "ገብረሂወት"
    case.person.save()
    pdf = pip_pdf(pip=_pip(case, 1, date(2024, 3, 4)))
    assert "ሰላም" in _text(pdf)
    assert any("Noto-Sans-Ethiopic" in name for name in _fonts(pdf))


def test_content_in_plain_dutch_without_bsn(arabic_case: Any) -> None:
    pip = _pip(
        arabic_case,
        1,
        date(2024, 2, 29),
        pvt_intensiteit=Intensiteit.VERHOOGD,
        begeleiding="Elke maand een gesprek met uw regisseur.",
        ondersteuning="Kinderopvang op dinsdag en donderdag.",
        voortgangsafspraken="Elk half jaar een voortgangsgesprek.",
        alfabetisering=Alfabetisering.A,
        geschatte_intensiteit_b1=1200,
        ontzorgen=True,
    )
    OntzorgenArrangement.objects.create(
        case=arabic_case, bijstand_start=date(2024, 1, 31), items=["huur", "energie"]
    )
    text = _text(pip_pdf(pip=pip))
    assert arabic_case.person.bsn not in text
    for expected in [
        "Gemeente Dalfsen (test)",
        "Geboortedatum 17 mei 1990",
        "Datum van dit plan (dagtekening) 29 februari 2024",
        "U volgt de B1-route",
        "niveau B1: Nederlands voor werk, school en het dagelijks leven",
        "U leert eerst lezen en schrijven (alfabetisering).",
        "ongeveer 1200 uur les",
        "verhoogd (meer begeleiding)",
        "Elke maand een gesprek met uw regisseur.",
        "Kinderopvang op dinsdag en donderdag.",
        "Elk half jaar een voortgangsgesprek.",
        "De gemeente betaalt: huur, gas en stroom.",
        # bijstand from 31 January: 6 months minus a day = 30 July (month end).
        "Ontzorgen stopt na 30 juli 2024.",
        "Wat gebeurt er als u zich niet aan dit plan houdt?",
        "DUO geeft asielstatushouders daarvoor op dit moment geen boete",
        "artikel 6:7",
        # bezwaar: 6 weeks after 29 February 2024.
        "uiterlijk op 11 april 2024",
    ]:
        assert expected in text, expected


def test_termijn_comes_from_the_first_version_and_granted_extensions(case: Any) -> None:
    first = _pip(case, 1, date(2024, 2, 29))
    TermijnExtension.objects.create(
        case=case, months=6, status=ExtensionStatus.TOEGEKEND, decided_on=date(2025, 1, 10)
    )
    TermijnExtension.objects.create(
        case=case, months=3, status=ExtensionStatus.AANGEVRAAGD, decided_on=date(2025, 2, 1)
    )
    second = _pip(
        case,
        2,
        date(2024, 10, 1),
        leerroute=Leerroute.Z,
        niveau="",
        reason=PipReason.SCHAKELEN,
        reason_text="De B1-route bleek te zwaar.",
    )
    context = pip_context(pip=second)
    # Day after 29 February 2024; 29 February + 3 years = 28 February 2027, + 6 months.
    assert context["termijn_start"] == "1 maart 2024"
    assert context["termijn_end"] == "28 augustus 2027"
    assert first.dagtekening.isoformat() in "2024-02-29"
    text = _text(pip_pdf(pip=second))
    assert "Eerste dag 1 maart 2024" in text
    assert "Laatste dag 28 augustus 2027" in text
    assert "Zelfredzaamheidsroute (Z-route)" in text
    # A Z-route without a niveau has no taaldoel (it never said A1: no such goal exists).
    assert "U hoeft geen taalexamen op een vast niveau te halen." in text
    assert "A1" not in text
    assert "1 29 februari 2024 Eerste PIP" in text
    assert (
        "2 (deze versie) 1 oktober 2024 Schakelen naar een andere leerroute: "
        "De B1-route bleek te zwaar." in text
    )


def test_first_version_pdf_lists_only_versions_up_to_itself(case: Any) -> None:
    first = _pip(case, 1, date(2024, 2, 29))
    _pip(case, 2, date(2024, 10, 1), reason_text="Andere school")
    context = pip_context(pip=first)
    assert [v["version"] for v in context["versions"]] == [1]
    assert "Andere school" not in _text(pip_pdf(pip=first))


def test_onderwijsroute_has_no_map_and_gezinsmigrant_fine_text(case: Any) -> None:
    period = case.doelgroepen.get()
    period.doelgroep = "gezinsmigrant"
    period.gedetailleerde_doelgroep = "gezinsvormer"
    period.save()
    pip = _pip(
        case, 1, date(2023, 5, 31), leerroute=Leerroute.ONDERWIJS, mag_opleiding_afmaken=True
    )
    text = _text(pip_pdf(pip=pip))
    assert "In de onderwijsroute hoeft u de MAP niet te doen." in text
    assert "U mag eerst de opleiding afmaken" in text
    assert "tot € 1.000 voor de leerroute" in text
    assert "Voor u geldt geen ontzorgen." in text
    # 31 May 2023 + 3 years = 31 May 2026 (termijn from 1 June 2023).
    assert "Laatste dag 31 mei 2026" in text


def test_pdf_never_fetches_outside_resources(case: Any, monkeypatch: Any) -> None:
    from thuis.cases import pdf as pdf_module

    with pytest.raises(ValueError, match="buiten"):
        pdf_module._no_fetch("https://example.org/x.png")


def test_z_route_pdf_and_case_page_show_the_stored_taaldoel(
    case: Any, login: Any, regisseur: Any
) -> None:
    """The bug of issue 14: the PDF said A1 where the screen and the stored PIP said A2."""
    pip = _pip(case, 1, date(2024, 2, 29), leerroute=Leerroute.Z, niveau="A2")
    assert pip.taaldoel == "A2"
    context = pip_context(pip=pip)
    assert context["niveau"].startswith("A2: eenvoudig Nederlands")
    text = _text(pip_pdf(pip=pip))
    assert "Uw doel voor de taal is niveau A2: eenvoudig Nederlands" in text
    assert "A1" not in text
    page = login(regisseur).get(f"/trajecten/{case.pk}/").content.decode()
    assert "Zelfredzaamheidsroute (Z-route) (taaldoel A2)" in page


@pytest.mark.parametrize(
    ("leerroute", "niveau", "taaldoel"),
    [
        (Leerroute.B1, "B1", "B1"),
        (Leerroute.B1, "A2", "A2"),  # afgeschaald
        (Leerroute.B1, "", "B1"),  # DUO: without a niveau, B1
        (Leerroute.ONDERWIJS, "", "B1"),
        (Leerroute.Z, "A2", "A2"),
        (Leerroute.Z, "", None),
    ],
)
def test_taaldoel(leerroute: str, niveau: str, taaldoel: str | None) -> None:
    from thuis.cases import rules

    assert rules.taaldoel(leerroute=leerroute, niveau=niveau) == taaldoel

"""The PIP as an accessible PDF (PDF/UA-1) in plain Dutch (B1).

`pip_pdf` renders templates/cases/pip_pdf.html with WeasyPrint. WeasyPrint is imported only
here, when a PDF is made, so the rest of Thuis starts without its system libraries. The
document holds the person's name and birth date but never the BSN. The caller (the view) writes
the processing-log record for the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from django.template.loader import render_to_string

from . import rules
from .choices import Alfabetisering, Leerroute

if TYPE_CHECKING:
    from .models import Pip

BEZWAAR_WEEKS = 6  # Awb art. 6:7

_ROUTE_TEXT = {
    Leerroute.B1: (
        "U leert Nederlands. U doet examens in lezen, luisteren, schrijven en spreken. U doet "
        "ook het examen Kennis van de Nederlandse Maatschappij (KNM). Naast de lessen doet u "
        "mee in de samenleving, bijvoorbeeld met (vrijwilligers)werk."
    ),
    Leerroute.ONDERWIJS: (
        "U volgt een taalschakeltraject. Daarin leert u Nederlands en maakt u zich klaar voor "
        "een opleiding in het mbo, het hbo of op de universiteit. U doet ook KNM."
    ),
    Leerroute.Z: (
        "U leert Nederlands op uw eigen niveau en u leert hoe u zelf dingen regelt in "
        "Nederland. U volgt 800 uur les in Nederlands en KNM. Aan het einde heeft u een "
        "eindgesprek met de gemeente."
    ),
}
_ALFA_TEXT = {
    Alfabetisering.A: "U leert eerst lezen en schrijven (alfabetisering).",
    Alfabetisering.AA: "U leert eerst lezen en schrijven in het Nederlandse schrift.",
}
_NIVEAU_TEXT = {
    "A2": "A2: eenvoudig Nederlands, voor gewone dingen van elke dag",
    "B1": "B1: Nederlands voor werk, school en het dagelijks leven",
    "B2": "B2: Nederlands voor een opleiding of werk op hoger niveau",
}


@dataclass(frozen=True)
class Termijn:
    start: date | None
    end: date | None
    toelichting: str


def _termijn(pip: Pip) -> Termijn:
    """The case's termijn (`rules.termijn_end_of`): from the FIRST PIP's dagtekening, so a new
    version never moves it (Wi2021 art. 11), with the granted extensions."""
    from .services.facts import case_facts

    facts = case_facts(pip.case)
    start = rules.termijn_start_of(facts)
    end = rules.termijn_end_of(facts, start=start)
    return Termijn(start=start.value, end=end.value, toelichting=end.toelichting)


def _niveau(pip: Pip) -> str | None:
    """The taaldoel of the PIP in words (the same `Pip.taaldoel` the case page shows)."""
    goal = pip.taaldoel
    if goal is None:
        return None
    text = _NIVEAU_TEXT.get(goal, goal)
    if pip.leerroute == Leerroute.Z:
        text += " (in de Z-route mag u examens doen, maar het hoeft niet)"
    return text


def _ontzorgen(pip: Pip) -> dict[str, Any] | None:
    if not pip.ontzorgen:
        return None
    from .models import OntzorgenArrangement

    arrangement = OntzorgenArrangement.objects.filter(case=pip.case).first()
    if arrangement is None:
        return {"end": None, "items": []}
    try:
        end: date | None = rules.ontzorgen_window(
            bijstand_start=arrangement.bijstand_start, bijstand_end=arrangement.bijstand_end
        ).value
    except rules.RuleInputError:
        end = None
    from .choices import OntzorgenItem

    labels = dict(OntzorgenItem.choices)
    return {
        "end": rules.nl_date(end) if end else None,
        "items": [str(labels.get(item, item)).lower() for item in arrangement.items],
    }


def _asielstatushouder(pip: Pip) -> bool:
    from .services.facts import doelgroep_of

    return doelgroep_of(pip.case) is rules.Doelgroep.ASIELSTATUSHOUDER


def pip_context(*, pip: Pip) -> dict[str, Any]:
    """Everything the PDF shows, in plain words (also useful for an HTML preview)."""
    case = pip.case
    person = case.person
    termijn = _termijn(pip)
    versions = list(case.pips.filter(version__lte=pip.version).order_by("version"))
    map_required = rules.map_required(leerroute=rules.Leerroute(pip.leerroute)).value
    return {
        "pip": pip,
        "person": person,
        "gemeente": case.municipality.name,
        "title": f"Persoonlijk Plan Inburgering en Participatie van {person.full_name}",
        "dagtekening": rules.nl_date(pip.dagtekening),
        "birth_date": rules.nl_date(person.birth_date),
        "leerroute": pip.get_leerroute_display(),
        "leerroute_text": _ROUTE_TEXT.get(Leerroute(pip.leerroute), ""),
        "niveau": _niveau(pip),
        "alfabetisering": _ALFA_TEXT.get(Alfabetisering(pip.alfabetisering), ""),
        "termijn_start": rules.nl_date(termijn.start) if termijn.start else None,
        "termijn_end": rules.nl_date(termijn.end) if termijn.end else None,
        "termijn_toelichting": termijn.toelichting,
        "map_required": map_required,
        "ontzorgen": _ontzorgen(pip),
        "asielstatushouder": _asielstatushouder(pip),
        "bezwaar_uiterlijk": rules.nl_date(pip.dagtekening + timedelta(weeks=BEZWAAR_WEEKS)),
        "versions": [
            {
                "version": v.version,
                "dagtekening": rules.nl_date(v.dagtekening),
                "reason": v.get_reason_display(),
                "reason_text": v.reason_text,
                "current": v.pk == pip.pk,
            }
            for v in versions
        ],
    }


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """The PIP template needs no outside files; never let WeasyPrint fetch a URL."""
    raise ValueError("Het PIP-document laadt geen bestanden van buiten.")


def pip_pdf(*, pip: Pip) -> bytes:
    """One PIP version as a tagged PDF/UA-1 document in Dutch."""
    import weasyprint  # type: ignore[import-untyped]  # lazy: needs pango at run time

    html = render_to_string("cases/pip_pdf.html", pip_context(pip=pip))
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetch, base_url=".")
    content: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return content

"""The indicator catalogue as code, and pure computations over fact rows.

Each indicator has a code, a Dutch name, a definition, numerator and denominator, a unit, the
breakdowns it allows and its source. `compute()` turns fact rows into raw cells; the
disclosure layer (`disclosure.protect`) is applied by `selectors.indicator_table`, never here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thuis.cases.choices import Regime
from thuis.core.disclosure import RawCell

from .rules import (
    AGE_MAX,
    AGE_MIN,
    MONTHS,
    FactRow,
    add_months,
    age_class,
    half_year,
    half_year_bounds,
    median,
)

BREAKDOWNS: dict[str, str] = {
    "cohort": "Cohort",
    "geslacht": "Geslacht",
    "leeftijdsklasse": "Leeftijdsklasse",
    "geboorteland": "Geboorteland",
    "leerroute": "Leerroute",
    "gemeente": "Gemeente",
}
ALL_BREAKDOWNS = tuple(BREAKDOWNS)
SEX_CODES = {"M": "M", "V": "V", "O": "X", "X": "X"}
LEERROUTES = ("B1", "onderwijs", "Z")
EXAM_COMPONENTS = ("lezen", "luisteren", "schrijven", "spreken", "knm")
LANGUAGE_COMPONENTS = ("lezen", "luisteren", "schrijven", "spreken")
NO_PIP = "geen PIP"
# Brede intake and PIP exist only under the Wet inburgering 2021 (Wi2021 art. 14 and 15); a
# Wi2013 case never has them, so indicators about them leave Wi2013 out.
WI2021_ONLY = (Regime.WI2013.value,)
WI2021_ONLY_TEXT = (
    " Alleen trajecten onder de Wet inburgering 2021: onder de Wet inburgering 2013 bestaan "
    "brede intake en PIP niet, die trajecten tellen niet mee."
)

RATIO, MEDIAN, SHARE, EXAM, QUOTA, SURVEY = "ratio", "median", "share", "exam", "quota", "survey"
# Kinds whose teller is a subset of the persons in the noemer: public output protects their
# complement (noemer − teller) too. A quota's noemer is a target, not persons.
PERSON_RATIOS = (RATIO, SHARE, EXAM)


@dataclass(frozen=True)
class Reference:
    """A published reference value shown beside local figures (wet-inburgering.md §9/§10)."""

    label: str
    value: float
    source: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    breakdowns: tuple[str, ...]
    source: str
    kind: str = RATIO
    group: str = ""
    inherent: str = ""  # a dimension every cell has (onderdeel, leerroute, halfjaar)
    references: tuple[Reference, ...] = ()
    population: Callable[[FactRow, date], bool] | None = field(default=None, repr=False)
    numerator_test: Callable[[FactRow, date], bool] | None = field(default=None, repr=False)
    duration: Callable[[FactRow, date], int | None] | None = field(default=None, repr=False)
    cohort: Callable[[FactRow], str] | None = field(default=None, repr=False)
    survey_code: str = ""
    # Regimes under which the subject does not exist (no brede intake or PIP under Wi2013):
    # their cases are in neither teller nor noemer.
    excluded_regimes: tuple[str, ...] = ()

    def measures(self, row: FactRow) -> bool:
        """The row belongs to the population this indicator can measure at all."""
        return row.regime not in self.excluded_regimes

    @property
    def percentage(self) -> bool:
        return self.unit == "%"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "naam": self.name,
            "definitie": self.definition,
            "teller": self.numerator,
            "noemer": self.denominator,
            "eenheid": self.unit,
            "uitsplitsingen": list(self.breakdowns),
            "bron": self.source,
        }


def working_age(row: FactRow) -> bool:
    return AGE_MIN <= row.age_at_plicht_start <= AGE_MAX


def _on_or_before(d: date | None, peildatum: date) -> bool:
    return d is not None and d <= peildatum


def breakdown_value(row: FactRow, name: str, indicator: Indicator) -> str:
    if name == "cohort":
        return indicator.cohort(row) if indicator.cohort else str(row.plicht_start.year)
    if name == "geslacht":
        return SEX_CODES.get(row.sex, "X")
    if name == "leeftijdsklasse":
        return age_class(row.age_at_plicht_start)
    if name == "geboorteland":
        return row.country_of_birth or "onbekend"
    if name == "leerroute":
        return row.leerroute or NO_PIP
    if name == "gemeente":
        return row.municipality
    raise KeyError(name)


# --- Definitions -------------------------------------------------------------------------------

CBS_2018 = "CBS, 11 procent van statushouders heeft werk (17-04-2018), cohort vergunning 2014"
CBS_2018_URL = "https://www.cbs.nl/nl-nl/nieuws/2018/16/11-procent-van-statushouders-heeft-werk"
DIVOSA_2022 = "Divosa, werkende statushouders (peildatum 30-06-2022), sinds 2014 gevestigd"
DIVOSA_URL = (
    "https://www.divosa.nl/nieuws/aandeel-werkende-statushouders-en-gezinsmigranten-blijft-"
    "gestaag-toenemen"
)
PERMIT_NOTE = "Gemeten vanaf de verblijfsvergunning, niet vanaf de start van de plicht."

WERK_REFERENCES: dict[int, tuple[Reference, ...]] = {
    12: (
        Reference(
            "Landelijk, cohort 2014",
            1.4,
            "NRC over CBS (12-04-2023)",
            "https://www.nrc.nl/nieuws/2023/04/12/vluchtelingen-vinden-sneller-werk-maar-"
            "de-coronacrisis-zorgde-voor-vertraging-a4161918",
            PERMIT_NOTE,
        ),
        Reference(
            "Landelijk, cohort 2021",
            7.8,
            "NRC over CBS (12-04-2023)",
            "https://www.nrc.nl/nieuws/2023/04/12/vluchtelingen-vinden-sneller-werk-maar-"
            "de-coronacrisis-zorgde-voor-vertraging-a4161918",
            PERMIT_NOTE,
        ),
    ),
    18: (Reference("Landelijk, cohort 2014", 4.0, CBS_2018, CBS_2018_URL, PERMIT_NOTE),),
    24: (
        Reference(
            "Landelijk, cohort 2014",
            6.0,
            "ND over CBS (2021)",
            "https://www.nd.nl/nieuws/nederland/1030023/arbeidsparticipatie-stagneert-"
            "onder-statushouders-in-2020",
            PERMIT_NOTE,
        ),
        Reference(
            "Landelijk, cohort 2017",
            12.0,
            "ND over CBS (2021)",
            "https://www.nd.nl/nieuws/nederland/1030023/arbeidsparticipatie-stagneert-"
            "onder-statushouders-in-2020",
            PERMIT_NOTE,
        ),
    ),
    30: (
        Reference("Landelijk, cohort 2014", 11.0, CBS_2018, CBS_2018_URL, PERMIT_NOTE),
        Reference(
            "Landelijk, cohort 2019",
            20.0,
            "PZC over CBS",
            "https://www.pzc.nl/binnenland/statushouders-vinden-vaker-werk-maar-nog-niet-"
            "vaak-genoeg-vindt-minister~adf2e188/",
            PERMIT_NOTE,
        ),
    ),
    36: (
        Reference(
            "Landelijk, cohort 2014",
            19.0,
            "CBS 2025 (via mariabode.nl)",
            "https://mariabode.nl/werk-steeds-vaker-belangrijkste-inkomstenbron-voor-statushouders",
            PERMIT_NOTE,
        ),
        Reference(
            "Landelijk, cohort 2016",
            27.0,
            "CBS 2025 (via mariabode.nl)",
            "https://mariabode.nl/werk-steeds-vaker-belangrijkste-inkomstenbron-voor-statushouders",
            PERMIT_NOTE,
        ),
        Reference(
            "Landelijk, cohort 2020",
            31.0,
            "CBS 2025 (via mariabode.nl)",
            "https://mariabode.nl/werk-steeds-vaker-belangrijkste-inkomstenbron-voor-statushouders",
            PERMIT_NOTE,
        ),
    ),
}
GENDER_REFERENCES = (
    Reference(
        "Landelijk, mannen",
        47.0,
        DIVOSA_2022,
        DIVOSA_URL,
        "Alle statushouders sinds 2014; geen cohortmaat.",
    ),
    Reference(
        "Landelijk, vrouwen",
        17.0,
        DIVOSA_2022,
        DIVOSA_URL,
        "Alle statushouders sinds 2014; geen cohortmaat.",
    ),
)
BIJSTAND_REFERENCES: dict[int, tuple[Reference, ...]] = {
    12: (
        Reference(
            "Landelijk, cohort 2014 (uitkering)",
            85.0,
            "CBS 2025 (via mariabode.nl)",
            "https://mariabode.nl/werk-steeds-vaker-belangrijkste-inkomstenbron-voor-statushouders",
            PERMIT_NOTE + " Elke uitkering, vooral bijstand.",
        ),
    ),
    18: (
        Reference(
            "Landelijk, cohort 2014 (uitkering)",
            90.0,
            "NRC over CBS (16-04-2018)",
            "https://www.nrc.nl/nieuws/2018/04/16/na-tweeenhalf-jaar-heeft-11-procent-"
            "asielzoekers-werk-a1599607",
            PERMIT_NOTE + " Elke uitkering, vooral bijstand.",
        ),
    ),
    30: (
        Reference(
            "Landelijk, cohort 2014 (uitkering)",
            84.0,
            "NRC over CBS (16-04-2018)",
            "https://www.nrc.nl/nieuws/2018/04/16/na-tweeenhalf-jaar-heeft-11-procent-"
            "asielzoekers-werk-a1599607",
            PERMIT_NOTE + " Elke uitkering, vooral bijstand.",
        ),
    ),
}
DALFSEN = "Gemeente Dalfsen, jaarverslag (indicatoren programma 6)"
DALFSEN_2018 = "https://dalfsen.jaarverslag-2018.nl/p3206/indicatoren"
DALFSEN_2019 = "https://dalfsen.jaarverslag-2019.nl/p5208/indicatoren"
SWI_2023 = (
    "https://cbs.nl/nl-nl/longread/rapportages/2024/statistiek-wet-inburgering--swi---2023/"
    "5-inburgering-in-de-vestigingsgemeente"
)


def _spell_indicator(kind: str, n: int) -> Indicator:
    label = "werk" if kind == "WERK" else "bijstand"
    refs = WERK_REFERENCES.get(n, ()) if kind == "WERK" else BIJSTAND_REFERENCES.get(n, ())
    if kind == "WERK":
        refs = (*refs, *GENDER_REFERENCES)
    return Indicator(
        code=f"{kind}_{n}M",
        name=f"Met {label} {n} maanden na de start van de plicht",
        definition=(
            f"Asielstatushouders van 18 tot en met 64 jaar bij de start van de plicht. Telt mee "
            f"als op de datum 'start plicht + {n} maanden' een periode van {label} loopt "
            "(begindatum op of vóór die datum; einddatum leeg of op of ná die datum)."
        ),
        numerator=f"personen met een periode {label} op start plicht + {n} maanden",
        denominator=(
            f"asielstatushouders 18-64 jaar bij start plicht, met start plicht + {n} maanden "
            "op of vóór de peildatum"
        ),
        unit="%",
        breakdowns=ALL_BREAKDOWNS,
        source="Thuis; definitie naar CBS Statistiek Wet inburgering (doelbereik)",
        group="Werk en inkomen",
        references=refs,
        population=_spell_population(n),
        numerator_test=_spell_numerator(kind, n),
    )


def _spell_population(n: int) -> Callable[[FactRow, date], bool]:
    def population(r: FactRow, p: date) -> bool:
        return (
            r.doelgroep == "asielstatushouder"
            and working_age(r)
            and add_months(r.plicht_start, n) <= p
        )

    return population


def _spell_numerator(kind: str, n: int) -> Callable[[FactRow, date], bool]:
    def numerator(r: FactRow, p: date) -> bool:
        return n in r.covered_months.get(kind, ())

    return numerator


def _duration(start: str, end: str) -> Callable[[FactRow, date], int | None]:
    def duration(r: FactRow, p: date) -> int | None:
        return _days(getattr(r, start), getattr(r, end), p)

    return duration


def _vestiging_half_year(row: FactRow) -> str:
    return half_year(row.vestiging_date) if row.vestiging_date else "onbekend"


def _days(a: date | None, b: date | None, peildatum: date) -> int | None:
    if a is None or b is None or b > peildatum or a > peildatum:
        return None
    return (b - a).days


def _catalogue() -> dict[str, Indicator]:
    items: list[Indicator] = []
    for kind in ("WERK", "BIJSTAND"):
        items += [_spell_indicator(kind, n) for n in MONTHS]
    items.append(
        Indicator(
            code="PARTICIPATIE_6M_VESTIGING",
            name="Participeert een half jaar na vestiging",
            definition=(
                "Personen van 18 tot en met 64 jaar bij de start van de plicht, gevestigd in de "
                "gemeente. Telt mee als op 'vestiging + 6 maanden' betaald werk, een stage "
                "(werkstage, traject bij een werkgever) of vrijwilligerswerk loopt. Cohort: het "
                "halfjaar van vestiging (2019-H1). Definitie van de gemeente Dalfsen."
            ),
            numerator="personen met werk, stage of vrijwilligerswerk op vestiging + 6 maanden",
            denominator="personen 18-64 jaar met vestiging + 6 maanden op of vóór de peildatum",
            unit="%",
            breakdowns=ALL_BREAKDOWNS,
            source=f"{DALFSEN}; {DALFSEN_2019}",
            group="Werk en inkomen",
            references=(
                Reference(
                    "Dalfsen, gevestigd 2018-H1 (gemeten 1-2-2019)", 44.0, DALFSEN, DALFSEN_2018
                ),
                Reference(
                    "Dalfsen, gevestigd 2019-H1 (gemeten 1-2-2020)", 60.0, DALFSEN, DALFSEN_2019
                ),
                Reference("Dalfsen, doel", 75.0, DALFSEN, DALFSEN_2019),
            ),
            population=lambda r, p: (
                working_age(r)
                and r.vestiging_date is not None
                and add_months(r.vestiging_date, 6) <= p
            ),
            numerator_test=lambda r, p: bool(r.participatie_6m_vestiging),
            cohort=_vestiging_half_year,
        )
    )
    items.append(
        Indicator(
            code="INTAKE_GESTART",
            name="Brede intake gestart",
            definition="Personen met een inburgeringsplicht die vóór of op de peildatum begon, "
            "van wie de brede intake op de peildatum is gestart." + WI2021_ONLY_TEXT,
            numerator="personen met een gestarte brede intake",
            denominator="personen (Wi2021) met start plicht op of vóór de peildatum",
            unit="%",
            breakdowns=ALL_BREAKDOWNS,
            source="Thuis; definitie naar CBS SWI hoofdstuk 5",
            group="Doorlooptijden",
            references=(
                Reference(
                    "Landelijk, asiel, cohort 2022 (eind 2023)", 88.0, "CBS SWI 2023", SWI_2023
                ),
                Reference(
                    "Landelijk, gezin/overig, cohort 2022 (eind 2023)",
                    90.0,
                    "CBS SWI 2023",
                    SWI_2023,
                ),
                Reference(
                    "Landelijk, asiel, cohort 2023 (eind 2023)", 45.0, "CBS SWI 2023", SWI_2023
                ),
            ),
            population=lambda r, p: r.plicht_start <= p,
            numerator_test=lambda r, p: _on_or_before(r.intake_start, p),
            excluded_regimes=WI2021_ONLY,
        )
    )
    for code, name, start, end, start_label, end_label, excluded in (
        (
            "DOORLOOP_PLICHT_INTAKE",
            "Doorlooptijd start plicht tot brede intake",
            "plicht_start",
            "intake_start",
            "start plicht",
            "start brede intake",
            WI2021_ONLY,
        ),
        (
            "DOORLOOP_INTAKE_PIP",
            "Doorlooptijd brede intake tot PIP",
            "intake_start",
            "first_pip_date",
            "start brede intake",
            "dagtekening eerste PIP",
            WI2021_ONLY,
        ),
        (
            "DOORLOOP_PLICHT_PIP",
            "Doorlooptijd start plicht tot PIP",
            "plicht_start",
            "first_pip_date",
            "start plicht",
            "dagtekening eerste PIP",
            WI2021_ONLY,
        ),
        (
            "DOORLOOP_KOPPELING_VESTIGING",
            "Doorlooptijd koppeling tot vestiging",
            "koppeling_date",
            "vestiging_date",
            "koppeling (COA)",
            "vestiging (BRP)",
            (),
        ),
    ):
        items.append(
            Indicator(
                code=code,
                name=name,
                definition=f"Mediaan van het aantal dagen van {start_label} tot {end_label}, voor "
                "personen bij wie beide datums op of vóór de peildatum liggen."
                + (WI2021_ONLY_TEXT if excluded else ""),
                numerator=f"mediaan dagen {start_label} → {end_label}",
                denominator="personen met beide datums",
                unit="dagen",
                breakdowns=ALL_BREAKDOWNS,
                source="Thuis; CBS SWI hoofdstuk 5 (tijd van plicht tot intake en PIP)",
                kind=MEDIAN,
                group="Doorlooptijden",
                duration=_duration(start, end),
                excluded_regimes=excluded,
            )
        )
    items.append(
        Indicator(
            code="PIP_BINNEN_TERMIJN",
            name="PIP binnen de wettelijke termijn",
            definition="Personen (Wi2021) van wie de uiterste datum voor de PIP (10 weken na de "
            "kennisgeving van DUO of de vestiging, de laatste van de twee; Wi2021 art. 15) op of "
            "vóór de peildatum ligt, of die al een PIP hebben. Telt mee als de eerste PIP een "
            "dagtekening heeft op of vóór die uiterste datum. Zonder bekende kennisgeving "
            "(gemigreerde trajecten) telt de start van de plicht als kennisgeving."
            + WI2021_ONLY_TEXT,
            numerator="personen met eerste PIP op of vóór de uiterste datum",
            denominator="personen met uiterste datum of PIP op of vóór de peildatum",
            unit="%",
            breakdowns=ALL_BREAKDOWNS,
            source="Wi2021 art. 15; Bi2021 art. 5.3",
            group="Doorlooptijden",
            population=lambda r, p: (
                r.pip_deadline is not None
                and (r.pip_deadline <= p or _on_or_before(r.first_pip_date, p))
            ),
            numerator_test=lambda r, p: (
                r.first_pip_date is not None
                and r.pip_deadline is not None
                and r.first_pip_date <= min(r.pip_deadline, p)
            ),
            excluded_regimes=WI2021_ONLY,
        )
    )
    items.append(
        Indicator(
            code="LEERROUTE_MIX",
            name="Verdeling over de leerroutes",
            definition="Aandeel per leerroute (laatste versie van de PIP) onder personen met een "
            "PIP op of vóór de peildatum." + WI2021_ONLY_TEXT,
            numerator="personen in de leerroute",
            denominator="personen met een PIP",
            unit="%",
            breakdowns=tuple(b for b in ALL_BREAKDOWNS if b != "leerroute"),
            source="Thuis; CBS SWI hoofdstuk 5 (leerroute)",
            kind=SHARE,
            group="Leerroutes en examens",
            inherent="leerroute",
            population=lambda r, p: bool(r.leerroute) and _on_or_before(r.first_pip_date, p),
            excluded_regimes=WI2021_ONLY,
        )
    )
    items.append(
        Indicator(
            code="EXAMEN_GESLAAGD",
            name="Geslaagd per examenonderdeel",
            definition="Per onderdeel: personen die vóór of op de peildatum minstens één examen "
            "deden. Telt mee wie vóór of op de peildatum slaagde (elk niveau).",
            numerator="personen geslaagd voor het onderdeel",
            denominator="personen met minstens één examen in het onderdeel",
            unit="%",
            breakdowns=ALL_BREAKDOWNS,
            source="Thuis (examenuitslagen DUO)",
            kind=EXAM,
            group="Leerroutes en examens",
            inherent="onderdeel",
            references=(
                Reference(
                    "Landelijk, statushouders geslaagd inburgeringsexamen",
                    45.0,
                    DIVOSA_2022,
                    DIVOSA_URL,
                    "Hele examen, geen onderdeel.",
                ),
            ),
        )
    )
    items.append(
        Indicator(
            code="EXAMEN_B1",
            name="Niveau B1 gehaald per taalonderdeel",
            definition="Per taalonderdeel (lezen, luisteren, schrijven, spreken): personen die "
            "vóór "
            "of op de peildatum minstens één examen deden. Telt mee wie op B1 of hoger slaagde.",
            numerator="personen geslaagd op B1 of hoger",
            denominator="personen met minstens één examen in het onderdeel",
            unit="%",
            breakdowns=ALL_BREAKDOWNS,
            source="Thuis (examenuitslagen DUO); Wi2021 art. 7 (B1 als norm)",
            kind=EXAM,
            group="Leerroutes en examens",
            inherent="onderdeel",
        )
    )
    items.append(
        Indicator(
            code="PLICHT_VOLDAAN_BINNEN_TERMIJN",
            name="Plicht voldaan binnen de termijn",
            definition="Personen van wie de inburgeringstermijn (met verlengingen) op of vóór de "
            "peildatum eindigde, of die de plicht al voldeden. Wie om een andere reden uit de "
            "plicht "
            "ging (verhuisd, ontheven, vrijgesteld) telt niet mee. Telt mee: plicht voldaan op of "
            "vóór het einde van de termijn.",
            numerator="personen met plicht voldaan binnen de termijn",
            denominator="personen met einde termijn of voldaan op of vóór de peildatum",
            unit="%",
            breakdowns=ALL_BREAKDOWNS,
            source="Wi2021 art. 7 en 11; Wi2013 art. 7",
            group="Leerroutes en examens",
            population=lambda r, p: (
                r.plicht_end_reason in ("", "voldaan")
                and (
                    _on_or_before(r.termijn_end, p)
                    or (r.plicht_end_reason == "voldaan" and _on_or_before(r.plicht_end_date, p))
                )
            ),
            numerator_test=lambda r, p: (
                r.plicht_end_reason == "voldaan"
                and r.plicht_end_date is not None
                and r.plicht_end_date <= p
                and (r.termijn_end is None or r.plicht_end_date <= r.termijn_end)
            ),
        )
    )
    items.append(
        Indicator(
            code="TAAKSTELLING",
            name="Huisvesting: gehuisvest tegenover taakstelling",
            definition="Per halfjaar: asielstatushouders gevestigd in de gemeente (datum vestiging "
            "in het halfjaar en op of vóór de peildatum) als percentage van de taakstelling.",
            numerator="gevestigde asielstatushouders in het halfjaar",
            denominator="taakstelling van het halfjaar",
            unit="%",
            breakdowns=("gemeente",),
            source="Huisvestingswet 2014 art. 28; taakstelling uit de circulaire (ingevoerd)",
            kind=QUOTA,
            group="Huisvesting",
            inherent="halfjaar",
            references=(
                Reference("Dalfsen, realisatie 2018", 75.0, DALFSEN, DALFSEN_2018),
                Reference("Dalfsen, realisatie 2019", 69.0, DALFSEN, DALFSEN_2019),
            ),
        )
    )
    for code, survey_code, name in (
        ("ENQUETE_WELKOM", "feeling_welcome", "Voelt zich welkom"),
        ("ENQUETE_TEVREDEN", "satisfaction_inburgering", "Tevreden over de inburgering"),
        ("ENQUETE_NETWERK", "social_network", "Heeft een steunend sociaal netwerk"),
    ):
        items.append(
            Indicator(
                code=code,
                name=f"{name} (enquête)",
                definition="Aandeel positieve antwoorden in de standaardenquête 'Ervaringen met "
                "Thuis' over de 12 maanden tot en met de peildatum.",
                numerator="positieve antwoorden",
                denominator="alle antwoorden op de vraag",
                unit="%",
                breakdowns=("gemeente",),
                source="Thuis, standaardenquête (surveys)",
                kind=SURVEY,
                group="Ervaringen",
                survey_code=survey_code,
            )
        )
    return {i.code: i for i in items}


CATALOGUE: dict[str, Indicator] = _catalogue()


class UnknownIndicator(KeyError):
    pass


def get(code: str) -> Indicator:
    try:
        return CATALOGUE[code]
    except KeyError as exc:
        raise UnknownIndicator(code) from exc


# --- Computation -------------------------------------------------------------------------------


def compute(
    indicator: Indicator,
    rows: Sequence[FactRow],
    *,
    peildatum: date,
    per: Sequence[str],
    quotas: Mapping[tuple[str, str], int] | None = None,
) -> list[RawCell]:
    """Raw cells (before disclosure control) of an indicator over fact rows, of the regimes
    under which its subject exists (`Indicator.excluded_regimes`)."""
    if indicator.excluded_regimes:
        rows = [r for r in rows if indicator.measures(r)]
    if indicator.kind == RATIO:
        return _ratio(indicator, rows, peildatum, per)
    if indicator.kind == MEDIAN:
        return _median(indicator, rows, peildatum, per)
    if indicator.kind == SHARE:
        return _share(indicator, rows, peildatum, per)
    if indicator.kind == EXAM:
        return _exam(indicator, rows, peildatum, per)
    if indicator.kind == QUOTA:
        return _quota(rows, peildatum, per, quotas or {})
    raise ValueError(indicator.kind)


def _key(row: FactRow, per: Sequence[str], indicator: Indicator) -> tuple[str, ...]:
    return tuple(breakdown_value(row, b, indicator) for b in per)


def _ratio(ind: Indicator, rows: Sequence[FactRow], p: date, per: Sequence[str]) -> list[RawCell]:
    assert ind.population is not None and ind.numerator_test is not None  # noqa: S101
    counts: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if ind.population(row, p):
            acc = counts[_key(row, per, ind)]
            acc[1] += 1
            if ind.numerator_test(row, p):
                acc[0] += 1
    return [
        RawCell(keys=dict(zip(per, key, strict=True)), teller=t, noemer=n)
        for key, (t, n) in sorted(counts.items())
    ]


def _median(ind: Indicator, rows: Sequence[FactRow], p: date, per: Sequence[str]) -> list[RawCell]:
    assert ind.duration is not None  # noqa: S101
    values: dict[tuple[str, ...], list[float]] = defaultdict(list)
    for row in rows:
        days = ind.duration(row, p)
        if days is not None:
            values[_key(row, per, ind)].append(days)
    return [
        RawCell(keys=dict(zip(per, key, strict=True)), teller=None, noemer=len(v), value=median(v))
        for key, v in sorted(values.items())
    ]


def _share(ind: Indicator, rows: Sequence[FactRow], p: date, per: Sequence[str]) -> list[RawCell]:
    assert ind.population is not None  # noqa: S101
    counts: dict[tuple[str, ...], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(LEERROUTES, 0)
    )
    for row in rows:
        if ind.population(row, p):
            bucket = counts[_key(row, per, ind)]
            bucket[row.leerroute] = bucket.get(row.leerroute, 0) + 1
    cells = []
    for key, bucket in sorted(counts.items()):
        total = sum(bucket.values())
        for route, n in bucket.items():
            keys = {**dict(zip(per, key, strict=True)), "leerroute": route}
            cells.append(RawCell(keys=keys, teller=n, noemer=total))
    return cells


def _exam(ind: Indicator, rows: Sequence[FactRow], p: date, per: Sequence[str]) -> list[RawCell]:
    components = LANGUAGE_COMPONENTS if ind.code == "EXAMEN_B1" else EXAM_COMPONENTS
    target = "b1" if ind.code == "EXAMEN_B1" else "passed"
    iso = p.isoformat()
    counts: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for component in components:
            entry = row.exams.get(component)
            if not entry or not entry.get("first") or str(entry["first"]) > iso:
                continue
            acc = counts[(component, *_key(row, per, ind))]
            acc[1] += 1
            reached = entry.get(target)
            if reached and str(reached) <= iso:
                acc[0] += 1
    return [
        RawCell(
            keys={"onderdeel": key[0], **dict(zip(per, key[1:], strict=True))}, teller=t, noemer=n
        )
        for key, (t, n) in sorted(counts.items())
    ]


def _quota(
    rows: Sequence[FactRow], p: date, per: Sequence[str], quotas: Mapping[tuple[str, str], int]
) -> list[RawCell]:
    housed: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        if row.doelgroep == "asielstatushouder" and _on_or_before(row.vestiging_date, p):
            assert row.vestiging_date is not None  # noqa: S101
            housed[(row.municipality, half_year(row.vestiging_date))] += 1
    by_gemeente = "gemeente" in per
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (municipality, period), quota in quotas.items():
        if half_year_bounds(period)[0] > p:
            continue
        acc = totals[(municipality if by_gemeente else "", period)]
        acc[0] += housed.get((municipality, period), 0)
        acc[1] += quota
    cells = []
    for (municipality, period), (teller, noemer) in sorted(totals.items()):
        keys = {"halfjaar": period, **({"gemeente": municipality} if by_gemeente else {})}
        cells.append(RawCell(keys=keys, teller=teller, noemer=noemer))
    return cells


def additive_dims(indicator: Indicator, per: Sequence[str]) -> list[str]:
    """Breakdowns over which totals are published (never the inherent dimension)."""
    if indicator.kind in (MEDIAN, QUOTA):
        return []
    return [b for b in per if b != indicator.inherent]

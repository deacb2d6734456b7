"""Law as code for civic integration (Wet inburgering 2013 and 2021).

Pure functions: no database, no clock, no I/O. Every date that matters ("today", "peildatum") is
passed in. Each rule returns a value with its legal basis (grondslag) and a plain-Dutch
explanation (toelichting). Sources: the Wet inburgering 2021 (BWBR0044770), the Besluit
inburgering 2021 (BWBR0045555) and DUO's koppelvlakken; interpretations in docs/rekenhulp.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Generic, TypeVar

from dateutil.relativedelta import relativedelta

from thuis.core import formatting

from . import choices

# One vocabulary: the rules use the TextChoices of the models, forms and serializers, under the
# names of the law (Wet is the Regime of a case; Doelgroep is the law's class of a doelgroep, not
# DUO's Doelgroepindeling `choices.Doelgroep`; Examenonderdeel is an ExamComponent).
Wet = choices.Regime
Doelgroep = choices.Doelgroepklasse
Leerroute = choices.Leerroute
Niveau = choices.Niveau
LbtUitslag = choices.LbtUitslag
Examenonderdeel = choices.ExamComponent
SignaalCode = choices.SignaalCode
CaseStatus = choices.CaseStatus
PipReason = choices.PipReason
GedetailleerdeDoelgroep = choices.GedetailleerdeDoelgroep
DuoDoelgroep = choices.Doelgroep
PIP_NIVEAUS = choices.PIP_NIVEAUS
LANGUAGE_COMPONENTS = choices.LANGUAGE_COMPONENTS

# --- Parameters. Values marked UNVERIFIED/UNCONFIRMED in the domain doc are configurable. ---
WI2021_START = date(2022, 1, 1)
LBT_CESUUR_SWITCH = date(2023, 4, 12)
LBT_CESUUR_BEFORE = 31
LBT_CESUUR_FROM = 28
LBT_MAX_SCORE = 40
TERMIJN_YEARS = 3
PIP_WEEKS = 10
PIP_THIRD_PARTY_WEEKS = 2
ONTZORGEN_MONTHS = 6
ROUTE_SWITCH_MONTHS = 18  # UNVERIFIED against the law text (Divosa handreiking 2022)
AFSCHALEN_HOURS = 600
Z_ROUTE_HOURS = 800
WI2013_ALFA_MAX_MONTHS = 24
MAX_EXTENSION_MONTHS = 60  # one extension, in months: what DUO grants (and the cases record)
WI2013_PVT_YEARS = 1
RETENTION_YEARS = 5  # Wi2021 article UNCONFIRMED
PROGRESS_TALK_MONTHS = 6  # UNCONFIRMED: no statutory frequency found
PIP_SOON_DAYS = 14
TERMIJN_SOON_MONTHS = 2
ONTZORGEN_SOON_DAYS = 30
WI2013_ONA_FROM = date(2015, 1, 1)
WI2013_PVT_FROM = date(2017, 10, 1)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RuleResult(Generic[T]):
    value: T
    grondslag: str
    toelichting: str
    review: bool = False  # a person should look at this result again


@dataclass(frozen=True, slots=True)
class RuleError:
    code: str
    melding: str


@dataclass(frozen=True, slots=True)
class Signal:
    code: SignaalCode
    datum: date
    melding: str


class RuleInputError(ValueError):
    """A rule got input outside its domain; `errors` holds Dutch messages."""

    def __init__(self, errors: Sequence[RuleError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.code}: {e.melding}" for e in self.errors))


class RekenhulpInputError(RuleInputError):
    """The rekenhulp input could not be read (bad date, unknown value, missing plicht_start)."""


def nl_date(d: date) -> str:
    """15 juli 2025 (the one Dutch long date, `core.formatting.date_long`)."""
    return formatting.date_long(d)


def _add(d: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """Calendar arithmetic; 29 February + 1 year = 28 February."""
    result: date = d + relativedelta(years=years, months=months, days=days)
    return result


# --- Law regime and termijn ---


def law_regime(*, plicht_start: date) -> RuleResult[Wet]:
    if plicht_start >= WI2021_START:
        return RuleResult(
            Wet.WI2021,
            "Wi2021 overgangsrecht (in werking 1 januari 2022)",
            f"De inburgeringsplicht begon op {nl_date(plicht_start)}. Dat is op of "
            "na 1 januari 2022. Daarom geldt de Wet inburgering 2021.",
        )
    return RuleResult(
        Wet.WI2013,
        "Wi2021 overgangsrecht (in werking 1 januari 2022)",
        f"De inburgeringsplicht begon op {nl_date(plicht_start)}. Dat is vóór "
        "1 januari 2022. Daarom gelden de regels van de Wet inburgering 2013.",
    )


def termijn_start(*, pip_dagtekening: date) -> RuleResult[date]:
    start = pip_dagtekening + timedelta(days=1)
    return RuleResult(
        start,
        "Wi2021 art. 11",
        f"De eerste PIP heeft als dagtekening {nl_date(pip_dagtekening)}. De "
        f"inburgeringstermijn begint de dag erna: {nl_date(start)}. Een nieuwe "
        "versie van de PIP verandert dit niet.",
    )


def termijn_start_wi2013(*, plicht_start: date) -> RuleResult[date]:
    start = plicht_start + timedelta(days=1)
    return RuleResult(
        start,
        "Wi2013 art. 7; Interpretatie Thuis",
        f"De inburgeringsplicht begon op {nl_date(plicht_start)}. De termijn van "
        f"3 jaar telt vanaf de dag erna: {nl_date(start)}.",
    )


def extension_months_error(months: int) -> RuleError | None:
    """The one bound on the length of one extension (1 to MAX_EXTENSION_MONTHS months)."""
    if 1 <= months <= MAX_EXTENSION_MONTHS:
        return None
    return RuleError(
        "VERLENGING_ONGELDIG",
        f"Een verlenging is 1 tot en met {MAX_EXTENSION_MONTHS} maanden, niet {months}.",
    )


def extensions_validate(
    *, wet: Wet, extensions_months: Sequence[int], alfabetisering_months: int = 0
) -> list[RuleError]:
    errors = [e for e in map(extension_months_error, extensions_months) if e is not None]
    if alfabetisering_months and wet is Wet.WI2021:
        errors.append(
            RuleError(
                "VERLENGING_ALFA_WI2021",
                "Verlenging voor alfabetisering met "
                "een vast maximum bestaat alleen in de Wi2013. In de Wi2021 "
                "beslist DUO over elke verlenging.",
            )
        )
    elif not 0 <= alfabetisering_months <= WI2013_ALFA_MAX_MONTHS:
        errors.append(
            RuleError(
                "VERLENGING_ALFA_TE_LANG",
                "Verlenging voor alfabetisering mag "
                "één keer en is ten hoogste 24 maanden (2 jaar).",
            )
        )
    return errors


def termijn_end(
    *,
    wet: Wet,
    plicht_start: date,
    pip_dagtekening: date | None,
    extensions_months: Sequence[int] = (),
    alfabetisering_months: int = 0,
) -> RuleResult[date | None]:
    """Last day of the inburgeringstermijn; each granted extension moves the last day."""
    if wet is Wet.WI2021:
        if pip_dagtekening is None:
            return RuleResult(
                None,
                "Wi2021 art. 11",
                "Er is nog geen eerste PIP. De termijn "
                "begint pas na de dagtekening van de eerste PIP.",
            )
        base, grondslag = pip_dagtekening, "Wi2021 art. 11"
        text = f"Dagtekening eerste PIP {nl_date(pip_dagtekening)} plus 3 jaar"
    else:
        base, grondslag = plicht_start, "Wi2013 art. 7"
        text = f"Start inburgeringsplicht {nl_date(plicht_start)} plus 3 jaar"
    end = _add(base, years=TERMIJN_YEARS)
    text += f" is {nl_date(end)}."
    steps = [(m, "") for m in extensions_months]
    if wet is Wet.WI2013 and alfabetisering_months:
        steps.append((alfabetisering_months, " voor alfabetisering"))
    for months, reason in steps:
        end = _add(end, months=months)
        text += f" Verlenging{reason} van {months} maanden: nieuwe laatste dag {nl_date(end)}."
    text += f" De inburgeringstermijn loopt tot en met {nl_date(end)}."
    return RuleResult(end, grondslag, text)


def pip_deadline(
    *,
    kennisgeving_duo: date | None,
    brp_vestiging: date | None,
    plicht_start: date | None = None,
    third_party_info_received: date | None = None,
) -> RuleResult[date | None]:
    """Last day for the PIP: 10 weeks after the later of DUO's kennisgeving and the vestiging
    in the BRP (Bi2021 art. 5.3), later only while waiting for information from others.

    The fallbacks are decided here, once (docs/rekenhulp.md, "When a date is missing"):
    - no vestiging: the kennisgeving alone. DUO's kennisgeving (SS139) says that the 10 weeks
      have started; a vestiging recorded later than it moves the deadline.
    - no kennisgeving (every case a migration import creates): the start of the plicht counts as
      the kennisgeving. DUO gives notice only after the plicht began, so the deadline is never
      later than the real one.
    - neither: not known.
    The toelichting says which fallback was used.
    """
    grondslag = "Wi2021 art. 15; Bi2021 art. 5.3"
    source, assumed = "de kennisgeving van DUO", ""
    if kennisgeving_duo is None and brp_vestiging is not None and plicht_start is not None:
        kennisgeving_duo, source = plicht_start, "de start van de inburgeringsplicht"
        assumed = (
            "De datum van de kennisgeving van DUO is niet bekend. Thuis rekent daarom met de "
            f"start van de inburgeringsplicht ({nl_date(plicht_start)}): eerder kan de "
            "kennisgeving niet zijn. "
        )
    if kennisgeving_duo is None:
        missing = (
            "De datum van de kennisgeving van DUO is"
            if brp_vestiging is not None
            else "De datums van de kennisgeving van DUO en van de vestiging in de BRP zijn"
        )
        return RuleResult(
            None,
            grondslag,
            f"{missing} nog niet bekend. De 10 weken voor de PIP beginnen pas met de "
            "kennisgeving van DUO.",
        )
    if brp_vestiging is None:
        assumed = (
            "De datum van de vestiging in de BRP is niet bekend. Thuis rekent met de "
            "kennisgeving van DUO: daarmee zijn de 10 weken begonnen. Is de persoon later in de "
            "gemeente ingeschreven, dan schuift de datum op. "
        )
    later = max(kennisgeving_duo, brp_vestiging or kennisgeving_duo)
    which = source if later == kennisgeving_duo else "de vestiging in de BRP"
    deadline = later + timedelta(weeks=PIP_WEEKS)
    text = (
        f"{assumed}De PIP moet 10 weken na {which} ({nl_date(later)}) klaar zijn: uiterlijk "
        f"{nl_date(deadline)}."
    )
    if third_party_info_received is not None:
        extended = third_party_info_received + timedelta(weeks=PIP_THIRD_PARTY_WEEKS)
        if extended > deadline:
            deadline = extended
            text += (
                f" De gemeente wachtte op informatie van anderen. Die kwam op "
                f"{nl_date(third_party_info_received)}. Daarom is de uiterste datum 2 weken "
                f"later: {nl_date(deadline)}."
            )
    return RuleResult(deadline, grondslag, text)


def pvt_deadline(
    *, wet: Wet, brp_registration: date | None, termijn_end: date | None
) -> RuleResult[date | None]:
    if wet is Wet.WI2013:
        if brp_registration is None:
            return RuleResult(
                None,
                "Wi2013 (participatieverklaring)",
                "De datum van inschrijving in de BRP is niet bekend.",
            )
        end = _add(brp_registration, years=WI2013_PVT_YEARS)
        return RuleResult(
            end,
            "Wi2013 (participatieverklaring)",
            "De participatieverklaring "
            "moet binnen 1 jaar na inschrijving in de BRP "
            f"({nl_date(brp_registration)}) getekend zijn: uiterlijk {nl_date(end)}.",
        )
    if termijn_end is None:
        return RuleResult(
            None,
            "Wi2021 art. 11; Bi2021 art. 3.1",
            "De inburgeringstermijn is "
            "nog niet bekend. Het PVT moet binnen die termijn klaar zijn.",
        )
    return RuleResult(
        termijn_end,
        "Wi2021 art. 11; Bi2021 art. 3.1",
        f"Het PVT moet klaar zijn binnen de inburgeringstermijn: uiterlijk {nl_date(termijn_end)}.",
    )


# --- Brede intake and PIP ---


def lbt_outcome(*, score: int, test_date: date) -> RuleResult[LbtUitslag]:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= LBT_MAX_SCORE:
        raise RuleInputError(
            [
                RuleError(
                    "LBT_SCORE_ONGELDIG",
                    "De score van de "
                    "leerbaarheidstoets moet een heel getal van 0 tot en met "
                    "40 zijn.",
                )
            ]
        )
    cesuur = LBT_CESUUR_BEFORE if test_date < LBT_CESUUR_SWITCH else LBT_CESUUR_FROM
    uitslag = LbtUitslag.HAALBAAR if score >= cesuur else LbtUitslag.NIET_HAALBAAR
    review = test_date < LBT_CESUUR_SWITCH and LBT_CESUUR_FROM <= score < LBT_CESUUR_BEFORE
    word = "haalbaar" if uitslag is LbtUitslag.HAALBAAR else "niet haalbaar"
    text = (
        f"Score {score} van 40 op {nl_date(test_date)}. De grens was toen {cesuur}. De "
        f"B1-route is {word}."
    )
    if review:
        text += (
            " Let op: sinds 12 april 2023 is de grens 28. Met deze score is de B1-route nu "
            "wel haalbaar. Bekijk de uitslag opnieuw."
        )
    return RuleResult(
        uitslag, "Wi2021 art. 14; cesuur DUO (31 vóór, 28 vanaf 12 april 2023)", text, review=review
    )


def pip_validate(
    *,
    leerroute: Leerroute,
    niveau: Niveau | None,
    first_pip: bool,
    doelgroep: Doelgroep | None,
    dagtekening: date | None,
    plicht_start: date,
    vestiging: date | None,
    previous_dagtekening: date | None,
    geschatte_intensiteit_b1: int | None,
) -> list[RuleError]:
    """DUO's validation rules for a PIP (Wi2021 art. 15). Empty list = valid."""
    errors: list[RuleError] = []
    if leerroute is Leerroute.ONDERWIJS and niveau is Niveau.A2:
        errors.append(RuleError("PIP_ONDERWIJS_A2", "De onderwijsroute kan niet met niveau A2."))
    if leerroute is Leerroute.Z and niveau is Niveau.B1:
        errors.append(RuleError("PIP_Z_B1", "De Z-route kan niet met niveau B1."))
    if leerroute is Leerroute.B1 and niveau is Niveau.A2 and first_pip:
        errors.append(
            RuleError(
                "PIP_B1_A2_EERSTE",
                "Niveau A2 in de B1-route mag niet in de "
                "eerste PIP. Afschalen naar A2 kan pas later.",
            )
        )
    if dagtekening is not None:
        if dagtekening < plicht_start:
            errors.append(
                RuleError(
                    "PIP_VOOR_PLICHT",
                    f"De dagtekening ({nl_date(dagtekening)}) "
                    f"ligt vóór de start van de plicht ({nl_date(plicht_start)}).",
                )
            )
        if vestiging is not None and dagtekening < vestiging:
            errors.append(
                RuleError(
                    "PIP_VOOR_VESTIGING",
                    "De dagtekening "
                    f"({nl_date(dagtekening)}) ligt vóór de vestiging in de "
                    f"gemeente ({nl_date(vestiging)}).",
                )
            )
        if previous_dagtekening is not None and dagtekening < previous_dagtekening:
            errors.append(
                RuleError(
                    "PIP_VOOR_VORIGE",
                    f"De dagtekening ({nl_date(dagtekening)}) "
                    "ligt vóór de dagtekening van de vorige PIP "
                    f"({nl_date(previous_dagtekening)}).",
                )
            )
    if geschatte_intensiteit_b1 is not None:
        if leerroute is not Leerroute.B1 or doelgroep is not Doelgroep.ASIELSTATUSHOUDER:
            errors.append(
                RuleError(
                    "PIP_INTENSITEIT_NIET_TOEGESTAAN",
                    "Het geschatte aantal uren voor de B1-route vult u alleen in bij "
                    "een asielstatushouder in de B1-route.",
                )
            )
        elif not 1 <= geschatte_intensiteit_b1 <= 9999:
            errors.append(
                RuleError(
                    "PIP_INTENSITEIT_BEREIK",
                    "Het geschatte aantal uren voor de B1-route moet tussen 1 en 9999 liggen.",
                )
            )
    return errors


def taaldoel(*, leerroute: str, niveau: str | None) -> str | None:
    """The language level a PIP aims at, as the screen and the PIP document show it: the
    niveau in the PIP; without one B1 in the B1-route and the onderwijsroute (DUO PIP API: "if
    niveau is omitted, B1") and none in the Z-route (no language exam is required there)."""
    if niveau:
        return niveau
    return None if leerroute == Leerroute.Z.value else Niveau.B1.value


# --- Workflow of a case and DUO's doelgroep pairs ---

# Which status may follow which. Closing statuses are final; a case is reopened by a new case.
_CLOSING = frozenset(
    {CaseStatus.VOLDAAN, CaseStatus.VRIJGESTELD, CaseStatus.ONTHEVEN, CaseStatus.BEEINDIGD}
)
_ENDING = frozenset({CaseStatus.VRIJGESTELD, CaseStatus.ONTHEVEN, CaseStatus.BEEINDIGD})
STATUS_TRANSITIONS: Mapping[str, frozenset[str]] = {
    CaseStatus.AANGEMELD: frozenset({CaseStatus.INTAKE, *_ENDING}),
    CaseStatus.INTAKE: frozenset({CaseStatus.PIP, *_ENDING}),
    CaseStatus.PIP: frozenset({CaseStatus.VOLDAAN, *_ENDING}),
    **{status: frozenset() for status in _CLOSING},
}


def status_transition(*, van: str, naar: str) -> RuleError | None:
    """None when a case may move from status `van` to `naar`, else why not."""
    if naar in STATUS_TRANSITIONS.get(van, frozenset()):
        return None
    labels = dict(CaseStatus.choices)
    return RuleError(
        "STATUS_OVERGANG",
        f"De status kan niet van '{labels.get(van, van)}' naar '{labels.get(naar, naar)}'.",
    )


def status_date_validate(*, on: date, status_since: date) -> RuleError | None:
    if on < status_since:
        return RuleError(
            "STATUS_DATUM_VOOR_VORIGE", "De datum ligt vóór de vorige statuswijziging."
        )
    return None


# Consistent pairs of doelgroep and gedetailleerde doelgroep (DUO Inburgeringsplicht API).
DETAIL_FOR_DOELGROEP: Mapping[str, frozenset[str]] = {
    DuoDoelgroep.ASIELSTATUSHOUDER: frozenset(
        {
            GedetailleerdeDoelgroep.ASIELSTATUSHOUDER,
            GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
            GedetailleerdeDoelgroep.GEZINSVORMER_ASIEL,
        }
    ),
    DuoDoelgroep.GEZINSMIGRANT: frozenset(
        {
            GedetailleerdeDoelgroep.GEESTELIJK_BEDIENAAR,
            GedetailleerdeDoelgroep.GEZINSHERENIGER,
            GedetailleerdeDoelgroep.GEZINSVORMER,
            GedetailleerdeDoelgroep.OVERIG,
            GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
            GedetailleerdeDoelgroep.GEZINSVORMER_ASIEL,
        }
    ),
}


def doelgroep_validate(*, doelgroep: str, gedetailleerde_doelgroep: str) -> RuleError | None:
    """None when DUO accepts the pair (Wi2021 art. 13 lid 1; DUO Inburgeringsplicht API)."""
    if doelgroep not in DETAIL_FOR_DOELGROEP:
        return RuleError("DOELGROEP_ONBEKEND", "Onbekende doelgroep.")
    if gedetailleerde_doelgroep not in DETAIL_FOR_DOELGROEP[doelgroep]:
        return RuleError(
            "DOELGROEP_DETAIL", "De gedetailleerde doelgroep past niet bij de doelgroep."
        )
    return None


def case_dates_validate(
    *,
    plicht_start: date | None = None,
    birth_date: date | None = None,
    koppeling_date: date | None = None,
    vestiging_date: date | None = None,
) -> list[tuple[str, RuleError]]:
    """The order of a case's dates: (field, problem) for each one that is out of order."""
    problems: list[tuple[str, RuleError]] = []
    if vestiging_date and koppeling_date and vestiging_date < koppeling_date:
        problems.append(
            (
                "vestiging_date",
                RuleError(
                    "VESTIGING_VOOR_KOPPELING",
                    "De datum van vestiging ligt vóór de datum van koppeling.",
                ),
            )
        )
    if plicht_start and birth_date and plicht_start < birth_date:
        problems.append(
            (
                "plicht_start",
                RuleError(
                    "PLICHT_VOOR_GEBOORTE",
                    "De inburgeringsplicht kan niet vóór de geboorte beginnen.",
                ),
            )
        )
    return problems


# --- A new PIP version (Wi2021 art. 15; Bi2021 art. 5.5) ---


def pip_preconditions(
    *,
    wet: Wet,
    status: str,
    dagtekening: date,
    today: date,
    intake_started_on: date | None,
) -> RuleError | None:
    """Whether a PIP can be established at all; None when it can."""
    if wet is not Wet.WI2021:
        return RuleError("PIP_WI2013", "Een PIP hoort bij de Wet inburgering 2021.")
    if status not in {CaseStatus.INTAKE, CaseStatus.PIP}:
        return RuleError(
            "PIP_VOOR_INTAKE",
            "Een PIP kan pas worden vastgesteld na de start van de brede intake.",
        )
    if dagtekening > today:
        return RuleError("PIP_IN_TOEKOMST", "De dagtekening kan niet in de toekomst liggen.")
    if intake_started_on is not None and dagtekening < intake_started_on:
        return RuleError(
            "PIP_VOOR_INTAKE_START", "De dagtekening ligt vóór de start van de brede intake."
        )
    return None


def pip_reason(*, reason: str, first_pip: bool) -> tuple[str, RuleError | None]:
    """The reason of a new PIP version: the first PIP is always `eerste`; a later version
    needs a reason of its own."""
    if first_pip:
        return PipReason.EERSTE, None
    if reason == PipReason.EERSTE:
        return reason, RuleError(
            "PIP_REDEN_ONTBREEKT", "Kies de reden voor deze nieuwe versie van de PIP."
        )
    return reason, None


def pip_version_validate(
    *,
    reason: str,
    leerroute: str,
    niveau: str,
    previous_leerroute: str,
    termijn_start: date,
    dagtekening: date,
    course_hours: float,
) -> list[RuleError]:
    """What a new version of an existing PIP may change: the leerroute only by schakelen (in
    time), the niveau to A2 only by afschalen (after enough hours). Empty list = valid."""
    errors: list[RuleError] = []
    if reason == PipReason.SCHAKELEN:
        if leerroute == previous_leerroute:
            errors.append(RuleError("GEEN_SCHAKEL", "Bij schakelen verandert de leerroute."))
        allowed = route_switch_allowed(termijn_start=termijn_start, on=dagtekening)
        if not allowed.value:
            errors.append(RuleError("SCHAKELEN_TE_LAAT", allowed.toelichting))
    elif reason == PipReason.AFSCHALEN:
        afschalen = afschalen_allowed(
            leerroute=Leerroute(previous_leerroute), course_hours=course_hours
        )
        if not afschalen.value:
            errors.append(RuleError("AFSCHALEN_NIET_TOEGESTAAN", afschalen.toelichting))
        if leerroute != previous_leerroute or niveau != Niveau.A2.value:
            errors.append(
                RuleError("AFSCHALEN_NIVEAU", "Afschalen betekent: B1-route houden, niveau A2.")
            )
    elif leerroute != previous_leerroute:
        errors.append(
            RuleError(
                "LEERROUTE_GELIJK",
                "De leerroute verandert alleen bij schakelen. Bij verhuizing blijft hij gelijk.",
            )
        )
    return errors


def route_switch_allowed(
    *, termijn_start: date, on: date, months: int = ROUTE_SWITCH_MONTHS
) -> RuleResult[bool]:
    last = _add(termijn_start, months=months) - timedelta(days=1)
    ok = on <= last
    return RuleResult(
        ok,
        f"Interpretatie Thuis ({months} maanden, Divosa-handreiking; "
        "niet getoetst aan de wettekst)",
        f"Wisselen van leerroute kan tot en met {nl_date(last)} ({months} maanden "
        f"na de start van de termijn op {nl_date(termijn_start)}). Op {nl_date(on)} "
        f"kan dat {'nog' if ok else 'niet meer'}.",
        review=True,
    )


def afschalen_allowed(*, leerroute: Leerroute, course_hours: float) -> RuleResult[bool]:
    if leerroute is not Leerroute.B1:
        return RuleResult(False, "Bi2021 art. 5.5", "Afschalen naar A2 kan alleen in de B1-route.")
    ok = course_hours >= AFSCHALEN_HOURS
    text = (
        f"Er zijn {course_hours:g} uur NT2-les gevolgd. Nodig is minstens 600 uur bij een "
        "school met keurmerk."
    )
    text += (
        " Afschalen kan, als de gemeente ook vindt dat de inburgeraar genoeg moeite heeft gedaan."
        if ok
        else " Afschalen kan nog niet."
    )
    return RuleResult(ok, "Bi2021 art. 5.5", text)


def map_required(*, leerroute: Leerroute) -> RuleResult[bool]:
    if leerroute is Leerroute.ONDERWIJS:
        return RuleResult(
            False, "Wi2021 art. 8 lid 3", "In de onderwijsroute is de MAP niet verplicht."
        )
    return RuleResult(True, "Wi2021 art. 8", f"In de {leerroute.value}-route is de MAP verplicht.")


def z_route_complete(
    *, doelgroep: Doelgroep, nt2_knm_hours: float, participation_hours: float, eindgesprek: bool
) -> RuleResult[bool]:
    asiel = doelgroep is Doelgroep.ASIELSTATUSHOUDER
    missing = []
    if nt2_knm_hours < Z_ROUTE_HOURS:
        missing.append(f"{Z_ROUTE_HOURS - nt2_knm_hours:g} uur les (NT2 en KNM)")
    if asiel and participation_hours < Z_ROUTE_HOURS:
        missing.append(f"{Z_ROUTE_HOURS - participation_hours:g} uur participatie")
    if not eindgesprek:
        missing.append("het eindgesprek")
    need = (
        "800 uur les, 800 uur participatie en een eindgesprek"
        if asiel
        else "800 uur les en een eindgesprek"
    )
    text = f"Nodig voor de Z-route: {need}."
    text += f" Nog nodig: {', '.join(missing)}." if missing else " Alles is gedaan."
    return RuleResult(not missing, "Bi2021 art. 3.14", text)


# The language levels of the ERK (CEFR) in their order, defined once.
LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")


def level_rank(level: str | None) -> int:
    """The position of a language level (A0 = 1 ... C2 = 7); 0 for no or an unknown level."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def plicht_voldaan(
    *,
    wet: Wet,
    plicht_start: date,
    leerroute: Leerroute | None,
    niveau: Niveau | None,
    exams_passed: Mapping[Examenonderdeel, str],
    knm_passed: bool,
    taalschakeltraject_done: bool = False,
    z_route_done: bool = False,
    pvt_done: bool = False,
    map_done: bool = False,
    ona_done: bool = False,
    vrijgesteld_of_ontheven: bool = False,
) -> RuleResult[bool]:
    """exams_passed: highest level passed per language component ("A2", "B1" or "B2")."""
    if vrijgesteld_of_ontheven:
        return RuleResult(
            True,
            "Wi2021 art. 5" if wet is Wet.WI2021 else "Wi2013 art. 5",
            "Er is een diploma, vrijstelling of ontheffing. De plicht is voorbij.",
        )
    missing: list[str] = []
    if wet is Wet.WI2013:
        grondslag, need = "Wi2013 art. 7", "A2"
    else:
        grondslag = "Wi2021 art. 8; Bi2021 art. 3.14"
        need = (niveau or Niveau.B1).value
    if wet is Wet.WI2013 or leerroute is Leerroute.B1:
        missing += [
            f"examen {part.value} op {need}"
            for part in LANGUAGE_COMPONENTS
            if level_rank(exams_passed.get(part)) < level_rank(need)
        ]
        if not knm_passed:
            missing.append("examen KNM")
    elif leerroute is Leerroute.ONDERWIJS and not taalschakeltraject_done:
        missing.append("taalschakeltraject")
    elif leerroute is Leerroute.Z and not z_route_done:
        missing.append("Z-route")
    elif leerroute is None:
        missing.append("leerroute (nog geen PIP)")
    pvt_needed = wet is Wet.WI2021 or plicht_start >= WI2013_PVT_FROM
    if pvt_needed and not pvt_done:
        missing.append("participatieverklaring (PVT)")
    if wet is Wet.WI2013 and plicht_start >= WI2013_ONA_FROM and not ona_done:
        missing.append("ONA")
    if (
        wet is Wet.WI2021
        and leerroute is not None
        and map_required(leerroute=leerroute).value
        and not map_done
    ):
        missing.append("MAP")
    if missing:
        return RuleResult(False, grondslag, f"Nog niet voldaan. Nog nodig: {', '.join(missing)}.")
    return RuleResult(True, grondslag, "Alle onderdelen zijn gedaan. De plicht is voldaan.")


def mapvt_verwijtbaarheid(*, termijn_end: date, today: date) -> RuleResult[str | None]:
    """The `verwijtbaar` value DUO accepts with a MAP/PVT date; None = leave it out."""
    grondslag = "DUO-koppelvlak MAP, PVT en Z-route (verwijtbaar)"
    if today > termijn_end:
        return RuleResult(
            "Ja",
            grondslag,
            f"De termijn is voorbij ({nl_date(termijn_end)}). "
            "Geef door of het te laat klaar zijn verwijtbaar is: Ja.",
        )
    if today >= _add(termijn_end, months=-TERMIJN_SOON_MONTHS):
        return RuleResult(
            "Nee",
            grondslag,
            f"De termijn eindigt binnen 2 maanden "
            f"({nl_date(termijn_end)}). Geef door: verwijtbaar Nee.",
        )
    return RuleResult(
        None,
        grondslag,
        f"De termijn eindigt op {nl_date(termijn_end)}, later dan "
        "over 2 maanden. Geef 'verwijtbaar' niet door.",
    )


def mapvt_date_validate(
    *, datum: date, termijn_start: date, today: date, z_route_done_on: date | None = None
) -> list[RuleError]:
    errors: list[RuleError] = []
    if datum < termijn_start:
        errors.append(
            RuleError(
                "DATUM_VOOR_TERMIJN",
                f"De datum ligt vóór de start van de termijn ({nl_date(termijn_start)}).",
            )
        )
    if datum > today:
        errors.append(RuleError("DATUM_IN_TOEKOMST", "De datum ligt in de toekomst."))
    if z_route_done_on is not None and datum > z_route_done_on:
        errors.append(
            RuleError(
                "DATUM_NA_Z_ROUTE",
                f"De datum ligt na de afronding van de Z-route ({nl_date(z_route_done_on)}).",
            )
        )
    return errors


# --- Plausibility of recorded facts (issue 16) ---

#: Exam components without a level: KNM (all routes) and ONA (Wi2013) are one exam each;
#: only the four language exams have a CEFR level (DUO `ExamenniveauWI2021`).
COMPONENTS_WITHOUT_LEVEL = (choices.ExamComponent.KNM, choices.ExamComponent.ONA)


def past_date_validate(
    *, on: date, today: date, birth_date: date | None, what: str = "De datum"
) -> list[RuleError]:
    """A fact that happened (gesprek, exam, hours, completion) lies in the past and after birth.

    Grondslag: plausibiliteit (Thuis); een feit dat nog niet gebeurd is, of vóór de geboorte,
    is een typefout.
    """
    errors: list[RuleError] = []
    if on > today:
        errors.append(RuleError("DATUM_IN_TOEKOMST", f"{what} ligt in de toekomst."))
    if birth_date is not None and on < birth_date:
        errors.append(
            RuleError(
                "DATUM_VOOR_GEBOORTE",
                f"{what} ligt vóór de geboortedatum ({nl_date(birth_date)}).",
            )
        )
    return errors


def exam_validate(
    *,
    component: str,
    level: str,
    exam_date: date,
    today: date,
    birth_date: date | None,
    plicht_start: date,
    regime: str,
) -> list[RuleError]:
    """An exam result Thuis can count.

    Grondslag: DUO Examen-API (`ExamenniveauWI2021` alleen voor lezen, luisteren, schrijven en
    spreken; KNM is één examen zonder niveau); Wi2013 art. 7 met de examenonderdelen van de
    Wi2013 (ONA bestaat alleen daar, inburgeren.nl/examen-doen).
    """
    errors = past_date_validate(
        on=exam_date, today=today, birth_date=birth_date, what="De examendatum"
    )
    if exam_date < plicht_start:
        errors.append(
            RuleError("EXAMEN_VOOR_PLICHT", "Een examen vóór de start van de plicht telt niet mee.")
        )
    if component in COMPONENTS_WITHOUT_LEVEL and level:
        errors.append(RuleError("NIVEAU_NIET_VAN_TOEPASSING", "Dit examen heeft geen niveau."))
    if component not in COMPONENTS_WITHOUT_LEVEL and not level:
        errors.append(RuleError("NIVEAU_ONTBREEKT", "Kies het niveau van dit taalexamen."))
    if component == choices.ExamComponent.ONA and regime != choices.Regime.WI2013:
        errors.append(
            RuleError("ONDERDEEL_NIET_IN_REGIME", "ONA hoort alleen bij de Wet inburgering 2013.")
        )
    return errors


def hours_validate(
    *,
    period_start: date,
    period_end: date,
    hours: Any,
    today: date,
    max_per_day: Any,
) -> list[RuleError]:
    """Hours over a period: a real period, not in the future, at most `max_per_day` per day.

    Grondslag: plausibiliteit (Thuis, THUIS_MAX_HOURS_PER_DAY); de uren tellen mee voor de
    Z-route (Bi2021 art. 3.14) en worden aan DUO gemeld.
    """
    errors: list[RuleError] = []
    if period_end < period_start:
        errors.append(RuleError("PERIODE_EINDE_VOOR_START", "De periode eindigt vóór de start."))
        return errors
    if period_end > today:
        errors.append(RuleError("PERIODE_IN_TOEKOMST", "De periode loopt door na vandaag."))
    if hours <= 0:
        errors.append(RuleError("UREN_NIET_POSITIEF", "Vul een aantal uren groter dan 0 in."))
    days = (period_end - period_start).days + 1
    if hours > max_per_day * days:
        errors.append(
            RuleError(
                "UREN_TE_VEEL",
                f"Dat is meer dan {formatting.number(max_per_day, 0)} uur per dag "
                f"({days} dag{'en' if days != 1 else ''}).",
            )
        )
    return errors


# --- Ontzorgen, retention ---


def ontzorgen_applies(
    *,
    doelgroep: Doelgroep,
    permit_asiel_bepaalde_tijd: bool,
    recht_op_bijstand: bool,
    inburgeringsplichtig: bool,
    wet: Wet = Wet.WI2021,
) -> RuleResult[bool]:
    checks = [
        (wet is Wet.WI2021, "de persoon valt niet onder de Wi2021"),
        (inburgeringsplichtig, "de persoon is niet inburgeringsplichtig"),
        (doelgroep is Doelgroep.ASIELSTATUSHOUDER, "de persoon is geen asielstatushouder"),
        (permit_asiel_bepaalde_tijd, "de persoon heeft geen vergunning asiel bepaalde tijd"),
        (recht_op_bijstand, "de persoon heeft geen recht op bijstand"),
    ]
    failed = [text for ok, text in checks if not ok]
    if failed:
        return RuleResult(
            False, "Participatiewet art. 56a", f"Ontzorgen geldt niet. Reden: {'; '.join(failed)}."
        )
    return RuleResult(
        True,
        "Participatiewet art. 56a",
        "Ontzorgen is verplicht: de persoon is "
        "inburgeringsplichtig, asielstatushouder met vergunning asiel bepaalde tijd "
        "en heeft recht op bijstand.",
    )


def ontzorgen_window(*, bijstand_start: date, bijstand_end: date | None) -> RuleResult[date]:
    """Last day of ontzorgen: bijstand start + 6 months - 1 day, or the bijstand end if earlier."""
    if bijstand_end is not None and bijstand_end < bijstand_start:
        raise RuleInputError(
            [
                RuleError(
                    "BIJSTAND_EINDE_VOOR_START", "Het einde van de bijstand ligt vóór de start."
                )
            ]
        )
    six = _add(bijstand_start, months=ONTZORGEN_MONTHS) - timedelta(days=1)
    text = (
        f"De bijstand begon op {nl_date(bijstand_start)}. De gemeente betaalt 6 maanden de "
        f"vaste lasten: tot en met {nl_date(six)}."
    )
    end = six
    if bijstand_end is not None and bijstand_end < six:
        end = bijstand_end
        text += f" De bijstand stopt eerder, op {nl_date(bijstand_end)}. Dan stopt ontzorgen ook."
    return RuleResult(end, "Participatiewet art. 56a", text)


def retention_until(*, plicht_end: date, years: int = RETENTION_YEARS) -> RuleResult[date]:
    until = _add(plicht_end, years=years)
    return RuleResult(
        until,
        "Wi2021 bewaartermijn (artikel niet bevestigd)",
        f"De plicht eindigde op {nl_date(plicht_end)}. Bewaar de gegevens "
        f"{years} jaar: tot en met {nl_date(until)}.",
    )


# --- Signals ---


def signals(
    *,
    today: date,
    pip_deadline: date | None = None,
    pip_done: bool = False,
    termijn_end: date | None = None,
    pvt_deadline: date | None = None,
    pvt_open: bool = False,
    map_open: bool = False,
    ontzorgen_end: date | None = None,
    progress_since: date | None = None,
    lbt_review_date: date | None = None,
    plicht_ended: bool = False,
    progress_talk_months: int = PROGRESS_TALK_MONTHS,
) -> list[Signal]:
    """Work-queue signals on `today`.

    pvt_open/map_open: the PVT/MAP is required and known not to be done. progress_since: the
    last voortgangsgesprek, or the PIP dagtekening when there was none yet.
    """
    out: list[Signal] = []
    if plicht_ended:
        return out
    if pip_deadline is not None and not pip_done:
        if today > pip_deadline:
            out.append(
                Signal(
                    SignaalCode.PIP_TE_LAAT,
                    pip_deadline,
                    f"De PIP is te laat. De uiterste datum was {nl_date(pip_deadline)}.",
                )
            )
        elif today >= pip_deadline - timedelta(days=PIP_SOON_DAYS):
            out.append(
                Signal(
                    SignaalCode.PIP_BIJNA,
                    pip_deadline,
                    f"Stel de PIP vast. De uiterste datum is {nl_date(pip_deadline)}.",
                )
            )
    if termijn_end is not None:
        warn_from = _add(termijn_end, months=-TERMIJN_SOON_MONTHS)
        if today > termijn_end:
            out.append(
                Signal(
                    SignaalCode.TERMIJN_VERLOPEN,
                    termijn_end,
                    "De inburgeringstermijn "
                    f"is voorbij. De laatste dag was {nl_date(termijn_end)}.",
                )
            )
        elif today >= warn_from:
            out.append(
                Signal(
                    SignaalCode.TERMIJN_BIJNA_OM,
                    termijn_end,
                    f"De inburgeringstermijn eindigt op {nl_date(termijn_end)}.",
                )
            )
        if map_open and today >= warn_from:
            out.append(
                Signal(
                    SignaalCode.MAP_OPEN,
                    termijn_end,
                    f"De MAP is nog niet klaar. Uiterste datum: {nl_date(termijn_end)}.",
                )
            )
    if (
        pvt_deadline is not None
        and pvt_open
        and today >= _add(pvt_deadline, months=-TERMIJN_SOON_MONTHS)
    ):
        out.append(
            Signal(
                SignaalCode.PVT_OPEN,
                pvt_deadline,
                f"Het PVT is nog niet klaar. Uiterste datum: {nl_date(pvt_deadline)}.",
            )
        )
    if ontzorgen_end is not None and today <= ontzorgen_end <= today + timedelta(
        days=ONTZORGEN_SOON_DAYS
    ):
        out.append(
            Signal(
                SignaalCode.ONTZORGEN_EINDIGT,
                ontzorgen_end,
                "Ontzorgen stopt na "
                f"{nl_date(ontzorgen_end)}. Bespreek hoe de persoon zelf gaat betalen.",
            )
        )
    if progress_since is not None:
        due = _add(progress_since, months=progress_talk_months)
        if today >= due:
            out.append(
                Signal(
                    SignaalCode.VOORTGANG_GESPREK,
                    due,
                    "Plan een voortgangsgesprek. "
                    f"Het vorige gesprek of de PIP was op {nl_date(progress_since)}.",
                )
            )
    if lbt_review_date is not None:
        out.append(
            Signal(
                SignaalCode.LBT_HERBEOORDELEN,
                lbt_review_date,
                "Bekijk de uitslag "
                "van de leerbaarheidstoets opnieuw. Met de grens van nu is de B1-route "
                "wel haalbaar.",
            )
        )
    return out


# --- The facts of a case and all its legal dates (one typed contract) ---

GEZINSMIGRANT_DETAILS = frozenset(
    {"gezinshereniger", "gezinsvormer", "gezinshereniger_asiel", "gezinsvormer_asiel"}
)
P = TypeVar("P")


def current_period(
    periods: Iterable[P], *, start: Callable[[P], date], end: Callable[[P], date | None]
) -> P | None:
    """The current one of a history of periods: the open period that started last, or (when
    every period is closed) the one that started last."""
    ordered = sorted(periods, key=start)
    open_periods = [p for p in ordered if end(p) is None]
    candidates = open_periods or ordered
    return candidates[-1] if candidates else None


def doelgroep_class(*, doelgroep: str | None, gedetailleerde_doelgroep: str | None) -> Doelgroep:
    """The class of the law for DUO's doelgroep and gedetailleerde doelgroep (Wi2021 art. 13).

    Asielstatushouder when DUO says so (or when nothing is recorded: Thuis starts every case as
    asielstatushouder); a gezinshereniger or gezinsvormer is a gezinsmigrant; everyone else
    (geestelijk bedienaar, overig) is overig."""
    if doelgroep is None or doelgroep == Doelgroep.ASIELSTATUSHOUDER.value:
        return Doelgroep.ASIELSTATUSHOUDER
    if gedetailleerde_doelgroep in GEZINSMIGRANT_DETAILS:
        return Doelgroep.GEZINSMIGRANT
    return Doelgroep.OVERIG


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything the law needs to know about one case, as plain values.

    Built in one place from a case (`facts_of_case`, with `cases.services.facts.case_facts`
    and the monitoring facts as its callers) and from rekenhulp input (`facts_from_rekenhulp`).
    `pip_dagtekening` is the dagtekening of the FIRST PIP when `eerste_pip` is true."""

    plicht_start: date
    doelgroep: Doelgroep | None = None
    kennisgeving_duo: date | None = None
    brp_vestiging: date | None = None
    third_party_info_received: date | None = None
    pip_dagtekening: date | None = None
    eerste_pip: bool = True
    leerroute: Leerroute | None = None
    niveau: Niveau | None = None
    extensions: tuple[int, ...] = ()
    alfabetisering: tuple[int, ...] = ()
    bijstand_start: date | None = None
    bijstand_einde: date | None = None
    lbt_score: int | None = None
    lbt_datum: date | None = None
    peildatum: date | None = None

    @property
    def wet(self) -> Wet:
        return law_regime(plicht_start=self.plicht_start).value


@dataclass(frozen=True, slots=True)
class PeriodFact:
    doelgroep: str
    gedetailleerde_doelgroep: str
    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class PipFact:
    version: int
    dagtekening: date
    leerroute: str
    niveau: str = ""


@dataclass(frozen=True, slots=True)
class ExtensionFact:
    """A termijn extension DUO granted (requests and refusals are no facts of the law)."""

    decided_on: date
    months: int
    alfabetisering: bool = False


def facts_of_case(
    *,
    plicht_start: date,
    kennisgeving: date | None,
    vestiging: date | None,
    third_party_info_received: date | None,
    periods: Iterable[PeriodFact],
    pips: Iterable[PipFact],
    extensions: Iterable[ExtensionFact],
    lbt: tuple[int, date] | None = None,
    bijstand: tuple[date, date | None] | None = None,
    today: date | None = None,
) -> CaseFacts:
    """The CaseFacts of a case from its recorded values (the one place a case becomes facts)."""
    current = current_period(periods, start=lambda p: p.start, end=lambda p: p.end)
    versions = sorted(pips, key=lambda p: p.version)
    first, last = (versions[0], versions[-1]) if versions else (None, None)
    granted = sorted(extensions, key=lambda e: e.decided_on)
    niveau = last.niveau if last is not None else ""
    return CaseFacts(
        plicht_start=plicht_start,
        doelgroep=doelgroep_class(
            doelgroep=current.doelgroep if current else None,
            gedetailleerde_doelgroep=current.gedetailleerde_doelgroep if current else None,
        ),
        kennisgeving_duo=kennisgeving,
        brp_vestiging=vestiging,
        third_party_info_received=third_party_info_received,
        pip_dagtekening=first.dagtekening if first else None,
        eerste_pip=True,
        leerroute=Leerroute(last.leerroute) if last is not None else None,
        niveau=Niveau(niveau) if niveau in PIP_NIVEAUS else None,
        extensions=tuple(e.months for e in granted if not e.alfabetisering),
        alfabetisering=tuple(e.months for e in granted if e.alfabetisering),
        lbt_score=lbt[0] if lbt else None,
        lbt_datum=lbt[1] if lbt else None,
        bijstand_start=bijstand[0] if bijstand else None,
        bijstand_einde=bijstand[1] if bijstand else None,
        peildatum=today,
    )


def pip_deadline_of(facts: CaseFacts) -> RuleResult[date | None]:
    """The PIP deadline of a case (Wi2021 only; the fallbacks are those of `pip_deadline`)."""
    if facts.wet is Wet.WI2013:
        return RuleResult(None, "Wi2013", "Onder de Wi2013 stelt de gemeente geen PIP vast.")
    deadline = pip_deadline(
        kennisgeving_duo=facts.kennisgeving_duo,
        brp_vestiging=facts.brp_vestiging,
        plicht_start=facts.plicht_start,
        third_party_info_received=facts.third_party_info_received,
    )
    pip = facts.pip_dagtekening
    if pip is not None and deadline.value is not None and pip > deadline.value:
        return RuleResult(
            deadline.value,
            deadline.grondslag,
            deadline.toelichting + f" De PIP is vastgesteld op {nl_date(pip)}. Dat is te laat.",
        )
    return deadline


def termijn_start_of(facts: CaseFacts) -> RuleResult[date | None]:
    if facts.wet is Wet.WI2013:
        started = termijn_start_wi2013(plicht_start=facts.plicht_start)
        return RuleResult(started.value, started.grondslag, started.toelichting)
    if facts.pip_dagtekening is None or not facts.eerste_pip:
        return RuleResult(
            None,
            "Wi2021 art. 11",
            "De termijn begint de dag "
            "na de dagtekening van de eerste PIP. Vul die "
            "datum in, met eerste_pip true.",
        )
    started = termijn_start(pip_dagtekening=facts.pip_dagtekening)
    return RuleResult(started.value, started.grondslag, started.toelichting)


def extension_errors(facts: CaseFacts) -> list[RuleError]:
    errors = extensions_validate(
        wet=facts.wet,
        extensions_months=facts.extensions,
        alfabetisering_months=sum(facts.alfabetisering),
    )
    if len(facts.alfabetisering) > 1:
        errors.append(
            RuleError("VERLENGING_ALFA_TWEEDE", "Verlenging voor alfabetisering mag maar één keer.")
        )
    return errors


def termijn_end_of(
    facts: CaseFacts, *, start: RuleResult[date | None] | None = None
) -> RuleResult[date | None]:
    """The last day of the termijn of a case (unknown while the extensions do not fit)."""
    start = start if start is not None else termijn_start_of(facts)
    if extension_errors(facts):
        return RuleResult(None, start.grondslag, "De verlengingen kloppen niet. Verbeter ze eerst.")
    if start.value is None:
        return start
    return termijn_end(
        wet=facts.wet,
        plicht_start=facts.plicht_start,
        pip_dagtekening=facts.pip_dagtekening,
        extensions_months=facts.extensions,
        alfabetisering_months=sum(facts.alfabetisering),
    )


def _ontzorgen(f: CaseFacts, fouten: list[RuleError]) -> RuleResult[date | None]:
    start, end = f.bijstand_start, f.bijstand_einde
    if start is None:
        return RuleResult(
            None, "Participatiewet art. 56a", "De startdatum van de bijstand is niet bekend."
        )
    if f.doelgroep is None:
        return RuleResult(
            None,
            "Participatiewet art. 56a",
            "Vul de doelgroep in. Ontzorgen geldt alleen voor asielstatushouders.",
        )
    asiel = f.doelgroep is Doelgroep.ASIELSTATUSHOUDER
    applies = ontzorgen_applies(
        doelgroep=f.doelgroep,
        permit_asiel_bepaalde_tijd=asiel,
        recht_op_bijstand=True,
        inburgeringsplichtig=True,
        wet=f.wet,
    )
    if not applies.value:
        return RuleResult(None, applies.grondslag, applies.toelichting)
    try:
        window = ontzorgen_window(bijstand_start=start, bijstand_end=end)
    except RuleInputError as exc:
        fouten += exc.errors
        return RuleResult(None, "Participatiewet art. 56a", exc.errors[0].melding)
    return RuleResult(
        window.value,
        window.grondslag,
        window.toelichting + " De rekenhulp neemt "
        "aan dat de persoon een verblijfsvergunning asiel bepaalde tijd heeft.",
    )


def _entry(result: RuleResult[Any]) -> dict[str, Any]:
    value = result.value
    return {
        "datum": value.isoformat() if isinstance(value, date) else None,
        "grondslag": result.grondslag,
        "toelichting": result.toelichting,
    }


@dataclass(frozen=True, slots=True)
class LegalDates:
    """All legal dates and conditions of one set of facts (`calculate`)."""

    wet: Wet
    pip_uiterlijk: RuleResult[date | None]
    termijn_start: RuleResult[date | None]
    termijn_einde: RuleResult[date | None]
    ontzorgen_einde: RuleResult[date | None]
    pvt_uiterlijk: RuleResult[date | None]
    lbt: RuleResult[LbtUitslag] | None = None
    fouten: tuple[RuleError, ...] = ()
    signalen: tuple[Signal, ...] = ()

    def datums(self) -> dict[str, RuleResult[date | None]]:
        """The dates by their code in the rekenhulp contract, in its order."""
        return {
            "PIP_UITERLIJK": self.pip_uiterlijk,
            "TERMIJN_START": self.termijn_start,
            "TERMIJN_EINDE": self.termijn_einde,
            "ONTZORGEN_EINDE": self.ontzorgen_einde,
            "PVT_UITERLIJK": self.pvt_uiterlijk,
        }

    def as_json(self) -> dict[str, Any]:
        """The rekenhulp's JSON answer (docs/rekenhulp.md; `thuis rekenhulp`, the API)."""
        return {
            "wet": self.wet.value,
            "datums": {code: _entry(result) for code, result in self.datums().items()},
            "lbt_uitslag": self.lbt.value.value if self.lbt else None,
            "fouten": [{"code": e.code, "melding": e.melding} for e in self.fouten],
            "signalen": [
                {"code": s.code.value, "datum": s.datum.isoformat(), "melding": s.melding}
                for s in self.signalen
            ],
        }


def calculate(facts: CaseFacts) -> LegalDates:
    """All legal dates for a set of facts, stored nowhere (contract: docs/rekenhulp.md).

    May raise OverflowError or ValueError when extensions push a date past the year 9999."""
    wet = facts.wet
    fouten = extension_errors(facts)
    if wet is Wet.WI2013:
        if facts.pip_dagtekening is not None or facts.leerroute is not None:
            fouten.append(
                RuleError(
                    "PIP_NIET_VAN_TOEPASSING",
                    "Deze persoon valt onder de Wi2013. Daarin bestaat geen PIP of leerroute.",
                )
            )
    elif facts.leerroute is not None:
        fouten += pip_validate(
            leerroute=facts.leerroute,
            niveau=facts.niveau,
            first_pip=facts.eerste_pip,
            doelgroep=facts.doelgroep,
            dagtekening=facts.pip_dagtekening,
            plicht_start=facts.plicht_start,
            vestiging=facts.brp_vestiging,
            previous_dagtekening=None,
            geschatte_intensiteit_b1=None,
        )
    deadline = pip_deadline_of(facts)
    start = termijn_start_of(facts)
    end = termijn_end_of(facts, start=start)
    ontzorgen = _ontzorgen(facts, fouten)
    pvt = pvt_deadline(wet=wet, brp_registration=facts.brp_vestiging, termijn_end=end.value)
    lbt = None
    if facts.lbt_score is not None and facts.lbt_datum is not None:
        lbt = lbt_outcome(score=facts.lbt_score, test_date=facts.lbt_datum)
    signalen: list[Signal] = []
    if facts.peildatum is not None:
        signalen = signals(
            today=facts.peildatum,
            pip_deadline=deadline.value,
            pip_done=facts.pip_dagtekening is not None,
            termijn_end=end.value,
            ontzorgen_end=ontzorgen.value,
            lbt_review_date=facts.lbt_datum if lbt and lbt.review else None,
        )
    return LegalDates(
        wet=wet,
        pip_uiterlijk=deadline,
        termijn_start=start,
        termijn_einde=end,
        ontzorgen_einde=ontzorgen,
        pvt_uiterlijk=pvt,
        lbt=lbt,
        fouten=tuple(fouten),
        signalen=tuple(signalen),
    )


# --- Rekenhulp input (the edge: JSON from the command, the API and the web form) ---

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_KEYS = (
    "plicht_start",
    "kennisgeving_duo",
    "brp_vestiging",
    "pip_dagtekening",
    "bijstand_start",
    "bijstand_einde",
    "lbt_datum",
    "peildatum",
)
_KEYS = (*_DATE_KEYS, "doelgroep", "leerroute", "niveau", "eerste_pip", "verlengingen", "lbt_score")
E = TypeVar("E", bound=Enum)


class _Reader:
    def __init__(self, facts: Mapping[str, object]) -> None:
        self.facts = facts
        self.errors: list[RuleError] = []

    def fail(self, code: str, melding: str) -> None:
        self.errors.append(RuleError(code, melding))

    def date(self, key: str) -> date | None:
        raw = self.facts.get(key)
        if raw is None or (isinstance(raw, date) and not isinstance(raw, datetime)):
            return raw
        if isinstance(raw, str) and _ISO.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        self.fail(
            "DATUM_ONGELDIG",
            f"'{key}' is geen geldige datum. Schrijf de datum als "
            "JJJJ-MM-DD, bijvoorbeeld 2024-02-29.",
        )
        return None

    def enum(self, key: str, kind: type[E], only: Sequence[E] = ()) -> E | None:
        raw = self.facts.get(key)
        if raw is None:
            return None
        members = list(only or kind)
        for member in members:
            if raw == member.value:
                return member
        allowed = ", ".join(str(m.value) for m in members)
        self.fail("WAARDE_ONBEKEND", f"'{key}' heeft een onbekende waarde. Kies uit: {allowed}.")
        return None

    def integer(self, key: str, raw: object, low: int, high: int) -> int | None:
        if isinstance(raw, int) and not isinstance(raw, bool) and low <= raw <= high:
            return raw
        self.fail(
            "GETAL_ONGELDIG", f"'{key}' moet een heel getal van {low} tot en met {high} zijn."
        )
        return None

    def extensions(self) -> tuple[list[int], list[int]]:
        months: list[int] = []
        alfa: list[int] = []
        raw = self.facts.get("verlengingen")
        if raw is None:
            return months, alfa
        if not isinstance(raw, list):
            self.fail(
                "VERLENGINGEN_ONGELDIG",
                "'verlengingen' moet een lijst zijn, bijvoorbeeld [{\"maanden\": 6}].",
            )
            return months, alfa
        for item in raw:
            if (
                not isinstance(item, Mapping)
                or "maanden" not in item
                or set(item) - {"maanden", "alfabetisering"}
                or not isinstance(item.get("alfabetisering", False), bool)
            ):
                self.fail(
                    "VERLENGINGEN_ONGELDIG", 'Elke verlenging moet er zo uitzien: {"maanden": 6}.'
                )
                continue
            n = self.integer("maanden", item["maanden"], 1, MAX_EXTENSION_MONTHS)
            if n is not None:
                (alfa if item.get("alfabetisering") else months).append(n)
        return months, alfa


def facts_from_rekenhulp(facts: Mapping[str, object]) -> CaseFacts:
    """Read rekenhulp input (docs/rekenhulp.md) into CaseFacts. Raises RekenhulpInputError."""
    if not isinstance(facts, Mapping):
        raise RekenhulpInputError(
            [RuleError("INVOER_ONGELDIG", "De invoer moet een object met velden zijn.")]
        )
    r = _Reader(facts)
    r.errors += [
        RuleError("VELD_ONBEKEND", f"Het veld '{key}' is onbekend.")
        for key in facts
        if key not in _KEYS
    ]
    dates = {key: r.date(key) for key in _DATE_KEYS}
    plicht = dates["plicht_start"]
    if facts.get("plicht_start") is None:
        r.fail(
            "PLICHT_START_ONTBREEKT",
            "Vul 'plicht_start' in: de datum waarop de inburgeringsplicht begon.",
        )
    eerste = facts.get("eerste_pip", True)
    if eerste is not None and not isinstance(eerste, bool):
        r.fail("WAARDE_ONBEKEND", "'eerste_pip' moet true of false zijn.")
    score = None
    if facts.get("lbt_score") is not None:
        score = r.integer("lbt_score", facts["lbt_score"], 0, LBT_MAX_SCORE)
        if facts.get("lbt_datum") is None:
            r.fail("LBT_DATUM_ONTBREEKT", "Vul bij een score ook 'lbt_datum' in.")
    doelgroep = r.enum("doelgroep", Doelgroep)
    leerroute = r.enum("leerroute", Leerroute)
    niveau = r.enum("niveau", Niveau, PIP_NIVEAUS)
    months, alfa = r.extensions()
    if r.errors or plicht is None:
        raise RekenhulpInputError(r.errors)
    return CaseFacts(
        plicht_start=plicht,
        doelgroep=doelgroep,
        kennisgeving_duo=dates["kennisgeving_duo"],
        brp_vestiging=dates["brp_vestiging"],
        pip_dagtekening=dates["pip_dagtekening"],
        eerste_pip=eerste is not False,
        leerroute=leerroute,
        niveau=niveau,
        extensions=tuple(months),
        alfabetisering=tuple(alfa),
        bijstand_start=dates["bijstand_start"],
        bijstand_einde=dates["bijstand_einde"],
        lbt_score=score,
        lbt_datum=dates["lbt_datum"],
        peildatum=dates["peildatum"],
    )

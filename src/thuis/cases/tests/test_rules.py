"""Table-driven tests for the law-as-code module. No database, no Django, no clock."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from thuis.cases import rules
from thuis.cases.rules import (
    Doelgroep,
    Examenonderdeel,
    LbtUitslag,
    Leerroute,
    Niveau,
    RekenhulpInputError,
    RuleInputError,
    SignaalCode,
    Wet,
)

D = date
ASIEL = Doelgroep.ASIELSTATUSHOUDER
GEZIN = Doelgroep.GEZINSMIGRANT


# --- helpers ---


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2024, 2, 29), "29 februari 2024"),
        (D(2025, 7, 15), "15 juli 2025"),
        (D(2022, 1, 1), "1 januari 2022"),
        (D(2023, 12, 31), "31 december 2023"),
    ],
)
def test_nl_date(day: date, text: str) -> None:
    assert rules.nl_date(day) == text


def test_results_are_frozen() -> None:
    result = rules.law_regime(plicht_start=D(2022, 1, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = Wet.WI2013  # type: ignore[misc]


@pytest.mark.parametrize(
    ("uitslag", "duo"),
    [
        (LbtUitslag.HAALBAAR, "B1-route haalbaar"),
        (LbtUitslag.NIET_HAALBAAR, "B1-route niet haalbaar"),
        (LbtUitslag.ONBEKEND, "Onbekend"),
    ],
)
def test_lbt_uitslag_duo_value(uitslag: LbtUitslag, duo: str) -> None:
    assert uitslag.duo == duo


def test_enum_slugs() -> None:
    assert [w.value for w in Wet] == ["Wi2013", "Wi2021"]
    assert [d.value for d in Doelgroep] == ["asielstatushouder", "gezinsmigrant", "overig"]
    assert [r.value for r in Leerroute] == ["B1", "onderwijs", "Z"]
    # One vocabulary: the niveaus of exams (up to B2); a PIP sets A2 or B1 only.
    assert [n.value for n in Niveau] == ["A2", "B1", "B2"]
    assert [n.value for n in rules.PIP_NIVEAUS] == ["A2", "B1"]


def test_rules_and_models_share_one_vocabulary() -> None:
    from thuis.cases import choices

    assert Wet is choices.Regime
    assert Leerroute is choices.Leerroute
    assert Niveau is choices.Niveau
    assert Doelgroep is choices.Doelgroepklasse
    assert LbtUitslag is choices.LbtUitslag
    assert SignaalCode is choices.SignaalCode
    assert Examenonderdeel is choices.ExamComponent
    assert [p.value for p in rules.LANGUAGE_COMPONENTS] == [
        "lezen",
        "luisteren",
        "schrijven",
        "spreken",
    ]


# --- law regime and termijn ---


@pytest.mark.parametrize(
    ("plicht_start", "wet"),
    [
        (D(2016, 1, 1), Wet.WI2013),
        (D(2021, 12, 31), Wet.WI2013),
        (D(2022, 1, 1), Wet.WI2021),
        (D(2022, 1, 2), Wet.WI2021),
        (D(2030, 6, 1), Wet.WI2021),
    ],
)
def test_law_regime(plicht_start: date, wet: Wet) -> None:
    result = rules.law_regime(plicht_start=plicht_start)
    assert result.value is wet
    assert str(result.value) == wet.value  # services.py stores str(result.value)
    assert rules.nl_date(plicht_start) in result.toelichting
    assert "1 januari 2022" in result.toelichting


@pytest.mark.parametrize(
    ("dagtekening", "start"),
    [
        (D(2022, 7, 15), D(2022, 7, 16)),
        (D(2024, 2, 28), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2024, 3, 1)),
        (D(2023, 12, 31), D(2024, 1, 1)),
        (D(2023, 1, 31), D(2023, 2, 1)),
    ],
)
def test_termijn_start(dagtekening: date, start: date) -> None:
    result = rules.termijn_start(pip_dagtekening=dagtekening)
    assert result.value == start
    assert result.grondslag == "Wi2021 art. 11"
    assert rules.nl_date(start) in result.toelichting


@pytest.mark.parametrize(
    ("plicht_start", "start"),
    [(D(2019, 6, 15), D(2019, 6, 16)), (D(2021, 12, 31), D(2022, 1, 1))],
)
def test_termijn_start_wi2013(plicht_start: date, start: date) -> None:
    result = rules.termijn_start_wi2013(plicht_start=plicht_start)
    assert result.value == start
    assert "Wi2013 art. 7" in result.grondslag


@pytest.mark.parametrize(
    ("wet", "plicht_start", "dagtekening", "extensions", "alfa", "end"),
    [
        # Wi2021: dagtekening + 3 years (domain doc example)
        (Wet.WI2021, D(2022, 3, 1), D(2022, 7, 15), [], 0, D(2025, 7, 15)),
        # 29 February -> 28 February
        (Wet.WI2021, D(2024, 1, 10), D(2024, 2, 29), [], 0, D(2027, 2, 28)),
        (Wet.WI2021, D(2024, 1, 10), D(2024, 2, 29), [12], 0, D(2028, 2, 28)),
        # month ends: 31 January + 1 month = 28 February; extensions applied one by one
        (Wet.WI2021, D(2023, 12, 1), D(2024, 1, 31), [1], 0, D(2027, 2, 28)),
        (Wet.WI2021, D(2023, 12, 1), D(2024, 1, 31), [1, 1], 0, D(2027, 3, 28)),
        (Wet.WI2021, D(2022, 1, 1), D(2022, 8, 31), [6], 0, D(2026, 2, 28)),
        (Wet.WI2021, D(2022, 1, 1), D(2022, 7, 15), [6, 3], 0, D(2026, 4, 15)),
        # plicht start does not matter for Wi2021; alfabetisering months are ignored there
        (Wet.WI2021, D(2023, 5, 5), D(2023, 6, 1), [], 12, D(2026, 6, 1)),
        # Wi2013: plicht start + 3 years
        (Wet.WI2013, D(2019, 6, 15), None, [], 0, D(2022, 6, 15)),
        (Wet.WI2013, D(2020, 2, 29), None, [], 0, D(2023, 2, 28)),
        (Wet.WI2013, D(2019, 6, 15), D(2019, 9, 1), [], 24, D(2024, 6, 15)),
        (Wet.WI2013, D(2019, 6, 15), None, [6], 12, D(2023, 12, 15)),
    ],
)
def test_termijn_end(
    wet: Wet,
    plicht_start: date,
    dagtekening: date | None,
    extensions: list[int],
    alfa: int,
    end: date,
) -> None:
    result = rules.termijn_end(
        wet=wet,
        plicht_start=plicht_start,
        pip_dagtekening=dagtekening,
        extensions_months=extensions,
        alfabetisering_months=alfa,
    )
    assert result.value == end
    assert result.grondslag == ("Wi2021 art. 11" if wet is Wet.WI2021 else "Wi2013 art. 7")
    assert rules.nl_date(end) in result.toelichting


def test_termijn_end_wi2021_without_pip_is_unknown() -> None:
    result = rules.termijn_end(wet=Wet.WI2021, plicht_start=D(2022, 3, 1), pip_dagtekening=None)
    assert result.value is None
    assert "eerste PIP" in result.toelichting


@pytest.mark.parametrize(
    ("wet", "extensions", "alfa", "codes"),
    [
        (Wet.WI2021, [6], 0, []),
        (Wet.WI2021, [], 0, []),
        (Wet.WI2021, [0], 0, ["VERLENGING_ONGELDIG"]),
        (Wet.WI2021, [-1, 3, 0], 0, ["VERLENGING_ONGELDIG", "VERLENGING_ONGELDIG"]),
        (Wet.WI2021, [], 6, ["VERLENGING_ALFA_WI2021"]),
        (Wet.WI2013, [6], 24, []),
        (Wet.WI2013, [], 1, []),
        (Wet.WI2013, [], 25, ["VERLENGING_ALFA_TE_LANG"]),
        (Wet.WI2013, [], -1, ["VERLENGING_ALFA_TE_LANG"]),
    ],
)
def test_extensions_validate(wet: Wet, extensions: list[int], alfa: int, codes: list[str]) -> None:
    errors = rules.extensions_validate(
        wet=wet, extensions_months=extensions, alfabetisering_months=alfa
    )
    assert [e.code for e in errors] == codes
    assert all(e.melding for e in errors)


@pytest.mark.parametrize(
    ("kennisgeving", "vestiging", "third_party", "deadline"),
    [
        (D(2022, 3, 10), D(2022, 5, 2), None, D(2022, 7, 11)),  # vestiging is later
        (D(2022, 6, 1), D(2022, 5, 2), None, D(2022, 8, 10)),  # kennisgeving is later
        (D(2022, 5, 2), D(2022, 5, 2), None, D(2022, 7, 11)),
        (D(2023, 12, 25), D(2023, 12, 1), None, D(2024, 3, 4)),  # over 29 February
        (D(2022, 3, 10), D(2022, 5, 2), D(2022, 7, 5), D(2022, 7, 19)),  # receipt + 2 weeks
        (D(2022, 3, 10), D(2022, 5, 2), D(2022, 6, 1), D(2022, 7, 11)),  # receipt early: no effect
        (D(2022, 3, 10), D(2022, 5, 2), D(2022, 6, 27), D(2022, 7, 11)),  # exactly equal
        (D(2022, 3, 10), D(2022, 5, 2), D(2022, 6, 28), D(2022, 7, 12)),
        (None, D(2022, 5, 2), None, None),
        # no vestiging: the kennisgeving alone (it starts the 10 weeks; docs/rekenhulp.md)
        (D(2022, 3, 10), None, None, D(2022, 5, 19)),
        (None, None, D(2022, 6, 28), None),
    ],
)
def test_pip_deadline(
    kennisgeving: date | None,
    vestiging: date | None,
    third_party: date | None,
    deadline: date | None,
) -> None:
    result = rules.pip_deadline(
        kennisgeving_duo=kennisgeving,
        brp_vestiging=vestiging,
        third_party_info_received=third_party,
    )
    assert result.value == deadline
    assert result.grondslag == "Wi2021 art. 15; Bi2021 art. 5.3"
    if deadline is not None:
        assert rules.nl_date(deadline) in result.toelichting
    else:
        assert "niet bekend" in result.toelichting


@pytest.mark.parametrize(
    ("kennisgeving", "vestiging", "plicht", "deadline", "said"),
    [
        # no kennisgeving: the plicht start counts as the kennisgeving
        (None, D(2022, 5, 2), D(2022, 1, 1), D(2022, 7, 11), "start van de inburgeringsplicht"),
        (None, D(2022, 1, 1), D(2022, 1, 1), D(2022, 3, 12), "klaar zijn: uiterlijk 12 maart"),
        (None, D(2023, 4, 12), D(2023, 4, 13), D(2023, 6, 22), "10 weken na de start"),
        (None, D(2024, 2, 29), D(2023, 12, 31), D(2024, 5, 9), "kennisgeving van DUO is niet"),
        (None, D(2023, 1, 31), D(2022, 12, 20), D(2023, 4, 11), "start van de inburgeringsplicht"),
        # no vestiging: the kennisgeving alone, also when the plicht start is known
        (D(2023, 12, 21), None, D(2022, 1, 1), D(2024, 2, 29), "vestiging in de BRP is niet"),
        (D(2022, 1, 1), None, D(2022, 1, 1), D(2022, 3, 12), "dan schuift de datum op"),
        # neither: not known, whatever the plicht start
        (None, None, D(2022, 1, 1), None, "datums van de kennisgeving van DUO en van de"),
        # a known kennisgeving wins over the plicht start
        (D(2023, 4, 12), D(2023, 1, 31), D(2022, 1, 1), D(2023, 6, 21), "na de kennisgeving"),
    ],
)
def test_pip_deadline_fallbacks(
    kennisgeving: date | None,
    vestiging: date | None,
    plicht: date,
    deadline: date | None,
    said: str,
) -> None:
    result = rules.pip_deadline(
        kennisgeving_duo=kennisgeving, brp_vestiging=vestiging, plicht_start=plicht
    )
    assert result.value == deadline
    assert said in result.toelichting
    assert "start van de inburgeringsplicht" not in result.toelichting or kennisgeving is None


@pytest.mark.parametrize(
    ("kennisgeving", "vestiging", "missing"),
    [(None, D(2022, 5, 2), "kennisgeving van DUO"), (D(2022, 3, 10), None, "vestiging in de BRP")],
)
def test_pip_deadline_names_missing_date(
    kennisgeving: date | None, vestiging: date | None, missing: str
) -> None:
    result = rules.pip_deadline(kennisgeving_duo=kennisgeving, brp_vestiging=vestiging)
    assert missing in result.toelichting


@pytest.mark.parametrize(
    ("wet", "registration", "termijn_end", "deadline"),
    [
        (Wet.WI2013, D(2021, 3, 15), None, D(2022, 3, 15)),
        (Wet.WI2013, D(2024, 2, 29), None, D(2025, 2, 28)),
        (Wet.WI2013, None, D(2025, 1, 1), None),
        (Wet.WI2021, D(2022, 5, 2), D(2025, 7, 15), D(2025, 7, 15)),
        (Wet.WI2021, D(2022, 5, 2), None, None),
    ],
)
def test_pvt_deadline(
    wet: Wet, registration: date | None, termijn_end: date | None, deadline: date | None
) -> None:
    result = rules.pvt_deadline(wet=wet, brp_registration=registration, termijn_end=termijn_end)
    assert result.value == deadline
    assert result.grondslag.startswith(wet.value)
    if deadline is not None:
        assert rules.nl_date(deadline) in result.toelichting


# --- leerbaarheidstoets ---


@pytest.mark.parametrize(
    ("score", "test_date", "uitslag", "review"),
    [
        (29, D(2023, 4, 11), LbtUitslag.NIET_HAALBAAR, True),
        (28, D(2023, 4, 11), LbtUitslag.NIET_HAALBAAR, True),
        (30, D(2023, 4, 11), LbtUitslag.NIET_HAALBAAR, True),
        (31, D(2023, 4, 11), LbtUitslag.HAALBAAR, False),
        (27, D(2023, 4, 11), LbtUitslag.NIET_HAALBAAR, False),
        (28, D(2023, 4, 12), LbtUitslag.HAALBAAR, False),
        (27, D(2023, 4, 12), LbtUitslag.NIET_HAALBAAR, False),
        (30, D(2024, 1, 1), LbtUitslag.HAALBAAR, False),
        (0, D(2022, 5, 1), LbtUitslag.NIET_HAALBAAR, False),
        (40, D(2022, 5, 1), LbtUitslag.HAALBAAR, False),
        (40, D(2023, 4, 12), LbtUitslag.HAALBAAR, False),
    ],
)
def test_lbt_outcome(score: int, test_date: date, uitslag: LbtUitslag, review: bool) -> None:
    result = rules.lbt_outcome(score=score, test_date=test_date)
    assert result.value is uitslag
    assert result.review is review
    assert rules.nl_date(test_date) in result.toelichting
    assert ("opnieuw" in result.toelichting) is review


@pytest.mark.parametrize("score", [-1, 41, 100, True, 28.5, "28"])
def test_lbt_outcome_rejects_bad_score(score: Any) -> None:
    with pytest.raises(RuleInputError) as exc:
        rules.lbt_outcome(score=score, test_date=D(2023, 5, 1))
    assert [e.code for e in exc.value.errors] == ["LBT_SCORE_ONGELDIG"]
    assert isinstance(exc.value, ValueError)


# --- PIP validation (DUO rules) ---

PIP_OK: dict[str, Any] = {
    "leerroute": Leerroute.B1,
    "niveau": Niveau.B1,
    "first_pip": True,
    "doelgroep": ASIEL,
    "dagtekening": D(2022, 7, 15),
    "plicht_start": D(2022, 3, 1),
    "vestiging": D(2022, 5, 2),
    "previous_dagtekening": None,
    "geschatte_intensiteit_b1": None,
}


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        ({"leerroute": Leerroute.ONDERWIJS, "niveau": Niveau.A2}, ["PIP_ONDERWIJS_A2"]),
        (
            {"leerroute": Leerroute.ONDERWIJS, "niveau": Niveau.A2, "first_pip": False},
            ["PIP_ONDERWIJS_A2"],
        ),
        ({"leerroute": Leerroute.ONDERWIJS, "niveau": Niveau.B1}, []),
        ({"leerroute": Leerroute.ONDERWIJS, "niveau": None}, []),
        ({"leerroute": Leerroute.Z, "niveau": Niveau.B1}, ["PIP_Z_B1"]),
        ({"leerroute": Leerroute.Z, "niveau": Niveau.A2}, []),
        ({"leerroute": Leerroute.Z, "niveau": None}, []),
        ({"niveau": Niveau.A2}, ["PIP_B1_A2_EERSTE"]),
        ({"niveau": Niveau.A2, "first_pip": False}, []),  # afschalen on a later PIP
        ({"niveau": None}, []),  # DUO: omitted niveau means B1
        # dagtekening >= plicht start
        ({"dagtekening": D(2022, 2, 28), "vestiging": None}, ["PIP_VOOR_PLICHT"]),
        ({"dagtekening": D(2022, 3, 1), "vestiging": None}, []),
        # dagtekening >= vestiging
        ({"dagtekening": D(2022, 5, 1)}, ["PIP_VOOR_VESTIGING"]),
        ({"dagtekening": D(2022, 5, 2)}, []),
        ({"dagtekening": D(2022, 2, 1)}, ["PIP_VOOR_PLICHT", "PIP_VOOR_VESTIGING"]),
        # dagtekening >= previous PIP
        ({"first_pip": False, "previous_dagtekening": D(2022, 7, 16)}, ["PIP_VOOR_VORIGE"]),
        ({"first_pip": False, "previous_dagtekening": D(2022, 7, 15)}, []),
        ({"dagtekening": None}, []),
        # geschatte intensiteit B1: 1..9999, only asielstatushouder in the B1-route
        ({"geschatte_intensiteit_b1": 1}, []),
        ({"geschatte_intensiteit_b1": 9999}, []),
        ({"geschatte_intensiteit_b1": 0}, ["PIP_INTENSITEIT_BEREIK"]),
        ({"geschatte_intensiteit_b1": 10000}, ["PIP_INTENSITEIT_BEREIK"]),
        (
            {"geschatte_intensiteit_b1": 600, "doelgroep": GEZIN},
            ["PIP_INTENSITEIT_NIET_TOEGESTAAN"],
        ),
        (
            {"geschatte_intensiteit_b1": 600, "doelgroep": Doelgroep.OVERIG},
            ["PIP_INTENSITEIT_NIET_TOEGESTAAN"],
        ),
        ({"geschatte_intensiteit_b1": 600, "doelgroep": None}, ["PIP_INTENSITEIT_NIET_TOEGESTAAN"]),
        (
            {"geschatte_intensiteit_b1": 600, "leerroute": Leerroute.Z, "niveau": Niveau.A2},
            ["PIP_INTENSITEIT_NIET_TOEGESTAAN"],
        ),
        (
            {"geschatte_intensiteit_b1": 600, "leerroute": Leerroute.ONDERWIJS},
            ["PIP_INTENSITEIT_NIET_TOEGESTAAN"],
        ),
    ],
)
def test_pip_validate(changes: dict[str, Any], codes: list[str]) -> None:
    errors = rules.pip_validate(**{**PIP_OK, **changes})
    assert [e.code for e in errors] == codes
    assert all(e.melding.endswith(".") for e in errors)


def test_pip_validate_messages_mention_dates() -> None:
    errors = rules.pip_validate(**{**PIP_OK, "dagtekening": D(2022, 5, 1)})
    assert "1 mei 2022" in errors[0].melding
    assert "2 mei 2022" in errors[0].melding


# --- PIP changes ---


@pytest.mark.parametrize(
    ("start", "on", "months", "allowed"),
    [
        (D(2022, 7, 16), D(2024, 1, 15), 18, True),
        (D(2022, 7, 16), D(2024, 1, 16), 18, False),
        (D(2022, 7, 16), D(2022, 7, 1), 18, True),
        (D(2022, 7, 16), D(2023, 7, 15), 12, True),  # configurable period
        (D(2022, 7, 16), D(2023, 7, 16), 12, False),
        (D(2022, 8, 31), D(2024, 2, 28), 18, True),  # 31 Aug + 18 months = 29 Feb 2024
        (D(2022, 8, 31), D(2024, 2, 29), 18, False),
    ],
)
def test_route_switch_allowed(start: date, on: date, months: int, allowed: bool) -> None:
    result = rules.route_switch_allowed(termijn_start=start, on=on, months=months)
    assert result.value is allowed
    assert result.review is True  # UNVERIFIED parameter
    assert "Interpretatie Thuis" in result.grondslag
    assert rules.nl_date(on) in result.toelichting


def test_route_switch_default_is_18_months() -> None:
    assert rules.ROUTE_SWITCH_MONTHS == 18
    assert rules.route_switch_allowed(termijn_start=D(2022, 7, 16), on=D(2024, 1, 15)).value


@pytest.mark.parametrize(
    ("leerroute", "hours", "allowed"),
    [
        (Leerroute.B1, 600, True),
        (Leerroute.B1, 750.5, True),
        (Leerroute.B1, 599.5, False),
        (Leerroute.B1, 0, False),
        (Leerroute.ONDERWIJS, 800, False),
        (Leerroute.Z, 1000, False),
    ],
)
def test_afschalen_allowed(leerroute: Leerroute, hours: float, allowed: bool) -> None:
    result = rules.afschalen_allowed(leerroute=leerroute, course_hours=hours)
    assert result.value is allowed
    assert result.grondslag == "Bi2021 art. 5.5"


@pytest.mark.parametrize(
    ("leerroute", "required", "grondslag"),
    [
        (Leerroute.B1, True, "Wi2021 art. 8"),
        (Leerroute.Z, True, "Wi2021 art. 8"),
        (Leerroute.ONDERWIJS, False, "Wi2021 art. 8 lid 3"),
    ],
)
def test_map_required(leerroute: Leerroute, required: bool, grondslag: str) -> None:
    result = rules.map_required(leerroute=leerroute)
    assert result.value is required
    assert result.grondslag == grondslag


@pytest.mark.parametrize(
    ("doelgroep", "les", "participatie", "eindgesprek", "complete"),
    [
        (ASIEL, 800, 800, True, True),
        (ASIEL, 1200, 900, True, True),
        (ASIEL, 799, 800, True, False),
        (ASIEL, 800, 799.5, True, False),
        (ASIEL, 800, 800, False, False),
        (ASIEL, 0, 0, False, False),
        (GEZIN, 800, 0, True, True),
        (GEZIN, 799, 0, True, False),
        (GEZIN, 800, 0, False, False),
        (Doelgroep.OVERIG, 800, 0, True, True),
    ],
)
def test_z_route_complete(
    doelgroep: Doelgroep, les: float, participatie: float, eindgesprek: bool, complete: bool
) -> None:
    result = rules.z_route_complete(
        doelgroep=doelgroep,
        nt2_knm_hours=les,
        participation_hours=participatie,
        eindgesprek=eindgesprek,
    )
    assert result.value is complete
    assert result.grondslag == "Bi2021 art. 3.14"
    assert ("Nog nodig" in result.toelichting) is not complete


ALL_B1 = {part: "B1" for part in Examenonderdeel}
ALL_A2 = {part: "A2" for part in Examenonderdeel}
VOLDAAN_OK: dict[str, Any] = {
    "wet": Wet.WI2021,
    "plicht_start": D(2022, 3, 1),
    "leerroute": Leerroute.B1,
    "niveau": Niveau.B1,
    "exams_passed": ALL_B1,
    "knm_passed": True,
    "pvt_done": True,
    "map_done": True,
}


@pytest.mark.parametrize(
    ("changes", "voldaan", "missing"),
    [
        ({}, True, None),
        ({"exams_passed": {**ALL_B1, Examenonderdeel.SPREKEN: "B2"}}, True, None),
        ({"exams_passed": {**ALL_B1, Examenonderdeel.SPREKEN: "A2"}}, False, "spreken op B1"),
        ({"exams_passed": {Examenonderdeel.LEZEN: "B1"}}, False, "luisteren op B1"),
        ({"niveau": Niveau.A2, "exams_passed": ALL_A2}, True, None),  # after afschalen
        ({"niveau": None}, True, None),  # niveau omitted = B1
        ({"niveau": None, "exams_passed": ALL_A2}, False, "lezen op B1"),
        ({"knm_passed": False}, False, "KNM"),
        ({"pvt_done": False}, False, "PVT"),
        ({"map_done": False}, False, "MAP"),
        (
            {
                "leerroute": Leerroute.ONDERWIJS,
                "map_done": False,
                "exams_passed": {},
                "knm_passed": False,
                "taalschakeltraject_done": True,
            },
            True,
            None,
        ),
        ({"leerroute": Leerroute.ONDERWIJS, "exams_passed": {}}, False, "taalschakeltraject"),
        ({"leerroute": Leerroute.Z, "exams_passed": {}, "z_route_done": True}, True, None),
        ({"leerroute": Leerroute.Z, "z_route_done": False}, False, "Z-route"),
        ({"leerroute": Leerroute.Z, "z_route_done": True, "map_done": False}, False, "MAP"),
        ({"leerroute": None}, False, "leerroute"),
        ({"exams_passed": {}, "pvt_done": False, "vrijgesteld_of_ontheven": True}, True, None),
        # Wi2013: A2 + KNM; ONA for plicht from 2015; PVT for plicht from 1 Oct 2017
        (
            {
                "wet": Wet.WI2013,
                "plicht_start": D(2014, 6, 1),
                "leerroute": None,
                "exams_passed": ALL_A2,
                "pvt_done": False,
                "map_done": False,
            },
            True,
            None,
        ),
        (
            {
                "wet": Wet.WI2013,
                "plicht_start": D(2015, 1, 1),
                "leerroute": None,
                "exams_passed": ALL_A2,
                "pvt_done": False,
            },
            False,
            "ONA",
        ),
        (
            {
                "wet": Wet.WI2013,
                "plicht_start": D(2017, 9, 30),
                "leerroute": None,
                "exams_passed": ALL_A2,
                "pvt_done": False,
                "ona_done": True,
            },
            True,
            None,
        ),
        (
            {
                "wet": Wet.WI2013,
                "plicht_start": D(2017, 10, 1),
                "leerroute": None,
                "exams_passed": ALL_A2,
                "pvt_done": False,
                "ona_done": True,
            },
            False,
            "PVT",
        ),
        (
            {
                "wet": Wet.WI2013,
                "plicht_start": D(2019, 1, 1),
                "leerroute": None,
                "exams_passed": {**ALL_A2, Examenonderdeel.LEZEN: "B1"},
                "ona_done": True,
                "map_done": False,
            },
            True,
            None,
        ),
    ],
)
def test_plicht_voldaan(changes: dict[str, Any], voldaan: bool, missing: str | None) -> None:
    result = rules.plicht_voldaan(**{**VOLDAAN_OK, **changes})
    assert result.value is voldaan
    if missing is not None:
        assert missing in result.toelichting


@pytest.mark.parametrize(
    ("termijn_end", "today", "value"),
    [
        (D(2025, 7, 15), D(2025, 7, 16), "Ja"),
        (D(2025, 7, 15), D(2026, 1, 1), "Ja"),
        (D(2025, 7, 15), D(2025, 7, 15), "Nee"),
        (D(2025, 7, 15), D(2025, 5, 15), "Nee"),
        (D(2025, 7, 15), D(2025, 5, 14), None),
        (D(2025, 7, 15), D(2023, 1, 1), None),
        (D(2025, 4, 30), D(2025, 2, 28), "Nee"),  # month end: 30 April - 2 months = 28 Feb
        (D(2025, 4, 30), D(2025, 2, 27), None),
    ],
)
def test_mapvt_verwijtbaarheid(termijn_end: date, today: date, value: str | None) -> None:
    result = rules.mapvt_verwijtbaarheid(termijn_end=termijn_end, today=today)
    assert result.value == value
    assert rules.nl_date(termijn_end) in result.toelichting


@pytest.mark.parametrize(
    ("datum", "z_done", "codes"),
    [
        (D(2023, 1, 1), None, []),
        (D(2022, 7, 16), None, []),
        (D(2022, 7, 15), None, ["DATUM_VOOR_TERMIJN"]),
        (D(2024, 6, 1), None, []),
        (D(2024, 6, 2), None, ["DATUM_IN_TOEKOMST"]),
        (D(2023, 1, 1), D(2023, 1, 1), []),
        (D(2023, 1, 2), D(2023, 1, 1), ["DATUM_NA_Z_ROUTE"]),
    ],
)
def test_mapvt_date_validate(datum: date, z_done: date | None, codes: list[str]) -> None:
    errors = rules.mapvt_date_validate(
        datum=datum, termijn_start=D(2022, 7, 16), today=D(2024, 6, 1), z_route_done_on=z_done
    )
    assert [e.code for e in errors] == codes


# --- ontzorgen and retention ---


@pytest.mark.parametrize(
    ("doelgroep", "permit", "bijstand", "plichtig", "wet", "applies"),
    [
        (ASIEL, True, True, True, Wet.WI2021, True),
        (ASIEL, False, True, True, Wet.WI2021, False),  # nareiziger with regulier permit
        (ASIEL, True, False, True, Wet.WI2021, False),
        (ASIEL, True, True, False, Wet.WI2021, False),
        (ASIEL, True, True, True, Wet.WI2013, False),
        (GEZIN, True, True, True, Wet.WI2021, False),
        (Doelgroep.OVERIG, False, True, True, Wet.WI2021, False),
    ],
)
def test_ontzorgen_applies(
    doelgroep: Doelgroep, permit: bool, bijstand: bool, plichtig: bool, wet: Wet, applies: bool
) -> None:
    result = rules.ontzorgen_applies(
        doelgroep=doelgroep,
        permit_asiel_bepaalde_tijd=permit,
        recht_op_bijstand=bijstand,
        inburgeringsplichtig=plichtig,
        wet=wet,
    )
    assert result.value is applies
    assert result.grondslag == "Participatiewet art. 56a"
    assert ("Reden" in result.toelichting) is not applies


@pytest.mark.parametrize(
    ("start", "end", "last_day"),
    [
        (D(2022, 5, 2), None, D(2022, 11, 1)),
        (D(2022, 5, 2), D(2022, 8, 15), D(2022, 8, 15)),  # bijstand ends earlier
        (D(2022, 5, 2), D(2022, 11, 1), D(2022, 11, 1)),  # same day
        (D(2022, 5, 2), D(2022, 11, 2), D(2022, 11, 1)),  # bijstand ends later
        (D(2022, 5, 2), D(2022, 5, 2), D(2022, 5, 2)),  # one day of bijstand
        (D(2024, 1, 1), None, D(2024, 6, 30)),
        (D(2023, 9, 1), None, D(2024, 2, 29)),  # leap year
        (D(2023, 8, 29), None, D(2024, 2, 28)),
        (D(2024, 8, 31), None, D(2025, 2, 27)),  # 31 Aug + 6 months = 28 Feb, minus 1 day
        (D(2024, 2, 29), None, D(2024, 8, 28)),
    ],
)
def test_ontzorgen_window(start: date, end: date | None, last_day: date) -> None:
    result = rules.ontzorgen_window(bijstand_start=start, bijstand_end=end)
    assert result.value == last_day
    assert result.grondslag == "Participatiewet art. 56a"
    assert rules.nl_date(last_day) in result.toelichting


def test_ontzorgen_window_rejects_end_before_start() -> None:
    with pytest.raises(RuleInputError) as exc:
        rules.ontzorgen_window(bijstand_start=D(2022, 5, 2), bijstand_end=D(2022, 5, 1))
    assert exc.value.errors[0].code == "BIJSTAND_EINDE_VOOR_START"


@pytest.mark.parametrize(
    ("plicht_end", "years", "until"),
    [
        (D(2025, 7, 15), None, D(2030, 7, 15)),
        (D(2024, 2, 29), None, D(2029, 2, 28)),
        (D(2025, 7, 15), 10, D(2035, 7, 15)),
    ],
)
def test_retention_until(plicht_end: date, years: int | None, until: date) -> None:
    kwargs: dict[str, Any] = {} if years is None else {"years": years}
    result = rules.retention_until(plicht_end=plicht_end, **kwargs)
    assert result.value == until
    assert rules.nl_date(until) in result.toelichting


# --- signals ---


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # PIP due within 14 days / overdue / done
        ({"today": D(2022, 6, 26), "pip_deadline": D(2022, 7, 11)}, []),
        (
            {"today": D(2022, 6, 27), "pip_deadline": D(2022, 7, 11)},
            [("PIP_BIJNA", D(2022, 7, 11))],
        ),
        (
            {"today": D(2022, 7, 11), "pip_deadline": D(2022, 7, 11)},
            [("PIP_BIJNA", D(2022, 7, 11))],
        ),
        (
            {"today": D(2022, 7, 12), "pip_deadline": D(2022, 7, 11)},
            [("PIP_TE_LAAT", D(2022, 7, 11))],
        ),
        ({"today": D(2022, 7, 12), "pip_deadline": D(2022, 7, 11), "pip_done": True}, []),
        # termijn within 2 months / over
        ({"today": D(2025, 5, 14), "termijn_end": D(2025, 7, 15)}, []),
        (
            {"today": D(2025, 5, 15), "termijn_end": D(2025, 7, 15)},
            [("TERMIJN_BIJNA_OM", D(2025, 7, 15))],
        ),
        (
            {"today": D(2025, 7, 15), "termijn_end": D(2025, 7, 15)},
            [("TERMIJN_BIJNA_OM", D(2025, 7, 15))],
        ),
        (
            {"today": D(2025, 7, 16), "termijn_end": D(2025, 7, 15)},
            [("TERMIJN_VERLOPEN", D(2025, 7, 15))],
        ),
        # MAP open near the end of the termijn
        ({"today": D(2025, 5, 14), "termijn_end": D(2025, 7, 15), "map_open": True}, []),
        (
            {"today": D(2025, 5, 15), "termijn_end": D(2025, 7, 15), "map_open": True},
            [("TERMIJN_BIJNA_OM", D(2025, 7, 15)), ("MAP_OPEN", D(2025, 7, 15))],
        ),
        (
            {"today": D(2025, 8, 1), "termijn_end": D(2025, 7, 15), "map_open": True},
            [("TERMIJN_VERLOPEN", D(2025, 7, 15)), ("MAP_OPEN", D(2025, 7, 15))],
        ),
        # PVT open within 2 months of its deadline (Wi2013: 1 year after BRP registration)
        ({"today": D(2022, 11, 9), "pvt_deadline": D(2023, 1, 10), "pvt_open": True}, []),
        (
            {"today": D(2022, 11, 10), "pvt_deadline": D(2023, 1, 10), "pvt_open": True},
            [("PVT_OPEN", D(2023, 1, 10))],
        ),
        (
            {"today": D(2023, 3, 1), "pvt_deadline": D(2023, 1, 10), "pvt_open": True},
            [("PVT_OPEN", D(2023, 1, 10))],
        ),
        ({"today": D(2023, 3, 1), "pvt_deadline": D(2023, 1, 10), "pvt_open": False}, []),
        # ontzorgen ends within 30 days
        ({"today": D(2022, 10, 1), "ontzorgen_end": D(2022, 11, 1)}, []),
        (
            {"today": D(2022, 10, 2), "ontzorgen_end": D(2022, 11, 1)},
            [("ONTZORGEN_EINDIGT", D(2022, 11, 1))],
        ),
        (
            {"today": D(2022, 11, 1), "ontzorgen_end": D(2022, 11, 1)},
            [("ONTZORGEN_EINDIGT", D(2022, 11, 1))],
        ),
        ({"today": D(2022, 11, 2), "ontzorgen_end": D(2022, 11, 1)}, []),
        # progress talk every 6 months (configurable)
        ({"today": D(2023, 1, 14), "progress_since": D(2022, 7, 15)}, []),
        (
            {"today": D(2023, 1, 15), "progress_since": D(2022, 7, 15)},
            [("VOORTGANG_GESPREK", D(2023, 1, 15))],
        ),
        (
            {"today": D(2022, 10, 15), "progress_since": D(2022, 7, 15), "progress_talk_months": 3},
            [("VOORTGANG_GESPREK", D(2022, 10, 15))],
        ),
        (
            {"today": D(2022, 8, 31), "progress_since": D(2022, 2, 28)},
            [("VOORTGANG_GESPREK", D(2022, 8, 28))],
        ),
        # LBT review
        (
            {"today": D(2024, 1, 1), "lbt_review_date": D(2023, 4, 11)},
            [("LBT_HERBEOORDELEN", D(2023, 4, 11))],
        ),
        # a closed plicht gives no signals
        (
            {
                "today": D(2025, 8, 1),
                "termijn_end": D(2025, 7, 15),
                "map_open": True,
                "pip_deadline": D(2022, 7, 11),
                "progress_since": D(2022, 7, 15),
                "plicht_ended": True,
            },
            [],
        ),
    ],
)
def test_signals(facts: dict[str, Any], expected: list[tuple[str, date]]) -> None:
    found = rules.signals(**facts)
    assert [(s.code.value, s.datum) for s in found] == expected
    for signal in found:
        assert isinstance(signal.code, SignaalCode)
        assert signal.melding


def test_signal_text_mentions_date() -> None:
    (signal,) = rules.signals(today=D(2022, 7, 12), pip_deadline=D(2022, 7, 11))
    assert "11 juli 2022" in signal.melding


# --- rekenhulp (calculate) ---

FULL = {
    "plicht_start": "2022-03-01",
    "doelgroep": "asielstatushouder",
    "kennisgeving_duo": "2022-03-10",
    "brp_vestiging": "2022-05-02",
    "pip_dagtekening": "2022-07-01",
    "leerroute": "B1",
    "niveau": "B1",
    "eerste_pip": True,
    "verlengingen": [{"maanden": 6}],
    "bijstand_start": "2022-05-02",
    "bijstand_einde": None,
    "lbt_score": 29,
    "lbt_datum": "2022-06-01",
    "peildatum": "2025-12-01",
}
CODES = ["PIP_UITERLIJK", "TERMIJN_START", "TERMIJN_EINDE", "ONTZORGEN_EINDE", "PVT_UITERLIJK"]


def _calc(facts: Any) -> dict[str, Any]:
    return rules.calculate(rules.facts_from_rekenhulp(facts)).as_json()


def _dates(out: dict[str, Any]) -> dict[str, str | None]:
    return {code: entry["datum"] for code, entry in out["datums"].items()}


def test_calculate_full_round_trip() -> None:
    out = _calc(FULL)
    assert json.loads(json.dumps(out)) == out  # plain JSON types only
    assert set(out) == {"wet", "datums", "lbt_uitslag", "fouten", "signalen"}
    assert out["wet"] == "Wi2021"
    assert list(out["datums"]) == CODES
    assert _dates(out) == {
        "PIP_UITERLIJK": "2022-07-11",
        "TERMIJN_START": "2022-07-02",
        "TERMIJN_EINDE": "2026-01-01",
        "ONTZORGEN_EINDE": "2022-11-01",
        "PVT_UITERLIJK": "2026-01-01",
    }
    for entry in out["datums"].values():
        assert set(entry) == {"datum", "grondslag", "toelichting"}
        assert entry["grondslag"] and entry["toelichting"]
    assert "1 januari 2026" in out["datums"]["TERMIJN_EINDE"]["toelichting"]
    assert out["lbt_uitslag"] == "niet_haalbaar"
    assert out["fouten"] == []
    assert [(s["code"], s["datum"]) for s in out["signalen"]] == [
        ("TERMIJN_BIJNA_OM", "2026-01-01"),
        ("LBT_HERBEOORDELEN", "2022-06-01"),
    ]


def test_calculate_matches_rule_functions() -> None:
    """The calculator and the case screens use the same functions, so the dates agree."""
    out = _calc(FULL)
    end = rules.termijn_end(
        wet=Wet.WI2021,
        plicht_start=D(2022, 3, 1),
        pip_dagtekening=D(2022, 7, 1),
        extensions_months=[6],
    )
    assert out["datums"]["TERMIJN_EINDE"]["datum"] == end.value.isoformat()  # type: ignore[union-attr]
    assert out["datums"]["TERMIJN_EINDE"]["toelichting"] == end.toelichting


def test_calculate_minimal() -> None:
    out = _calc({"plicht_start": "2022-01-01"})
    assert out["wet"] == "Wi2021"
    assert _dates(out) == dict.fromkeys(CODES)
    assert out["lbt_uitslag"] is None
    assert out["fouten"] == [] and out["signalen"] == []


@pytest.mark.parametrize(
    ("facts", "dates"),
    [
        # the 2022-01-01 switch
        (
            {"plicht_start": "2021-12-31", "brp_vestiging": "2022-01-10"},
            {
                "TERMIJN_START": "2022-01-01",
                "TERMIJN_EINDE": "2024-12-31",
                "PVT_UITERLIJK": "2023-01-10",
                "PIP_UITERLIJK": None,
            },
        ),
        (
            {
                "plicht_start": "2022-01-01",
                "kennisgeving_duo": "2022-01-05",
                "brp_vestiging": "2022-01-10",
                "pip_dagtekening": "2022-03-01",
            },
            {
                "TERMIJN_START": "2022-03-02",
                "TERMIJN_EINDE": "2025-03-01",
                "PVT_UITERLIJK": "2025-03-01",
                "PIP_UITERLIJK": "2022-03-21",
            },
        ),
        # 29 February
        (
            {"plicht_start": "2023-11-01", "pip_dagtekening": "2024-02-29"},
            {
                "TERMIJN_START": "2024-03-01",
                "TERMIJN_EINDE": "2027-02-28",
                "PVT_UITERLIJK": "2027-02-28",
            },
        ),
        (
            {"plicht_start": "2020-02-29", "brp_vestiging": "2020-02-29"},
            {"TERMIJN_EINDE": "2023-02-28", "PVT_UITERLIJK": "2021-02-28"},
        ),
        # month ends
        (
            {
                "plicht_start": "2023-11-01",
                "pip_dagtekening": "2024-01-31",
                "verlengingen": [{"maanden": 1}],
            },
            {"TERMIJN_EINDE": "2027-02-28"},
        ),
        (
            {
                "plicht_start": "2019-01-31",
                "verlengingen": [{"maanden": 1}, {"maanden": 12, "alfabetisering": True}],
            },
            {"TERMIJN_EINDE": "2023-02-28"},
        ),
        # a later PIP version never gives the termijn
        (
            {
                "plicht_start": "2022-03-01",
                "pip_dagtekening": "2023-01-10",
                "eerste_pip": False,
                "leerroute": "B1",
                "niveau": "A2",
            },
            {"TERMIJN_START": None, "TERMIJN_EINDE": None, "PVT_UITERLIJK": None},
        ),
        # ontzorgen edge dates
        (
            {
                "plicht_start": "2023-01-01",
                "doelgroep": "asielstatushouder",
                "bijstand_start": "2024-08-31",
            },
            {"ONTZORGEN_EINDE": "2025-02-27"},
        ),
        (
            {
                "plicht_start": "2023-01-01",
                "doelgroep": "asielstatushouder",
                "bijstand_start": "2023-09-01",
                "bijstand_einde": "2023-10-31",
            },
            {"ONTZORGEN_EINDE": "2023-10-31"},
        ),
        (
            {
                "plicht_start": "2023-01-01",
                "doelgroep": "gezinsmigrant",
                "bijstand_start": "2023-09-01",
            },
            {"ONTZORGEN_EINDE": None},
        ),
        ({"plicht_start": "2023-01-01", "bijstand_start": "2023-09-01"}, {"ONTZORGEN_EINDE": None}),
        (
            {
                "plicht_start": "2021-06-01",
                "doelgroep": "asielstatushouder",
                "bijstand_start": "2021-09-01",
            },
            {"ONTZORGEN_EINDE": None},
        ),  # Wi2013: no ontzorgen
        # third-party info is not an input: PIP deadline is the plain 10 weeks
        (
            {
                "plicht_start": "2023-11-01",
                "kennisgeving_duo": "2023-12-25",
                "brp_vestiging": "2023-12-01",
            },
            {"PIP_UITERLIJK": "2024-03-04"},
        ),
    ],
)
def test_calculate_dates(facts: dict[str, Any], dates: dict[str, str | None]) -> None:
    out = _calc(facts)
    got = _dates(out)
    assert {code: got[code] for code in dates} == dates


@pytest.mark.parametrize(
    ("score", "datum", "uitslag", "signal"),
    [
        (29, "2023-04-11", "niet_haalbaar", True),
        (28, "2023-04-12", "haalbaar", False),
        (31, "2023-04-11", "haalbaar", False),
        (27, "2023-04-12", "niet_haalbaar", False),
    ],
)
def test_calculate_lbt(score: int, datum: str, uitslag: str, signal: bool) -> None:
    out = _calc(
        {
            "plicht_start": "2023-01-01",
            "lbt_score": score,
            "lbt_datum": datum,
            "peildatum": "2023-06-01",
        }
    )
    assert out["lbt_uitslag"] == uitslag
    assert [s["code"] for s in out["signalen"]] == (["LBT_HERBEOORDELEN"] if signal else [])


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"leerroute": "onderwijs", "niveau": "A2"}, ["PIP_ONDERWIJS_A2"]),
        ({"leerroute": "Z", "niveau": "B1"}, ["PIP_Z_B1"]),
        ({"leerroute": "B1", "niveau": "A2"}, ["PIP_B1_A2_EERSTE"]),
        ({"leerroute": "B1", "niveau": "A2", "eerste_pip": False}, []),
        (
            {"pip_dagtekening": "2022-02-28", "brp_vestiging": None, "leerroute": "B1"},
            ["PIP_VOOR_PLICHT"],
        ),
        ({"pip_dagtekening": "2022-05-01", "leerroute": "B1"}, ["PIP_VOOR_VESTIGING"]),
        ({"plicht_start": "2021-06-01", "leerroute": "B1"}, ["PIP_NIET_VAN_TOEPASSING"]),
        ({"verlengingen": [{"maanden": 6, "alfabetisering": True}]}, ["VERLENGING_ALFA_WI2021"]),
        (
            {
                "plicht_start": "2021-06-01",
                "pip_dagtekening": None,
                "leerroute": None,
                "verlengingen": [{"maanden": 25, "alfabetisering": True}],
            },
            ["VERLENGING_ALFA_TE_LANG"],
        ),
        (
            {
                "plicht_start": "2021-06-01",
                "pip_dagtekening": None,
                "leerroute": None,
                "verlengingen": [
                    {"maanden": 6, "alfabetisering": True},
                    {"maanden": 6, "alfabetisering": True},
                ],
            },
            ["VERLENGING_ALFA_TWEEDE"],
        ),
        ({"bijstand_einde": "2022-05-01"}, ["BIJSTAND_EINDE_VOOR_START"]),
    ],
)
def test_calculate_fouten(changes: dict[str, Any], codes: list[str]) -> None:
    out = _calc({**FULL, **changes})
    assert [f["code"] for f in out["fouten"]] == codes
    assert all(f["melding"] for f in out["fouten"])
    if any(code.startswith("VERLENGING") for code in codes):
        assert out["datums"]["TERMIJN_EINDE"]["datum"] is None
    if "BIJSTAND_EINDE_VOOR_START" in codes:
        assert out["datums"]["ONTZORGEN_EINDE"]["datum"] is None


def test_calculate_late_pip_is_explained() -> None:
    out = _calc({**FULL, "pip_dagtekening": "2022-07-15"})
    assert "te laat" in out["datums"]["PIP_UITERLIJK"]["toelichting"]


@pytest.mark.parametrize(
    ("peildatum", "codes"),
    [
        ("2022-06-26", []),
        ("2022-06-27", ["PIP_BIJNA"]),
        ("2022-07-12", ["PIP_TE_LAAT"]),
        ("2022-10-02", ["PIP_TE_LAAT", "ONTZORGEN_EINDIGT"]),
    ],
)
def test_calculate_signals_without_pip(peildatum: str, codes: list[str]) -> None:
    facts = {**FULL, "pip_dagtekening": None, "lbt_score": None, "peildatum": peildatum}
    out = _calc(facts)
    assert [s["code"] for s in out["signalen"]] == codes


def test_calculate_accepts_date_objects_and_nulls() -> None:
    out = _calc(
        {
            "plicht_start": D(2022, 3, 1),
            "pip_dagtekening": D(2022, 7, 15),
            "doelgroep": None,
            "verlengingen": None,
            "eerste_pip": None,
        }
    )
    assert out["datums"]["TERMIJN_EINDE"]["datum"] == "2025-07-15"


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({}, "PLICHT_START_ONTBREEKT"),
        ({"plicht_start": None}, "PLICHT_START_ONTBREEKT"),
        ({"plicht_start": "2022-02-30"}, "DATUM_ONGELDIG"),
        ({"plicht_start": "01-02-2022"}, "DATUM_ONGELDIG"),
        ({"plicht_start": "20220101"}, "DATUM_ONGELDIG"),
        ({"plicht_start": "2022-01-01T10:00:00"}, "DATUM_ONGELDIG"),
        ({"plicht_start": 20220101}, "DATUM_ONGELDIG"),
        ({"plicht_start": "2022-01-01", "peildatum": "morgen"}, "DATUM_ONGELDIG"),
        ({"plicht_start": "2022-01-01", "doelgroep": "statushouder"}, "WAARDE_ONBEKEND"),
        ({"plicht_start": "2022-01-01", "leerroute": "b1"}, "WAARDE_ONBEKEND"),
        ({"plicht_start": "2022-01-01", "niveau": "C1"}, "WAARDE_ONBEKEND"),
        ({"plicht_start": "2022-01-01", "eerste_pip": "ja"}, "WAARDE_ONBEKEND"),
        ({"plicht_start": "2022-01-01", "verlengingen": {"maanden": 6}}, "VERLENGINGEN_ONGELDIG"),
        ({"plicht_start": "2022-01-01", "verlengingen": [6]}, "VERLENGINGEN_ONGELDIG"),
        ({"plicht_start": "2022-01-01", "verlengingen": [{"jaren": 1}]}, "VERLENGINGEN_ONGELDIG"),
        (
            {"plicht_start": "2022-01-01", "verlengingen": [{"maanden": 6, "reden": "ziek"}]},
            "VERLENGINGEN_ONGELDIG",
        ),
        (
            {
                "plicht_start": "2022-01-01",
                "verlengingen": [{"maanden": 6, "alfabetisering": "ja"}],
            },
            "VERLENGINGEN_ONGELDIG",
        ),
        ({"plicht_start": "2022-01-01", "verlengingen": [{"maanden": "6"}]}, "GETAL_ONGELDIG"),
        ({"plicht_start": "2022-01-01", "verlengingen": [{"maanden": 0}]}, "GETAL_ONGELDIG"),
        ({"plicht_start": "2022-01-01", "verlengingen": [{"maanden": True}]}, "GETAL_ONGELDIG"),
        (
            {"plicht_start": "2022-01-01", "lbt_score": 41, "lbt_datum": "2023-05-01"},
            "GETAL_ONGELDIG",
        ),
        (
            {"plicht_start": "2022-01-01", "lbt_score": 28.0, "lbt_datum": "2023-05-01"},
            "GETAL_ONGELDIG",
        ),
        ({"plicht_start": "2022-01-01", "lbt_score": 28}, "LBT_DATUM_ONTBREEKT"),
        ({"plicht_start": "2022-01-01", "onbekend_veld": 1}, "VELD_ONBEKEND"),
    ],
)
def test_calculate_bad_input(facts: dict[str, Any], code: str) -> None:
    with pytest.raises(RekenhulpInputError) as exc:
        _calc(facts)
    assert isinstance(exc.value, ValueError)
    assert code in [e.code for e in exc.value.errors]
    assert all(e.melding for e in exc.value.errors)
    assert code in str(exc.value)


@pytest.mark.parametrize("facts", [["plicht_start"], "2022-01-01", None, 42])
def test_calculate_rejects_non_object(facts: Any) -> None:
    with pytest.raises(RekenhulpInputError) as exc:
        _calc(facts)
    assert exc.value.errors[0].code == "INVOER_ONGELDIG"


def test_calculate_reports_all_input_errors_at_once() -> None:
    with pytest.raises(RekenhulpInputError) as exc:
        _calc({"doelgroep": "x", "leerroute": "y", "brp_vestiging": "2022-13-01"})
    assert sorted(e.code for e in exc.value.errors) == [
        "DATUM_ONGELDIG",
        "PLICHT_START_ONTBREEKT",
        "WAARDE_ONBEKEND",
        "WAARDE_ONBEKEND",
    ]


# --- properties ---

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))


@given(dagtekening=dates, extensions=st.lists(st.integers(1, 36), max_size=4))
def test_termijn_end_property(dagtekening: date, extensions: list[int]) -> None:
    start = rules.termijn_start(pip_dagtekening=dagtekening).value
    end = rules.termijn_end(
        wet=Wet.WI2021,
        plicht_start=D(2022, 1, 1),
        pip_dagtekening=dagtekening,
        extensions_months=extensions,
    ).value
    assert end is not None
    assert end >= start + relativedelta(years=3) - timedelta(days=1)
    assert end <= dagtekening + relativedelta(years=3, months=sum(extensions))
    plain = rules.termijn_end(
        wet=Wet.WI2021, plicht_start=D(2022, 1, 1), pip_dagtekening=dagtekening
    ).value
    assert plain is not None and end >= plain


@given(start=dates, length=st.integers(0, 400))
def test_ontzorgen_window_property(start: date, length: int) -> None:
    bijstand_end = start + timedelta(days=length)
    last = rules.ontzorgen_window(bijstand_start=start, bijstand_end=bijstand_end).value
    assert start <= last <= bijstand_end
    assert last < start + relativedelta(months=6)
    assert last >= start + relativedelta(months=6) - timedelta(days=4) or last == bijstand_end


@given(score=st.integers(0, 40), test_date=dates)
def test_lbt_outcome_is_monotone(score: int, test_date: date) -> None:
    result = rules.lbt_outcome(score=score, test_date=test_date)
    if result.value is LbtUitslag.HAALBAAR and score < 40:
        assert rules.lbt_outcome(score=score + 1, test_date=test_date).value is LbtUitslag.HAALBAAR
    assert result.review is (test_date < D(2023, 4, 12) and 28 <= score <= 30)


# --- CaseFacts: one typed contract ---


@pytest.mark.parametrize(
    ("doelgroep", "detail", "expected"),
    [
        ("asielstatushouder", "asielstatushouder", Doelgroep.ASIELSTATUSHOUDER),
        ("asielstatushouder", "gezinsvormer_asiel", Doelgroep.ASIELSTATUSHOUDER),
        ("gezinsmigrant", "gezinshereniger", Doelgroep.GEZINSMIGRANT),
        ("gezinsmigrant", "gezinsvormer", Doelgroep.GEZINSMIGRANT),
        ("gezinsmigrant", "gezinshereniger_asiel", Doelgroep.GEZINSMIGRANT),
        ("gezinsmigrant", "geestelijk_bedienaar", Doelgroep.OVERIG),
        ("gezinsmigrant", "overig", Doelgroep.OVERIG),
        (None, None, Doelgroep.ASIELSTATUSHOUDER),
    ],
)
def test_doelgroep_class(doelgroep: str | None, detail: str | None, expected: Doelgroep) -> None:
    assert rules.doelgroep_class(doelgroep=doelgroep, gedetailleerde_doelgroep=detail) is expected


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([], None),
        ([(D(2022, 1, 1), None)], 0),
        ([(D(2022, 1, 1), D(2024, 2, 28)), (D(2024, 2, 29), None)], 1),
        # an open period wins over a closed one that started later
        ([(D(2024, 2, 29), D(2024, 3, 31)), (D(2023, 4, 12), None)], 1),
        # all closed: the one that started last
        ([(D(2022, 1, 1), D(2022, 1, 31)), (D(2022, 2, 1), D(2022, 2, 28))], 1),
    ],
)
def test_current_period(periods: list[tuple[date, date | None]], expected: int | None) -> None:
    found = rules.current_period(periods, start=lambda p: p[0], end=lambda p: p[1])
    assert found == (periods[expected] if expected is not None else None)


def _case_facts(**changes: Any) -> rules.CaseFacts:
    values: dict[str, Any] = {
        "plicht_start": D(2023, 4, 12),
        "kennisgeving": None,
        "vestiging": D(2024, 2, 29),
        "third_party_info_received": None,
        "periods": [
            rules.PeriodFact(
                "asielstatushouder", "asielstatushouder", D(2023, 4, 12), D(2024, 1, 31)
            ),
            rules.PeriodFact("gezinsmigrant", "gezinsvormer", D(2024, 2, 1)),
        ],
        "pips": [
            rules.PipFact(2, D(2024, 8, 31), "Z", "A2"),
            rules.PipFact(1, D(2024, 5, 31), "B1", "B1"),
        ],
        "extensions": [
            rules.ExtensionFact(D(2025, 3, 1), 3),
            rules.ExtensionFact(D(2025, 1, 31), 6),
        ],
    }
    return rules.facts_of_case(**{**values, **changes})


def test_facts_of_case_takes_first_pip_last_route_and_current_doelgroep() -> None:
    facts = _case_facts()
    assert facts.wet is Wet.WI2021
    assert facts.doelgroep is Doelgroep.GEZINSMIGRANT
    assert facts.pip_dagtekening == D(2024, 5, 31)  # the first version starts the termijn
    assert (facts.leerroute, facts.niveau) == (Leerroute.Z, Niveau.A2)  # the last version
    assert facts.extensions == (6, 3)  # in the order DUO decided
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.plicht_start = D(2022, 1, 1)  # type: ignore[misc]


def test_calculate_returns_typed_results_per_date() -> None:
    dates = rules.calculate(_case_facts())
    assert dates.wet is Wet.WI2021
    # No kennisgeving: the plicht start (12 April 2023) counts; the vestiging is later.
    assert dates.pip_uiterlijk.value == D(2024, 5, 9)
    assert "start van de inburgeringsplicht (12 april 2023)" in dates.pip_uiterlijk.toelichting
    assert "Dat is te laat" in dates.pip_uiterlijk.toelichting
    assert dates.termijn_start.value == D(2024, 6, 1)
    # 31 May 2024 + 3 years, + 6 months = 30 November 2027, + 3 months = 29 February 2028.
    assert dates.termijn_einde.value == D(2028, 2, 29)
    assert dates.pvt_uiterlijk.value == D(2028, 2, 29)
    assert dates.ontzorgen_einde.value is None
    assert list(dates.datums()) == CODES
    assert dates.as_json()["datums"]["PIP_UITERLIJK"]["datum"] == "2024-05-09"


def test_rekenhulp_and_case_facts_give_the_same_dates() -> None:
    facts = _case_facts(periods=[], pips=[rules.PipFact(1, D(2024, 5, 31), "B1", "B1")])
    same = rules.facts_from_rekenhulp(
        {
            "plicht_start": "2023-04-12",
            "doelgroep": "asielstatushouder",
            "brp_vestiging": "2024-02-29",
            "pip_dagtekening": "2024-05-31",
            "leerroute": "B1",
            "niveau": "B1",
            "verlengingen": [{"maanden": 6}, {"maanden": 3}],
        }
    )
    assert same == facts
    assert rules.calculate(same) == rules.calculate(facts)


def test_wi2013_case_has_no_pip_deadline_whatever_the_dates() -> None:
    facts = _case_facts(plicht_start=D(2021, 12, 31), pips=[], kennisgeving=D(2022, 1, 1))
    assert facts.wet is Wet.WI2013
    assert rules.pip_deadline_of(facts).value is None
    # 31 December 2021 + 3 years = 31 December 2024, + 6 months = 30 June, + 3 = 30 September.
    assert rules.termijn_end_of(facts).value == D(2025, 9, 30)


# --- Workflow, doelgroep pairs, PIP versions, one extension bound, one level order ---


@pytest.mark.parametrize(
    ("van", "naar", "code"),
    [
        ("aangemeld", "intake", None),
        ("intake", "pip", None),
        ("pip", "voldaan", None),
        ("pip", "beeindigd", None),
        ("aangemeld", "pip", "STATUS_OVERGANG"),  # no PIP without a brede intake
        ("intake", "voldaan", "STATUS_OVERGANG"),
        ("pip", "intake", "STATUS_OVERGANG"),
        ("voldaan", "pip", "STATUS_OVERGANG"),  # closing statuses are final
        ("beeindigd", "aangemeld", "STATUS_OVERGANG"),
    ],
)
def test_status_transition(van: str, naar: str, code: str | None) -> None:
    error = rules.status_transition(van=van, naar=naar)
    assert (error.code if error else None) == code
    if error:
        assert "De status kan niet van" in error.melding


@pytest.mark.parametrize(
    ("on", "since", "code"),
    [
        (D(2024, 2, 29), D(2024, 2, 29), None),
        (D(2024, 2, 28), D(2024, 2, 29), "STATUS_DATUM_VOOR_VORIGE"),
        (D(2022, 1, 1), D(2021, 12, 31), None),
    ],
)
def test_status_date(on: date, since: date, code: str | None) -> None:
    error = rules.status_date_validate(on=on, status_since=since)
    assert (error.code if error else None) == code


@pytest.mark.parametrize(
    ("doelgroep", "detail", "code"),
    [
        ("asielstatushouder", "gezinsvormer_asiel", None),
        ("gezinsmigrant", "gezinsvormer_asiel", None),
        ("gezinsmigrant", "geestelijk_bedienaar", None),
        ("asielstatushouder", "gezinshereniger", "DOELGROEP_DETAIL"),
        ("asielstatushouder", "overig", "DOELGROEP_DETAIL"),
        ("overig", "overig", "DOELGROEP_ONBEKEND"),
    ],
)
def test_doelgroep_validate(doelgroep: str, detail: str, code: str | None) -> None:
    error = rules.doelgroep_validate(doelgroep=doelgroep, gedetailleerde_doelgroep=detail)
    assert (error.code if error else None) == code


@pytest.mark.parametrize(
    ("wet", "status", "dagtekening", "intake", "code"),
    [
        (Wet.WI2021, "intake", D(2024, 2, 29), D(2024, 2, 29), None),
        (Wet.WI2021, "pip", D(2024, 2, 29), None, None),
        (Wet.WI2013, "intake", D(2021, 12, 31), None, "PIP_WI2013"),
        (Wet.WI2021, "aangemeld", D(2022, 1, 1), None, "PIP_VOOR_INTAKE"),
        (Wet.WI2021, "voldaan", D(2022, 1, 1), None, "PIP_VOOR_INTAKE"),
        (Wet.WI2021, "intake", D(2024, 3, 1), None, "PIP_IN_TOEKOMST"),  # today is 29 Feb
        (Wet.WI2021, "intake", D(2024, 2, 28), D(2024, 2, 29), "PIP_VOOR_INTAKE_START"),
    ],
)
def test_pip_preconditions(
    wet: Wet, status: str, dagtekening: date, intake: date | None, code: str | None
) -> None:
    error = rules.pip_preconditions(
        wet=wet,
        status=status,
        dagtekening=dagtekening,
        today=D(2024, 2, 29),
        intake_started_on=intake,
    )
    assert (error.code if error else None) == code


@pytest.mark.parametrize(
    ("reason", "first", "expected", "code"),
    [
        ("wijziging", True, "eerste", None),  # the first PIP is always the first
        ("eerste", True, "eerste", None),
        ("eerste", False, "eerste", "PIP_REDEN_ONTBREEKT"),
        ("verhuizing", False, "verhuizing", None),
    ],
)
def test_pip_reason(reason: str, first: bool, expected: str, code: str | None) -> None:
    chosen, error = rules.pip_reason(reason=reason, first_pip=first)
    assert chosen == expected
    assert (error.code if error else None) == code


@pytest.mark.parametrize(
    ("reason", "leerroute", "niveau", "previous", "on", "hours", "codes"),
    [
        ("wijziging", "B1", "B1", "B1", D(2024, 2, 29), 0, []),
        ("verhuizing", "Z", "A2", "B1", D(2024, 2, 29), 0, ["LEERROUTE_GELIJK"]),
        ("schakelen", "Z", "A2", "B1", D(2023, 7, 12), 0, []),
        # termijn from 2022-01-13: switching is allowed up to and including 2023-07-12
        ("schakelen", "Z", "A2", "B1", D(2023, 7, 13), 0, ["SCHAKELEN_TE_LAAT"]),
        ("schakelen", "B1", "B1", "B1", D(2022, 3, 1), 0, ["GEEN_SCHAKEL"]),
        ("afschalen", "B1", "A2", "B1", D(2024, 2, 29), 600, []),
        ("afschalen", "B1", "A2", "B1", D(2024, 2, 29), 599.5, ["AFSCHALEN_NIET_TOEGESTAAN"]),
        ("afschalen", "B1", "B1", "B1", D(2024, 2, 29), 600, ["AFSCHALEN_NIVEAU"]),
        (
            "afschalen",
            "Z",
            "",
            "Z",
            D(2024, 2, 29),
            900,
            ["AFSCHALEN_NIET_TOEGESTAAN", "AFSCHALEN_NIVEAU"],
        ),
    ],
)
def test_pip_version_validate(
    reason: str,
    leerroute: str,
    niveau: str,
    previous: str,
    on: date,
    hours: float,
    codes: list[str],
) -> None:
    errors = rules.pip_version_validate(
        reason=reason,
        leerroute=leerroute,
        niveau=niveau,
        previous_leerroute=previous,
        termijn_start=D(2022, 1, 13),
        dagtekening=on,
        course_hours=hours,
    )
    assert [e.code for e in errors] == codes


@pytest.mark.parametrize(
    ("months", "ok"), [(0, False), (1, True), (24, True), (60, True), (61, False), (120, False)]
)
def test_one_extension_bound(months: int, ok: bool) -> None:
    error = rules.extension_months_error(months)
    assert (error is None) is ok
    if error is not None:
        assert error.code == "VERLENGING_ONGELDIG"
    wi2021 = rules.extensions_validate(wet=Wet.WI2021, extensions_months=[months])
    assert (wi2021 == []) is ok
    facts = {"plicht_start": "2022-01-01", "verlengingen": [{"maanden": months}]}
    if ok:
        assert rules.facts_from_rekenhulp(facts).extensions == (months,)
    else:
        with pytest.raises(RekenhulpInputError) as raised:
            rules.facts_from_rekenhulp(facts)
        assert [e.code for e in raised.value.errors] == ["GETAL_ONGELDIG"]


def test_one_level_order() -> None:
    assert [rules.level_rank(level) for level in ("A0", "A1", "A2", "B1", "B2", "C1")] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert rules.level_rank(None) == rules.level_rank("X") == 0

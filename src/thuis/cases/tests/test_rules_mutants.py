"""Table tests that kill the mutants `make mutants` found alive in cases/rules.py (docs/quality.md).

Each rule is checked on its boundary (the last day that still counts, the first that does not)
and on its whole result: value, grondslag and the Dutch toelichting a user reads.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from thuis.cases import rules
from thuis.cases.rules import (
    LANGUAGE_COMPONENTS,
    Examenonderdeel,
    Leerroute,
    Niveau,
    RuleError,
    RuleResult,
    Wet,
)

SWITCH = "Interpretatie Thuis (18 maanden, Divosa-handreiking; niet getoetst aan de wettekst)"


@pytest.mark.parametrize(
    ("termijn_start", "on", "ok", "last", "word"),
    [
        (date(2024, 2, 29), date(2025, 8, 28), True, "28 augustus 2025", "nog"),
        (date(2024, 2, 29), date(2025, 8, 29), False, "28 augustus 2025", "niet meer"),
        (date(2022, 1, 1), date(2023, 6, 30), True, "30 juni 2023", "nog"),
        (date(2022, 1, 1), date(2023, 7, 1), False, "30 juni 2023", "niet meer"),
    ],
)
def test_route_switch_allowed(
    termijn_start: date, on: date, ok: bool, last: str, word: str
) -> None:
    assert rules.route_switch_allowed(termijn_start=termijn_start, on=on) == RuleResult(
        ok,
        SWITCH,
        f"Wisselen van leerroute kan tot en met {last} (18 maanden na de start van de termijn "
        f"op {rules.nl_date(termijn_start)}). Op {rules.nl_date(on)} kan dat {word}.",
        review=True,
    )


def test_route_switch_allowed_with_other_months() -> None:
    result = rules.route_switch_allowed(
        termijn_start=date(2024, 1, 31), on=date(2024, 2, 28), months=1
    )
    assert result.value is True
    assert result.grondslag.startswith("Interpretatie Thuis (1 maanden,")
    assert "tot en met 28 februari 2024 (1 maanden na" in result.toelichting


@pytest.mark.parametrize(
    ("hours", "ok", "tail"),
    [
        (
            600,
            True,
            " Afschalen kan, als de gemeente ook vindt dat de inburgeraar genoeg moeite "
            "heeft gedaan.",
        ),
        (599.5, False, " Afschalen kan nog niet."),
        (0, False, " Afschalen kan nog niet."),
    ],
)
def test_afschalen_allowed_in_the_b1_route(hours: float, ok: bool, tail: str) -> None:
    assert rules.afschalen_allowed(leerroute=Leerroute.B1, course_hours=hours) == RuleResult(
        ok,
        "Bi2021 art. 5.5",
        f"Er zijn {hours:g} uur NT2-les gevolgd. Nodig is minstens 600 uur bij een school met "
        f"keurmerk.{tail}",
    )


@pytest.mark.parametrize("leerroute", [Leerroute.Z, Leerroute.ONDERWIJS])
def test_afschalen_only_in_the_b1_route(leerroute: Leerroute) -> None:
    assert rules.afschalen_allowed(leerroute=leerroute, course_hours=900) == RuleResult(
        False, "Bi2021 art. 5.5", "Afschalen naar A2 kan alleen in de B1-route."
    )


@pytest.mark.parametrize(
    ("leerroute", "expected"),
    [
        (
            Leerroute.ONDERWIJS,
            RuleResult(
                False, "Wi2021 art. 8 lid 3", "In de onderwijsroute is de MAP niet verplicht."
            ),
        ),
        (Leerroute.B1, RuleResult(True, "Wi2021 art. 8", "In de B1-route is de MAP verplicht.")),
        (Leerroute.Z, RuleResult(True, "Wi2021 art. 8", "In de Z-route is de MAP verplicht.")),
    ],
)
def test_map_required(leerroute: Leerroute, expected: RuleResult[bool]) -> None:
    assert rules.map_required(leerroute=leerroute) == expected


ALL_B1 = {part: "B1" for part in LANGUAGE_COMPONENTS}
GRONDSLAG_2021 = "Wi2021 art. 8; Bi2021 art. 3.14"
DONE = "Alle onderdelen zijn gedaan. De plicht is voldaan."


def _missing(*items: str) -> str:
    return f"Nog niet voldaan. Nog nodig: {', '.join(items)}."


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # Wi2021 B1-route: four exams at B1, KNM, PVT and MAP
        (
            {
                "leerroute": Leerroute.B1,
                "exams_passed": ALL_B1,
                "knm_passed": True,
                "pvt_done": True,
                "map_done": True,
            },
            RuleResult(True, GRONDSLAG_2021, DONE),
        ),
        (
            {
                "leerroute": Leerroute.B1,
                "exams_passed": {**ALL_B1, Examenonderdeel.SPREKEN: "B2"},
                "knm_passed": True,
                "pvt_done": True,
                "map_done": True,
            },
            RuleResult(True, GRONDSLAG_2021, DONE),
        ),
        (
            {
                "leerroute": Leerroute.B1,
                "exams_passed": {**ALL_B1, Examenonderdeel.LEZEN: "A2"},
                "knm_passed": False,
                "pvt_done": False,
                "map_done": False,
            },
            RuleResult(
                False,
                GRONDSLAG_2021,
                _missing("examen lezen op B1", "examen KNM", "participatieverklaring (PVT)", "MAP"),
            ),
        ),
        # afgeschaald to A2: A2 is enough
        (
            {
                "leerroute": Leerroute.B1,
                "niveau": Niveau.A2,
                "exams_passed": {part: "A2" for part in LANGUAGE_COMPONENTS},
                "knm_passed": True,
                "pvt_done": True,
                "map_done": True,
            },
            RuleResult(True, GRONDSLAG_2021, DONE),
        ),
        # onderwijsroute: taalschakeltraject and PVT, no MAP
        (
            {
                "leerroute": Leerroute.ONDERWIJS,
                "exams_passed": {},
                "knm_passed": False,
                "taalschakeltraject_done": True,
                "pvt_done": True,
            },
            RuleResult(True, GRONDSLAG_2021, DONE),
        ),
        (
            {"leerroute": Leerroute.ONDERWIJS, "exams_passed": {}, "knm_passed": False},
            RuleResult(
                False,
                GRONDSLAG_2021,
                _missing("taalschakeltraject", "participatieverklaring (PVT)"),
            ),
        ),
        # Z-route: the route, PVT and MAP
        (
            {
                "leerroute": Leerroute.Z,
                "exams_passed": {},
                "knm_passed": False,
                "z_route_done": True,
                "pvt_done": True,
                "map_done": True,
            },
            RuleResult(True, GRONDSLAG_2021, DONE),
        ),
        (
            {"leerroute": Leerroute.Z, "exams_passed": {}, "knm_passed": False, "pvt_done": True},
            RuleResult(False, GRONDSLAG_2021, _missing("Z-route", "MAP")),
        ),
        # no PIP yet
        (
            {"leerroute": None, "exams_passed": {}, "knm_passed": False, "pvt_done": True},
            RuleResult(False, GRONDSLAG_2021, _missing("leerroute (nog geen PIP)")),
        ),
        (
            {
                "leerroute": Leerroute.B1,
                "exams_passed": {},
                "knm_passed": False,
                "vrijgesteld_of_ontheven": True,
            },
            RuleResult(
                True,
                "Wi2021 art. 5",
                "Er is een diploma, vrijstelling of ontheffing. De plicht is voorbij.",
            ),
        ),
    ],
)
def test_plicht_voldaan_wi2021(kwargs: dict[str, object], expected: RuleResult[bool]) -> None:
    kwargs = {"niveau": None, **kwargs}
    result = rules.plicht_voldaan(wet=Wet.WI2021, plicht_start=date(2022, 1, 1), **kwargs)  # type: ignore[arg-type]
    assert result == expected


ALL_A2 = {part: "A2" for part in LANGUAGE_COMPONENTS}


@pytest.mark.parametrize(
    ("plicht_start", "kwargs", "expected"),
    [
        # before 2015: A2 exams and KNM only
        (
            date(2014, 12, 31),
            {"exams_passed": ALL_A2, "knm_passed": True},
            RuleResult(True, "Wi2013 art. 7", DONE),
        ),
        # from 1 January 2015 ONA, from 1 October 2017 PVT too
        (
            date(2015, 1, 1),
            {"exams_passed": ALL_A2, "knm_passed": True},
            RuleResult(False, "Wi2013 art. 7", _missing("ONA")),
        ),
        (
            date(2017, 9, 30),
            {"exams_passed": ALL_A2, "knm_passed": True, "ona_done": True},
            RuleResult(True, "Wi2013 art. 7", DONE),
        ),
        (
            date(2017, 10, 1),
            {"exams_passed": ALL_A2, "knm_passed": True, "ona_done": True},
            RuleResult(False, "Wi2013 art. 7", _missing("participatieverklaring (PVT)")),
        ),
        (
            date(2017, 10, 1),
            {
                "exams_passed": {},
                "knm_passed": False,
                "pvt_done": True,
                "ona_done": True,
                "leerroute": Leerroute.Z,
                "map_done": False,
            },
            RuleResult(
                False,
                "Wi2013 art. 7",
                _missing(*(f"examen {p.value} op A2" for p in LANGUAGE_COMPONENTS), "examen KNM"),
            ),
        ),
        (
            date(2016, 1, 1),
            {"exams_passed": {}, "knm_passed": False, "vrijgesteld_of_ontheven": True},
            RuleResult(
                True,
                "Wi2013 art. 5",
                "Er is een diploma, vrijstelling of ontheffing. De plicht is voorbij.",
            ),
        ),
    ],
)
def test_plicht_voldaan_wi2013(
    plicht_start: date, kwargs: dict[str, object], expected: RuleResult[bool]
) -> None:
    kwargs = {"leerroute": None, "niveau": None, **kwargs}
    result = rules.plicht_voldaan(wet=Wet.WI2013, plicht_start=plicht_start, **kwargs)  # type: ignore[arg-type]
    assert result == expected


MAPVT = "DUO-koppelvlak MAP, PVT en Z-route (verwijtbaar)"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            date(2025, 5, 1),
            RuleResult(
                "Ja",
                MAPVT,
                "De termijn is voorbij (30 april 2025). Geef door of het te laat klaar zijn "
                "verwijtbaar is: Ja.",
            ),
        ),
        (
            date(2025, 4, 30),
            RuleResult(
                "Nee",
                MAPVT,
                "De termijn eindigt binnen 2 maanden (30 april 2025). Geef door: verwijtbaar Nee.",
            ),
        ),
        (
            date(2025, 2, 28),
            RuleResult(
                "Nee",
                MAPVT,
                "De termijn eindigt binnen 2 maanden (30 april 2025). Geef door: verwijtbaar Nee.",
            ),
        ),
        (
            date(2025, 2, 27),
            RuleResult(
                None,
                MAPVT,
                "De termijn eindigt op 30 april 2025, later dan over 2 maanden. "
                "Geef 'verwijtbaar' niet door.",
            ),
        ),
    ],
)
def test_mapvt_verwijtbaarheid(today: date, expected: RuleResult[str | None]) -> None:
    assert rules.mapvt_verwijtbaarheid(termijn_end=date(2025, 4, 30), today=today) == expected


BEFORE = RuleError(
    "DATUM_VOOR_TERMIJN", "De datum ligt vóór de start van de termijn (1 maart 2024)."
)
FUTURE = RuleError("DATUM_IN_TOEKOMST", "De datum ligt in de toekomst.")
AFTER_Z = RuleError(
    "DATUM_NA_Z_ROUTE", "De datum ligt na de afronding van de Z-route (1 mei 2025)."
)


@pytest.mark.parametrize(
    ("datum", "z_done", "expected"),
    [
        (date(2024, 3, 1), None, []),  # the first day of the termijn counts
        (date(2024, 2, 29), None, [BEFORE]),
        (date(2025, 6, 2), None, []),  # today counts
        (date(2025, 6, 3), None, [FUTURE]),
        (date(2025, 5, 1), date(2025, 5, 1), []),  # the day of the Z-route counts
        (date(2025, 5, 2), date(2025, 5, 1), [AFTER_Z]),
        (date(2025, 6, 3), date(2025, 5, 1), [FUTURE, AFTER_Z]),
    ],
)
def test_mapvt_date_validate(datum: date, z_done: date | None, expected: list[RuleError]) -> None:
    assert (
        rules.mapvt_date_validate(
            datum=datum,
            termijn_start=date(2024, 3, 1),
            today=date(2025, 6, 2),
            z_route_done_on=z_done,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("plicht_end", "years", "until", "text"),
    [
        (
            date(2024, 2, 29),
            5,
            date(2029, 2, 28),
            "29 februari 2024. Bewaar de gegevens 5 jaar: tot en met 28 februari 2029.",
        ),
        (
            date(2023, 4, 12),
            5,
            date(2028, 4, 12),
            "12 april 2023. Bewaar de gegevens 5 jaar: tot en met 12 april 2028.",
        ),
        (
            date(2022, 1, 1),
            7,
            date(2029, 1, 1),
            "1 januari 2022. Bewaar de gegevens 7 jaar: tot en met 1 januari 2029.",
        ),
    ],
)
def test_retention_until(plicht_end: date, years: int, until: date, text: str) -> None:
    assert rules.retention_until(plicht_end=plicht_end, years=years) == RuleResult(
        until, "Wi2021 bewaartermijn (artikel niet bevestigd)", f"De plicht eindigde op {text}"
    )


def test_retention_defaults_to_five_years() -> None:
    assert rules.retention_until(plicht_end=date(2022, 1, 1)).value == date(2027, 1, 1)


Z = "Bi2021 art. 3.14"
Z_ASIEL = "Nodig voor de Z-route: 800 uur les, 800 uur participatie en een eindgesprek."
Z_GEZIN = "Nodig voor de Z-route: 800 uur les en een eindgesprek."


@pytest.mark.parametrize(
    ("doelgroep", "les", "participatie", "eindgesprek", "expected"),
    [
        (
            rules.Doelgroep.ASIELSTATUSHOUDER,
            800,
            800,
            True,
            RuleResult(True, Z, f"{Z_ASIEL} Alles is gedaan."),
        ),
        (
            rules.Doelgroep.ASIELSTATUSHOUDER,
            799.5,
            100,
            False,
            RuleResult(
                False,
                Z,
                f"{Z_ASIEL} Nog nodig: 0.5 uur les (NT2 en KNM), 700 uur participatie, "
                "het eindgesprek.",
            ),
        ),
        (
            rules.Doelgroep.ASIELSTATUSHOUDER,
            800,
            799,
            True,
            RuleResult(False, Z, f"{Z_ASIEL} Nog nodig: 1 uur participatie."),
        ),
        # gezinsmigranten: no participation hours
        (
            rules.Doelgroep.GEZINSMIGRANT,
            800,
            0,
            True,
            RuleResult(True, Z, f"{Z_GEZIN} Alles is gedaan."),
        ),
        (
            rules.Doelgroep.OVERIG,
            0,
            0,
            True,
            RuleResult(False, Z, f"{Z_GEZIN} Nog nodig: 800 uur les (NT2 en KNM)."),
        ),
        (
            rules.Doelgroep.GEZINSMIGRANT,
            800,
            0,
            False,
            RuleResult(False, Z, f"{Z_GEZIN} Nog nodig: het eindgesprek."),
        ),
    ],
)
def test_z_route_complete(
    doelgroep: rules.Doelgroep,
    les: float,
    participatie: float,
    eindgesprek: bool,
    expected: RuleResult[bool],
) -> None:
    assert (
        rules.z_route_complete(
            doelgroep=doelgroep,
            nt2_knm_hours=les,
            participation_hours=participatie,
            eindgesprek=eindgesprek,
        )
        == expected
    )


def test_termijn_start_wi2013_is_the_day_after_the_plicht_start() -> None:
    assert rules.termijn_start_wi2013(plicht_start=date(2016, 2, 28)) == RuleResult(
        date(2016, 2, 29),
        "Wi2013 art. 7; Interpretatie Thuis",
        "De inburgeringsplicht begon op 28 februari 2016. De termijn van 3 jaar telt vanaf de "
        "dag erna: 29 februari 2016.",
    )


def test_rule_input_error_joins_code_and_message() -> None:
    error = rules.RuleInputError([RuleError("A", "eerste"), RuleError("B", "tweede")])
    assert str(error) == "A: eerste; B: tweede"
    assert [e.code for e in error.errors] == ["A", "B"]


@pytest.mark.parametrize(
    ("score", "codes"), [(40, []), (41, ["GETAL_ONGELDIG"]), (-1, ["GETAL_ONGELDIG"])]
)
def test_the_lbt_score_may_be_the_maximum(score: int, codes: list[str]) -> None:
    facts = {"plicht_start": "2023-04-12", "lbt_score": score, "lbt_datum": "2023-05-01"}
    if not codes:
        assert _rekenhulp(facts)["lbt_uitslag"] == "haalbaar"
        return
    with pytest.raises(rules.RekenhulpInputError) as exc:
        _rekenhulp(facts)
    assert [e.code for e in exc.value.errors] == codes


PIP = {
    "leerroute": Leerroute.B1,
    "niveau": Niveau.B1,
    "first_pip": True,
    "doelgroep": rules.Doelgroep.ASIELSTATUSHOUDER,
    "dagtekening": date(2024, 3, 1),
    "plicht_start": date(2024, 1, 10),
    "vestiging": None,
    "previous_dagtekening": None,
    "geschatte_intensiteit_b1": None,
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        (
            {"leerroute": Leerroute.ONDERWIJS, "niveau": Niveau.A2},
            [RuleError("PIP_ONDERWIJS_A2", "De onderwijsroute kan niet met niveau A2.")],
        ),
        (
            {"leerroute": Leerroute.Z, "niveau": Niveau.B1},
            [RuleError("PIP_Z_B1", "De Z-route kan niet met niveau B1.")],
        ),
        (
            {"niveau": Niveau.A2},
            [
                RuleError(
                    "PIP_B1_A2_EERSTE",
                    "Niveau A2 in de B1-route mag niet in de eerste PIP. "
                    "Afschalen naar A2 kan pas later.",
                )
            ],
        ),
        ({"niveau": Niveau.A2, "first_pip": False}, []),
        (
            {"dagtekening": date(2024, 1, 9)},
            [
                RuleError(
                    "PIP_VOOR_PLICHT",
                    "De dagtekening (9 januari 2024) ligt vóór de start van de plicht "
                    "(10 januari 2024).",
                )
            ],
        ),
        ({"dagtekening": date(2024, 1, 10), "vestiging": date(2024, 1, 10)}, []),
        (
            {"vestiging": date(2024, 3, 2)},
            [
                RuleError(
                    "PIP_VOOR_VESTIGING",
                    "De dagtekening (1 maart 2024) ligt vóór de vestiging in de gemeente "
                    "(2 maart 2024).",
                )
            ],
        ),
        (
            {"previous_dagtekening": date(2024, 3, 2), "first_pip": False},
            [
                RuleError(
                    "PIP_VOOR_VORIGE",
                    "De dagtekening (1 maart 2024) ligt vóór de dagtekening van de vorige PIP "
                    "(2 maart 2024).",
                )
            ],
        ),
        ({"previous_dagtekening": date(2024, 3, 1), "first_pip": False}, []),
        ({"geschatte_intensiteit_b1": 1}, []),
        ({"geschatte_intensiteit_b1": 9999}, []),
        (
            {"geschatte_intensiteit_b1": 0},
            [
                RuleError(
                    "PIP_INTENSITEIT_BEREIK",
                    "Het geschatte aantal uren voor de B1-route moet tussen 1 en 9999 liggen.",
                )
            ],
        ),
        (
            {"geschatte_intensiteit_b1": 10000},
            [
                RuleError(
                    "PIP_INTENSITEIT_BEREIK",
                    "Het geschatte aantal uren voor de B1-route moet tussen 1 en 9999 liggen.",
                )
            ],
        ),
        (
            {"geschatte_intensiteit_b1": 500, "doelgroep": rules.Doelgroep.GEZINSMIGRANT},
            [
                RuleError(
                    "PIP_INTENSITEIT_NIET_TOEGESTAAN",
                    "Het geschatte aantal uren voor de B1-route vult u alleen in bij een "
                    "asielstatushouder in de B1-route.",
                )
            ],
        ),
        (
            {"geschatte_intensiteit_b1": 500, "leerroute": Leerroute.Z, "niveau": None},
            [
                RuleError(
                    "PIP_INTENSITEIT_NIET_TOEGESTAAN",
                    "Het geschatte aantal uren voor de B1-route vult u alleen in bij een "
                    "asielstatushouder in de B1-route.",
                )
            ],
        ),
    ],
)
def test_pip_validate_messages(changes: dict[str, object], expected: list[RuleError]) -> None:
    assert rules.pip_validate(**{**PIP, **changes}) == expected  # type: ignore[arg-type]


ONTZORGEN = "Participatiewet art. 56a"


def test_ontzorgen_applies_names_every_reason_it_does_not() -> None:
    result = rules.ontzorgen_applies(
        doelgroep=rules.Doelgroep.GEZINSMIGRANT,
        permit_asiel_bepaalde_tijd=False,
        recht_op_bijstand=False,
        inburgeringsplichtig=False,
        wet=Wet.WI2013,
    )
    assert result == RuleResult(
        False,
        ONTZORGEN,
        "Ontzorgen geldt niet. Reden: de persoon valt niet onder de Wi2021; de persoon is niet "
        "inburgeringsplichtig; de persoon is geen asielstatushouder; de persoon heeft geen "
        "vergunning asiel bepaalde tijd; de persoon heeft geen recht op bijstand.",
    )


def test_ontzorgen_applies_to_an_asielstatushouder_with_bijstand() -> None:
    result = rules.ontzorgen_applies(
        doelgroep=rules.Doelgroep.ASIELSTATUSHOUDER,
        permit_asiel_bepaalde_tijd=True,
        recht_op_bijstand=True,
        inburgeringsplichtig=True,
    )
    assert result == RuleResult(
        True,
        ONTZORGEN,
        "Ontzorgen is verplicht: de persoon is inburgeringsplichtig, asielstatushouder met "
        "vergunning asiel bepaalde tijd en heeft recht op bijstand.",
    )


def test_signal_messages() -> None:
    today = date(2025, 3, 3)
    out = rules.signals(
        today=today,
        termijn_end=date(2025, 3, 2),
        ontzorgen_end=date(2025, 3, 31),
        progress_since=date(2024, 9, 3),
        lbt_review_date=date(2023, 4, 12),
    )
    assert [(s.code, s.datum, s.melding) for s in out] == [
        (
            rules.SignaalCode.TERMIJN_VERLOPEN,
            date(2025, 3, 2),
            "De inburgeringstermijn is voorbij. De laatste dag was 2 maart 2025.",
        ),
        (
            rules.SignaalCode.ONTZORGEN_EINDIGT,
            date(2025, 3, 31),
            "Ontzorgen stopt na 31 maart 2025. Bespreek hoe de persoon zelf gaat betalen.",
        ),
        (
            rules.SignaalCode.VOORTGANG_GESPREK,
            date(2025, 3, 3),
            "Plan een voortgangsgesprek. Het vorige gesprek of de PIP was op 3 september 2024.",
        ),
        (
            rules.SignaalCode.LBT_HERBEOORDELEN,
            date(2023, 4, 12),
            "Bekijk de uitslag van de leerbaarheidstoets opnieuw. Met de grens van nu is de "
            "B1-route wel haalbaar.",
        ),
    ]


def test_no_pvt_signal_unless_the_pvt_is_known_to_be_open() -> None:
    today = date(2025, 3, 3)
    assert rules.signals(today=today, pvt_deadline=date(2025, 4, 1)) == []
    assert [
        s.code for s in rules.signals(today=today, pvt_deadline=date(2025, 4, 1), pvt_open=True)
    ] == [rules.SignaalCode.PVT_OPEN]


PIP_DEADLINE = "Wi2021 art. 15; Bi2021 art. 5.3"
WAIT = " nog niet bekend. De 10 weken voor de PIP beginnen pas met de kennisgeving van DUO."
TEN_WEEKS = "klaar zijn: uiterlijk 11 april 2024."
NO_VESTIGING = (
    "De datum van de vestiging in de BRP is niet bekend. Thuis rekent met de kennisgeving van "
    "DUO: daarmee zijn de 10 weken begonnen. Is de persoon later in de gemeente ingeschreven, "
    "dan schuift de datum op. "
)


def _no_kennisgeving(plicht_start: str) -> str:
    return (
        "De datum van de kennisgeving van DUO is niet bekend. Thuis rekent daarom met de start "
        f"van de inburgeringsplicht ({plicht_start}): eerder kan de kennisgeving niet zijn. "
    )


FROM_PLICHT = (
    "De PIP moet 10 weken na de start van de inburgeringsplicht (29 februari 2024) klaar zijn: "
    "uiterlijk 9 mei 2024."
)


@pytest.mark.parametrize(
    ("kennisgeving", "vestiging", "plicht", "deadline", "text"),
    [
        # only the kennisgeving: 10 weeks after it (it starts the 10 weeks)
        (
            date(2024, 2, 29),
            None,
            date(2024, 1, 10),
            date(2024, 5, 9),
            f"{NO_VESTIGING}De PIP moet 10 weken na de kennisgeving van DUO (29 februari 2024) "
            "klaar zijn: uiterlijk 9 mei 2024.",
        ),
        # only the vestiging: the start of the plicht stands in for the kennisgeving
        (
            None,
            date(2024, 1, 10),
            date(2024, 2, 29),
            date(2024, 5, 9),
            f"{_no_kennisgeving('29 februari 2024')}{FROM_PLICHT}",
        ),
        # the same day: the start of the plicht counts
        (
            None,
            date(2024, 2, 29),
            date(2024, 2, 29),
            date(2024, 5, 9),
            f"{_no_kennisgeving('29 februari 2024')}{FROM_PLICHT}",
        ),
        (
            None,
            date(2024, 2, 29),
            date(2024, 2, 28),
            date(2024, 5, 9),
            f"{_no_kennisgeving('28 februari 2024')}De PIP moet 10 weken na de vestiging in de "
            "BRP (29 februari 2024) klaar zijn: uiterlijk 9 mei 2024.",
        ),
        # no start of the plicht to fall back on, or neither date: not known
        (None, date(2024, 1, 10), None, None, f"De datum van de kennisgeving van DUO is{WAIT}"),
        (
            None,
            None,
            date(2024, 1, 10),
            None,
            f"De datums van de kennisgeving van DUO en van de vestiging in de BRP zijn{WAIT}",
        ),
    ],
)
def test_pip_deadline_fallbacks(
    kennisgeving: date | None,
    vestiging: date | None,
    plicht: date | None,
    deadline: date | None,
    text: str,
) -> None:
    """docs/rekenhulp.md, "When a date is missing": each fallback, and the toelichting saying it."""
    result = rules.pip_deadline(
        kennisgeving_duo=kennisgeving, brp_vestiging=vestiging, plicht_start=plicht
    )
    assert result == RuleResult(deadline, PIP_DEADLINE, text)


@pytest.mark.parametrize(
    ("kennisgeving", "vestiging", "derden", "expected"),
    [
        (
            date(2024, 1, 10),
            date(2024, 2, 1),
            None,
            RuleResult(
                date(2024, 4, 11),
                PIP_DEADLINE,
                f"De PIP moet 10 weken na de vestiging in de BRP (1 februari 2024) {TEN_WEEKS}",
            ),
        ),
        (
            date(2024, 2, 1),
            date(2024, 1, 10),
            None,
            RuleResult(
                date(2024, 4, 11),
                PIP_DEADLINE,
                f"De PIP moet 10 weken na de kennisgeving van DUO (1 februari 2024) {TEN_WEEKS}",
            ),
        ),
        # information from third parties two weeks before the deadline: nothing moves
        (
            date(2024, 2, 1),
            date(2024, 2, 1),
            date(2024, 3, 28),
            RuleResult(
                date(2024, 4, 11),
                PIP_DEADLINE,
                f"De PIP moet 10 weken na de kennisgeving van DUO (1 februari 2024) {TEN_WEEKS}",
            ),
        ),
        (
            date(2024, 2, 1),
            date(2024, 2, 1),
            date(2024, 3, 29),
            RuleResult(
                date(2024, 4, 12),
                PIP_DEADLINE,
                f"De PIP moet 10 weken na de kennisgeving van DUO (1 februari 2024) {TEN_WEEKS}"
                " De gemeente wachtte op informatie van anderen. Die kwam op 29 maart 2024. "
                "Daarom is de uiterste datum 2 weken later: 12 april 2024.",
            ),
        ),
    ],
)
def test_pip_deadline_texts(
    kennisgeving: date | None,
    vestiging: date | None,
    derden: date | None,
    expected: RuleResult[date | None],
) -> None:
    result = rules.pip_deadline(
        kennisgeving_duo=kennisgeving, brp_vestiging=vestiging, third_party_info_received=derden
    )
    assert result == expected


ONTZORGEN_EINDE = {"datum": None, "grondslag": ONTZORGEN}


@pytest.mark.parametrize(
    ("facts", "expected", "fouten"),
    [
        (
            {},
            {**ONTZORGEN_EINDE, "toelichting": "De startdatum van de bijstand is niet bekend."},
            [],
        ),
        (
            {"bijstand_start": "2024-03-01"},
            {
                **ONTZORGEN_EINDE,
                "toelichting": "Vul de doelgroep in. "
                "Ontzorgen geldt alleen voor asielstatushouders.",
            },
            [],
        ),
        (
            {"bijstand_start": "2024-03-01", "doelgroep": "gezinsmigrant"},
            {
                **ONTZORGEN_EINDE,
                "toelichting": "Ontzorgen geldt niet. Reden: de persoon is geen asielstatushouder; "
                "de persoon heeft geen vergunning asiel bepaalde tijd.",
            },
            [],
        ),
        (
            {"bijstand_start": "2024-03-01", "doelgroep": "asielstatushouder"},
            {
                "datum": "2024-08-31",
                "grondslag": ONTZORGEN,
                "toelichting": "De bijstand begon op 1 maart 2024. De gemeente betaalt 6 maanden "
                "de vaste lasten: tot en met 31 augustus 2024. De rekenhulp neemt aan dat de "
                "persoon een verblijfsvergunning asiel bepaalde tijd heeft.",
            },
            [],
        ),
        (
            {
                "bijstand_start": "2024-03-01",
                "bijstand_einde": "2024-02-01",
                "doelgroep": "asielstatushouder",
            },
            {**ONTZORGEN_EINDE, "toelichting": "Het einde van de bijstand ligt vóór de start."},
            ["BIJSTAND_EINDE_VOOR_START"],
        ),
    ],
)
def test_rekenhulp_ontzorgen(
    facts: dict[str, str], expected: dict[str, object], fouten: list[str]
) -> None:
    out = _rekenhulp({"plicht_start": "2024-01-10", **facts})
    assert out["datums"]["ONTZORGEN_EINDE"] == expected  # type: ignore[index]
    assert [f["code"] for f in out["fouten"]] == fouten  # type: ignore[attr-defined]


def _rekenhulp(invoer: object) -> dict[str, object]:
    """The rekenhulp's answer through the typed contract: input -> CaseFacts -> LegalDates."""
    return rules.calculate(rules.facts_from_rekenhulp(invoer)).as_json()  # type: ignore[arg-type]


GOLDEN = Path(__file__).with_name("rekenhulp_golden.json")


@pytest.mark.parametrize("name", sorted(json.loads(GOLDEN.read_text(encoding="utf-8"))))
def test_rekenhulp_gives_the_recorded_dates_texts_and_errors(name: str) -> None:
    """Whole rekenhulp answers (every date with grondslag and toelichting, or every input error)
    for Wi2021 and Wi2013 cases, 29 February and month ends; checked by hand once."""
    case = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    if "fouten" in case:
        with pytest.raises(rules.RekenhulpInputError) as exc:
            _rekenhulp(case["invoer"])
        assert [{"code": e.code, "melding": e.melding} for e in exc.value.errors] == case["fouten"]
        return
    assert json.loads(json.dumps(_rekenhulp(case["invoer"]))) == case["uitvoer"]


LAW = "Wi2021 overgangsrecht (in werking 1 januari 2022)"


@pytest.mark.parametrize(
    ("plicht_start", "expected"),
    [
        (
            date(2022, 1, 1),
            RuleResult(
                Wet.WI2021,
                LAW,
                "De inburgeringsplicht begon op 1 januari 2022. Dat is op of na 1 januari 2022. "
                "Daarom geldt de Wet inburgering 2021.",
            ),
        ),
        (
            date(2021, 12, 31),
            RuleResult(
                Wet.WI2013,
                LAW,
                "De inburgeringsplicht begon op 31 december 2021. Dat is vóór 1 januari 2022. "
                "Daarom gelden de regels van de Wet inburgering 2013.",
            ),
        ),
    ],
)
def test_law_regime_texts(plicht_start: date, expected: RuleResult[Wet]) -> None:
    assert rules.law_regime(plicht_start=plicht_start) == expected


def test_extensions_without_alfabetisering_are_valid_in_both_laws() -> None:
    assert rules.extensions_validate(wet=Wet.WI2021, extensions_months=[6]) == []
    assert rules.extensions_validate(wet=Wet.WI2013, extensions_months=[6, 12]) == []


LBT = "Wi2021 art. 14; cesuur DUO (31 vóór, 28 vanaf 12 april 2023)"
REVIEW = (
    " Let op: sinds 12 april 2023 is de grens 28. Met deze score is de B1-route nu wel haalbaar. "
    "Bekijk de uitslag opnieuw."
)


@pytest.mark.parametrize(
    ("score", "day", "uitslag", "text", "review"),
    [
        (
            29,
            date(2023, 4, 11),
            "niet_haalbaar",
            "De grens was toen 31. De B1-route is niet haalbaar.",
            True,
        ),
        (
            31,
            date(2023, 4, 11),
            "haalbaar",
            "De grens was toen 31. De B1-route is haalbaar.",
            False,
        ),
        (
            28,
            date(2023, 4, 12),
            "haalbaar",
            "De grens was toen 28. De B1-route is haalbaar.",
            False,
        ),
        (
            27,
            date(2023, 4, 12),
            "niet_haalbaar",
            "De grens was toen 28. De B1-route is niet haalbaar.",
            False,
        ),
    ],
)
def test_lbt_outcome_texts(score: int, day: date, uitslag: str, text: str, review: bool) -> None:
    result = rules.lbt_outcome(score=score, test_date=day)
    assert result == RuleResult(
        rules.LbtUitslag(uitslag),
        LBT,
        f"Score {score} van 40 op {rules.nl_date(day)}. {text}" + (REVIEW if review else ""),
        review=review,
    )


@pytest.mark.parametrize("score", [-1, 41])
def test_lbt_outcome_refuses_a_score_outside_0_to_40(score: int) -> None:
    with pytest.raises(rules.RuleInputError) as exc:
        rules.lbt_outcome(score=score, test_date=date(2023, 4, 12))
    assert [e.code for e in exc.value.errors] == ["LBT_SCORE_ONGELDIG"]
    assert exc.value.errors == [
        RuleError(
            "LBT_SCORE_ONGELDIG",
            "De score van de leerbaarheidstoets moet een heel getal van 0 tot en met 40 zijn.",
        )
    ]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"wet": Wet.WI2021, "pip_dagtekening": None},
            RuleResult(
                None,
                "Wi2021 art. 11",
                "Er is nog geen eerste PIP. De termijn begint pas na de dagtekening van de eerste "
                "PIP.",
            ),
        ),
        (
            {"wet": Wet.WI2021, "pip_dagtekening": date(2024, 2, 29)},
            RuleResult(
                date(2027, 2, 28),
                "Wi2021 art. 11",
                "Dagtekening eerste PIP 29 februari 2024 plus 3 jaar is 28 februari 2027. De "
                "inburgeringstermijn loopt tot en met 28 februari 2027.",
            ),
        ),
        (
            {
                "wet": Wet.WI2013,
                "pip_dagtekening": None,
                "extensions_months": [1],
                "alfabetisering_months": 24,
            },
            RuleResult(
                date(2026, 2, 28),
                "Wi2013 art. 7",
                "Start inburgeringsplicht 31 januari 2021 plus 3 jaar is 31 januari 2024. "
                "Verlenging van 1 maanden: nieuwe laatste dag 29 februari 2024. Verlenging voor "
                "alfabetisering van 24 maanden: nieuwe laatste dag 28 februari 2026. De "
                "inburgeringstermijn loopt tot en met 28 februari 2026.",
            ),
        ),
        (
            {"wet": Wet.WI2013, "pip_dagtekening": None},
            RuleResult(
                date(2024, 1, 31),
                "Wi2013 art. 7",
                "Start inburgeringsplicht 31 januari 2021 plus 3 jaar is 31 januari 2024. De "
                "inburgeringstermijn loopt tot en met 31 januari 2024.",
            ),
        ),
    ],
)
def test_termijn_end_texts(kwargs: dict[str, object], expected: RuleResult[date | None]) -> None:
    plicht = date(2021, 1, 31) if kwargs["wet"] is Wet.WI2013 else date(2022, 1, 1)
    assert rules.termijn_end(plicht_start=plicht, **kwargs) == expected  # type: ignore[arg-type]


def test_calendar_arithmetic_adds_days_too() -> None:
    assert rules._add(date(2024, 2, 28), days=1) == date(2024, 2, 29)
    assert rules._add(date(2024, 2, 29), years=1) == date(2025, 2, 28)


# --- Law that moved from the services into rules (typed contract); table tests of their own ---


@pytest.mark.parametrize(
    ("leerroute", "niveau", "expected"),
    [
        ("B1", "A2", "A2"),
        ("B1", None, "B1"),
        ("onderwijs", "", "B1"),
        ("Z", None, None),
        ("Z", "A2", "A2"),
    ],
)
def test_taaldoel(leerroute: str, niveau: str | None, expected: str | None) -> None:
    assert rules.taaldoel(leerroute=leerroute, niveau=niveau) == expected


@pytest.mark.parametrize(
    ("van", "naar", "melding"),
    [
        ("aangemeld", "intake", None),
        ("intake", "pip", None),
        ("pip", "voldaan", None),
        ("aangemeld", "beeindigd", None),
        ("pip", "ontheven", None),
        (
            "aangemeld",
            "pip",
            "De status kan niet van 'Aangemeld (gekoppeld, nog geen intake)' naar "
            "'PIP vastgesteld, in uitvoering'.",
        ),
        (
            "voldaan",
            "intake",
            "De status kan niet van 'Inburgeringsplicht voldaan' naar 'Brede intake'.",
        ),
        # an unknown status is named as it is
        ("onbekend", "later", "De status kan niet van 'onbekend' naar 'later'."),
    ],
)
def test_status_transition(van: str, naar: str, melding: str | None) -> None:
    expected = None if melding is None else RuleError("STATUS_OVERGANG", melding)
    assert rules.status_transition(van=van, naar=naar) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 2, 29), None),
        (date(2024, 3, 1), None),
        (
            date(2024, 2, 28),
            RuleError("STATUS_DATUM_VOOR_VORIGE", "De datum ligt vóór de vorige statuswijziging."),
        ),
    ],
)
def test_status_date_validate(on: date, expected: RuleError | None) -> None:
    assert rules.status_date_validate(on=on, status_since=date(2024, 2, 29)) == expected


DETAIL = RuleError("DOELGROEP_DETAIL", "De gedetailleerde doelgroep past niet bij de doelgroep.")


@pytest.mark.parametrize(
    ("doelgroep", "detail", "expected"),
    [
        ("asielstatushouder", "gezinsvormer_asiel", None),
        ("gezinsmigrant", "gezinsvormer_asiel", None),
        ("gezinsmigrant", "overig", None),
        ("asielstatushouder", "overig", DETAIL),
        ("gezinsmigrant", "asielstatushouder", DETAIL),
        ("overig", "overig", RuleError("DOELGROEP_ONBEKEND", "Onbekende doelgroep.")),
    ],
)
def test_doelgroep_validate(doelgroep: str, detail: str, expected: RuleError | None) -> None:
    assert (
        rules.doelgroep_validate(doelgroep=doelgroep, gedetailleerde_doelgroep=detail) == expected
    )


INTAKE_START = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, None),
        ({"status": "pip"}, None),
        ({"dagtekening": date(2024, 6, 3)}, None),  # today counts
        ({"dagtekening": INTAKE_START}, None),  # the day the intake started counts
        ({"intake_started_on": None, "dagtekening": date(2024, 1, 1)}, None),
        (
            {"wet": Wet.WI2013},
            RuleError("PIP_WI2013", "Een PIP hoort bij de Wet inburgering 2021."),
        ),
        (
            {"status": "aangemeld"},
            RuleError(
                "PIP_VOOR_INTAKE",
                "Een PIP kan pas worden vastgesteld na de start van de brede intake.",
            ),
        ),
        (
            {"status": "voldaan"},
            RuleError(
                "PIP_VOOR_INTAKE",
                "Een PIP kan pas worden vastgesteld na de start van de brede intake.",
            ),
        ),
        (
            {"dagtekening": date(2024, 6, 4)},
            RuleError("PIP_IN_TOEKOMST", "De dagtekening kan niet in de toekomst liggen."),
        ),
        (
            {"dagtekening": date(2024, 2, 29)},
            RuleError(
                "PIP_VOOR_INTAKE_START", "De dagtekening ligt vóór de start van de brede intake."
            ),
        ),
    ],
)
def test_pip_preconditions(changes: dict[str, object], expected: RuleError | None) -> None:
    kwargs: dict[str, object] = {
        "wet": Wet.WI2021,
        "status": "intake",
        "dagtekening": date(2024, 4, 1),
        "today": date(2024, 6, 3),
        "intake_started_on": INTAKE_START,
        **changes,
    }
    assert rules.pip_preconditions(**kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reason", "first_pip", "expected"),
    [
        ("wijziging", True, ("eerste", None)),
        ("eerste", True, ("eerste", None)),
        ("schakelen", False, ("schakelen", None)),
        (
            "eerste",
            False,
            (
                "eerste",
                RuleError(
                    "PIP_REDEN_ONTBREEKT", "Kies de reden voor deze nieuwe versie van de PIP."
                ),
            ),
        ),
    ],
)
def test_pip_reason(reason: str, first_pip: bool, expected: tuple[str, RuleError | None]) -> None:
    assert rules.pip_reason(reason=reason, first_pip=first_pip) == expected


TERMIJN_START = date(2024, 2, 29)
SWITCH_LATE = (
    "Wisselen van leerroute kan tot en met 28 augustus 2025 (18 maanden na de start van de "
    "termijn op 29 februari 2024). Op 29 augustus 2025 kan dat niet meer."
)
AFSCHALEN_SHORT = (
    "Er zijn 599 uur NT2-les gevolgd. Nodig is minstens 600 uur bij een school met keurmerk. "
    "Afschalen kan nog niet."
)
NIVEAU = RuleError("AFSCHALEN_NIVEAU", "Afschalen betekent: B1-route houden, niveau A2.")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        # schakelen: another leerroute, at the latest 18 months after the start of the termijn
        ({"reason": "schakelen", "leerroute": "Z", "dagtekening": date(2025, 8, 28)}, []),
        (
            {"reason": "schakelen", "dagtekening": date(2025, 8, 29)},
            [
                RuleError("GEEN_SCHAKEL", "Bij schakelen verandert de leerroute."),
                RuleError("SCHAKELEN_TE_LAAT", SWITCH_LATE),
            ],
        ),
        # afschalen: the B1-route stays, niveau A2, after 600 hours
        ({"reason": "afschalen", "niveau": "A2", "course_hours": 600}, []),
        (
            {"reason": "afschalen", "niveau": "B1", "course_hours": 599},
            [RuleError("AFSCHALEN_NIET_TOEGESTAAN", AFSCHALEN_SHORT), NIVEAU],
        ),
        ({"reason": "afschalen", "leerroute": "Z", "niveau": "A2", "course_hours": 600}, [NIVEAU]),
        # any other reason keeps the leerroute
        (
            {"reason": "verhuizing", "leerroute": "onderwijs"},
            [
                RuleError(
                    "LEERROUTE_GELIJK",
                    "De leerroute verandert alleen bij schakelen. Bij verhuizing blijft hij "
                    "gelijk.",
                )
            ],
        ),
    ],
)
def test_pip_version_validate(changes: dict[str, object], expected: list[RuleError]) -> None:
    kwargs: dict[str, object] = {
        "reason": "wijziging",
        "leerroute": "B1",
        "niveau": "B1",
        "previous_leerroute": "B1",
        "termijn_start": TERMIJN_START,
        "dagtekening": date(2024, 6, 3),
        "course_hours": 0,
        **changes,
    }
    assert rules.pip_version_validate(**kwargs) == expected  # type: ignore[arg-type]


def test_facts_of_case_takes_each_recorded_value() -> None:
    facts = rules.facts_of_case(
        plicht_start=date(2022, 1, 1),
        kennisgeving=date(2022, 1, 3),
        vestiging=date(2022, 2, 1),
        third_party_info_received=date(2022, 4, 1),
        periods=[
            # the open period is current, even when a closed one started later
            rules.PeriodFact("gezinsmigrant", "gezinsvormer", date(2022, 1, 1)),
            rules.PeriodFact(
                "asielstatushouder", "asielstatushouder", date(2022, 5, 1), date(2022, 6, 1)
            ),
        ],
        pips=[
            rules.PipFact(2, date(2022, 6, 1), "B1", "A2"),
            rules.PipFact(1, date(2022, 3, 15), "Z"),
        ],
        extensions=[
            rules.ExtensionFact(date(2023, 6, 1), 3),
            rules.ExtensionFact(date(2023, 1, 1), 6),
            rules.ExtensionFact(date(2023, 2, 1), 12, alfabetisering=True),
        ],
        lbt=(30, date(2023, 4, 12)),
        bijstand=(date(2022, 2, 1), date(2022, 12, 31)),
        today=date(2024, 2, 29),
    )
    assert facts == rules.CaseFacts(
        plicht_start=date(2022, 1, 1),
        doelgroep=rules.Doelgroep.GEZINSMIGRANT,
        kennisgeving_duo=date(2022, 1, 3),
        brp_vestiging=date(2022, 2, 1),
        third_party_info_received=date(2022, 4, 1),
        pip_dagtekening=date(2022, 3, 15),
        eerste_pip=True,
        leerroute=Leerroute.B1,
        niveau=Niveau.A2,
        extensions=(6, 3),
        alfabetisering=(12,),
        bijstand_start=date(2022, 2, 1),
        bijstand_einde=date(2022, 12, 31),
        lbt_score=30,
        lbt_datum=date(2023, 4, 12),
        peildatum=date(2024, 2, 29),
    )


def test_calculate_moves_the_pip_deadline_for_information_from_others() -> None:
    facts = rules.CaseFacts(
        plicht_start=date(2024, 1, 10),
        kennisgeving_duo=date(2024, 2, 1),
        brp_vestiging=date(2024, 2, 1),
        third_party_info_received=date(2024, 3, 29),
    )
    assert rules.calculate(facts).pip_uiterlijk == RuleResult(
        date(2024, 4, 12),
        PIP_DEADLINE,
        f"De PIP moet 10 weken na de kennisgeving van DUO (1 februari 2024) {TEN_WEEKS}"
        " De gemeente wachtte op informatie van anderen. Die kwam op 29 maart 2024. "
        "Daarom is de uiterste datum 2 weken later: 12 april 2024.",
    )


@pytest.mark.parametrize("niveau", ["A1", "B2"])
def test_the_rekenhulp_takes_only_the_niveaus_of_a_pip(niveau: str) -> None:
    with pytest.raises(rules.RekenhulpInputError) as exc:
        rules.facts_from_rekenhulp({"plicht_start": "2022-01-01", "niveau": niveau})
    assert [(e.code, e.melding) for e in exc.value.errors] == [
        ("WAARDE_ONBEKEND", "'niveau' heeft een onbekende waarde. Kies uit: A2, B1.")
    ]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({}, []),
        ({"koppeling_date": date(2024, 2, 29), "vestiging_date": date(2024, 2, 29)}, []),
        (
            {"koppeling_date": date(2024, 3, 1), "vestiging_date": date(2024, 2, 29)},
            [("vestiging_date", "VESTIGING_VOOR_KOPPELING")],
        ),
        ({"koppeling_date": date(2024, 3, 1)}, []),
        ({"plicht_start": date(2000, 1, 1), "birth_date": date(2000, 1, 1)}, []),
        (
            {"plicht_start": date(1999, 12, 31), "birth_date": date(2000, 1, 1)},
            [("plicht_start", "PLICHT_VOOR_GEBOORTE")],
        ),
        (
            {
                "plicht_start": date(2021, 12, 31),
                "birth_date": date(2022, 1, 1),
                "koppeling_date": date(2023, 4, 12),
                "vestiging_date": date(2023, 4, 11),
            },
            [
                ("vestiging_date", "VESTIGING_VOOR_KOPPELING"),
                ("plicht_start", "PLICHT_VOOR_GEBOORTE"),
            ],
        ),
    ],
)
def test_case_dates_validate(dates: dict[str, date], expected: list[tuple[str, str]]) -> None:
    problems = rules.case_dates_validate(**dates)
    assert [(name, p.code) for name, p in problems] == expected
    texts = {
        "VESTIGING_VOOR_KOPPELING": "De datum van vestiging ligt vóór de datum van koppeling.",
        "PLICHT_VOOR_GEBOORTE": "De inburgeringsplicht kan niet vóór de geboorte beginnen.",
    }
    assert [p.melding for _, p in problems] == [texts[code] for _, code in expected]

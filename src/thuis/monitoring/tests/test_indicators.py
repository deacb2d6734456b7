"""Every indicator definition on hand-built fact rows with known answers (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from thuis.monitoring import indicators
from thuis.monitoring.rules import (
    ExamInput,
    FactRow,
    Spell,
    add_months,
    age_class,
    build_fact,
    covered_months,
    half_year,
    median,
    participation_6m,
    spell_covers,
)

START = date(2022, 3, 15)


def person(**kw) -> FactRow:
    base = {
        "municipality": "0148",
        "doelgroep": "asielstatushouder",
        "sex": "M",
        "birth_date": date(1990, 1, 1),
        "country_of_birth": "SY",
        "plicht_start": START,
    }
    base.update(kw)
    return build_fact(**base)


def cells(code: str, rows, peildatum: date, per=(), **kw):
    ind = indicators.get(code)
    return {
        tuple(c.keys.get(p, "") for p in (*per, *([ind.inherent] if ind.inherent else []))): (
            c.teller,
            c.noemer,
            c.value,
        )
        for c in indicators.compute(ind, rows, peildatum=peildatum, per=list(per), **kw)
    }


# --- Pure building blocks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "on", "covers"),
    [
        (date(2022, 9, 15), None, date(2022, 9, 15), True),  # starts on the date
        (date(2022, 1, 1), date(2022, 9, 15), date(2022, 9, 15), True),  # ends on the date
        (date(2022, 1, 1), date(2022, 9, 14), date(2022, 9, 15), False),  # ended the day before
        (date(2022, 9, 16), None, date(2022, 9, 15), False),  # starts the day after
        (date(2020, 1, 1), None, date(2030, 1, 1), True),  # open-ended
    ],
)
def test_spell_covers(start, end, on, covers) -> None:
    assert spell_covers(Spell("WERK", start, end), on) is covers


@pytest.mark.parametrize(
    ("d", "expected"),
    [(date(2019, 1, 1), "2019-H1"), (date(2019, 6, 30), "2019-H1"), (date(2019, 7, 1), "2019-H2")],
)
def test_half_year(d, expected) -> None:
    assert half_year(d) == expected


@pytest.mark.parametrize(
    ("age", "cls"), [(17, "0-17"), (18, "18-24"), (24, "18-24"), (64, "55-64"), (65, "65+")]
)
def test_age_class(age, cls) -> None:
    assert age_class(age) == cls


def test_add_months_end_of_month() -> None:
    assert add_months(date(2022, 8, 31), 6) == date(2023, 2, 28)


def test_covered_months_boundaries() -> None:
    spells = [
        Spell("WERK", date(2022, 9, 1), date(2022, 9, 15)),  # ends exactly on start + 6 months
        Spell("BIJSTAND", date(2022, 3, 15), date(2023, 3, 14)),  # ends one day before 12m
        Spell("OPLEIDING", date(2022, 3, 1), None),  # other kinds never count
    ]
    assert covered_months(plicht_start=START, spells=spells) == {"WERK": [6], "BIJSTAND": [6]}


def test_participation_needs_vestiging_and_counts_stage_and_volunteering() -> None:
    v = date(2019, 2, 1)
    assert participation_6m(vestiging=None, spells=[]) is None
    assert participation_6m(vestiging=v, spells=[Spell("STAGE", v, date(2019, 8, 1))]) is True
    assert participation_6m(vestiging=v, spells=[Spell("VRIJWILLIGERSWERK", date(2019, 8, 1))])
    assert participation_6m(vestiging=v, spells=[Spell("OPLEIDING", v)]) is False
    assert participation_6m(vestiging=v, spells=[Spell("WERK", v, date(2019, 7, 31))]) is False


@pytest.mark.parametrize(
    ("values", "m"), [([], None), ([5], 5), ([1, 9, 3], 3), ([4, 1, 3, 2], 2.5)]
)
def test_median(values, m) -> None:
    assert median(values) == m


# --- WERK_{N}M and BIJSTAND_{N}M -----------------------------------------------------------


def test_werk_6m_population_and_boundaries() -> None:
    six = date(2022, 9, 15)
    rows = [
        person(spells=[Spell("WERK", date(2022, 5, 1), six)]),  # ends on the date: counts
        person(spells=[Spell("WERK", six, None)]),  # starts on the date: counts
        person(spells=[Spell("WERK", date(2022, 5, 1), date(2022, 9, 14))]),  # ended before
        person(spells=[]),
        person(doelgroep="gezinsmigrant", spells=[Spell("WERK", START)]),  # not asiel
        person(birth_date=date(2005, 1, 1), spells=[Spell("WERK", START)]),  # 17 at start
        person(birth_date=date(1957, 3, 15), spells=[Spell("WERK", START)]),  # 65 at start
        person(birth_date=date(1957, 3, 16), spells=[Spell("WERK", START)]),  # 64 at start
        person(plicht_start=date(2022, 3, 16), spells=[Spell("WERK", START)]),  # too recent
    ]
    # Peildatum is exactly start + 6 months: that start counts, one day later does not.
    assert cells("WERK_6M", rows, six) == {(): (3, 5, None)}
    assert cells("WERK_6M", rows, six - date.resolution) == {}
    assert cells("WERK_6M", rows, date(2022, 9, 16)) == {(): (4, 6, None)}


def test_werk_and_bijstand_per_month_and_breakdown() -> None:
    rows = [
        person(sex="M", spells=[Spell("WERK", date(2023, 1, 1))]),
        person(sex="V", spells=[Spell("BIJSTAND", START, date(2024, 3, 15))]),
        person(sex="V", plicht_start=date(2021, 5, 1), spells=[Spell("WERK", date(2021, 5, 1))]),
    ]
    peil = date(2024, 6, 1)
    assert cells("WERK_12M", rows, peil, per=["geslacht"]) == {
        ("M",): (1, 1, None),
        ("V",): (1, 2, None),
    }
    assert cells("BIJSTAND_24M", rows, peil, per=["cohort"]) == {
        ("2021",): (0, 1, None),
        ("2022",): (1, 2, None),
    }
    assert cells("WERK_36M", rows, peil, per=["cohort"]) == {("2021",): (1, 1, None)}
    assert set(indicators.CATALOGUE) >= {
        f"{k}_{n}M" for k in ("WERK", "BIJSTAND") for n in (6, 12, 18, 24, 30, 36, 48, 60)
    }


def test_breakdown_values() -> None:
    row = person(sex="O", birth_date=date(2000, 1, 1), country_of_birth="ER", leerroute="Z")
    ind = indicators.get("WERK_6M")
    assert [indicators.breakdown_value(row, b, ind) for b in indicators.ALL_BREAKDOWNS] == [
        "2022",
        "X",
        "18-24",
        "ER",
        "Z",
        "0148",
    ]
    assert indicators.breakdown_value(person(), "leerroute", ind) == "geen PIP"


# --- PARTICIPATIE_6M_VESTIGING --------------------------------------------------------------


def test_participatie_6m_vestiging_dalfsen_cohorts() -> None:
    rows = [
        person(
            vestiging_date=date(2019, 2, 1),
            spells=[Spell("VRIJWILLIGERSWERK", date(2019, 6, 1), date(2019, 8, 1))],
        ),
        person(vestiging_date=date(2019, 6, 30), spells=[Spell("OPLEIDING", date(2019, 7, 1))]),
        person(vestiging_date=date(2019, 7, 1), spells=[Spell("STAGE", date(2020, 1, 1))]),
        person(vestiging_date=None, spells=[Spell("WERK", date(2019, 1, 1))]),
        person(
            vestiging_date=date(2019, 3, 1),
            birth_date=date(2005, 1, 1),
            spells=[Spell("WERK", date(2019, 3, 1))],
        ),  # 17 at plicht start
    ]
    # 1-2-2020 (the Dalfsen measuring date): 2019-H2 (1 July + 6 months = 1 Jan 2020) counts.
    assert cells("PARTICIPATIE_6M_VESTIGING", rows, date(2020, 2, 1), per=["cohort"]) == {
        ("2019-H1",): (1, 2, None),
        ("2019-H2",): (1, 1, None),
    }
    assert cells("PARTICIPATIE_6M_VESTIGING", rows, date(2019, 12, 31), per=["cohort"]) == {
        ("2019-H1",): (1, 2, None),
    }


# --- Throughput medians, brede intake, PIP deadline -----------------------------------------


def test_doorlooptijden_are_medians_of_dated_pairs() -> None:
    rows = [
        person(
            intake_start=START + 10 * date.resolution, first_pip_date=START + 40 * date.resolution
        ),
        person(
            intake_start=START + 20 * date.resolution, first_pip_date=START + 80 * date.resolution
        ),
        person(intake_start=START + 60 * date.resolution),
        person(koppeling_date=date(2022, 1, 1), vestiging_date=date(2022, 4, 1)),
        person(koppeling_date=date(2022, 1, 1), vestiging_date=date(2030, 1, 1)),  # future
    ]
    peil = date(2023, 1, 1)
    assert cells("DOORLOOP_PLICHT_INTAKE", rows, peil) == {(): (None, 3, 20.0)}
    assert cells("DOORLOOP_INTAKE_PIP", rows, peil) == {(): (None, 2, 45.0)}
    assert cells("DOORLOOP_PLICHT_PIP", rows, peil) == {(): (None, 2, 60.0)}
    assert cells("DOORLOOP_KOPPELING_VESTIGING", rows, peil) == {(): (None, 1, 90.0)}
    # The pair counts only when both dates lie on or before the peildatum.
    assert cells("DOORLOOP_INTAKE_PIP", rows, START + 40 * date.resolution) == {(): (None, 1, 30.0)}


def test_intake_gestart() -> None:
    rows = [person(intake_start=date(2022, 5, 1)), person(), person(plicht_start=date(2023, 1, 1))]
    assert cells("INTAKE_GESTART", rows, date(2022, 12, 31)) == {(): (1, 2, None)}
    assert cells("INTAKE_GESTART", rows, date(2022, 5, 1)) == {(): (1, 2, None)}
    assert cells("INTAKE_GESTART", rows, date(2022, 4, 30)) == {(): (0, 2, None)}


WI2021_ONLY_CODES = (
    "INTAKE_GESTART",
    "DOORLOOP_PLICHT_INTAKE",
    "DOORLOOP_INTAKE_PIP",
    "DOORLOOP_PLICHT_PIP",
    "PIP_BINNEN_TERMIJN",
    "LEERROUTE_MIX",
)


def test_brede_intake_and_pip_indicators_leave_wi2013_out() -> None:
    """Issue 14: INTAKE_GESTART counted the Wi2013 cohorts, who never have a brede intake
    (the demo's council report: 55% overall, 94-100% for the Wi2021 cohorts)."""
    peil = date(2024, 12, 31)
    wi2021 = dict(
        regime="Wi2021",
        intake_start=date(2022, 5, 1),
        first_pip_date=date(2022, 6, 1),
        pip_deadline=date(2022, 7, 1),
        leerroute="B1",
    )
    rows = [
        person(**wi2021),
        person(**wi2021),
        person(regime="Wi2013", plicht_start=date(2021, 6, 1)),
        # even with dates filled in (bad migrated data) a Wi2013 case stays out
        person(**{**wi2021, "regime": "Wi2013", "plicht_start": date(2021, 6, 1)}),
    ]
    assert cells("INTAKE_GESTART", rows, peil) == {(): (2, 2, None)}
    assert cells("PIP_BINNEN_TERMIJN", rows, peil) == {(): (2, 2, None)}
    assert cells("DOORLOOP_PLICHT_INTAKE", rows, peil)[()][1] == 2
    assert cells("DOORLOOP_INTAKE_PIP", rows, peil)[()][1] == 2
    assert cells("DOORLOOP_PLICHT_PIP", rows, peil)[()][1] == 2
    assert cells("LEERROUTE_MIX", rows, peil)[("B1",)] == (2, 2, None)
    # Indicators whose subject exists under both laws keep Wi2013.
    assert cells("DOORLOOP_KOPPELING_VESTIGING", rows, peil) == {}
    werk = cells("WERK_6M", rows, peil)
    assert werk[()][1] == 4
    for code in WI2021_ONLY_CODES:
        assert "Wet inburgering 2013" in indicators.get(code).definition, code
    assert "Wet inburgering 2013" not in indicators.get("WERK_6M").definition


def test_pip_within_deadline() -> None:
    deadline = date(2022, 8, 1)
    rows = [
        person(pip_deadline=deadline, first_pip_date=deadline),  # on the deadline: in time
        person(pip_deadline=deadline, first_pip_date=date(2022, 8, 2)),  # one day late
        person(pip_deadline=deadline),  # no PIP, deadline passed
        person(pip_deadline=date(2023, 1, 1)),  # deadline not yet passed: not counted
        person(pip_deadline=date(2023, 1, 1), first_pip_date=date(2022, 7, 1)),  # early PIP
        person(),  # no deadline known
    ]
    assert cells("PIP_BINNEN_TERMIJN", rows, date(2022, 9, 1)) == {(): (2, 4, None)}


# --- Leerroute mix, exams, plicht voldaan ----------------------------------------------------


def test_leerroute_mix_has_every_route() -> None:
    rows = [
        person(leerroute="B1", first_pip_date=date(2022, 6, 1)),
        person(leerroute="B1", first_pip_date=date(2022, 6, 1)),
        person(leerroute="Z", first_pip_date=date(2022, 6, 1)),
        person(leerroute="onderwijs", first_pip_date=date(2023, 6, 1)),  # after peildatum
    ]
    assert cells("LEERROUTE_MIX", rows, date(2022, 12, 31)) == {
        ("B1",): (2, 3, None),
        ("onderwijs",): (0, 3, None),
        ("Z",): (1, 3, None),
    }


def test_exam_pass_rate_and_b1_per_component() -> None:
    rows = [
        person(
            exams=[
                ExamInput("lezen", "A2", date(2023, 1, 10), "geslaagd"),
                ExamInput("lezen", "B1", date(2023, 6, 10), "geslaagd"),
                ExamInput("spreken", "B1", date(2023, 1, 10), "gezakt"),
            ]
        ),
        person(
            exams=[
                ExamInput("lezen", "B1", date(2023, 1, 10), "gezakt"),
                ExamInput("knm", "A2", date(2023, 2, 1), "geslaagd"),
            ]
        ),
    ]
    peil = date(2023, 6, 10)
    assert cells("EXAMEN_GESLAAGD", rows, peil) == {
        ("knm",): (1, 1, None),
        ("lezen",): (1, 2, None),
        ("spreken",): (0, 1, None),
    }
    assert cells("EXAMEN_B1", rows, peil) == {("lezen",): (1, 2, None), ("spreken",): (0, 1, None)}
    assert cells("EXAMEN_B1", rows, date(2023, 6, 9))[("lezen",)] == (0, 2, None)


def test_plicht_voldaan_within_termijn() -> None:
    end = date(2025, 6, 1)
    rows = [
        person(termijn_end=end, plicht_end_date=end, plicht_end_reason="voldaan"),  # on the day
        person(termijn_end=end, plicht_end_date=date(2025, 6, 2), plicht_end_reason="voldaan"),
        person(termijn_end=end),  # termijn over, not voldaan
        person(termijn_end=end, plicht_end_date=date(2024, 1, 1), plicht_end_reason="verhuisd"),
        person(
            termijn_end=date(2027, 1, 1),
            plicht_end_date=date(2025, 1, 1),
            plicht_end_reason="voldaan",
        ),  # early: counts
        person(termijn_end=date(2027, 1, 1)),  # still running: not counted
    ]
    assert cells("PLICHT_VOLDAAN_BINNEN_TERMIJN", rows, date(2025, 7, 1)) == {(): (2, 4, None)}


def test_taakstelling_per_half_year() -> None:
    rows = [
        person(vestiging_date=date(2019, 2, 1)),
        person(vestiging_date=date(2019, 6, 30)),
        person(vestiging_date=date(2019, 7, 1)),
        person(vestiging_date=date(2019, 3, 1), doelgroep="gezinsmigrant"),  # not in quota
    ]
    quotas = {("0148", "2019-H1"): 10, ("0148", "2019-H2"): 10, ("0148", "2020-H1"): 8}
    assert cells("TAAKSTELLING", rows, date(2019, 12, 31), quotas=quotas) == {
        ("2019-H1",): (2, 10, None),
        ("2019-H2",): (1, 10, None),
    }


def test_catalogue_entries_are_complete() -> None:
    for ind in indicators.CATALOGUE.values():
        data = ind.as_dict()
        assert all(
            data[k] for k in ("code", "naam", "definitie", "teller", "noemer", "eenheid", "bron")
        ), ind.code
        assert set(ind.breakdowns) <= set(indicators.ALL_BREAKDOWNS)
        for ref in ind.references:
            assert ref.source and 0 <= ref.value <= 100


@pytest.mark.parametrize(
    ("start", "months"),
    [
        (date(2020, 1, 31), 1),
        (date(2020, 2, 29), 12),
        (date(2019, 8, 31), 6),
        (date(2021, 12, 15), 60),
        (date(2022, 3, 15), 0),
        (date(2023, 11, 30), 3),
    ],
)
def test_add_months_matches_relativedelta(start, months) -> None:
    from dateutil.relativedelta import relativedelta

    assert add_months(start, months) == start + relativedelta(months=months)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 5, 1), date(2022, 4, 30), 31),
        (date(1990, 5, 1), date(2022, 5, 1), 32),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
    ],
)
def test_age_on(birth, on, age) -> None:
    from thuis.monitoring.rules import age_on

    assert age_on(birth_date=birth, on=on) == age

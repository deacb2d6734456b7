"""Deterministic synthetic statushouders for the demo, the tests and benchmarks (`thuis seed`).

Everything goes through the real services (people, cases, partners), so the data obeys the same
rules and writes the same processing-log rows as real work (actor `systeem:seed`, origin
`thuis seed`; persons and households under activity `synthetische-demodata`, the regie under
the activity of each service). Randomness comes only from `random.Random(seed)` streams and
Faker instances seeded with `seed_instance(seed)`; the only clock is the explicit `today`
argument: no date lies after it.

The shape follows ../shared/domain/wet-inburgering.md (cited below as "domain doc"):
yearly inflow (§9.4, §10), country mix per permit year (§9.4), about 60% men among adult
asielmigranten and 68% women among gezinsmigranten (§9.2 Table A), family reunification,
Turkish nationals not plichtig before 2022 (§1.2), gezinsmigranten guided by the gemeente only
under Wi2021 (§1.1), koppeling about 2-8 weeks after the permit and housing 8-20 weeks after
koppeling (§7.1; longer waits from 2022, §9.2).

Modules: `data` (tables), `generator` (households, persons, cases, `generate`), `regie`
(intake, PIP, progress, exams, ontzorgen, end of the plicht; assumptions in its docstring),
`participation` (spells and referrals; shares in its docstring), `demo` (`seed_demo`).
"""

from .data import (
    ACTIVITY,
    BY,
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    DEFAULT_START_YEAR,
    DEMO_CODE,
    DEMO_NAME,
    DEMO_ORGANISATIONS,
    DEMO_OTHER_CODE,
    DEMO_OTHER_NAME,
    DEMO_OTHER_PERSONS,
    DEMO_PASSWORD,
    DEMO_URL,
    DEMO_USERS,
    EARLIEST_START_YEAR,
    FATES,
    INFLOW_TABLE,
    KNOWN_POPULATIONS,
    NAME_POOLS,
    DemoUser,
    NamePool,
)
from .demo import demo_extras, demo_is_seeded, seed_demo, survey_responses
from .generator import (
    Generator,
    Quota,
    SeedResult,
    age_on,
    format_summary,
    generate,
    inflow_weight,
    population_figures,
    start_year_for,
    yearly_budget,
)
from .regie import ROUTE_MIX, CaseWriter, Fate

__all__ = [
    "ACTIVITY",
    "BY",
    "DEFAULT_PERSONS",
    "DEFAULT_SEED",
    "DEFAULT_START_YEAR",
    "DEMO_CODE",
    "DEMO_NAME",
    "DEMO_ORGANISATIONS",
    "DEMO_OTHER_CODE",
    "DEMO_OTHER_NAME",
    "DEMO_OTHER_PERSONS",
    "DEMO_PASSWORD",
    "DEMO_URL",
    "DEMO_USERS",
    "EARLIEST_START_YEAR",
    "FATES",
    "INFLOW_TABLE",
    "KNOWN_POPULATIONS",
    "NAME_POOLS",
    "ROUTE_MIX",
    "CaseWriter",
    "DemoUser",
    "Fate",
    "Generator",
    "NamePool",
    "Quota",
    "SeedResult",
    "age_on",
    "demo_extras",
    "demo_is_seeded",
    "format_summary",
    "generate",
    "inflow_weight",
    "population_figures",
    "seed_demo",
    "start_year_for",
    "survey_responses",
    "yearly_budget",
]

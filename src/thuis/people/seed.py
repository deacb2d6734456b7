"""Deterministic synthetic statushouders for the demo, the tests and benchmarks (`thuis seed`).

Everything goes through the real services (people, cases), so the data obeys the same rules and
writes the same processing-log rows as real work (activity `synthetische-demodata`, actor
`systeem:seed`). Randomness comes only from `random.Random(seed)` and Faker instances seeded
with `seed_instance(seed)`; the only clock is the explicit `today` argument.

The shape follows ../shared/domain/wet-inburgering.md (cited below as "domain doc"):
yearly inflow (§9.4, §10), country mix per permit year (§9.4), about 60% men among adult
asielmigranten and 68% women among gezinsmigranten (§9.2 Table A), family reunification,
Turkish nationals not plichtig before 2022 (§1.2), gezinsmigranten guided by the gemeente only
under Wi2021 (§1.1), koppeling about 2-8 weeks after the permit and housing 8-20 weeks after
koppeling (§7.1; longer waits from 2022, §9.2).
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

from django.db import transaction

from dateutil.relativedelta import relativedelta
from faker import Faker

from thuis.accounts.choices import Role
from thuis.accounts.models import Team, User
from thuis.audit import context, events
from thuis.cases import services as case_services
from thuis.cases.choices import CaseStatus, Doelgroep, GedetailleerdeDoelgroep
from thuis.cases.models import IntegrationCase
from thuis.partners.models import Organisation, OrganisationKind

from . import services as people_services
from .choices import Relation, Sex
from .models import Household, Municipality, MunicipalityPopulation, Person

BY = "systeem:seed"
ACTIVITY = events.Activity.SEED
DEFAULT_SEED = 2016
DEFAULT_PERSONS = 250
DEFAULT_START_YEAR = 2016
# Wi2013 applies from 1 January 2013; a permit of late 2013 may lead to a 2014 koppeling.
EARLIEST_START_YEAR = 2014
WI2021_START = date(2022, 1, 1)

# --- Inflow ----------------------------------------------------------------------------------
# Persons per year for a Dalfsen-sized gemeente; `generate` spreads --persons over the years in
# proportion to these weights (the current year pro rata up to `today`).
# - 2016-2019: Dalfsen's taakstelling (domain doc §10: 2016: 71, 2017: 55, 2018: 40, 2019: 20).
# - Other years: national asylum permits (domain doc §9.4) x 1.89 persons per 1,000 permits,
#   which is Dalfsen's 2016-2019 taakstelling (186) over the permits of those years (98,500).
#   2014: 20k, 2015: 33k, 2020: 18k, 2021: 27.6k (sum of the country table), 2022: 40.1k (twice
#   the 2022-H1 country table: ASSUMPTION that H2 equalled H1).
# - 2023: 2022 x 22.2k/18.9k, the growth of the SWI asylum cohort (domain doc §9.2): ASSUMPTION,
#   the doc has no 2023 permit count. 2024 and later: ASSUMPTION, same as 2023 (no figures).
INFLOW_TABLE: dict[int, int] = {
    2014: 38,
    2015: 62,
    2016: 71,
    2017: 55,
    2018: 40,
    2019: 20,
    2020: 34,
    2021: 52,
    2022: 76,
    2023: 89,
}

# Asylum permits by nationality (x1000, in PERMIT_COUNTRIES order; domain doc §9.4, CBS
# 2023/15). 2022 is the first half year; years before 2016 use 2016 and years after 2022 use
# 2022 (ASSUMPTION).
PERMIT_COUNTRIES = ("SY", "ER", "AF", "IQ", "IR", "TR", "*")
PERMITS_BY_COUNTRY: dict[int, tuple[float, ...]] = {
    2016: (26.205, 5.065, 0.750, 1.330, 0.585, 0.020, 2.730),
    2017: (16.980, 4.980, 0.940, 1.310, 1.020, 0.375, 3.050),
    2018: (6.685, 4.135, 0.725, 0.525, 0.605, 0.425, 3.060),
    2019: (6.560, 3.605, 0.475, 0.350, 0.560, 1.075, 2.865),
    2020: (8.000, 2.755, 0.475, 0.480, 0.585, 1.830, 3.410),
    2021: (12.450, 2.195, 3.115, 0.620, 1.795, 2.065, 5.325),
    2022: (8.420, 0.820, 1.355, 0.290, 0.380, 1.905, 6.900),
}
# How "other" (*) splits: ASSUMPTION (the doc does not break it down); Yemen is named in the issue.
OTHER_ASYLUM_COUNTRIES: dict[str, float] = {"YE": 30, "SO": 25, "SD": 20, "ET": 15, "PS": 10}
# Gezinsmigranten (from 2022 only): ASSUMPTION, common origins of partners of residents.
FAMILY_MIGRANT_COUNTRIES: dict[str, float] = {
    "TR": 25,
    "MA": 20,
    "IN": 15,
    "PH": 10,
    "EG": 10,
    "DZ": 10,
    "CD": 10,
}

# Household kinds. Asylum weights are an ASSUMPTION calibrated so that about 60% of adult
# asielmigranten are men (domain doc §9.2). From 2022 a quarter of new households are
# gezinsmigranten (SWI 2022-2023: 28-39% of new plichtigen, domain doc §9.2).
SINGLE, COUPLE, FAMILY, SINGLE_PARENT, REUNIFICATION, FAMILY_MIGRANT = (
    "single",
    "couple",
    "family",
    "single_parent",
    "reunification",
    "family_migrant",
)
ASYLUM_HOUSEHOLDS: dict[str, float] = {
    SINGLE: 45,
    COUPLE: 10,
    FAMILY: 20,
    SINGLE_PARENT: 5,
    REUNIFICATION: 20,
}
FAMILY_MIGRANT_WEIGHT = 100 / 3  # 25% of all households
SINGLE_MEN_SHARE = 0.88
REFERENT_MEN_SHARE = 0.85
FAMILY_MIGRANT_WOMEN_SHARE = 0.68

# Where each case ends up (ASSUMPTION, in the spirit of the Divosa/CBS figures in §9).
VOLDAAN, VRIJGESTELD, ONTHEVEN, BEEINDIGD, RUNNING = (
    "voldaan",
    "vrijgesteld",
    "ontheven",
    "beeindigd",
    "running",
)
FATES: dict[str, float] = {VOLDAAN: 58, VRIJGESTELD: 10, ONTHEVEN: 9, BEEINDIGD: 15, RUNNING: 8}

# Spoken languages per country with a weight; the first language is the preferred one.
LANGUAGES_BY_COUNTRY: dict[str, list[tuple[float, tuple[str, ...]]]] = {
    "SY": [(0.85, ("ar",)), (0.15, ("ku", "ar"))],
    "ER": [(0.9, ("ti",)), (0.1, ("ti", "ar"))],
    "AF": [(0.65, ("prs",)), (0.35, ("ps", "prs"))],
    "TR": [(0.65, ("tr",)), (0.35, ("ku", "tr"))],
    "IQ": [(0.65, ("ar",)), (0.35, ("ku", "ar"))],
    "IR": [(0.85, ("fa",)), (0.15, ("ku", "fa"))],
    "YE": [(1.0, ("ar",))],
    "SO": [(1.0, ("so",))],
    "SD": [(1.0, ("ar",))],
    "ET": [(0.6, ("am",)), (0.4, ("ti", "am"))],
    "PS": [(1.0, ("ar",))],
    "MA": [(0.7, ("ar", "fr")), (0.3, ("ar",))],
    "DZ": [(1.0, ("ar", "fr"))],
    "EG": [(1.0, ("ar",))],
    "IN": [(1.0, ("en",))],
    "PH": [(1.0, ("en",))],
    "CD": [(1.0, ("fr",))],
}
# Children (and some adults) born on the way or in a neighbouring country.
TRANSIT_BIRTH_COUNTRIES: dict[str, tuple[str, ...]] = {
    "SY": ("LB", "JO", "TR"),
    "ER": ("ET", "SD"),
    "AF": ("IR", "PK"),
    "SO": ("ET",),
    "PS": ("SY", "LB"),
    "IQ": ("TR",),
}

# --- Names -----------------------------------------------------------------------------------
# The BRP registers names in Latin script, so Faker's Arabic-script (ar_*) and Persian-script
# (fa_IR) locales do not fit; those countries use romanised lists as registered in the
# Netherlands. Faker is used where its locale gives Latin script.
FAKER_LOCALES: dict[str, str] = {
    "TR": "tr_TR",
    "MA": "fr_DZ",
    "DZ": "fr_DZ",
    "IN": "en_IN",
    "CD": "fr_FR",
}
FAKER_FALLBACK = "en_US"


@dataclass(frozen=True)
class NamePool:
    men: tuple[str, ...]
    women: tuple[str, ...]
    families: tuple[str, ...]
    patronymic: bool = False  # the family name is the father's given name


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ARABIC = NamePool(
    men=_words(
        "Mohammed Ahmad Omar Ali Khaled Hassan Hussein Mahmoud Mustafa Yusuf Ibrahim Abdullah "
        "Samer Rami Bashar Fadi Tarek Ammar Karim Nabil Walid Ziad Hamza Bilal Anas Majd Firas "
        "Jamal Saeed Yaser"
    ),
    women=_words(
        "Fatima Aisha Mariam Noor Rania Huda Amal Layla Salma Reem Hiba Dima Lina Rasha Sara "
        "Yasmin Zainab Hanan Maysa Ghada Samira Rawan Aya Shahd Batoul Nadia Suha Wafa Lama Ruba"
    ),
    families=_words(
        "Al-Ahmad Haddad Khalil Hamdan Darwish Al-Hassan Mansour Saleh Nasser Al-Khatib Othman "
        "Al-Ali Ibrahim Youssef Aziz Hamoud Al-Masri Kanaan Sabbagh Al-Obaidi Jaber Qasim "
        "Al-Saadi Shami Issa Haidar Zaher Bakri Rahal Al-Hakim"
    ),
)
PERSIAN = NamePool(
    men=_words(
        "Reza Mohammad Ali Hossein Mehdi Amir Hamid Saeed Farhad Behnam Dariush Kaveh Arash "
        "Navid Omid Babak Pouya Javad Majid Siamak"
    ),
    women=_words(
        "Maryam Zahra Fatemeh Sara Narges Leila Mina Shirin Parisa Nasrin Roya Azadeh Samira "
        "Elham Neda Soraya Fereshteh Mahsa Niloufar Yasaman"
    ),
    families=_words(
        "Hosseini Mohammadi Rezaei Ahmadi Karimi Moradi Jafari Rahimi Hashemi Sadeghi Ghorbani "
        "Kazemi Azizi Najafi Mousavi Ebrahimi Amini Shirazi Tehrani Farahani"
    ),
)
AFGHAN = NamePool(
    men=_words(
        "Ahmad Mohammad Abdul Rahim Karim Nasir Farid Zabihullah Shafiq Habib Wahid Jawad "
        "Sohrab Hamid Mustafa Bashir Naweed Samiullah Khalid Ajmal"
    ),
    women=_words(
        "Fatima Zahra Mariam Nazanin Farzana Shabnam Marzia Parwana Nargis Freshta Mursal Sakina "
        "Laila Gulalai Mahbooba Shukria Zarghuna Homa Tahmina Wahida"
    ),
    families=_words(
        "Ahmadi Hakimi Rahimi Noori Sultani Popal Durrani Wardak Stanikzai Karimi Hashimi Amiri "
        "Sadat Safi Mohammadi Rezaie Haidari Azizi Jalali Nazari"
    ),
)
TIGRINYA = NamePool(
    men=_words(
        "Tesfay Yonas Dawit Filmon Samuel Mehari Kidane Berhane Habtom Tekle Yohannes Mulugeta "
        "Amanuel Biniam Merhawi Goitom Henok Robel Semere Tesfalem Abraham Efrem"
    ),
    women=_words(
        "Helen Senait Selam Mebrat Tsega Freweini Lidya Winta Saba Rahel Yordanos Hiwet Abrehet "
        "Luwam Mizan Feven Ruta Eden Semhar Simret"
    ),
    families=_words(
        "Gebremedhin Gebre Haile Tewelde Woldu Asmerom Negash Kahsay Berhe Gebreyesus "
        "Andemariam Tesfamariam Ghebrehiwet Mehari Kidane Habtemariam Zerai Okbay"
    ),
    patronymic=True,
)
AMHARIC = NamePool(
    men=_words("Abebe Tesfaye Getachew Solomon Dawit Mesfin Yared Bereket Tewodros Kebede"),
    women=_words("Almaz Tigist Meron Hirut Selamawit Bethlehem Genet Mekdes Tsion Meseret"),
    families=_words("Bekele Girma Tadesse Alemu Wolde Haile Mengistu Desta Lemma Ayele"),
    patronymic=True,
)
SOMALI = NamePool(
    men=_words(
        "Abdirahman Mohamed Abdullahi Ahmed Hassan Ali Omar Yusuf Abdikarim Mahad Liban Farah "
        "Guled Bashir Ismail"
    ),
    women=_words(
        "Hodan Fadumo Amina Sahra Hawa Asha Ifrah Nimco Ayaan Ubah Sagal Khadra Deeqa Idil Hamdi"
    ),
    families=_words("Warsame Abdi Jama Elmi Nur Osman Hersi Dirie Mohamud Egal Farah Yusuf"),
    patronymic=True,
)
NAME_POOLS: dict[str, NamePool] = {
    "SY": ARABIC,
    "IQ": ARABIC,
    "YE": ARABIC,
    "SD": ARABIC,
    "PS": ARABIC,
    "EG": ARABIC,
    "IR": PERSIAN,
    "AF": AFGHAN,
    "ER": TIGRINYA,
    "ET": AMHARIC,
    "SO": SOMALI,
}

# --- Municipalities --------------------------------------------------------------------------
# Dalfsen inhabitants (domain doc §10): 1-1-2014, 1-1-2018 (sum of kernen), 1-1-2019, Jan 2021,
# 1-1-2024. Other years are interpolated linearly; later years repeat 2024.
KNOWN_POPULATIONS: dict[str, dict[int, int]] = {
    "0148": {2014: 27_672, 2018: 28_242, 2019: 28_499, 2021: 28_901, 2024: 29_684},
}
KNOWN_NAMES: dict[str, str] = {"0148": "Dalfsen", "0193": "Zwolle"}
# For other gemeenten the inhabitants are SYNTHETIC: chosen so that the generated yearly inflow
# per inhabitant equals Dalfsen's (taakstelling 2016-2019, 46.5 a year, on ~28,300 inhabitants).
DALFSEN_INFLOW_PER_INHABITANT = 46.5 / 28_300

# --- Demo ------------------------------------------------------------------------------------
DEMO_CODE, DEMO_NAME = "0148", "Dalfsen (demo)"
DEMO_OTHER_CODE, DEMO_OTHER_NAME = "0193", "Zwolle (demo)"
DEMO_OTHER_PERSONS = 20
DEMO_OTHER_YEARS = 3  # few persons over few years, so that families still fit in a year
DEMO_TEAM = "Team Inburgering"
DEMO_PASSWORD = "Thuis-demo-2026!"  # noqa: S105 - published demo password, demo data only
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_MB = "VluchtelingenWerk (demo)"
DEMO_ORGANISATIONS: tuple[tuple[str, str], ...] = (
    (DEMO_MB, OrganisationKind.MAATSCHAPPELIJKE_BEGELEIDING),
    ("Taalschool Vecht (demo)", OrganisationKind.TAALAANBIEDER),
    ("Welkom in Dalfsen (demo)", OrganisationKind.VRIJWILLIGERS),
    ("Werkgever Dalfsen (demo)", OrganisationKind.WERKGEVER),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    municipality: str = DEMO_CODE
    in_team: bool = False
    organisation: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("regisseur", Role.REGISSEUR, "Sanne", "Jansen", in_team=True),
    DemoUser("regisseur2", Role.REGISSEUR, "Pieter", "Bosch", in_team=True),
    DemoUser("teamleider", Role.TEAMLEIDER, "Marieke", "Kamphuis", in_team=True),
    DemoUser("beleid", Role.BELEIDSMEDEWERKER, "Joost", "Hendriks"),
    DemoUser("partner", Role.PARTNER, "Els", "Wolters", organisation=DEMO_MB),
    DemoUser("beheerder", Role.BEHEERDER, "Ruud", "Kok"),
    DemoUser("regisseur_zwolle", Role.REGISSEUR, "Lotte", "Visser", DEMO_OTHER_CODE, True),
)

T = TypeVar("T", bound=Hashable)


class Quota(Generic[T]):
    """Weighted choice that keeps small samples close to the weights.

    Each pick adds every option's share to what it is "due" and returns the option most
    overdue (with a random tie-break); `took` books the option that was really used. Unlike
    independent draws, 120 persons then still show every country and about 60% men.
    """

    def __init__(self, rng: random.Random, jitter: float = 0.6) -> None:
        self._rng = rng
        self._jitter = jitter
        self._due: dict[T, float] = {}

    def pick(self, weights: Mapping[T, float]) -> T:
        options = {key: w for key, w in weights.items() if w > 0}
        total = sum(options.values())
        for key, weight in options.items():
            self._due[key] = self._due.get(key, 0.0) + weight / total
        return max(options, key=lambda k: self._due[k] + self._rng.random() * self._jitter)

    def took(self, key: T) -> None:
        self._due[key] = self._due.get(key, 0.0) - 1.0

    def choose(self, weights: Mapping[T, float]) -> T:
        key = self.pick(weights)
        self.took(key)
        return key


@dataclass
class CasePlan:
    doelgroep: str
    detail: str
    plicht_start: date
    koppeling: date | None
    vestiging: date | None


@dataclass
class PersonPlan:
    given_names: str
    family_name: str
    sex: str
    birth_date: date
    nationality: str
    country_of_birth: str
    relation: str
    start: date
    arrived_later: bool = False
    case: CasePlan | None = None
    languages: list[str] = field(default_factory=list)
    preferred_language: str = ""


@dataclass
class SeedResult:
    municipality: Municipality
    start_year: int
    end_year: int
    persons: int
    households: int
    cases: int
    cases_by_status: dict[str, int]
    persons_by_year: dict[int, int]


def inflow_weight(year: int) -> int:
    """The INFLOW_TABLE weight of a year (years after the table repeat its last year)."""
    if year in INFLOW_TABLE:
        return INFLOW_TABLE[year]
    return INFLOW_TABLE[max(INFLOW_TABLE)] if year > max(INFLOW_TABLE) else 0


def yearly_budget(*, persons: int, start_year: int, today: date) -> dict[int, int]:
    """Persons per arrival year: --persons spread over the years by INFLOW_TABLE.

    The current year counts pro rata up to `today`. Rounded by largest remainder, so the
    numbers add up to `persons` exactly.
    """
    weights: dict[int, float] = {}
    for year in range(start_year, today.year + 1):
        weight = float(inflow_weight(year))
        if year == today.year:
            days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
            weight *= (today - date(year, 1, 1)).days / days_in_year
        weights[year] = weight
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("Er is geen instroom voor deze jaren.")
    exact = {year: persons * w / total for year, w in weights.items()}
    budget = {year: int(value) for year, value in exact.items()}
    short = persons - sum(budget.values())
    by_remainder = sorted(exact, key=lambda y: (budget[y] - exact[y], y))
    for year in by_remainder[:short]:
        budget[year] += 1
    return budget


def population_figures(code: str, years: Sequence[int], yearly_inflow: float) -> dict[int, int]:
    """Inhabitants per year: Dalfsen's from the domain doc, otherwise synthetic (see above)."""
    known = KNOWN_POPULATIONS.get(code)
    if not known:
        inhabitants = max(1_000, round(yearly_inflow / DALFSEN_INFLOW_PER_INHABITANT))
        return dict.fromkeys(years, inhabitants)
    points = sorted(known.items())
    result: dict[int, int] = {}
    for year in years:
        if year <= points[0][0]:
            result[year] = points[0][1]
        elif year >= points[-1][0]:
            result[year] = points[-1][1]
        else:
            (y0, v0), (y1, v1) = next(
                (a, b) for a, b in itertools.pairwise(points) if a[0] <= year <= b[0]
            )
            result[year] = round(v0 + (v1 - v0) * (year - y0) / (y1 - y0))
    return result


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _country_weights(year: int) -> dict[str, float]:
    row = PERMITS_BY_COUNTRY[min(max(year, min(PERMITS_BY_COUNTRY)), max(PERMITS_BY_COUNTRY))]
    table = dict(zip(PERMIT_COUNTRIES, row, strict=True))
    other_total = sum(OTHER_ASYLUM_COUNTRIES.values())
    weights = {code: share for code, share in table.items() if code != "*"}
    for code, share in OTHER_ASYLUM_COUNTRIES.items():
        weights[code] = table["*"] * share / other_total
    return weights


class Generator:
    """Builds households as plans, then stores them through the services."""

    def __init__(
        self,
        *,
        seed: int,
        municipality: Municipality,
        today: date,
        regisseurs: Sequence[User] = (),
        team: Team | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.municipality = municipality
        self.regisseurs = list(regisseurs)
        self.team = team
        self._fakers: dict[str, Faker] = {}
        self._bsns: set[str] = set(Person.objects.values_list("bsn", flat=True))
        self._households = Quota[str](self.rng)
        self._countries = Quota[str](self.rng)
        self._quotas: dict[str, Quota[str]] = {}
        self._case_count = 0
        self.persons_by_year: Counter[int] = Counter()
        self.cases_by_status: Counter[str] = Counter()

    # -- randomness helpers ----------------------------------------------------------------
    def _choose(self, purpose: str, weights: Mapping[str, float]) -> str:
        """A quota choice; each purpose (single's sex, fate, ...) keeps its own tally."""
        quota = self._quotas.setdefault(purpose, Quota[str](self.rng))
        return quota.choose(weights)

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def _date_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _birth(self, *, on: date, age: int) -> date:
        """A birth date so that the person is exactly `age` on `on`."""
        latest = on - relativedelta(years=age)
        return latest - timedelta(days=self.rng.randint(0, 364))

    def _faker(self, locale: str) -> Faker:
        if locale not in self._fakers:
            faker = Faker(locale)
            faker.seed_instance(self.seed)
            self._fakers[locale] = faker
        return self._fakers[locale]

    def _given_name(self, country: str, sex: str) -> str:
        pool = NAME_POOLS.get(country)
        if pool is not None:
            return self.rng.choice(pool.men if sex == Sex.MAN else pool.women)
        faker = self._faker(FAKER_LOCALES.get(country, FAKER_FALLBACK))
        return str(faker.first_name_male() if sex == Sex.MAN else faker.first_name_female())

    def _family_name(self, country: str) -> str:
        pool = NAME_POOLS.get(country)
        if pool is not None:
            return self.rng.choice(pool.families + (pool.men if pool.patronymic else ()))
        return str(self._faker(FAKER_LOCALES.get(country, FAKER_FALLBACK)).last_name())

    def _child_family_name(self, country: str, father_given: str, father_family: str) -> str:
        pool = NAME_POOLS.get(country)
        if pool is not None and pool.patronymic:
            return father_given.split()[0]
        return father_family

    def _languages(self, country: str, *, birth: date, start: date) -> tuple[list[str], str]:
        options = LANGUAGES_BY_COUNTRY.get(country, [(1.0, ("en",))])
        chosen = self.rng.choices([o[1] for o in options], weights=[o[0] for o in options])[0]
        spoken = list(chosen)
        age = age_on(birth, self.today)
        years_here = (self.today - start).days / 365.25
        if age >= 18 and "en" not in spoken and self.rng.random() < 0.25:
            spoken.append("en")
        learnt_dutch = 0.95 if age < 18 else 0.6
        if age >= 4 and years_here >= 2 and self.rng.random() < learnt_dutch:
            spoken.append("nl")
        return spoken, chosen[0]

    def _person(
        self,
        *,
        country: str,
        sex: str,
        birth: date,
        relation: str,
        start: date,
        family: str | None = None,
        arrived_later: bool = False,
    ) -> PersonPlan:
        transit = TRANSIT_BIRTH_COUNTRIES.get(country, ())
        born_in = country
        if transit and birth.year >= 2012 and self.rng.random() < 0.3:
            born_in = self.rng.choice(transit)  # born after the flight, e.g. in a camp
        elif country in {"AF", "PS"} and self.rng.random() < 0.15:
            born_in = transit[0]  # grew up in Iran / Syria
        if country in {"AF", "ER", "SO", "ET"} and self.rng.random() < 0.2:
            birth = date(birth.year, 1, 1)  # registered with an unknown day and month
        spoken, preferred = self._languages(country, birth=birth, start=start)
        return PersonPlan(
            given_names=self._given_name(country, sex),
            family_name=family or self._family_name(country),
            sex=sex,
            birth_date=birth,
            nationality=country,
            country_of_birth=born_in,
            relation=relation,
            start=start,
            arrived_later=arrived_later,
            languages=spoken,
            preferred_language=preferred,
        )

    # -- cases -----------------------------------------------------------------------------
    def _plichtig(self, *, country: str, birth: date, plicht_start: date) -> bool:
        """Adults below AOW age; Turkish nationals only from 2022 (domain doc §1.2)."""
        if country == "TR" and plicht_start < WI2021_START:
            return False
        return 18 <= age_on(birth, plicht_start) < 67

    def _asylum_timeline(self, arrival: date) -> tuple[date, date, date | None]:
        """(permit = plicht start, koppeling, vestiging) for a household linked by the COA."""
        koppeling = arrival
        permit = koppeling - self._days(14, 56)
        longest_wait = 30 if arrival >= WI2021_START else 20
        vestiging: date | None = koppeling + timedelta(weeks=self.rng.randint(8, longest_wait))
        if vestiging is not None and vestiging > self.today:
            vestiging = None
        return permit, koppeling, vestiging

    def _case(
        self,
        member: PersonPlan,
        *,
        doelgroep: str,
        detail: str,
        timeline: tuple[date, date | None, date | None],
    ) -> None:
        permit, koppeling, vestiging = timeline
        if self._plichtig(country=member.nationality, birth=member.birth_date, plicht_start=permit):
            member.case = CasePlan(doelgroep, detail, permit, koppeling, vestiging)

    # -- household plans -------------------------------------------------------------------
    def _children(
        self,
        *,
        count: int,
        country: str,
        mother_birth: date,
        father_given: str,
        father_family: str,
        arrival: date,
        born_before: date,
        arrived_later: bool = False,
    ) -> list[PersonPlan]:
        earliest = max(mother_birth + relativedelta(years=18), arrival - relativedelta(years=17))
        latest = born_before - timedelta(days=30)
        children = []
        for _ in range(count):
            if latest <= earliest:
                break
            birth = self._date_in(earliest, latest)
            sex = self.rng.choice([Sex.MAN, Sex.VROUW])
            children.append(
                self._person(
                    country=country,
                    sex=sex,
                    birth=birth,
                    relation=Relation.CHILD,
                    start=arrival,
                    family=self._child_family_name(country, father_given, father_family),
                    arrived_later=arrived_later,
                )
            )
        return children

    def _couple(
        self, *, country: str, man_age: int, on: date, start: date
    ) -> tuple[PersonPlan, PersonPlan]:
        """A man and a woman arriving together; Turkish wives usually take the husband's name."""
        man_birth = self._birth(on=on, age=man_age)
        woman_age = max(18, man_age - self.rng.randint(-2, 8))
        man = self._person(
            country=country, sex=Sex.MAN, birth=man_birth, relation=Relation.REFERENT, start=start
        )
        woman = self._person(
            country=country,
            sex=Sex.VROUW,
            birth=self._birth(on=on, age=woman_age),
            relation=Relation.PARTNER,
            start=start,
            family=man.family_name if country == "TR" else None,
        )
        return man, woman

    def _child_count(self) -> int:
        return self.rng.choices([1, 2, 3, 4, 5], weights=[25, 30, 25, 12, 8])[0]

    def _asylum_household(self, kind: str, country: str, arrival: date) -> list[PersonPlan]:
        timeline = self._asylum_timeline(arrival)
        members: list[PersonPlan] = []
        if kind == SINGLE:
            sex = self._choose(
                "single_sex", {Sex.MAN: SINGLE_MEN_SHARE, Sex.VROUW: 1 - SINGLE_MEN_SHARE}
            )
            age = round(self.rng.triangular(18, 60, 24))
            members = [
                self._person(
                    country=country,
                    sex=sex,
                    birth=self._birth(on=arrival, age=age),
                    relation=Relation.REFERENT,
                    start=arrival,
                )
            ]
        elif kind == COUPLE:
            members = list(
                self._couple(
                    country=country,
                    man_age=round(self.rng.triangular(20, 60, 30)),
                    on=arrival,
                    start=arrival,
                )
            )
        elif kind == FAMILY:
            man, woman = self._couple(
                country=country,
                man_age=round(self.rng.triangular(24, 58, 36)),
                on=arrival,
                start=arrival,
            )
            children = self._children(
                count=self._child_count(),
                country=country,
                mother_birth=woman.birth_date,
                father_given=man.given_names,
                father_family=man.family_name,
                arrival=arrival,
                born_before=arrival,
            )
            if children and self.rng.random() < 0.15:
                # The eldest child is already an adult (and inburgeringsplichtig).
                eldest = min(children, key=lambda c: c.birth_date)
                adult_age = min(self.rng.randint(18, 23), age_on(woman.birth_date, arrival) - 18)
                if adult_age >= 18:
                    eldest.birth_date = self._birth(on=timeline[0], age=adult_age)
            members = [man, woman, *children]
        elif kind == SINGLE_PARENT:
            mother = self._person(
                country=country,
                sex=Sex.VROUW,
                birth=self._birth(on=arrival, age=round(self.rng.triangular(22, 50, 32))),
                relation=Relation.REFERENT,
                start=arrival,
            )
            father_given = self._given_name(country, Sex.MAN)
            members = [
                mother,
                *self._children(
                    count=self.rng.randint(1, 4),
                    country=country,
                    mother_birth=mother.birth_date,
                    father_given=father_given,
                    father_family=self._family_name(country),
                    arrival=arrival,
                    born_before=arrival,
                ),
            ]
        for member in members:
            self._case(
                member,
                doelgroep=Doelgroep.ASIELSTATUSHOUDER,
                detail=GedetailleerdeDoelgroep.ASIELSTATUSHOUDER,
                timeline=timeline,
            )
        return members

    def _reunification(self, country: str, arrival: date) -> list[PersonPlan]:
        """A referent arrives first; partner and children follow 6-24 months later (nareis).

        They join the referent, in the azc if he or she has no home yet."""
        timeline = self._asylum_timeline(arrival)
        sex = self._choose(
            "referent_sex", {Sex.MAN: REFERENT_MEN_SHARE, Sex.VROUW: 1 - REFERENT_MEN_SHARE}
        )
        age = round(self.rng.triangular(22, 55, 32))
        referent = self._person(
            country=country,
            sex=sex,
            birth=self._birth(on=arrival, age=age),
            relation=Relation.REFERENT,
            start=arrival,
        )
        self._case(
            referent,
            doelgroep=Doelgroep.ASIELSTATUSHOUDER,
            detail=GedetailleerdeDoelgroep.ASIELSTATUSHOUDER,
            timeline=timeline,
        )
        follow = arrival + relativedelta(months=self.rng.randint(6, 23)) + self._days(0, 27)
        if follow > self.today:
            return [referent]  # the family is still abroad
        partner_sex = Sex.VROUW if sex == Sex.MAN else Sex.MAN
        partner_age = max(18, age + self.rng.randint(-8, 2) * (1 if sex == Sex.MAN else -1))
        partner = self._person(
            country=country,
            sex=partner_sex,
            birth=self._birth(on=arrival, age=partner_age),
            relation=Relation.PARTNER,
            start=follow,
            family=referent.family_name if country == "TR" else None,
            arrived_later=True,
        )
        mother, father = (partner, referent) if sex == Sex.MAN else (referent, partner)
        children = []
        if self.rng.random() < 0.7:
            children = self._children(
                count=self._child_count(),
                country=country,
                mother_birth=mother.birth_date,
                father_given=father.given_names,
                father_family=father.family_name,
                arrival=follow,
                born_before=arrival,
                arrived_later=True,
            )
        permit = follow - self._days(0, 10)
        referent_home = timeline[2]
        vestiging: date | None = None
        if referent_home is not None:  # otherwise they wait with the referent in the azc
            vestiging = max(follow + self._days(3, 28), referent_home)
            if vestiging > self.today:
                vestiging = None
        followers = [partner, *children]
        for member in followers:
            self._case(
                member,
                doelgroep=Doelgroep.ASIELSTATUSHOUDER,
                detail=GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
                timeline=(permit, follow, vestiging),
            )
        return [referent, *followers]

    def _family_migrant(self, country: str, arrival: date) -> list[PersonPlan]:
        """A gezinsmigrant joining a resident partner (who is not in Thuis), sometimes with
        children. Mostly women (domain doc §9.2: 68%)."""
        sex = self._choose(
            "family_migrant_sex",
            {Sex.VROUW: FAMILY_MIGRANT_WOMEN_SHARE, Sex.MAN: 1 - FAMILY_MIGRANT_WOMEN_SHARE},
        )
        detail = self._choose(
            "family_migrant_detail",
            {
                GedetailleerdeDoelgroep.GEZINSVORMER: 50,
                GedetailleerdeDoelgroep.GEZINSHERENIGER: 35,
                GedetailleerdeDoelgroep.OVERIG: 15,
            },
        )
        relation = (
            Relation.REFERENT if detail == GedetailleerdeDoelgroep.OVERIG else Relation.PARTNER
        )
        migrant = self._person(
            country=country,
            sex=sex,
            birth=self._birth(on=arrival, age=round(self.rng.triangular(19, 50, 28))),
            relation=relation,
            start=arrival,
        )
        permit = arrival - self._days(0, 14)
        vestiging: date | None = arrival + self._days(0, 14)
        if vestiging is not None and vestiging > self.today:
            vestiging = None
        self._case(
            migrant,
            doelgroep=Doelgroep.GEZINSMIGRANT,
            detail=detail,
            timeline=(permit, None, vestiging),
        )
        members = [migrant]
        if detail == GedetailleerdeDoelgroep.GEZINSHERENIGER and self.rng.random() < 0.4:
            woman = sex == Sex.VROUW
            members += self._children(
                count=self.rng.randint(1, 2),
                country=country,
                mother_birth=migrant.birth_date if woman else arrival - relativedelta(years=30),
                father_given=self._given_name(country, Sex.MAN) if woman else migrant.given_names,
                father_family=self._family_name(country) if woman else migrant.family_name,
                arrival=arrival,
                born_before=arrival,
            )
        return members

    def _household(self, year: int, arrival: date) -> tuple[str, list[PersonPlan]]:
        weights = dict(ASYLUM_HOUSEHOLDS)
        if year >= WI2021_START.year:
            weights[FAMILY_MIGRANT] = FAMILY_MIGRANT_WEIGHT
        kind = self._households.pick(weights)
        if kind == FAMILY_MIGRANT:
            country = self.rng.choices(
                list(FAMILY_MIGRANT_COUNTRIES), weights=list(FAMILY_MIGRANT_COUNTRIES.values())
            )[0]
            return kind, self._family_migrant(country, arrival)
        country = self._countries.choose(_country_weights(year))
        if kind == REUNIFICATION:
            return kind, self._reunification(country, arrival)
        return kind, self._asylum_household(kind, country, arrival)

    # -- storing ---------------------------------------------------------------------------
    def _bsn(self) -> str:
        """A unique, elfproef-valid BSN from the seeded generator (never Faker's ssn)."""
        while True:
            digits = [self.rng.randrange(10) for _ in range(8)]
            check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
            if check > 9 or not any(digits):
                continue
            bsn = "".join(map(str, digits)) + str(check)
            if bsn not in self._bsns:
                self._bsns.add(bsn)
                return bsn

    def _history(self, plan: CasePlan) -> list[tuple[str, date, str]]:
        """Status changes (status, date, reason) up to `today`, from a fate drawn per case."""
        if plan.vestiging is None:
            # Still in the azc: aangemeld, though some gemeenten start the brede intake there
            # (domain doc §2.1).
            if plan.koppeling and plan.plicht_start >= WI2021_START and self.rng.random() < 0.25:
                intake = plan.koppeling + self._days(28, 84)
                if intake <= self.today:
                    return [(CaseStatus.INTAKE, intake, "Brede intake gestart (in het azc)")]
            return []
        intake = plan.vestiging + self._days(14, 70)
        pip = intake + self._days(28, 140)
        fate = self._choose("fate", FATES)
        end: date | None
        final, reason = "", ""
        if fate == VOLDAAN:
            end = pip + timedelta(days=round(365 * self.rng.triangular(1.0, 6.0, 2.5)))
            final, reason = CaseStatus.VOLDAAN, "Examens gehaald en onderdelen afgerond"
        elif fate == ONTHEVEN:
            end = pip + self._days(180, 1100)
            final = CaseStatus.ONTHEVEN
            reason = self.rng.choice(
                ["Ontheffing (medisch)", "Ontheffing (bijzondere omstandigheden)"]
            )
        elif fate == VRIJGESTELD:
            end = plan.vestiging + self._days(7, 150)
            final, reason = CaseStatus.VRIJGESTELD, "Vrijstelling (diploma)"
        elif fate == BEEINDIGD:
            end = plan.vestiging + self._days(30, 1800)
            final = CaseStatus.BEEINDIGD
            reason = self.rng.choices(
                ["Verhuisd naar een andere gemeente", "Vertrokken uit Nederland", "Overleden"],
                weights=[80, 17, 3],
            )[0]
        else:
            end = None
        steps: list[tuple[str, date, str]] = []
        for status, on, why in (
            (CaseStatus.INTAKE, intake, "Brede intake gestart"),
            (CaseStatus.PIP, pip, "PIP vastgesteld"),
        ):
            if on > self.today or (end is not None and on >= end):
                break
            steps.append((status, on, why))
        if end is not None and end <= self.today:
            steps.append((final, end, reason))
        return steps

    def _next_regisseur(self) -> User | None:
        """Round robin over the gemeente's regisseurs (None when it has none)."""
        if not self.regisseurs:
            return None
        return self.regisseurs[self._case_count % len(self.regisseurs)]

    def store(self, members: list[PersonPlan]) -> Household:
        persons = [
            people_services.person_create(
                by=BY,
                municipality=self.municipality,
                bsn=self._bsn(),
                given_names=m.given_names,
                family_name=m.family_name,
                birth_date=m.birth_date,
                sex=m.sex,
                nationality=m.nationality,
                country_of_birth=m.country_of_birth,
                languages=m.languages,
                preferred_language=m.preferred_language,
                activity=ACTIVITY,
            )
            for m in members
        ]
        household = people_services.household_create(
            by=BY,
            municipality=self.municipality,
            name=f"Huishouden {members[0].family_name}",
            members=[
                (p, m.relation, m.start, m.arrived_later)
                for p, m in zip(persons, members, strict=True)
            ],
            activity=ACTIVITY,
        )
        for person, member in zip(persons, members, strict=True):
            self.persons_by_year[member.start.year] += 1
            if member.case is not None:
                self._store_case(person, member.case)
        return household

    def _store_case(self, person: Person, plan: CasePlan) -> IntegrationCase:
        case = case_services.case_open(
            by=BY,
            person=person,
            plicht_start=plan.plicht_start,
            doelgroep=plan.doelgroep,
            gedetailleerde_doelgroep=plan.detail,
            koppeling_date=plan.koppeling,
            vestiging_date=plan.vestiging,
            regisseur=self._next_regisseur(),
            team=self.team,
            activity=ACTIVITY,
        )
        self._case_count += 1
        for status, on, reason in self._history(plan):
            case = case_services.case_change_status(
                case=case, to=status, by=BY, on=on, reason=reason, activity=ACTIVITY
            )
        self.cases_by_status[case.status] += 1
        return case

    # -- the whole run ---------------------------------------------------------------------
    def run(self, budget: Mapping[int, int]) -> int:
        """Create households year by year until every year's person budget is used."""
        remaining = dict(budget)
        households = 0
        for year in sorted(remaining):
            start = date(year, 1, 1)
            end = min(date(year, 12, 31), self.today)
            while remaining[year] > 0:
                arrival = self._date_in(start, end)
                kind, members = self._household(year, arrival)
                fitting = self._fit(members, remaining)
                if fitting is None:
                    # Too big for what is left of this year: only the first adult arrives.
                    fitting = members[:1]
                    kind = FAMILY_MIGRANT if kind == FAMILY_MIGRANT else SINGLE
                members = fitting
                self._households.took(kind)
                for member in members:
                    remaining[member.start.year] -= 1
                self.store(members)
                households += 1
        return households

    @staticmethod
    def _fit(members: list[PersonPlan], remaining: Mapping[int, int]) -> list[PersonPlan] | None:
        """The household if it fits the year budgets; late followers that do not fit stay
        abroad; None when the household itself does not fit (a single is made instead)."""
        together = [m for m in members if not m.arrived_later]
        if len(together) > remaining[together[0].start.year]:
            return None
        need = Counter(m.start.year for m in members)
        if any(need[y] > remaining.get(y, 0) for y in need):
            return together
        return members


def _populations(municipality: Municipality, years: Sequence[int], yearly: float) -> None:
    figures = population_figures(municipality.code, years, yearly)
    existing = set(municipality.populations.values_list("year", flat=True))
    MunicipalityPopulation.objects.bulk_create(
        MunicipalityPopulation(municipality=municipality, year=year, inhabitants=inhabitants)
        for year, inhabitants in figures.items()
        if year not in existing
    )


def start_year_for(*, years: int | None, today: date) -> int:
    start = DEFAULT_START_YEAR if years is None else today.year - years + 1
    if years is not None and years < 1:
        raise ValueError("--years moet minstens 1 zijn.")
    if start < EARLIEST_START_YEAR:
        raise ValueError(
            f"De gegevens beginnen op zijn vroegst in {EARLIEST_START_YEAR} (Wet inburgering 2013)."
        )
    return start


@transaction.atomic
def generate(
    *,
    seed: int = DEFAULT_SEED,
    code: str = DEMO_CODE,
    name: str | None = None,
    persons: int = DEFAULT_PERSONS,
    years: int | None = None,
    today: date,
    regisseurs: Sequence[User] | None = None,
    team: Team | None = None,
) -> SeedResult:
    """Create (or extend) a gemeente with `persons` synthetic persons arriving from the start
    year (2016, or `years` calendar years up to and including `today`'s year) up to `today`."""
    if persons < 1:
        raise ValueError("--persons moet minstens 1 zijn.")
    if not (len(code) == 4 and code.isdigit()):
        raise ValueError("Een CBS-gemeentecode heeft 4 cijfers, zoals 0148.")
    start_year = start_year_for(years=years, today=today)
    default_name = f"{KNOWN_NAMES.get(code, f'Gemeente {code}')} (synthetisch)"
    municipality, _ = Municipality.objects.get_or_create(
        code=code, defaults={"name": name or default_name}
    )
    if name and municipality.name != name:
        municipality.name = name
        municipality.save(update_fields=["name", "updated_at"])
    if regisseurs is None:
        regisseurs = list(
            User.objects.filter(
                role=Role.REGISSEUR, municipalities=municipality, is_active=True
            ).order_by("username")
        )
    if team is None:
        team = Team.objects.filter(municipality=municipality).order_by("name").first()
    budget = yearly_budget(persons=persons, start_year=start_year, today=today)
    _populations(municipality, list(budget), persons / max(1, len(budget)))

    token = context.set_current(context.TraceContext(context.new_trace_id(), "thuis seed"))
    try:
        generator = Generator(
            seed=seed, municipality=municipality, today=today, regisseurs=regisseurs, team=team
        )
        households = generator.run(budget)
    finally:
        context.reset(token)
    by_status = generator.cases_by_status
    return SeedResult(
        municipality=municipality,
        start_year=start_year,
        end_year=today.year,
        persons=sum(generator.persons_by_year.values()),
        households=households,
        cases=sum(by_status.values()),
        cases_by_status={s.value: by_status.get(s.value, 0) for s in CaseStatus},
        persons_by_year=dict(sorted(generator.persons_by_year.items())),
    )


def format_summary(result: SeedResult) -> str:
    """A short Dutch summary (counts only: never names or BSNs)."""
    lines = [
        f"{result.municipality}: {result.persons} personen in {result.households} huishoudens, "
        f"{result.cases} trajecten (instroom {result.start_year}–{result.end_year}).",
        "Trajecten per status:",
    ]
    for status in CaseStatus:
        lines.append(f"  {status.label}: {result.cases_by_status.get(status.value, 0)}")
    return "\n".join(lines)


# --- Demo ------------------------------------------------------------------------------------
def demo_is_seeded() -> bool:
    return Person.objects.filter(municipality__code=DEMO_CODE).exists()


def _demo_municipality(code: str, name: str) -> tuple[Municipality, Team]:
    municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name": name})
    team, _ = Team.objects.get_or_create(municipality=municipality, name=DEMO_TEAM)
    return municipality, team


def _demo_user(spec: DemoUser, municipality: Municipality, team: Team | None) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    organisation = None
    if spec.organisation:
        organisation = Organisation.objects.get(name=spec.organisation)
    user = User.objects.create_user(
        username=spec.username,
        email=f"{spec.username}@demo.thuis.invalid",
        password=DEMO_PASSWORD,
        first_name=spec.first_name,
        last_name=spec.last_name,
        role=spec.role,
        team=team if spec.in_team else None,
        organisation=organisation,
    )
    user.municipalities.set([municipality])
    return user


@transaction.atomic
def seed_demo(
    *, today: date, seed: int = DEFAULT_SEED, persons: int = DEFAULT_PERSONS
) -> list[SeedResult]:
    """The demo: Dalfsen (demo) with users per role and partner organisations, and a small
    Zwolle (demo) to show that other gemeenten stay out of scope. Empty list when done before."""
    if demo_is_seeded():
        return []
    dalfsen, dalfsen_team = _demo_municipality(DEMO_CODE, DEMO_NAME)
    zwolle, zwolle_team = _demo_municipality(DEMO_OTHER_CODE, DEMO_OTHER_NAME)
    for org_name, kind in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(name=org_name, defaults={"kind": kind})
        organisation.municipalities.add(dalfsen)
    places = {DEMO_CODE: (dalfsen, dalfsen_team), DEMO_OTHER_CODE: (zwolle, zwolle_team)}
    users = [_demo_user(spec, *places[spec.municipality]) for spec in DEMO_USERS]

    def regisseurs(code: str) -> list[User]:
        return [
            u
            for u, spec in zip(users, DEMO_USERS, strict=True)
            if spec.role == Role.REGISSEUR and spec.municipality == code
        ]

    return [
        generate(
            seed=seed,
            code=DEMO_CODE,
            name=DEMO_NAME,
            persons=persons,
            today=today,
            regisseurs=regisseurs(DEMO_CODE),
            team=dalfsen_team,
        ),
        generate(
            seed=seed + 1,
            code=DEMO_OTHER_CODE,
            name=DEMO_OTHER_NAME,
            persons=DEMO_OTHER_PERSONS,
            years=DEMO_OTHER_YEARS,
            today=today,
            regisseurs=regisseurs(DEMO_OTHER_CODE),
            team=zwolle_team,
        ),
    ]


__all__ = [
    "DEMO_PASSWORD",
    "DEMO_URL",
    "DEMO_USERS",
    "INFLOW_TABLE",
    "SeedResult",
    "format_summary",
    "generate",
    "seed_demo",
    "yearly_budget",
]

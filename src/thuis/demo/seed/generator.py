"""The generator: households and persons as plans, stored through the services, then each
case's regie (see .regie) and participation (see .participation)."""

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
from thuis.audit import context
from thuis.cases import services as case_services
from thuis.cases.choices import CaseStatus, Doelgroep, GedetailleerdeDoelgroep
from thuis.cases.models import CaseSignal, ExamResult, IntegrationCase, Pip
from thuis.partners.models import Notification, Organisation
from thuis.people import services as people_services
from thuis.people.choices import Relation, Sex
from thuis.people.models import Household, Municipality, MunicipalityPopulation, Person

from . import participation
from .data import (
    ACTIVITY,
    ASYLUM_HOUSEHOLDS,
    BY,
    COUPLE,
    DALFSEN_INFLOW_PER_INHABITANT,
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    DEFAULT_START_YEAR,
    DEMO_CODE,
    EARLIEST_START_YEAR,
    FAKER_FALLBACK,
    FAKER_LOCALES,
    FAMILY,
    FAMILY_MIGRANT,
    FAMILY_MIGRANT_COUNTRIES,
    FAMILY_MIGRANT_WEIGHT,
    FAMILY_MIGRANT_WOMEN_SHARE,
    FATES,
    INFLOW_TABLE,
    KNOWN_NAMES,
    KNOWN_POPULATIONS,
    LANGUAGES_BY_COUNTRY,
    NAME_POOLS,
    OTHER_ASYLUM_COUNTRIES,
    PERMIT_COUNTRIES,
    PERMITS_BY_COUNTRY,
    REFERENT_MEN_SHARE,
    REUNIFICATION,
    SINGLE,
    SINGLE_MEN_SHARE,
    SINGLE_PARENT,
    TRANSIT_BIRTH_COUNTRIES,
    WI2021_START,
)
from .regie import (
    BEEINDIGD,
    BEEINDIGD_REASONS,
    END_REASONS,
    LATE_PIP_SHARE,
    LATE_PIP_SHARE_LATER,
    ONTHEVEN,
    RUNNING,
    VOLDAAN,
    VRIJGESTELD,
    CaseContext,
    CaseWriter,
    Fate,
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

    def pick(self, weights: Mapping[T, float], allowed: Sequence[T] | None = None) -> T:
        """`allowed` limits the pick (e.g. by age) while every option stays due its share."""
        options = {key: w for key, w in weights.items() if w > 0}
        total = sum(options.values())
        for key, weight in options.items():
            self._due[key] = self._due.get(key, 0.0) + weight / total
        candidates = [k for k in options if allowed is None or k in allowed]
        return max(candidates, key=lambda k: self._due[k] + self._rng.random() * self._jitter)

    def took(self, key: T) -> None:
        self._due[key] = self._due.get(key, 0.0) - 1.0

    def choose(self, weights: Mapping[T, float], allowed: Sequence[T] | None = None) -> T:
        key = self.pick(weights, allowed)
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
    pips: int = 0
    exams: int = 0
    spells: int = 0
    referrals: int = 0
    open_signals: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


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
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not cryptography
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
        # The regie and participation details use their own stream, so that the persons and
        # households stay the same whatever is added to the regie.
        self.regie_rng = random.Random(f"{seed}:regie")  # noqa: S311 - synthetic data
        self._regie_quotas: dict[str, Quota[str]] = {}
        organisations: dict[str, Organisation] = {}
        for organisation in Organisation.objects.filter(municipalities=municipality).order_by(
            "name"
        ):
            organisations.setdefault(organisation.kind, organisation)
        self.participation = participation.ParticipationWriter(
            rng=self.regie_rng, today=today, organisations=organisations
        )

    # -- randomness helpers ----------------------------------------------------------------
    def _choose(self, purpose: str, weights: Mapping[str, float]) -> str:
        """A quota choice; each purpose (single's sex, fate, ...) keeps its own tally."""
        quota = self._quotas.setdefault(purpose, Quota[str](self.rng))
        return quota.choose(weights)

    def _regie_choose(
        self, purpose: str, weights: Mapping[str, float], allowed: Sequence[str] | None
    ) -> str:
        quota = self._regie_quotas.setdefault(purpose, Quota[str](self.regie_rng))
        return quota.choose(weights, allowed)

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def _date_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _birth(self, *, on: date, age: int) -> date:
        """A birth date so that the person is exactly `age` on `on`."""
        latest: date = on - relativedelta(years=age)
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

    def _fate(self, plan: CasePlan) -> Fate:
        """The planned dates of a case and how (and when) its plicht ends.

        Wi2021: the PIP within 10 weeks of the later of kennisgeving and vestiging, some late
        (regie.LATE_PIP_SHARE); the brede intake shortly before, sometimes in the azc (domain
        doc §2.1). Wi2013: an intake talk 2-10 weeks after vestiging, then the inburgering.
        """
        wi2021 = plan.plicht_start >= WI2021_START
        kennisgeving = plan.plicht_start + self._days(3, 21)
        in_azc = None
        if wi2021 and plan.koppeling and self.rng.random() < 0.25:
            in_azc = plan.koppeling + self._days(28, 84)
        if plan.vestiging is None:
            # Still in the azc: aangemeld, though some gemeenten start the brede intake there.
            return Fate(RUNNING, kennisgeving, intake=in_azc)
        if wi2021:
            base = max(kennisgeving, plan.vestiging)
            late = LATE_PIP_SHARE.get(base.year, LATE_PIP_SHARE_LATER)
            offset = self.rng.randint(71, 150) if self.rng.random() < late else None
            # On time, often close to the deadline (a regisseur plans towards it).
            offset = offset or round(self.rng.triangular(35, 70, 65))
            pip = base + timedelta(days=offset)
            intake = base + self._days(5, offset - 25)
            if in_azc is not None and in_azc < plan.vestiging - timedelta(days=7):
                intake = in_azc
        else:
            intake = plan.vestiging + self._days(14, 70)
            pip = intake + self._days(28, 140)
        fate = self._choose("fate", FATES)
        end: date | None = None
        reason = END_REASONS.get(fate, "")
        if fate == VOLDAAN:
            end = pip + timedelta(days=round(365 * self.rng.triangular(1.0, 6.0, 2.5)))
        elif fate == ONTHEVEN:
            end = pip + self._days(180, 1100)
        elif fate == VRIJGESTELD:
            end = plan.vestiging + self._days(7, 150)
        elif fate == BEEINDIGD:
            end = plan.vestiging + self._days(30, 1800)
            reasons = list(BEEINDIGD_REASONS)
            reason = self.rng.choices(reasons, weights=list(BEEINDIGD_REASONS.values()))[0]
        return Fate(fate, kennisgeving, intake=intake, pip=pip, end=end, end_reason=reason)

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
        has_children = any(
            m.relation == Relation.CHILD and age_on(m.birth_date, m.start) < 18 for m in members
        )
        adults = sum(m.relation in {Relation.REFERENT, Relation.PARTNER} for m in members)
        for person, member in zip(persons, members, strict=True):
            self.persons_by_year[member.start.year] += 1
            if member.case is not None:
                ctx = CaseContext(
                    person=person,
                    sex=member.sex,
                    birth_date=member.birth_date,
                    doelgroep=member.case.doelgroep,
                    detail=member.case.detail,
                    plicht_start=member.case.plicht_start,
                    koppeling=member.case.koppeling,
                    vestiging=member.case.vestiging,
                    in_couple=adults > 1 and member.relation != Relation.CHILD,
                    has_children=has_children,
                )
                self._store_case(ctx)
        return household

    def _store_case(self, ctx: CaseContext) -> IntegrationCase:
        """Open the case (vestiging follows through case_set_dates, as in real life), then
        write its regie and the person's participation."""
        case = case_services.case_open(
            by=BY,
            person=ctx.person,
            plicht_start=ctx.plicht_start,
            doelgroep=ctx.doelgroep,
            gedetailleerde_doelgroep=ctx.detail,
            koppeling_date=ctx.koppeling,
            regisseur=self._next_regisseur(),
            team=self.team,
            activity=ACTIVITY,
        )
        self._case_count += 1
        fate = self._fate(
            CasePlan(ctx.doelgroep, ctx.detail, ctx.plicht_start, ctx.koppeling, ctx.vestiging)
        )
        writer = CaseWriter(
            rng=self.regie_rng,
            choose=self._regie_choose,
            today=self.today,
            case=case,
            ctx=ctx,
            fate=fate,
        )
        case = writer.write()
        self.participation.write(writer)
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
        last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True)
        since_pk = last_notification.first() or 0
        households = generator.run(budget)
        participation.settle_notifications(since_pk=since_pk, today=today)
        case_services.signals_refresh_all(today=today, municipality=municipality)
    finally:
        context.reset(token)
    notes = _rebuild_monitoring(municipality)
    if not participation.available():
        notes.append("Deelnameperiodes overgeslagen: de partners-app heeft geen spell_create.")
    by_status = generator.cases_by_status
    in_municipality = {"case__municipality": municipality}
    return SeedResult(
        municipality=municipality,
        start_year=start_year,
        end_year=today.year,
        persons=sum(generator.persons_by_year.values()),
        households=households,
        cases=sum(by_status.values()),
        cases_by_status={s.value: by_status.get(s.value, 0) for s in CaseStatus},
        persons_by_year=dict(sorted(generator.persons_by_year.items())),
        pips=Pip.objects.filter(**in_municipality).count(),
        exams=ExamResult.objects.filter(**in_municipality).count(),
        spells=generator.participation.spells,
        referrals=generator.participation.referrals,
        open_signals=dict(
            Counter(
                CaseSignal.objects.filter(resolved_on__isnull=True, **in_municipality).values_list(
                    "code", flat=True
                )
            ).most_common()
        ),
        notes=notes,
    )


def _rebuild_monitoring(municipality: Municipality) -> list[str]:
    """Rebuild the monitoring facts (normally a nightly job) when the monitoring app has it."""
    try:
        from thuis.monitoring import services as monitoring_services
    except ImportError:
        return ["Monitoring overgeslagen: de monitoring-app ontbreekt."]
    rebuild = getattr(monitoring_services, "facts_rebuild", None)
    if rebuild is None:
        return ["Monitoring overgeslagen: geen facts_rebuild in de monitoring-app."]
    rebuild(municipality=municipality)
    return []


def format_summary(result: SeedResult) -> str:
    """A short Dutch summary (counts only: never names or BSNs)."""
    lines = [
        f"{result.municipality}: {result.persons} personen in {result.households} huishoudens, "
        f"{result.cases} trajecten (instroom {result.start_year}–{result.end_year}).",
        "Trajecten per status:",
    ]
    for status in CaseStatus:
        lines.append(f"  {status.label}: {result.cases_by_status.get(status.value, 0)}")
    lines.append(
        f"Regie: {result.pips} PIP-versies, {result.exams} examenuitslagen, "
        f"{result.spells} deelnameperiodes, {result.referrals} verwijzingen."
    )
    if result.open_signals:
        signals = ", ".join(f"{code} {n}" for code, n in result.open_signals.items())
        lines.append(f"Open signalen: {signals}.")
    lines += result.notes
    return "\n".join(lines)

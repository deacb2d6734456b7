"""The synthetic-data generator: deterministic, valid, and shaped like the domain doc."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

import pytest

from thuis.accounts.choices import Role
from thuis.accounts.models import User
from thuis.audit import events
from thuis.audit.models import ProcessingRecord
from thuis.cases.choices import CaseStatus, Doelgroep, GedetailleerdeDoelgroep, Regime
from thuis.cases.models import CaseStatusChange, DoelgroepPeriod, IntegrationCase
from thuis.core.bsn import find_bsns, is_valid_bsn
from thuis.partners.models import Organisation
from thuis.people import seed
from thuis.people.choices import Relation
from thuis.people.models import HouseholdMember, Municipality, MunicipalityPopulation, Person

TODAY = date(2026, 3, 1)
PERSONS = 120
CODE = "9901"
ASYLUM_COUNTRIES = {"SY", "ER", "AF", "TR", "IQ", "IR", "YE"}


def _age(birth: date, on: date) -> int:
    return seed.age_on(birth, on)


def _generate(seed_value: int = 7, persons: int = PERSONS, code: str = CODE) -> seed.SeedResult:
    return seed.generate(seed=seed_value, code=code, persons=persons, today=TODAY)


def _snapshot(code: str) -> list[tuple[Any, ...]]:
    rows = []
    persons = Person.objects.filter(municipality__code=code).prefetch_related("cases")
    for person in persons.order_by("pk"):
        case = next(iter(person.cases.all()), None)
        rows.append(
            (
                person.bsn,
                person.full_name,
                person.birth_date,
                case.plicht_start if case else None,
                case.status if case else "",
            )
        )
    return rows


class _Rollback(Exception):
    pass


def _generate_then_roll_back(seed_value: int) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    try:
        with transaction.atomic():
            _generate(seed_value)
            rows = _snapshot(CODE)
            raise _Rollback
    except _Rollback:
        pass
    assert not Person.objects.exists()
    return rows


@pytest.fixture(scope="class")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[seed.SeedResult]:
    """One generated gemeente shared by the read-only shape tests, rolled back afterwards."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield _generate()
                raise _Rollback
        except _Rollback:
            pass


def _cases() -> Any:
    return IntegrationCase.objects.filter(municipality__code=CODE).select_related("person")


def _detail(case: IntegrationCase) -> str:
    return DoelgroepPeriod.objects.get(case=case).gedetailleerde_doelgroep


@pytest.mark.django_db
def test_same_seed_gives_same_data_and_another_seed_does_not() -> None:
    first = _generate_then_roll_back(7)
    again = _generate_then_roll_back(7)
    other = _generate_then_roll_back(8)
    assert len(first) == PERSONS
    assert first == again
    assert first != other


def test_yearly_budget_is_proportional_to_the_table() -> None:
    budget = seed.yearly_budget(persons=1000, start_year=2016, today=date(2025, 12, 31))
    total = sum(seed.inflow_weight(y) for y in range(2016, 2026)) - 89 / 365
    assert sum(budget.values()) == 1000
    for year, count in budget.items():
        weight = seed.inflow_weight(year) * (364 / 365 if year == 2025 else 1)
        assert abs(count - 1000 * weight / total) < 1
    assert budget[2016] > budget[2017] > budget[2018] > budget[2019]
    half_year = seed.yearly_budget(persons=1000, start_year=2024, today=date(2025, 7, 2))
    assert half_year[2025] == pytest.approx(half_year[2024] / 2, abs=2)


def test_population_per_year_uses_the_dalfsen_figures(db: Any) -> None:
    seed.generate(seed=1, code="0148", persons=30, today=TODAY)
    figures = dict(
        MunicipalityPopulation.objects.filter(municipality__code="0148").values_list(
            "year", "inhabitants"
        )
    )
    assert sorted(figures) == list(range(2016, 2027))
    assert figures[2018] == 28_242
    assert figures[2019] == 28_499
    assert figures[2021] == 28_901
    assert figures[2024] == figures[2026] == 29_684
    assert 28_242 < figures[2020] < 28_901
    assert figures[2016] == round(27_672 + (28_242 - 27_672) * 2 / 4)


@pytest.mark.django_db
class TestGeneratedGemeente:
    """Shape checks on one generated gemeente (PERSONS persons, seed 7, peildatum TODAY)."""

    def test_every_bsn_passes_the_elfproef_and_is_unique(self, seeded: seed.SeedResult) -> None:
        bsns = list(Person.objects.values_list("bsn", flat=True))
        assert len(bsns) == PERSONS == seeded.persons
        assert all(is_valid_bsn(bsn) for bsn in bsns)
        assert len(set(bsns)) == len(bsns)

    def test_about_sixty_percent_men_among_adult_asylum_statushouders(
        self, seeded: seed.SeedResult
    ) -> None:
        sexes = Counter(
            c.person.sex
            for c in _cases().filter(doelgroepen__doelgroep=Doelgroep.ASIELSTATUSHOUDER)
        )
        share = sexes["M"] / (sexes["M"] + sexes["V"])
        assert 0.5 <= share <= 0.7, sexes

    def test_country_mix_follows_the_asylum_countries(self, seeded: seed.SeedResult) -> None:
        asylum = Counter(
            c.person.nationality
            for c in _cases().filter(doelgroepen__doelgroep=Doelgroep.ASIELSTATUSHOUDER)
        )
        nationalities = Counter(Person.objects.values_list("nationality", flat=True))
        assert set(nationalities) >= ASYLUM_COUNTRIES, nationalities
        assert set(asylum) - ASYLUM_COUNTRIES, "some asylum statushouders from other countries"
        assert asylum.most_common(1)[0][0] == "SY"

    def test_names_match_sex_and_languages_match_country(self, seeded: seed.SeedResult) -> None:
        arabic = seed.NAME_POOLS["SY"]
        for person in Person.objects.filter(nationality="SY"):
            pool = arabic.men if person.sex == "M" else arabic.women
            assert person.given_names in pool
            assert person.preferred_language in {"ar", "ku"}
        expected = {"ER": {"ti"}, "AF": {"prs", "ps"}, "IR": {"fa", "ku"}, "YE": {"ar"}}
        for country, preferred in expected.items():
            for person in Person.objects.filter(nationality=country):
                assert person.preferred_language in preferred
                assert person.preferred_language in person.languages

    def test_households_with_children_reunification_and_family_migrants(
        self, seeded: seed.SeedResult
    ) -> None:
        children = HouseholdMember.objects.filter(relation=Relation.CHILD).select_related("person")
        minors = [m.person for m in children if _age(m.person.birth_date, m.start_date) < 18]
        assert minors, "households with children"
        assert not IntegrationCase.objects.filter(person__in=minors).exists()
        for case in _cases():
            assert 18 <= _age(case.person.birth_date, case.plicht_start) < 67

        later = HouseholdMember.objects.filter(arrived_later=True).select_related("household")
        assert later.exists(), "nareizigers (family reunification)"
        for member in later:
            first = member.household.members.filter(arrived_later=False).earliest("start_date")
            months = (member.start_date - first.start_date).days / 30.4
            assert 6 <= months <= 25
        followers = _cases().filter(person__memberships__arrived_later=True)
        assert followers.exists()
        for case in followers:
            assert _detail(case) == GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL

        migrants = list(_cases().filter(doelgroepen__doelgroep=Doelgroep.GEZINSMIGRANT))
        assert migrants, "gezinsmigranten"
        assert all(c.plicht_start >= date(2021, 12, 1) for c in migrants)
        women = sum(c.person.sex == "V" for c in migrants)
        assert women > len(migrants) / 2

    def test_cases_in_every_status_under_both_regimes(self, seeded: seed.SeedResult) -> None:
        cases = list(_cases())
        assert {c.status for c in cases} == set(CaseStatus.values)
        assert {c.regime for c in cases} == {Regime.WI2013, Regime.WI2021}
        for case in cases:
            expected = Regime.WI2021 if case.plicht_start >= date(2022, 1, 1) else Regime.WI2013
            assert case.regime == expected
            if case.koppeling_date and case.vestiging_date:
                assert case.koppeling_date <= case.vestiging_date <= TODAY
        assert seeded.cases == len(cases)
        statuses = Counter(c.status for c in cases)
        assert seeded.cases_by_status == {s: statuses[s] for s in CaseStatus.values}

    def test_status_history_is_ordered_and_never_after_today(self, seeded: seed.SeedResult) -> None:
        changes = CaseStatusChange.objects.filter(case__municipality__code=CODE)
        assert changes.count() > seeded.cases
        assert not changes.filter(on_date__gt=TODAY).exists()
        by_case: dict[int, list[date]] = {}
        for change in changes.order_by("case_id", "pk"):
            by_case.setdefault(change.case_id, []).append(change.on_date)
        assert all(dates == sorted(dates) for dates in by_case.values())
        assert not HouseholdMember.objects.filter(start_date__gt=TODAY).exists()

    def test_old_cohorts_are_mostly_closed_and_recent_ones_open(
        self, seeded: seed.SeedResult
    ) -> None:
        open_statuses = {CaseStatus.AANGEMELD, CaseStatus.INTAKE, CaseStatus.PIP}
        old = [c.status in open_statuses for c in _cases() if c.plicht_start.year <= 2018]
        new = [c.status in open_statuses for c in _cases() if c.plicht_start >= date(2025, 6, 1)]
        assert old and sum(old) / len(old) < 0.3
        assert new and sum(new) / len(new) > 0.7

    def test_yearly_inflow_follows_the_inflow_table(self, seeded: seed.SeedResult) -> None:
        budget = seed.yearly_budget(persons=PERSONS, start_year=2016, today=TODAY)
        arrivals = Counter(
            HouseholdMember.objects.filter(household__municipality__code=CODE).values_list(
                "start_date__year", flat=True
            )
        )
        assert dict(arrivals) == {year: n for year, n in budget.items() if n}
        assert seeded.persons_by_year == {year: n for year, n in budget.items() if n}

    def test_everything_is_logged_as_seed_activity_without_bsns(
        self, seeded: seed.SeedResult
    ) -> None:
        records = ProcessingRecord.objects.all()
        assert records.count() >= PERSONS
        assert set(records.values_list("processing_activity", flat=True)) == {events.Activity.SEED}
        assert set(records.values_list("actor_label", flat=True)) == {seed.BY}
        # Hex hashes and trace ids may contain 9-digit runs by chance; no real BSN may appear.
        text = " ".join(" ".join(map(str, row)) for row in records.values_list())
        bsns = set(Person.objects.values_list("bsn", flat=True))
        assert not set(find_bsns(text)) & bsns


@pytest.mark.django_db
def test_demo_is_complete_and_a_second_run_changes_nothing() -> None:
    out = StringIO()
    call_command("seed", "--demo", "--persons", "60", "--today", TODAY.isoformat(), stdout=out)
    output = out.getvalue()
    assert "Dalfsen (demo) (0148): 60 personen" in output
    assert "Zwolle (demo) (0193): 20 personen" in output
    assert find_bsns(output) == []

    dalfsen = Municipality.objects.get(code="0148")
    zwolle = Municipality.objects.get(code="0193")
    assert dalfsen.name == "Dalfsen (demo)"
    assert Person.objects.filter(municipality=dalfsen).count() == 60
    assert Person.objects.filter(municipality=zwolle).count() == 20
    assert {u.role for u in User.objects.all()} == set(Role.values)
    for spec in seed.DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(seed.DEMO_PASSWORD)
        assert user.role == spec.role
        assert [m.code for m in user.municipalities.all()] == [spec.municipality]
    assert User.objects.get(username="regisseur").team.name == "Team Inburgering"
    partner = User.objects.get(username="partner")
    assert partner.organisation.name == "VluchtelingenWerk (demo)"
    assert partner.organisation.kind == "mb"
    kinds = {o.kind for o in Organisation.objects.filter(municipalities=dalfsen)}
    assert kinds == {"mb", "taal", "vrijwilligers", "werkgever"}

    dalfsen_cases = IntegrationCase.objects.filter(municipality=dalfsen)
    regisseurs = Counter(dalfsen_cases.values_list("regisseur__username", flat=True))
    assert set(regisseurs) == {"regisseur", "regisseur2"}
    assert abs(regisseurs["regisseur"] - regisseurs["regisseur2"]) <= 1
    assert not dalfsen_cases.filter(team__isnull=True).exists()
    zwolle_regisseurs = IntegrationCase.objects.filter(municipality=zwolle).values_list(
        "regisseur__username", flat=True
    )
    assert set(zwolle_regisseurs) == {"regisseur_zwolle"}

    counts = (Person.objects.count(), User.objects.count(), ProcessingRecord.objects.count())
    again = StringIO()
    call_command("seed", "--demo", stdout=again)
    assert again.getvalue().strip() == "De demogemeente is al gevuld."
    assert (Person.objects.count(), User.objects.count(), ProcessingRecord.objects.count()) == (
        counts
    )


@pytest.mark.django_db
def test_demo_logins_prints_one_login_per_role() -> None:
    empty = StringIO()
    call_command("demo_logins", stdout=empty)
    assert "thuis seed --demo" in empty.getvalue()

    call_command(
        "seed", "--demo", "--persons", "20", "--today", TODAY.isoformat(), stdout=StringIO()
    )
    out = StringIO()
    call_command("demo_logins", stdout=out)
    output = out.getvalue()
    assert "http://127.0.0.1:8000/" in output
    assert seed.DEMO_PASSWORD in output
    for spec in seed.DEMO_USERS:
        assert spec.username in output
    for role in Role:
        assert str(role.label) in output


@pytest.mark.django_db
def test_command_options() -> None:
    out = StringIO()
    call_command(
        "seed",
        *("--seed", "5", "--municipality", "0193", "--name", "Zwolle"),
        *("--persons", "25", "--years", "3", "--today", "2025-06-30"),
        stdout=out,
    )
    zwolle = Municipality.objects.get(code="0193")
    assert zwolle.name == "Zwolle"
    assert Person.objects.filter(municipality=zwolle).count() == 25
    years = set(
        HouseholdMember.objects.filter(household__municipality=zwolle).values_list(
            "start_date__year", flat=True
        )
    )
    assert years <= {2023, 2024, 2025}
    populations = MunicipalityPopulation.objects.filter(municipality=zwolle)
    assert sorted(populations.values_list("year", flat=True)) == [2023, 2024, 2025]
    assert "Zwolle (0193): 25 personen" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ("--years", "30"),
        ("--municipality", "12"),
        ("--persons", "-3"),
        ("--today", "gisteren"),
        ("--demo", "--municipality", "0193"),
    ],
)
def test_command_refuses_bad_options(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        call_command("seed", *args, stdout=StringIO())
    assert not Person.objects.exists()

"""The synthetic-data generator: deterministic, valid, and shaped like the domain doc."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

import pytest
from dateutil.relativedelta import relativedelta

from thuis.accounts import services as account_services
from thuis.accounts.choices import Role
from thuis.accounts.models import User
from thuis.audit import events
from thuis.audit.models import ProcessingRecord
from thuis.cases import rules
from thuis.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    Doelgroep,
    GedetailleerdeDoelgroep,
    Leerroute,
    Regime,
)
from thuis.cases.models import (
    Appointment,
    BredeIntake,
    CaseSignal,
    CaseStatusChange,
    ComponentCompletion,
    DoelgroepPeriod,
    EnforcementMeasure,
    ExamResult,
    HoursRecord,
    IntegrationCase,
    OntzorgenArrangement,
    OntzorgenPayment,
    Pip,
    ProgressTalk,
    TermijnExtension,
)
from thuis.cases.services.progress import plicht_check
from thuis.core.bsn import find_bsns, is_valid_bsn
from thuis.demo import seed
from thuis.partners.models import Organisation, ParticipationSpell, Referral
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
    """Persons with their case, PIPs, exams, completions, payments and spells."""
    rows = []
    persons = Person.objects.filter(municipality__code=code).prefetch_related(
        "cases__pips",
        "cases__exams",
        "cases__completions",
        "cases__progress_talks",
        "participation_spells",
    )
    for person in persons.order_by("pk"):
        case = next(iter(person.cases.all()), None)
        regie: tuple[Any, ...] = ()
        if case is not None:
            regie = (
                case.kennisgeving_date,
                case.vestiging_date,
                case.plicht_end_date,
                case.loan_status,
                [(p.version, p.dagtekening, p.leerroute, p.niveau) for p in case.pips.all()],
                [(e.component, e.level, e.exam_date, e.result) for e in case.exams.all()],
                [(c.component, c.completed_on) for c in case.completions.all()],
                [t.held_on for t in case.progress_talks.all()],
            )
        spells = [
            (s.kind, s.start_date, s.end_date, s.hours_per_week)
            for s in person.participation_spells.all()
        ]
        rows.append(
            (
                person.bsn,
                person.full_name,
                person.birth_date,
                case.plicht_start if case else None,
                case.status if case else "",
                regie,
                spells,
            )
        )
    return rows


class _Rollback(Exception):
    pass


def _generate_then_roll_back(seed_value: int) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    try:
        with transaction.atomic():
            _demo_users_for(CODE)
            _generate(seed_value)
            rows = _snapshot(CODE)
            raise _Rollback
    except _Rollback:
        pass
    assert not Person.objects.exists()
    return rows


def _demo_users_for(code: str) -> None:
    """A regisseur and the partner organisations, as a gemeente using Thuis would have."""
    municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name": "Test"})
    user = User.objects.create_user(username=f"regie{code}", role=Role.REGISSEUR)
    user.municipalities.set([municipality])
    for name, kind in seed.DEMO_ORGANISATIONS:
        organisation = Organisation.objects.create(name=f"{name} {code}", kind=kind)
        organisation.municipalities.add(municipality)


@pytest.fixture(scope="class")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[seed.SeedResult]:
    """One generated gemeente shared by the read-only shape tests, rolled back afterwards."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                _demo_users_for(CODE)
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
    # The regie and the spells are part of what is compared, and there is plenty of it.
    assert sum(len(row[5][4]) for row in first if row[5]) > 20  # PIP versions
    assert sum(len(row[5][5]) for row in first if row[5]) > 50  # exam results
    assert sum(len(row[6]) for row in first) > 50  # participation spells


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

    def test_everything_is_logged_by_the_seed_without_bsns(self, seeded: seed.SeedResult) -> None:
        records = ProcessingRecord.objects.all()
        assert records.count() >= PERSONS
        # Persons and households under the seed activity; the regie under each service's own
        # activity. All by the seed (talks: by the case's regisseur), all from `thuis seed`.
        created = records.filter(object_type__in=["person", "household"])
        assert set(created.values_list("processing_activity", flat=True)) == {events.Activity.SEED}
        activities = set(records.values_list("processing_activity", flat=True))
        assert activities <= {
            events.Activity.SEED,
            events.Activity.REGIE,
            events.Activity.INTAKE,
            events.Activity.PIP,
            events.Activity.PARTNER,
        }
        actors = set(records.values_list("actor_label", flat=True))
        assert actors == {seed.BY, f"regie{CODE}"}
        assert set(records.values_list("origin", flat=True)) == {"thuis seed"}
        assert set(
            records.filter(object_type="progress_talk").values_list("actor_label", flat=True)
        ) == {f"regie{CODE}"}
        # Hex hashes and trace ids may contain 9-digit runs by chance; no real BSN may appear.
        text = " ".join(" ".join(map(str, row)) for row in records.values_list())
        bsns = set(Person.objects.values_list("bsn", flat=True))
        assert not set(find_bsns(text)) & bsns


def _first_pips() -> dict[int, Pip]:
    return {p.case_id: p for p in Pip.objects.filter(version=1)}


def _last_pips() -> dict[int, Pip]:
    return {p.case_id: p for p in Pip.objects.order_by("case_id", "version")}


@pytest.mark.django_db
class TestGeneratedRegie:
    """Shape checks on the regie of the same generated gemeente."""

    def test_every_wi2021_case_in_uitvoering_has_a_pip_and_wi2013_none(
        self, seeded: seed.SeedResult
    ) -> None:
        pips = _first_pips()
        for case in _cases().prefetch_related("status_changes"):
            if case.regime == Regime.WI2013:
                assert case.id not in pips
                continue
            reached_pip = any(c.to_status == CaseStatus.PIP for c in case.status_changes.all())
            assert (case.id in pips) == reached_pip, case.status
            if case.status == CaseStatus.PIP:
                assert case.id in pips
        assert seeded.pips == Pip.objects.count() > 0

    def test_pips_follow_duo_rules_and_the_route_mix(self, seeded: seed.SeedResult) -> None:
        first = _first_pips()
        intakes = {i.case_id: i for i in BredeIntake.objects.all()}
        for case in _cases().filter(pk__in=first):
            pip = first[case.pk]
            assert case.vestiging_date and pip.dagtekening >= case.vestiging_date
            assert pip.dagtekening >= intakes[case.pk].started_on
            assert intakes[case.pk].completed_on <= pip.dagtekening
        expected = {Leerroute.B1: "B1", Leerroute.ONDERWIJS: "B1", Leerroute.Z: "A2"}
        for pip in Pip.objects.exclude(reason="afschalen"):
            assert pip.niveau == expected[pip.leerroute]
        routes = Counter(p.leerroute for p in _last_pips().values())
        total = sum(routes.values())
        assert 0.35 <= routes[Leerroute.B1] / total <= 0.75, routes
        assert 0.15 <= routes[Leerroute.Z] / total <= 0.55, routes
        for pip in Pip.objects.filter(reason="schakelen"):
            start = first[pip.case_id].dagtekening + date.resolution
            assert rules.route_switch_allowed(termijn_start=start, on=pip.dagtekening).value

    def test_intake_has_the_statutory_parts_and_the_cesuur_rule(
        self, seeded: seed.SeedResult
    ) -> None:
        completed = BredeIntake.objects.filter(completed_on__isnull=False)
        assert completed.exists()
        for intake in completed:
            assert intake.statutory_parts_done
            outcome = rules.lbt_outcome(score=intake.lbt_score, test_date=intake.lbt_date)
            assert intake.lbt_outcome == outcome.value.value
            assert intake.lbt_review == outcome.review
        for intake in BredeIntake.objects.filter(started_on__isnull=False):
            assert intake.case.health_notes.exists()
        assert Appointment.objects.filter(outcome="niet_verschenen").count() == (
            EnforcementMeasure.objects.filter(appointment__isnull=False).count()
            - EnforcementMeasure.objects.filter(kind="pip_zonder_inbreng").count()
        )

    def test_voldaan_cases_meet_the_rules_and_closed_cases_have_an_end(
        self, seeded: seed.SeedResult
    ) -> None:
        voldaan = list(_cases().filter(status=CaseStatus.VOLDAAN))
        assert voldaan
        for case in voldaan:
            assert plicht_check(case).value, case.pk
        for case in _cases().exclude(status__in=OPEN_STATUSES):
            assert case.plicht_end_date == case.status_since
            assert case.plicht_end_reason
        assert not _cases().filter(status__in=OPEN_STATUSES, plicht_end_date__isnull=False)

    def test_exams_per_regime(self, seeded: seed.SeedResult) -> None:
        exams = ExamResult.objects.select_related("case")
        assert seeded.exams == exams.count() > 0
        for exam in exams:
            assert exam.exam_date >= exam.case.plicht_start
            if exam.component in rules.COMPONENTS_WITHOUT_LEVEL:
                assert exam.level == ""  # KNM and ONA have no level
            elif exam.case.regime == Regime.WI2013:
                assert exam.level == "A2"
                if exam.component == "ona":
                    assert exam.case.plicht_start >= rules.WI2013_ONA_FROM
        results = Counter(exams.values_list("result", flat=True))
        assert results["geslaagd"] > results["gezakt"] > 0
        attempts = Counter(exams.values_list("case_id", "component"))
        assert max(attempts.values()) >= 2
        for case in _cases().filter(regime=Regime.WI2013).exclude(status=CaseStatus.AANGEMELD):
            assert case.loan_status in {"geen", "lopend", "kwijtgescholden"}
        loans = set(_cases().filter(regime=Regime.WI2013).values_list("loan_status", flat=True))
        assert {"lopend", "kwijtgescholden"} <= loans

    def test_progress_hours_completions_and_extensions(self, seeded: seed.SeedResult) -> None:
        assert ProgressTalk.objects.exists()
        assert HoursRecord.objects.filter(kind="cursus").exists()
        kinds = set(ComponentCompletion.objects.values_list("component", flat=True))
        assert {"pvt", "map"} <= kinds
        assert TermijnExtension.objects.exists()
        first = _first_pips()
        for completion in ComponentCompletion.objects.filter(case__regime=Regime.WI2021):
            assert completion.completed_on > first[completion.case_id].dagtekening

    def test_ontzorgen_only_for_asielstatushouders_with_payments_in_the_window(
        self, seeded: seed.SeedResult
    ) -> None:
        arrangements = OntzorgenArrangement.objects.select_related("case")
        assert arrangements.exists()
        for arrangement in arrangements:
            assert arrangement.case.regime == Regime.WI2021
            assert arrangement.case.recht_op_bijstand
            assert _detail(arrangement.case) in {
                GedetailleerdeDoelgroep.ASIELSTATUSHOUDER,
                GedetailleerdeDoelgroep.GEZINSHERENIGER_ASIEL,
            }
        payments = OntzorgenPayment.objects.select_related("arrangement")
        assert payments.exists()
        for payment in payments:
            window = rules.ontzorgen_window(
                bijstand_start=payment.arrangement.bijstand_start, bijstand_end=None
            )
            assert payment.arrangement.bijstand_start.replace(day=1) <= payment.month
            assert payment.month <= window.value
            assert payment.paid_on >= payment.arrangement.machtiging_signed_on

    def test_the_work_queue_has_realistic_signals(self, seeded: seed.SeedResult) -> None:
        signals = CaseSignal.objects.filter(resolved_on__isnull=True)
        codes = set(signals.values_list("code", flat=True))
        assert len(codes) >= 3, codes
        assert codes <= set(rules.SignaalCode) | {"LEVERING_GEWEIGERD"}
        assert not signals.exclude(case__status__in=OPEN_STATUSES).exists()
        assert sum(seeded.open_signals.values()) == signals.count()

    def test_no_regie_date_after_today(self, seeded: seed.SeedResult) -> None:
        for model, name in (
            (Pip, "dagtekening"),
            (ExamResult, "exam_date"),
            (ProgressTalk, "held_on"),
            (ComponentCompletion, "completed_on"),
            (HoursRecord, "period_end"),
            (OntzorgenPayment, "paid_on"),
            (TermijnExtension, "decided_on"),
            (BredeIntake, "completed_on"),
            (BredeIntake, "lbt_date"),
            (EnforcementMeasure, "on_date"),
            (IntegrationCase, "kennisgeving_date"),
            (IntegrationCase, "plicht_end_date"),
            (ParticipationSpell, "start_date"),
            (ParticipationSpell, "end_date"),
        ):
            assert not model.objects.filter(**{f"{name}__gt": TODAY}).exists(), (model, name)
        # Only planned appointments lie ahead, never more than three months.
        ahead = Appointment.objects.filter(scheduled_on__gt=TODAY)
        assert set(ahead.values_list("outcome", flat=True)) <= {"gepland"}
        assert not ahead.filter(scheduled_on__gt=date(2026, 6, 1)).exists()

    def test_spells_show_the_gap_between_men_and_women(self, seeded: seed.SeedResult) -> None:
        spells = ParticipationSpell.objects.all()
        assert seeded.spells == spells.count()
        kinds = set(spells.values_list("kind", flat=True))
        assert {"werk", "vrijwilligerswerk", "stage", "bijstand"} <= kinds
        settled = _cases().filter(vestiging_date__lte=date(2023, 3, 1))
        worked: dict[str, list[bool]] = {"M": [], "V": []}
        for case in settled:
            has_work = spells.filter(person=case.person, kind="werk").exists()
            worked[case.person.sex].append(has_work)
        men = sum(worked["M"]) / len(worked["M"])
        women = sum(worked["V"]) / len(worked["V"])
        assert men > 1.5 * women, (men, women)
        assert 0.2 <= men <= 0.8
        for case in _cases().filter(status=CaseStatus.BEEINDIGD).exclude(plicht_end_date=None):
            late = spells.filter(person=case.person, start_date__gt=case.plicht_end_date)
            assert not late.exists()

    def test_participation_six_months_after_vestiging(self, seeded: seed.SeedResult) -> None:
        six_months = {}
        for case in _cases().filter(vestiging_date__lte=date(2025, 8, 1)):
            on = case.vestiging_date + relativedelta(months=6)
            six_months[case.pk] = (
                ParticipationSpell.objects.filter(
                    person=case.person,
                    kind__in=["werk", "stage", "vrijwilligerswerk"],
                    start_date__lte=on,
                )
                .exclude(end_date__lt=on)
                .exists()
            )
        share = sum(six_months.values()) / len(six_months)
        assert 0.3 <= share <= 0.7, share

    def test_referrals_to_the_gemeente_organisations(self, seeded: seed.SeedResult) -> None:
        referrals = Referral.objects.all()
        assert seeded.referrals == referrals.count() > 0
        assert not referrals.filter(sent_on__gt=TODAY).exists()
        assert set(referrals.values_list("referral_type", flat=True)) >= {"mb", "taal"}


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

    # The regie, the work queue, the partner portal, finance, the survey and monitoring.
    assert Pip.objects.filter(case__municipality=dalfsen).exists()
    assert ProgressTalk.objects.filter(held_by__username__in=["regisseur", "regisseur2"]).exists()
    assert CaseSignal.objects.filter(case__municipality=dalfsen, resolved_on=None).exists()
    assert ParticipationSpell.objects.filter(person__municipality=dalfsen).exists()
    assert Referral.objects.filter(organisation__name="VluchtelingenWerk (demo)").exists()
    assert "Open signalen:" in output
    assert "Financiën: begroting, kosten en een scenario aangemaakt." in output
    assert "anonieme antwoorden" in output
    from thuis.finance.models import Scenario
    from thuis.monitoring.models import PersonFact
    from thuis.surveys.models import Response

    assert Scenario.objects.filter(municipality=dalfsen).exists()
    assert Response.objects.filter(version__survey__municipality=dalfsen).count() >= 30
    assert PersonFact.objects.filter(municipality=dalfsen).count() == dalfsen_cases.count()

    counts = (
        Person.objects.count(),
        User.objects.count(),
        ProcessingRecord.objects.count(),
        Pip.objects.count(),
        Response.objects.count(),
    )
    again = StringIO()
    call_command("seed", "--demo", stdout=again)
    assert again.getvalue().strip() == "De demogemeente is al gevuld."
    assert (
        Person.objects.count(),
        User.objects.count(),
        ProcessingRecord.objects.count(),
        Pip.objects.count(),
        Response.objects.count(),
    ) == counts


@pytest.mark.django_db(transaction=True)
def test_the_seed_queues_nothing_for_duo(settings: Any) -> None:
    """Seeded PIPs and completions are history: the DUO koppeling must not deliver them (the
    seed writes as a system actor, which the koppeling skips). A real commit (transactional
    test), so the hooks that run after commit really run."""
    from thuis.duo.models import DuoCaseState, DuoSignal, OutboxMessage

    settings.THUIS_DUO_OIN = "00000099000000000001"
    settings.THUIS_GEMEENTE_OIN = "00000099000000000148"
    seed.generate(seed=3, code=CODE, persons=40, today=TODAY)
    assert Pip.objects.exists()
    assert ComponentCompletion.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not DuoSignal.objects.exists()
    assert not DuoCaseState.objects.exists()


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
    # With the second factor on, each demo user gets a one-time activation code.
    code = output.split(f"  {seed.DEMO_USERS[0].username}: ", 1)[1].split()[0]
    user = User.objects.get(username=seed.DEMO_USERS[0].username)
    assert account_services.activation_code_redeem(user=user, code=code)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the snapshot export is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_seed_demo_on_postgresql_with_the_parallel_rebuild(settings: Any) -> None:
    """`thuis seed --demo` rebuilds the facts inside its own transaction: no "cannot export a
    snapshot from a subtransaction", and the facts count the seeded cases."""
    from thuis.monitoring.models import FactRebuild, PersonFact

    settings.THUIS_FACTS_PARALLEL = True
    out = StringIO()
    call_command("seed", "--demo", "--persons", "20", "--today", TODAY.isoformat(), stdout=out)
    assert "Demogegevens aangemaakt" in out.getvalue()
    dalfsen = Municipality.objects.get(code=seed.DEMO_CODE)
    cases = IntegrationCase.objects.filter(municipality=dalfsen).count()
    assert cases > 0
    assert PersonFact.objects.filter(municipality=dalfsen).count() == cases
    assert FactRebuild.objects.filter(municipality=dalfsen).exists()


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

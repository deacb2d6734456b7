"""The demo: `thuis seed --demo` (Dalfsen (demo) with users per role, partner organisations,
finance, a survey and monitoring facts, plus a small Zwolle (demo) that stays out of scope)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from thuis.accounts.choices import Role
from thuis.accounts.models import Team, User
from thuis.demo.finance import seed_finance_demo
from thuis.demo.policy import seed_policy_demo
from thuis.monitoring import services as monitoring_services
from thuis.partners.models import Organisation
from thuis.people.models import Municipality, Person
from thuis.surveys import selectors as survey_selectors
from thuis.surveys import services as survey_services
from thuis.surveys.choices import QuestionType
from thuis.surveys.filling import check_posted, field_name

from .data import (
    BY,
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    DEMO_CODE,
    DEMO_NAME,
    DEMO_ORGANISATIONS,
    DEMO_OTHER_CODE,
    DEMO_OTHER_NAME,
    DEMO_OTHER_PERSONS,
    DEMO_OTHER_YEARS,
    DEMO_PASSWORD,
    DEMO_TEAM,
    DEMO_USERS,
    DemoUser,
)
from .generator import SeedResult, generate

DEMO_SURVEY_RESPONSES = 48
SURVEY_LANGUAGES: dict[str, float] = {"ar": 45, "nl": 35, "en": 20}


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

    results = [
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
    results[0].notes += demo_extras(dalfsen, today=today, seed=seed)
    return results


def demo_extras(municipality: Municipality, *, today: date, seed: int) -> list[str]:
    """Policy, finance, survey and monitoring demo data; one Dutch line per part."""
    notes = policy_and_facts(municipality)
    seed_finance_demo(municipality, by=BY, today=today)
    notes.append("Financiën: begroting, kosten en een scenario aangemaakt.")
    version = survey_services.standard_survey_install(municipality)
    count = survey_responses(
        version, submit=survey_services.response_submit_anonymous, today=today, seed=seed
    )
    notes.append(f"Vragenlijst 'Ervaringen met Thuis': {count} anonieme antwoorden.")
    return notes


def survey_responses(
    version: Any, *, submit: Any, today: date, seed: int, count: int = DEMO_SURVEY_RESPONSES
) -> int:
    """Synthetic anonymous responses, checked like the respondent page checks them.

    Idempotent: nothing is added when the version already has responses. Answers lean
    positive but vary; months spread over the last half year."""
    if survey_selectors.has_responses(version=version):
        return 0
    rng = random.Random(f"{seed}:enquete")  # noqa: S311 - synthetic data
    questions = list(version.questions.order_by("order"))
    lists: dict[str, list[str]] = {}
    for list_name, name in version.choices.order_by("list_name", "order").values_list(
        "list_name", "name"
    ):
        lists.setdefault(list_name, []).append(name)
    stored = 0
    for _ in range(count):
        posted: dict[str, list[str]] = {}
        for question in questions:
            options = lists.get(question.list_name, [])
            key = field_name(question.name)
            if question.type in {QuestionType.LIKERT, QuestionType.SINGLE} and options:
                weights = [1 + i for i in range(len(options))]
                if question.type == QuestionType.SINGLE:
                    weights = [1] * len(options)
                posted[key] = [rng.choices(options, weights=weights)[0]]
            elif question.type == QuestionType.MATRIX and options:
                for row in question.rows:
                    posted[field_name(row["name"])] = [
                        rng.choices(options, weights=[1 + i for i in range(len(options))])[0]
                    ]
            elif question.type == QuestionType.MULTIPLE and options:
                alone = [o for o in options if o in {"geen", "niets"}]
                if alone and rng.random() < 0.15:
                    posted[key] = [alone[0]]
                else:
                    rest = [o for o in options if o not in alone]
                    posted[key] = rng.sample(rest, min(len(rest), rng.randint(1, 3)))
            elif question.type == QuestionType.NUMBER:
                posted[key] = [str(rng.randint(8, 40))]
        language = rng.choices(list(SURVEY_LANGUAGES), weights=list(SURVEY_LANGUAGES.values()))[0]

        def get(key: str, values: dict[str, list[str]] = posted) -> str:
            return (values.get(key) or [""])[0]

        def getlist(key: str, values: dict[str, list[str]] = posted) -> list[str]:
            return values.get(key, [])

        checked = check_posted(
            questions,
            get=get,
            getlist=getlist,
            choices_by_list={k: set(v) for k, v in lists.items()},
            language=language,
        )
        if checked.errors:
            continue
        month = today - timedelta(days=rng.randint(0, 180))
        submit(version=version, language=language, answers=checked.answers, today=month)
        stored += 1
    return stored


__all__ = ["demo_extras", "demo_is_seeded", "seed_demo", "survey_responses"]


def policy_and_facts(municipality: Municipality) -> list[str]:
    """The plan van aanpak "Thuis in Dalfsen" and the monitoring facts for the dashboards."""
    seed_policy_demo(municipality)
    monitoring_services.facts_rebuild(municipality=municipality)
    return ["Beleid: plan van aanpak 'Thuis in Dalfsen' aangemaakt.", "Monitor: feiten bijgewerkt."]

"""factory_boy factories with Dutch fakers; setup goes through the real services."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import factory
from faker import Faker

from thuis.accounts.choices import Role
from thuis.accounts.models import Team, User
from thuis.cases import services as case_services
from thuis.cases.choices import Doelgroep, GedetailleerdeDoelgroep
from thuis.people.models import Household, HouseholdMember, Municipality, Person

_faker = Faker("nl_NL")


def random_bsn(rng: random.Random | None = None) -> str:
    """An elfproef-valid BSN (9 characters, may start with 0)."""
    r = rng or random.Random()
    while True:
        digits = [r.randint(0, 9) for _ in range(8)]
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
        if last <= 9 and any(digits):
            return "".join(map(str, [*digits, last]))


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    role = Role.REGISSEUR
    password = factory.django.Password("Thuis-test-2026!")

    @factory.post_generation
    def municipalities(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.municipalities.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    bsn = factory.LazyFunction(random_bsn)
    given_names = factory.Faker("first_name", locale="ar_AA")
    family_name = factory.Faker("last_name", locale="ar_AA")
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=60)
    sex = factory.Iterator(["M", "V"])
    nationality = "SY"
    country_of_birth = "SY"
    languages = factory.LazyFunction(lambda: ["ar"])
    preferred_language = "ar"


class CaseFactory(factory.django.DjangoModelFactory):
    """Cases are opened through the service, so regime and history are real."""

    class Meta:
        model = "cases.IntegrationCase"

    person = factory.SubFactory(PersonFactory)
    plicht_start = date(2023, 3, 1)
    doelgroep = Doelgroep.ASIELSTATUSHOUDER
    gedetailleerde_doelgroep = GedetailleerdeDoelgroep.ASIELSTATUSHOUDER
    regisseur = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        return case_services.case_open(by="test", **kwargs)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Huishouden {n}")


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    relation = "referent"
    start_date = date(2023, 3, 1)

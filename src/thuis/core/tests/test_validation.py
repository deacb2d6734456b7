"""core.validation: one way to validate and save, for every service that used its own wrapper."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

import pytest

from thuis.cases.choices import ExamComponent, Niveau
from thuis.cases.models import ExamResult
from thuis.cases.services import exam_record
from thuis.core import validation
from thuis.core.errors import ValidationFailed
from thuis.finance import services as finance_services
from thuis.finance.models import BudgetLine
from thuis.partners import services as partner_services
from thuis.partners.choices import ContactCommunity, ContactKind
from thuis.partners.models import SupportContact
from thuis.people import services as people_services
from thuis.people.models import Household, HouseholdMember
from thuis.policy import services as policy_services
from thuis.policy.models import Plan

pytestmark = pytest.mark.django_db


def _contact(person: Any, **kw: Any) -> SupportContact:
    values: dict[str, Any] = {
        "person": person,
        "kind": ContactKind.TAALMAATJE,
        "community": ContactCommunity.DUTCH,
        "start_date": date(2026, 3, 1),
        **kw,
    }
    return SupportContact(**values)


# --- the support network: a check constraint with a Dutch message at its field ----------------


def test_support_contact_ending_before_it_starts_gets_a_dutch_field_message(
    person: Any, regisseur: Any
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        partner_services.contact_create(
            by=regisseur,
            person=person,
            kind=ContactKind.TAALMAATJE,
            community=ContactCommunity.DUTCH,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 2, 28),
        )
    assert exc.value.code == "steunpersoon_einde_voor_start"
    assert exc.value.fields == {"end_date": ["De einddatum ligt vóór de startdatum."]}
    assert exc.value.message == "De einddatum ligt vóór de startdatum."
    assert "support_end_after_start" not in exc.value.message
    assert not SupportContact.objects.exists()


def test_a_constraint_only_the_database_catches_gets_the_same_message(person: Any) -> None:
    """Past full_clean (here: the end date excluded from it) the IntegrityError is translated."""
    contact = _contact(person, end_date=date(2026, 2, 1))
    with transaction.atomic():
        with pytest.raises(ValidationFailed) as exc:
            validation.save(contact, exclude=["end_date"])
        assert exc.value.code == "steunpersoon_einde_voor_start"
        assert SupportContact.objects.count() == 0  # the outer transaction is still usable
    assert exc.value.fields == {"end_date": ["De einddatum ligt vóór de startdatum."]}


def test_a_unique_constraint_the_database_catches_is_named_by_its_message(person: Any) -> None:
    household = Household.objects.create(municipality=person.municipality, name="Huis")
    member = {"household": household, "person": person, "relation": "partner"}
    HouseholdMember.objects.create(start_date=date(2026, 1, 1), **member)
    again = HouseholdMember(start_date=date(2026, 1, 1), **member)
    with pytest.raises(ValidationFailed) as exc:
        validation.save(again, exclude=["start_date"])
    assert exc.value.code == "lid_bestaat"
    assert exc.value.message == "Deze persoon is op deze datum al lid van dit huishouden."
    assert HouseholdMember.objects.count() == 1


def test_every_constraint_has_a_dutch_message_and_a_code() -> None:
    from django.apps import apps
    from django.db.models import BaseConstraint

    seen = 0
    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("thuis."):
            continue
        for constraint in model._meta.constraints:
            seen += 1
            message = str(constraint.violation_error_message)
            assert message != str(BaseConstraint.default_violation_error_message), constraint.name
            assert constraint.name not in message
            assert constraint.violation_error_code, constraint.name
            assert constraint.violation_error_code not in codes, constraint.name
            codes.add(constraint.violation_error_code)
    assert seen >= 40


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("support_end_after_start", "end_date"),
        ("goal_indicator_needs_target", "target_value"),
        ("action_planned_end_after_start", "planned_end"),
        ("reportversion_published_has_number", "number"),
        ("pip_unique_version", "version"),
    ],
)
def test_a_constraint_message_lands_on_the_field_it_is_about(name: str, field: str) -> None:
    from django.apps import apps

    constraint = next(c for m in apps.get_models() for c in m._meta.constraints if c.name == name)
    assert validation.constraint_field(constraint) == field


# --- the five former wrappers, through their services -----------------------------------------


def test_cases_service_refuses_an_unknown_choice_with_the_field_label(
    case: Any, regisseur: Any
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        exam_record(
            case=case,
            by=regisseur,
            component=ExamComponent.LEZEN,
            level=Niveau.B1,
            exam_date=case.plicht_start,
            result="onzin",
        )
    assert exc.value.code == "ongeldig"
    assert list(exc.value.fields) == ["result"]
    assert exc.value.message.startswith("Uitslag: ")
    assert "onzin" in exc.value.message
    assert not ExamResult.objects.exists()


def test_finance_service_refuses_an_unknown_source(municipality: Any, regisseur: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        finance_services.budget_line_create(
            by=regisseur, municipality=municipality, year=2026, source="x", amount=Decimal(10)
        )
    assert exc.value.code == "ongeldig"
    assert list(exc.value.fields) == ["source"]
    assert exc.value.message.startswith("Bron: ")
    assert not BudgetLine.objects.exists()


def test_people_service_refuses_the_same_member_twice(person: Any, regisseur: Any) -> None:
    household = Household.objects.create(municipality=person.municipality, name="Huis")
    add = {"by": regisseur, "household": household, "person": person, "relation": "partner"}
    people_services.household_add_member(start_date=date(2026, 1, 1), **add)
    with pytest.raises(ValidationFailed) as exc:
        people_services.household_add_member(start_date=date(2026, 1, 1), **add)
    assert exc.value.code == "lid_bestaat"
    assert exc.value.fields == {
        "start_date": ["Deze persoon is op deze datum al lid van dit huishouden."]
    }
    assert HouseholdMember.objects.count() == 1


def test_policy_service_refuses_a_second_plan_with_the_same_title(
    municipality: Any, regisseur: Any
) -> None:
    policy_services.plan_save(plan=Plan(municipality=municipality, title="Thuis"), by=regisseur)
    with pytest.raises(ValidationFailed) as exc:
        policy_services.plan_save(plan=Plan(municipality=municipality, title="Thuis"), by=regisseur)
    assert exc.value.code == "plan_titel_bestaat"
    assert exc.value.fields == {"title": ["Er is al een plan van aanpak met deze titel."]}
    assert Plan.objects.count() == 1


def test_a_missing_required_value_is_reported_per_field(municipality: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validation.save(Plan(municipality=municipality, title=""))
    assert exc.value.code == "ongeldig"
    assert list(exc.value.fields) == ["title"]
    assert exc.value.message.startswith("Naam van de aanpak: ")


# --- update: set, validate, save, and return the diff -----------------------------------------


def test_update_returns_old_and_new_values_of_changed_fields_only(person: Any) -> None:
    contact = validation.save(_contact(person))
    changes = validation.update(
        contact,
        {"end_date": date(2026, 6, 30), "kind": ContactKind.TAALMAATJE, "person": person},
    )
    assert changes == {"end_date": (None, date(2026, 6, 30))}
    contact.refresh_from_db()
    assert contact.end_date == date(2026, 6, 30)


def test_update_reports_relations_by_id(person: Any, make_user: Any) -> None:
    from thuis.tests.factories import PersonFactory

    other = PersonFactory(municipality=person.municipality)
    contact = validation.save(_contact(person))
    assert validation.update(contact, {"person": other}) == {"person": (person.pk, other.pk)}


def test_update_without_a_change_saves_nothing(person: Any, django_assert_num_queries: Any) -> None:
    contact = validation.save(_contact(person))
    with django_assert_num_queries(0):
        assert validation.update(contact, {"kind": ContactKind.TAALMAATJE}) == {}


def test_update_refused_changes_nothing_in_the_database(person: Any) -> None:
    contact = validation.save(_contact(person))
    with pytest.raises(ValidationFailed) as exc:
        validation.update(contact, {"end_date": date(2026, 1, 1)})
    assert exc.value.code == "steunpersoon_einde_voor_start"
    contact.refresh_from_db()
    assert contact.end_date is None

"""Changes to persons and households: atomic, validated, and written to the processing log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.core import validation
from thuis.core.bsn import normalise_bsn
from thuis.core.errors import ValidationFailed

from .models import Household, HouseholdMember, Municipality, Person


@transaction.atomic
def person_create(
    *,
    by: Any,
    municipality: Municipality,
    bsn: str,
    given_names: str,
    family_name: str,
    birth_date: date,
    sex: str,
    nationality: str,
    country_of_birth: str,
    prefix: str = "",
    languages: list[str] | None = None,
    preferred_language: str = "",
    activity: str = events.Activity.REGIE,
) -> Person:
    person = Person(
        municipality=municipality,
        bsn=normalise_bsn(bsn),
        given_names=given_names,
        prefix=prefix,
        family_name=family_name,
        birth_date=birth_date,
        sex=sex,
        nationality=nationality,
        country_of_birth=country_of_birth,
        languages=languages or [],
        preferred_language=preferred_language,
    )
    # Only this gemeente's persons count: another gemeente's record of the same BSN is neither
    # visible nor revealed (people.models.Person).
    if Person.objects.filter(municipality=municipality, bsn=person.bsn).exists():
        raise ValidationFailed(
            _("Er is in deze gemeente al een persoon met dit BSN."), code="bsn_bestaat"
        )
    validation.save(person)
    events.person_changed(
        user=by,
        person=person,
        action=Action.CREATE,
        object_type="person",
        object_id=person.pk,
        activity=activity,
    )
    return person


@transaction.atomic
def household_create(
    *,
    by: Any,
    municipality: Municipality,
    name: str,
    members: list[tuple[Person, str, date, bool]],
    activity: str = events.Activity.REGIE,
) -> Household:
    """Create a household with members given as (person, relation, start_date, arrived_later)."""
    household = Household.objects.create(municipality=municipality, name=name)
    for person, relation, start, arrived_later in members:
        household_add_member(
            by=by,
            household=household,
            person=person,
            relation=relation,
            start_date=start,
            arrived_later=arrived_later,
            activity=activity,
        )
    return household


@transaction.atomic
def household_add_member(
    *,
    by: Any,
    household: Household,
    person: Person,
    relation: str,
    start_date: date,
    arrived_later: bool = False,
    activity: str = events.Activity.REGIE,
) -> HouseholdMember:
    if person.municipality_id != household.municipality_id:
        raise ValidationFailed(
            _("Een huishouden hoort bij één gemeente."), code="huishouden_gemeente"
        )
    member = HouseholdMember(
        household=household,
        person=person,
        relation=relation,
        start_date=start_date,
        arrived_later=arrived_later,
    )
    validation.save(member)
    events.person_changed(
        user=by,
        person=person,
        action=Action.CREATE,
        object_type="household_member",
        object_id=member.pk,
        activity=activity,
    )
    return member

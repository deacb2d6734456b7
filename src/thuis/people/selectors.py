"""The only way to read persons and households for a user. Reads of personal data are logged."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet

from thuis.accounts import scope
from thuis.audit import events
from thuis.core.bsn import is_valid_bsn, normalise_bsn

from .models import Household, HouseholdMember, Person
from .search import query_terms

M = TypeVar("M", bound=Model)


def person_queryset_for_user(*, user: Any) -> QuerySet[Person]:
    """Persons the user may see at all. Nothing for roles that see aggregates only."""
    if scope.sees_person_files(user):
        return Person.objects.filter(municipality__in=scope.municipality_ids(user))
    return Person.objects.none()


def person_get_for_user(*, user: Any, person_id: int, view: str = "persoon") -> Person:
    """One person, or 404 for a missing *and* for a hidden person. Logs the read."""
    return scope.get_for_user(
        person_queryset_for_user(user=user).select_related("municipality"),
        person_id,
        user=user,
        not_found="Persoon niet gevonden.",
        object_type="person",
        view=view,
        persons=lambda person: [person],
    )


def person_find_by_bsn_for_user(*, user: Any, bsn: str) -> Person | None:
    """BSN search (always by POST, never in a URL). Logs the read when found."""
    value = normalise_bsn(bsn)
    if not is_valid_bsn(value):
        return None
    person = person_queryset_for_user(user=user).filter(bsn=value).first()
    if person is not None:
        events.persons_read(user=user, persons=[person], view="zoeken-op-bsn")
    return person


def filter_by_name(queryset: QuerySet[M], text: str, *, prefix: str = "") -> QuerySet[M]:
    """The name search: the rows whose person's names contain every term of `text`.

    Normalised as the stored `Person.search_name` (people.search): accents, case, hyphens, order
    and a few transliterations do not matter. `prefix` is the path to the person ("person__"
    for cases); `queryset` must already be scoped to the user. `contains` on the normalised,
    lower-case column: on PostgreSQL a LIKE the pg_trgm GIN index serves (icontains would wrap
    the column in UPPER() and miss the index), on SQLite a plain LIKE.
    """
    for term in query_terms(text):
        queryset = queryset.filter(**{f"{prefix}search_name__contains": term})
    return queryset


def household_get_for_user(*, user: Any, household_id: int) -> Household:
    """A household, visible when the user may see at least one of its members."""
    visible = person_queryset_for_user(user=user)
    households = (
        Household.objects.filter(members__person__in=visible)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=HouseholdMember.objects.filter(person__in=visible)
                .select_related("person")
                .order_by("start_date", "person__birth_date"),
            )
        )
        .distinct()
    )
    return scope.get_for_user(
        households,
        household_id,
        user=user,
        not_found="Huishouden niet gevonden.",
        object_type="household",
        view="huishouden",
        persons=lambda household: [m.person for m in household.members.all()],
    )


def households_of_person(*, person: Person) -> QuerySet[HouseholdMember]:
    """Memberships of a person already fetched through a selector."""
    return person.memberships.select_related("household").order_by("-start_date")

"""Who may see which persons. Selectors in every app build on these querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .choices import Role


def active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def municipality_ids(user: Any) -> QuerySet[Any]:
    from thuis.people.models import Municipality

    return Municipality.objects.filter(users=user).values("pk")


def sees_person_files(user: Any) -> bool:
    """Regisseur and teamleider open person files of their own municipalities."""
    return active_user(user) and user.role in {Role.REGISSEUR, Role.TEAMLEIDER}


def sees_aggregates(user: Any) -> bool:
    return active_user(user) and user.role in {
        Role.REGISSEUR,
        Role.TEAMLEIDER,
        Role.BELEIDSMEDEWERKER,
    }


def is_privacy_officer(user: Any) -> bool:
    return active_user(user) and user.role == Role.BEHEERDER

"""Who may see which persons. Selectors in every app build on these querysets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from .choices import Role

M = TypeVar("M", bound=Model)


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


def get_for_user(
    queryset: QuerySet[M],
    pk: Any,
    *,
    user: Any,
    not_found: str,
    object_type: str = "",
    view: str = "",
    persons: Callable[[M], Iterable[Any]] | None = None,
    activity: str = "",
) -> M:
    """The object `pk` of `queryset` (already narrowed to what `user` may see), or a 404.

    A missing and a hidden object look the same (404 with `not_found`). With `object_type`, a
    miss by an active user is written to the processing log as a denied read; with `view`, the
    read of the object's persons (`persons(obj)`, by default `[obj.person]`) is logged.
    """
    from thuis.audit import events

    found = queryset.filter(pk=pk).first()
    if found is None:
        if object_type and active_user(user):
            events.access_denied(user=user, object_type=object_type, object_id=pk)
        raise Http404(not_found)
    subjects = (list(persons(found)) if persons else [found.person]) if view else []  # type: ignore[attr-defined]
    if subjects:
        extra = {"activity": activity} if activity else {}
        events.persons_read(user=user, persons=subjects, view=view, **extra)
    return found


def managed_users(user: Any) -> QuerySet[Any]:
    """The users a beheerder manages: every gemeente of the user is one of the beheerder's own
    (a user who also works for another gemeente is managed there, not here). Superusers and
    partner users are not managed on the user screen."""
    from thuis.people.models import Municipality

    from .models import User

    if not is_privacy_officer(user):
        return User.objects.none()
    own = municipality_ids(user)
    foreign = Municipality.objects.exclude(pk__in=own).values("pk")
    return (
        User.objects.filter(municipalities__in=own, is_superuser=False)
        .exclude(municipalities__in=foreign)
        .exclude(role=Role.PARTNER)
        .exclude(is_system_account=True)
        .distinct()
    )


def api_tokens_for_beheerder(user: Any) -> QuerySet[Any]:
    """API keys of systems in the beheerder's own gemeenten (nothing for other roles)."""
    from .models import ApiToken

    if not is_privacy_officer(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(municipality__in=municipality_ids(user)).select_related(
        "account", "account__organisation", "municipality", "created_by", "revoked_by"
    )


def managed_teams(user: Any) -> QuerySet[Any]:
    from .models import Team

    return Team.objects.filter(municipality__in=municipality_ids(user))

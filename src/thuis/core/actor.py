"""Who does something: a user of Thuis or Thuis itself (a job, an import, the demo seed).

Services take an `Actor` instead of `by: Any`. An actor is a small frozen value that can travel
in a domain event: the user's id and a display name (the username, as in the processing log),
never personal data of the inburgeraar. `as_actor` turns what callers hand in today (a User,
a system label such as "systeem:import", or None) into an actor, so services of other apps can
move over one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class _UserLike(Protocol):
    pk: Any

    def get_username(self) -> str: ...


@dataclass(frozen=True)
class UserActor:
    """A logged-in user (regisseur, beheerder...)."""

    user_id: int
    name: str

    @property
    def label(self) -> str:
        return self.name[:150]


@dataclass(frozen=True)
class SystemActor:
    """Thuis itself; `name` says which part (e.g. "systeem:duo-koppeling")."""

    name: str = "systeem"

    @property
    def label(self) -> str:
        return self.name[:150]

    @property
    def user_id(self) -> None:
        return None


Actor = UserActor | SystemActor

SYSTEM = SystemActor()

# What services accept while callers move over: an Actor, a User, a system label, or None.
ActorLike = Actor | _UserLike | str | None


def as_actor(by: ActorLike) -> Actor:
    """The actor for what a caller passed as `by` (an Actor, a User, a system label or None)."""
    if isinstance(by, UserActor | SystemActor):
        return by
    if by is None:
        return SYSTEM
    if isinstance(by, str):
        return SystemActor(by)
    if isinstance(by, _UserLike) and by.pk is not None:
        return UserActor(user_id=int(by.pk), name=by.get_username())
    raise TypeError(f"Geen actor: {type(by).__name__}")


def user_id_of(by: ActorLike) -> int | None:
    """The user's id for a foreign key (`established_by_id=`); None for Thuis itself."""
    return as_actor(by).user_id

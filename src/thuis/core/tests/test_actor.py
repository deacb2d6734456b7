from __future__ import annotations

from typing import Any

import pytest

from thuis.core.actor import SYSTEM, SystemActor, UserActor, as_actor, user_id_of


@pytest.mark.django_db
def test_as_actor_accepts_what_callers_pass_today(regisseur: Any) -> None:
    assert as_actor(regisseur) == UserActor(user_id=regisseur.pk, name="regisseur")
    assert as_actor("systeem:import") == SystemActor("systeem:import")
    assert as_actor(None) is SYSTEM
    actor = UserActor(user_id=3, name="x")
    assert as_actor(actor) is actor
    assert user_id_of(regisseur) == regisseur.pk
    assert user_id_of("systeem:import") is None
    assert SystemActor("s" * 200).label == "s" * 150


def test_as_actor_refuses_anything_else() -> None:
    with pytest.raises(TypeError):
        as_actor(42)  # type: ignore[arg-type]

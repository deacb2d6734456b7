"""The brede-intake no-show ladder (practice, amounts configurable; legal maximum UNCONFIRMED).

Default after ../shared/domain/wet-inburgering.md §6: 1st no-show → written warning and a new
invitation; 2nd → €250 fine and a third invitation; 3rd → another €250 and the PIP is
established without the person's input. Set THUIS_NO_SHOW_LADDER (JSON) to change it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_LADDER = (
    '[{"soort": "waarschuwing", "bedrag": "0"},'
    ' {"soort": "boete_gemeente", "bedrag": "250.00"},'
    ' {"soort": "boete_gemeente", "bedrag": "250.00", "pip_zonder_inbreng": true}]'
)


@dataclass(frozen=True)
class LadderStep:
    kind: str
    amount: Decimal
    pip_without_input: bool = False


def parse_ladder(raw: str) -> tuple[LadderStep, ...]:
    steps = json.loads(raw)
    if not isinstance(steps, list) or not steps:
        raise ValueError("THUIS_NO_SHOW_LADDER must be a non-empty JSON list")
    return tuple(
        LadderStep(
            kind=str(step["soort"]),
            amount=Decimal(str(step.get("bedrag", "0"))),
            pip_without_input=bool(step.get("pip_zonder_inbreng", False)),
        )
        for step in steps
    )


def no_show_step(*, previous_no_shows: int, ladder: Sequence[LadderStep]) -> LadderStep:
    """The measure for the next no-show: the n-th step, the last step repeating after that."""
    index = min(previous_no_shows, len(ladder) - 1)
    return ladder[index]

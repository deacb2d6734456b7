"""refuse_bidi_controls: invisible direction controls in names are refused, RTL letters are not."""

from __future__ import annotations

from django.core.exceptions import ValidationError

import pytest

from thuis.core.validators import BIDI_CONTROLS, refuse_bidi_controls

CONTROLS = [
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
]


def test_the_set_is_exactly_the_bidi_controls() -> None:
    assert set(CONTROLS) == BIDI_CONTROLS


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_bidi_control_is_refused_in_dutch(control: str) -> None:
    with pytest.raises(ValidationError) as exc:
        refuse_bidi_controls(f"Jansen{control}fdp.exe")
    assert exc.value.code == "bidi_stuurteken"
    assert "onzichtbaar stuurteken" in exc.value.messages[0]


@pytest.mark.parametrize(
    "name", ["محمد عبد الله", "ኣማኑኤል ተስፋይ", "Jan-Willem van 't Hof", "Zoë Ørsted", ""]
)
def test_right_to_left_and_accented_names_are_accepted(name: str) -> None:
    refuse_bidi_controls(name)

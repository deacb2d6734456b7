"""Field validators shared by every app (model fields, forms and serializers use the same one)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Unicode bidirectional control characters: embeddings and overrides (U+202A-U+202E),
#: isolates (U+2066-U+2069), the marks LRM, RLM (U+200E, U+200F) and ALM (U+061C). They are
#: invisible and reorder the text around them, so a name can read differently from what is
#: stored (a "Trojan Source" spoof in lists, exports and letters). Arabic or Tigrinya letters
#: are right-to-left by themselves and need none of them.
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)


def has_bidi_controls(value: str) -> bool:
    return any(c in BIDI_CONTROLS for c in value)


def refuse_bidi_controls(value: object) -> None:
    """Django validator for names: refuse a bidirectional control character, in Dutch."""
    if isinstance(value, str) and has_bidi_controls(value):
        raise ValidationError(
            _(
                "De naam bevat een onzichtbaar stuurteken voor de schrijfrichting. Typ de naam "
                "opnieuw zonder het te kopiëren en plakken."
            ),
            code="bidi_stuurteken",
        )

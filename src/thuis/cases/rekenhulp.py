"""The rekenhulp (law calculator): one entry point for the command, the API and the web page.

It reads the input into `rules.CaseFacts` (`rules.facts_from_rekenhulp`), computes with
`rules.calculate` and serialises the typed result (`LegalDates.as_json`). It adds the guards an
outside caller needs: the input must be an object, and dates far outside the years the law can
apply to give a Dutch error instead of an overflow deep in the date arithmetic. Nothing is
stored and nothing of the input is logged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from . import rules
from .rules import RekenhulpInputError, RuleError, RuleInputError

# Keys of the input (issue 3), in the order the documentation and the web form show them.
INPUT_KEYS = (
    "plicht_start",
    "doelgroep",
    "kennisgeving_duo",
    "brp_vestiging",
    "pip_dagtekening",
    "leerroute",
    "niveau",
    "eerste_pip",
    "verlengingen",
    "bijstand_start",
    "bijstand_einde",
    "lbt_score",
    "lbt_datum",
    "peildatum",
)
DATE_KEYS = (
    "plicht_start",
    "kennisgeving_duo",
    "brp_vestiging",
    "pip_dagtekening",
    "bijstand_start",
    "bijstand_einde",
    "lbt_datum",
    "peildatum",
)
DATE_CODES = ("PIP_UITERLIJK", "TERMIJN_START", "TERMIJN_EINDE", "ONTZORGEN_EINDE", "PVT_UITERLIJK")
MIN_YEAR = 1900
MAX_YEAR = 2199

_RANGE_MESSAGE = (
    "Een datum ligt te ver in het verleden of in de toekomst om mee te rekenen. "
    f"Gebruik datums tussen {MIN_YEAR} en {MAX_YEAR}."
)
_QUOTED = re.compile(r"'([a-z_]+)'")


def _out_of_range(facts: Mapping[str, object]) -> list[RuleError]:
    errors = []
    for key in DATE_KEYS:
        raw = facts.get(key)
        if not isinstance(raw, str):
            continue
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            continue  # rules.facts_from_rekenhulp reports the bad date itself
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            errors.append(
                RuleError(
                    "DATUM_BUITEN_BEREIK",
                    f"'{key}' ligt buiten de jaren {MIN_YEAR} tot en met {MAX_YEAR}.",
                )
            )
    return errors


def compute(facts: object) -> dict[str, Any]:
    """All legal dates for `facts` (see docs/rekenhulp.md). Raises RekenhulpInputError."""
    if not isinstance(facts, Mapping):
        raise RekenhulpInputError(
            [RuleError("INVOER_ONGELDIG", "De invoer moet een object met velden zijn.")]
        )
    errors = _out_of_range(facts)
    if errors:
        raise RekenhulpInputError(errors)
    try:
        return rules.calculate(rules.facts_from_rekenhulp(facts)).as_json()
    except RekenhulpInputError:
        raise
    except RuleInputError as exc:
        raise RekenhulpInputError(exc.errors) from None
    except (OverflowError, ValueError):
        # Many long extensions can push a date past the year 9999.
        raise RekenhulpInputError([RuleError("DATUM_BUITEN_BEREIK", _RANGE_MESSAGE)]) from None


def error_field(error: RuleError) -> str:
    """The input key an error is about ("algemeen" when it is about the whole input)."""
    if error.code.startswith("VERLENGING"):
        return "verlengingen"
    match = _QUOTED.search(error.melding)
    if match is None:
        return "algemeen"
    return "verlengingen" if match.group(1) == "maanden" else match.group(1)

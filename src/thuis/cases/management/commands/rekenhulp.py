"""`thuis rekenhulp FILE.json`: print every legal date for a set of facts as JSON.

Nothing is stored. Bad input prints a Dutch list of errors to stderr and exits with code 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from thuis.cases.rekenhulp import compute
from thuis.cases.rules import RekenhulpInputError

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Rekenhulp: bereken de datums uit de Wet inburgering voor de feiten in een JSON-bestand "
        "('-' leest de invoer van stdin). Er wordt niets opgeslagen. Zie docs/rekenhulp.md."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("bestand", help="JSON-bestand met de feiten, of '-' voor stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["bestand"]
        try:
            text = self._read(name)
        except OSError:
            self._fail([f"Het bestand '{name}' bestaat niet of kan niet worden gelezen."])
        except UnicodeDecodeError:
            self._fail([f"Het bestand '{name}' is geen tekst in UTF-8."])
        try:
            facts = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail(
                [
                    "De invoer is geen geldige JSON "
                    f"(regel {exc.lineno}, kolom {exc.colno}: {_json_reason(exc.msg)})."
                ]
            )
        except RecursionError:
            self._fail(["De invoer is te diep genest."])
        try:
            result = compute(facts)
        except RekenhulpInputError as exc:
            self._fail([f"{e.code}: {e.melding}" for e in exc.errors])
        out = self.stdout._out
        if hasattr(out, "reconfigure") and out is sys.stdout:
            out.reconfigure(encoding="utf-8")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        with open(name, encoding="utf-8") as handle:
            return handle.read()

    def _fail(self, lines: list[str]) -> None:
        err = self.stderr._out
        if hasattr(err, "reconfigure") and err is sys.stderr:
            err.reconfigure(encoding="utf-8")
        self.stderr.write("De rekenhulp kan deze invoer niet gebruiken:")
        for line in lines:
            self.stderr.write(f"- {line}")
        raise SystemExit(EXIT_BAD_INPUT)


def _json_reason(msg: str) -> str:
    """Python's JSON messages in plain Dutch."""
    reasons = {
        "Expecting value": "hier verwacht de rekenhulp een waarde",
        "Expecting property name enclosed in double quotes": (
            "een veldnaam moet tussen dubbele aanhalingstekens staan"
        ),
        "Expecting ',' delimiter": "hier ontbreekt een komma",
        "Expecting ':' delimiter": "hier ontbreekt een dubbele punt",
        "Unterminated string starting at": "een tekst is niet afgesloten met een aanhalingsteken",
        "Extra data": "na het object staat nog meer tekst",
    }
    for english, dutch in reasons.items():
        if msg.startswith(english):
            return dutch
    return "de opmaak klopt niet"

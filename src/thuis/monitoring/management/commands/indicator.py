"""`thuis indicator CODE --gemeente CODE --peildatum DATE --per cohort,geslacht [--json]`."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thuis.core import disclosure
from thuis.core.errors import ThuisError
from thuis.monitoring import indicators, selectors
from thuis.people.models import Municipality


class Command(BaseCommand):
    help = "Toon een indicator (met onderdrukking van kleine aantallen)."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="Code uit de catalogus, zoals WERK_12M")
        parser.add_argument("--gemeente", help="CBS-gemeentecode(s), komma-gescheiden")
        parser.add_argument("--peildatum", help="JJJJ-MM-DD; standaard vandaag")
        parser.add_argument("--per", default="", help="Uitsplitsingen, zoals cohort,geslacht")
        parser.add_argument("--json", action="store_true", help="Uitvoer als JSON")
        parser.add_argument("--lijst", action="store_true", help="Toon de catalogus")

    def handle(self, *args, **options):
        if options["lijst"] or not options["code"]:
            for ind in indicators.CATALOGUE.values():
                self.stdout.write(f"{ind.code:32} {ind.name} ({ind.unit})")
            return
        try:
            peildatum = (
                date.fromisoformat(options["peildatum"])
                if options["peildatum"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("De peildatum moet de vorm JJJJ-MM-DD hebben.") from exc
        codes = [c.strip() for c in (options["gemeente"] or "").split(",") if c.strip()]
        municipalities = (
            list(Municipality.objects.filter(code__in=codes))
            if codes
            else list(Municipality.objects.all())
        )
        missing = set(codes) - {m.code for m in municipalities}
        if missing or not municipalities:
            raise CommandError(f"Gemeente {', '.join(sorted(missing)) or '?'} bestaat niet.")
        try:
            table = selectors.indicator_table(
                code=options["code"],
                municipality=municipalities,
                peildatum=peildatum,
                per=selectors.parse_per(options["per"]),
            )
        except indicators.UnknownIndicator as exc:
            raise CommandError(f"Onbekende indicator: {options['code']}.") from exc
        except ThuisError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(table, ensure_ascii=False, indent=2))
            return
        ind = indicators.get(options["code"])
        self.stdout.write(
            f"{ind.code}: {ind.name} — peildatum {table['peildatum']}, k={table['k']}"
        )
        for cell in table["cellen"]:
            keys = (
                ", ".join(f"{k}={v}" for k, v in cell.items() if k not in disclosure.VALUE_KEYS)
                or "totaal"
            )
            if cell["onderdrukt"]:
                self.stdout.write(f"  {keys}: onderdrukt")
            else:
                interval = (
                    f" [{cell['ondergrens']}–{cell['bovengrens']}]"
                    if cell["ondergrens"] is not None
                    else ""
                )
                self.stdout.write(
                    f"  {keys}: {cell['waarde']} {ind.unit}{interval} "
                    f"({cell['teller']} van {cell['noemer']})"
                )

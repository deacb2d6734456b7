# ruff: noqa: N999 - the command is `thuis import` (issue 6); a keyword only for `import x`
"""`thuis import personen FILE --gemeente CODE [--naam NAME]` and
`thuis import gebeurtenissen FILE --gemeente CODE`: migrate a caseload (docs/import.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thuis.migration import services


class Command(BaseCommand):
    help = "Importeer personen of gebeurtenissen uit een CSV- of XLSX-bestand (alles of niets)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="soort", required=True, metavar="{personen,gebeurtenissen}"
        )
        for name, text in (
            (
                "personen",
                "Personen en trajecten: bsn, geboortedatum, geslacht, geboorteland, "
                "doelgroep, plicht_start, koppeling, vestiging, huishouden",
            ),
            ("gebeurtenissen", "Gebeurtenissen: bsn, soort, begindatum, einddatum, waarde"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("bestand", help="CSV (UTF-8, ; of ,) of XLSX")
            p.add_argument("--gemeente", required=True, help="CBS-gemeentecode, zoals 0148")
            p.add_argument("--naam", help="Naam van de gemeente als die nog niet bestaat")
            p.add_argument(
                "--controleer",
                action="store_true",
                help="Alleen controleren en tellen; niets opslaan",
            )

    def handle(self, *args, **options):
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        try:
            result = services.import_file(
                kind=options["soort"],
                content=path.read_bytes(),
                filename=path.name,
                gemeente=options["gemeente"],
                naam=options.get("naam"),
                by="import (commandoregel)",
                preview=options["controleer"],
            )
        except services.ImportFailed as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(exc.message) from exc
        verb = "Gecontroleerd (niets opgeslagen)" if options["controleer"] else "Ingelezen"
        if result.municipality_created:
            self.stdout.write(f"Gemeente {options['gemeente']} aangemaakt.")
        counts = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.summary.items())
        self.stdout.write(f"{verb}: {counts}.")
